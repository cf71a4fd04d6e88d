"""The plain records that flow through the pipeline.

Every stage is a function from some of these to others; none of them does I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """A file as read from disk, before any cleaning."""

    path: str
    text: str


@dataclass(frozen=True)
class Article:
    """One news article with its page furniture removed.

    ``id`` is empty until the pipeline numbers the articles of a digest.
    ``paragraphs`` hold the body only, in reading order.
    """

    path: str
    date: dt.date | None
    title: str | None
    source: str | None
    paragraphs: tuple[str, ...]
    url: str | None = None
    id: str = ""
    # Where the date came from: "header" (the seed format's date line), "file" (the file's
    # modification time, for text without one), "page", "feed" or "data"; None when undated.
    date_source: str | None = None
    author: str | None = None
    # ISO 639-1 code of the body's language ("en", "fr"...), None when the text is too short to tell.
    language: str | None = None


@dataclass(frozen=True)
class Sentence:
    """One sentence of one article, with where it came from."""

    text: str
    article_id: str
    position: int  # index among the article's sentences, from 0
    paragraph: int  # index of the paragraph it sits in, from 0
    relative_position: float  # position / number of sentences in the article, in [0, 1)


@dataclass(frozen=True)
class Statement:
    """What one or several articles say alike: near-duplicate sentences merged.

    ``text`` is the wording shown in the digest (one of the variants), and
    ``citations`` the ids of the articles that carry that wording.
    ``variants`` are the indices, into the sentence list, of every merged sentence.
    """

    text: str
    citations: tuple[str, ...]
    variants: tuple[int, ...]
    shown: int  # index of the variant whose wording is shown
    sentence: Sentence  # that variant


@dataclass(frozen=True)
class Topic:
    """A story: the articles about it and the statements chosen to tell it."""

    label: str
    keywords: tuple[str, ...]
    article_ids: tuple[str, ...]
    statements: tuple[Statement, ...] = field(default_factory=tuple)
    # The article whose headline is the label (the one closest to the story's centre), if any has one.
    headline_id: str | None = None
    # Against the previous digest: "new", or "continuing" the story labelled `continues`; None when
    # there is no previous digest to compare with.
    status: str | None = None
    continues: str | None = None
    # ISO 639-1 code of the language the story is told in (its articles' language).
    language: str | None = None


@dataclass(frozen=True)
class PastStory:
    """A story of the previous digest, as the archive remembers it: its label and the sentences shown."""

    label: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Digest:
    """A day's digest: the stories told (most important first), then the rest of the day's stories,
    named only ("Also reported"), so that no article's story goes missing without a trace."""

    date: dt.date | None
    articles: tuple[Article, ...]
    topics: tuple[Topic, ...]
    also_reported: tuple[Topic, ...] = ()
    # ISO 639-1 codes of the stories' languages, in the order the stories are grouped (most articles first).
    languages: tuple[str, ...] = ()
