"""Find the input files and read them from disk.

This is the pipeline's input edge: it only turns paths into `Document`s and
reports, one line per file, what it could not read. Making sense of the text
is `clean`'s job.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .clean import NO_HEADER, clean_page
from .decode import BinaryInput, decode
from .language import detect_language
from .models import Article, Document

log = logging.getLogger(__name__)

# The most of one file that is read: the longest news articles are some 100 kB of
# text, so this keeps every real article whole while a stray 200 MB file costs 1 MB.
MAX_ARTICLE_BYTES = 1_000_000


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


def read_articles(inputs: Iterable[str], today: dt.date | None = None) -> ReadResult:
    """Every article in the inputs, cleaned; each input that gave none is reported once on stderr.

    Files are read one at a time and only their cleaned article is kept, so
    memory follows the articles, not the raw pages. The same article under two
    names (the same body text) is read once.
    """
    today = today or dt.date.today()
    result = ReadResult()
    paths = find_input_files(inputs, result.skipped)
    result.found = len(paths)
    first_path_of: dict[str, str] = {}
    for path in paths:
        article = read_article_file(path, today, result.skipped)
        if article is None:
            continue
        fingerprint = body_fingerprint(article)
        if fingerprint in first_path_of:
            _skip(result.skipped, path, "duplicate", f"the same article as {first_path_of[fingerprint]}")
            continue
        first_path_of[fingerprint] = path
        result.articles.append(article)
    return result


def read_article_file(path: str, today: dt.date, skipped: list[Skipped]) -> Article | None:
    """One file's article, or None with the reason logged (one line) and tallied."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)
            modified = dt.date.fromtimestamp(os.fstat(handle.fileno()).st_mtime)
    except OSError as error:
        return _skip(skipped, path, "unreadable", f"cannot read: {error.strerror or error}")
    notes = []
    if len(data) > MAX_ARTICLE_BYTES:
        data = _cut(data, MAX_ARTICLE_BYTES)
        notes.append(f"larger than {MAX_ARTICLE_BYTES:,} bytes; only the first {len(data):,} read")
    if not data.strip():
        return _skip(skipped, path, "empty", "empty file" if not data else "only white space")
    try:
        decoded = decode(data)
    except BinaryInput as error:
        return _skip(skipped, path, "binary", str(error))
    if decoded.note:
        notes.append(decoded.note)
    article, problems = clean_page(Document(path=path, text=decoded.text))
    if article is None:
        return _skip(skipped, path, "no article text", "no article text left after removing page furniture")
    if article.date is not None and article.date > today + dt.timedelta(days=1):
        problems = [f"date header {article.date} is in the future; article has no date"]
        article = dataclasses.replace(article, date=None, date_source=None)
    if problems and problems[0].startswith(NO_HEADER):  # plain text: no header at all
        article = dataclasses.replace(article, date=modified, date_source="file")
        problems = [f"no date header; dated {modified} by the file's modification time"]
    language = detect_language(" ".join(article.paragraphs))
    if language is not None:
        return _skip(skipped, path, "not English", f"not in English (looks like {language}); left out")
    notes.extend(problems)
    if notes:
        log.warning("%s: %s", path, "; ".join(notes))
    return article


def _cut(data: bytes, limit: int) -> bytes:
    """At most `limit` bytes: up to the last line end when there is one, else not inside a UTF-8 character."""
    cut = data.rfind(b"\n", 0, limit)
    if cut > limit // 2:
        return data[:cut]
    cut = limit
    while cut > limit - 4 and 0x80 <= data[cut] <= 0xBF:  # a continuation byte: step back to the character's start
        cut -= 1
    return data[:cut]


def body_fingerprint(article: Article) -> str:
    """The same text under another name, copied or saved twice, has the same fingerprint."""
    body = " ".join(" ".join(article.paragraphs).lower().split())
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _skip(skipped: list[Skipped], source: str, reason: str, message: str) -> None:
    log.warning("%s: skipped: %s", source, message)
    skipped.append(Skipped(source, reason))
    return None


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
        _skip(skipped, given, "not a file or folder", "not a regular file or folder")
    elif path.is_symlink():
        _skip(skipped, given, "missing", f"a symbolic link to {os.readlink(path)}, which does not exist")
    else:
        _skip(skipped, given, "missing", "no such file or folder")
