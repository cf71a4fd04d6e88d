"""What every reader shares: the records of a read, the context a reader works in, and the checks
every article passes on its way out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Protocol

from ..fetch import Fetcher
from ..language import language_code
from ..models import Article

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
    """Every article read, every input skipped, and how many inputs were found."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    found: int = 0  # inputs found to read (files, feeds and URLs)


@dataclass
class ReadContext:
    """What a reader needs beyond its input: the day (to spot future dates), the fetcher and
    whether feed entries' pages are fetched, and the list each skipped input is tallied in."""

    today: dt.date
    fetcher: Fetcher
    fetch: bool = False
    skipped: list[Skipped] = field(default_factory=list)

    def skip(self, source: str, reason: str, message: str) -> list[Article]:
        """Say on stderr, in one line, that an input gave nothing and why; tally the reason. Returns
        no articles, so a reader can `return context.skip(...)`."""
        log.warning("%s: skipped: %s", source, message)
        self.skipped.append(Skipped(source, reason))
        return []


class Reader(Protocol):
    """A reader of one input kind: the articles in the file at `path` (none, with the reason
    said through `context.skip`, when there are none)."""

    def __call__(self, path: str, context: ReadContext) -> list[Article]: ...


def checked(articles: list[Article], context: ReadContext) -> list[Article]:
    """Future dates dropped and each article's language noted.

    Articles in every language are read: which to summarise is the summariser's choice.
    """
    kept = []
    for article in articles:
        if is_future(article.date, context.today):
            log.warning("%s: date %s is in the future; article has no date", article.path, article.date)
            article = dataclasses.replace(article, date=None, date_source=None)
        kept.append(with_language(article))
    return kept


def is_future(day: dt.date | None, today: dt.date) -> bool:
    """Whether a date is past tomorrow (a day's grace for time zones)."""
    return day is not None and day.toordinal() > today.toordinal() + 1


def with_language(article: Article) -> Article:
    """The article with its language (ISO 639-1) noted, told from its text."""
    return dataclasses.replace(article, language=language_code(" ".join(article.paragraphs)))


def cut(data: bytes, limit: int) -> bytes:
    """At most `limit` bytes: up to the last line end when there is one, else not inside a UTF-8 character."""
    end = data.rfind(b"\n", 0, limit)
    if end > limit // 2:
        return data[:end]
    end = limit
    while end > limit - 4 and 0x80 <= data[end] <= 0xBF:  # a continuation byte: step back to the character's start
        end -= 1
    return data[:end]


def describe_error(error: Exception) -> str:
    """An unexpected error in a few words, on one line, for the message naming the input."""
    text = " ".join(str(error).split())[:200]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
