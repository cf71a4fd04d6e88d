"""Find the input files and read them from disk.

This is the pipeline's input edge: it only turns paths into `Document`s and
reports, one line per file, what it could not read. Making sense of the text
is `clean`'s job.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .clean import clean_document
from .models import Article, Document

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Skipped:
    """An input that gave no article: where it was and why (a short reason, for the run's tally)."""

    source: str
    reason: str


@dataclass
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    found: int = 0  # inputs found to read (files, and later feeds and URLs)


def read_articles(inputs: Iterable[str]) -> ReadResult:
    """Every article in the inputs, cleaned; each input that gave none is reported once on stderr."""
    result = ReadResult()
    paths = find_input_files(inputs, result.skipped)
    result.found = len(paths)
    for path in paths:
        document = read_document(path, result.skipped)
        if document is None:
            continue
        article = clean_document(document)
        if article is None:
            result.skipped.append(Skipped(path, "no article text"))
            continue
        result.articles.append(article)
    return result

TEXT_SUFFIXES = (".txt",)


def find_input_files(inputs: Iterable[str], skipped: list[Skipped] | None = None) -> list[str]:
    """Every ``*.txt`` file named directly or found under a named folder.

    Paths keep the spelling the user gave (so the digest names them the same
    way), are listed once each, and come out in a stable order.
    """
    found: list[str] = []
    seen: set[str] = set()
    for given in inputs:
        for path in _expand(given, skipped if skipped is not None else []):
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                found.append(path)
    return found


def _expand(given: str, skipped: list[Skipped]) -> Iterator[str]:
    path = Path(given)
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                if name.lower().endswith(TEXT_SUFFIXES) and not name.startswith("."):
                    yield os.path.normpath(os.path.join(root, name))
    elif path.is_file():
        yield os.path.normpath(given)
    elif path.exists():
        log.warning("%s: skipped: not a regular file or folder", given)
        skipped.append(Skipped(given, "not a file or folder"))
    else:
        log.warning("%s: skipped: no such file or folder", given)
        skipped.append(Skipped(given, "missing"))


def read_document(path: str, skipped: list[Skipped] | None = None) -> Document | None:
    """The file's text, or None (with a one-line warning) when it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        log.warning("%s: skipped: cannot read: %s", path, error.strerror or error)
        if skipped is not None:
            skipped.append(Skipped(path, "unreadable"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        log.warning("%s: not valid UTF-8 (byte %d); undecodable bytes replaced", path, error.start)
        text = data.decode("utf-8", errors="replace")
    return Document(path=path, text=text)
