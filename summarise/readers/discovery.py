"""Finding the inputs: URLs as given, files as named, and every input file under a named folder."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..urls import is_url, normalise_url, plain_url
from .base import ReadContext
from .registry import input_suffixes


def find_inputs(inputs: Iterable[str], context: ReadContext) -> list[str]:
    """Every URL, and every input file named directly or found under a named folder, each once, in
    order; an input that is neither is named and tallied in `context`."""
    found: list[str] = []
    seen_urls: set[str] = set()
    seen_files: set[str] = set()
    for given in inputs:
        if is_url(given) and not plain_url(given):
            context.skip(given, "bad URL", "not a well-formed URL")
        elif is_url(given):
            if normalise_url(given) not in seen_urls:
                seen_urls.add(normalise_url(given))
                found.append(given)
        elif "://" in given:
            context.skip(given, "bad URL", "only http and https URLs can be read")
        else:
            found.extend(find_input_files([given], context, seen_files))
    return found


def find_input_files(inputs: Iterable[str], context: ReadContext, seen: set[str] | None = None) -> list[str]:
    """Every input file (by the registry's suffixes) named directly or found under a named folder.

    Paths keep the spelling the user gave (so the digest names them the same
    way), are listed once each, and come out in a stable order.
    """
    found: list[str] = []
    seen = set() if seen is None else seen
    for given in inputs:
        for path in _expand(given, context):
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                found.append(path)
    return found


def _expand(given: str, context: ReadContext) -> Iterator[str]:
    path = Path(given)
    if path.is_dir():
        suffixes = input_suffixes()
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                if name.lower().endswith(suffixes) and not name.startswith("."):
                    yield os.path.normpath(os.path.join(root, name))
    elif path.is_file():
        yield os.path.normpath(given)
    elif path.exists():
        context.skip(given, "not a file or folder", "not a regular file or folder")
    elif path.is_symlink():
        context.skip(given, "missing", f"a symbolic link to {os.readlink(path)}, which does not exist")
    else:
        context.skip(given, "missing", "no such file or folder")
