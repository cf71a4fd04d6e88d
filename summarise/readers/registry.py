"""Which reader reads which file: the registry from a file name's suffix to its reader.

A new input kind is one new module with a reader (`(path, context) -> list[Article]`) and
one line here; folders are then searched for its suffix too.
"""

from __future__ import annotations

import os

from . import feed, html, jsonl, text
from .base import Reader
from .markup import read_markup_file

READERS: dict[str, Reader] = {
    **dict.fromkeys(text.SUFFIXES, text.read_text_file),
    **dict.fromkeys(html.SUFFIXES, read_markup_file),  # a page or a feed, whatever its name says
    **dict.fromkeys(feed.SUFFIXES, read_markup_file),
    **dict.fromkeys(jsonl.SUFFIXES, jsonl.read_jsonl),
}


def input_suffixes() -> tuple[str, ...]:
    """The file names searched for in a folder: those a reader is registered for, as it stands now."""
    return tuple(READERS)


def reader_for(path: str) -> Reader:
    """The reader of a file, by its suffix; a file named otherwise (given by name) is read as text,
    which also tells a page or a feed by its content."""
    return READERS.get(os.path.splitext(path)[1].lower(), text.read_text_file)
