"""RSS and Atom feeds into articles, parsed with feedparser.

Each entry becomes an article: its headline, link, date and publisher (the
entry's source, else the feed's title) from the feed, and its text from the
entry's content or summary, or, with ``--fetch``, from the page it links to.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from .clean import normalise_line, text_paragraphs
from .models import Article
from .pages import text_of_html
from .urls import plain_url

log = logging.getLogger(__name__)

# What feeds add after an entry's text: a link on to the page, or WordPress's credit line.
_TRAILER = re.compile(
    r"^(?:the post\b.{1,300}\bappeared first on\b.*"
    r"|(?:continue|keep) reading\b.*"
    r"|read (?:more|on|the (?:full|whole|rest of the|complete) (?:story|article|report))\b.*)$",
    re.IGNORECASE,
)


# A numeric character reference: &#NNN; or &#xHHH;.
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def _usable_char_refs(data: bytes) -> bytes:
    """The feed with every character reference XML does not allow (a lone surrogate, NUL, a number
    past Unicode) turned into U+FFFD. One such reference makes the strict parser give up and the
    lenient one raise, which would cost every entry of the feed for one bad link."""

    def check(match: re.Match[bytes]) -> bytes:
        """The character reference as it is when XML allows its character, else one to U+FFFD."""
        digits = (match[1] or match[2]).lstrip(b"0") or b"0"
        if len(digits) > 7:  # past Unicode whatever it is, and not worth turning into a number
            return b"&#xFFFD;"
        code = int(digits, 16) if match[1] else int(digits)
        allowed = (
            code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF
        )
        return match[0] if allowed else b"&#xFFFD;"

    return _CHAR_REF.sub(check, data)


@dataclass(frozen=True)
class Entry:
    """What a feed says of one article."""

    title: str | None
    link: str | None
    date: dt.date | None
    publisher: str | None
    text: str  # the entry's own content or summary, as text


def looks_like_feed(text: str) -> bool:
    """Whether the text opens as an RSS or Atom feed: with <rss or <feed, or with an XML declaration and an
    <rss, <feed or <rdf:RDF tag in its first 4 KB."""
    head = text.lstrip()[:4096].lower()
    return (head.startswith("<?xml") and any(tag in head for tag in ("<rss", "<feed", "<rdf:rdf"))) or head.startswith(
        ("<rss", "<feed")
    )


def parse_feed(data: bytes) -> tuple[str | None, list[Entry]]:
    """The feed's title and its entries; raises ValueError when it is not a feed at all."""
    import feedparser

    parsed = feedparser.parse(_usable_char_refs(data))
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise ValueError(f"not an RSS or Atom feed{f' ({reason})' if reason else ''}")
    feed_title = _text(parsed.feed.get("title"))
    entries = []
    for item in parsed.entries:
        when = item.get("published_parsed") or item.get("updated_parsed")
        source = item.get("source") or {}
        content = item.get("content") or []
        body = max((c.get("value", "") for c in content), key=len, default="") or item.get("summary", "")
        entries.append(
            Entry(
                title=_text(item.get("title")),
                link=item.get("link") or None,
                date=dt.date(when.tm_year, when.tm_mon, when.tm_mday) if when else None,
                publisher=_text(source.get("title")) or feed_title,
                text=text_of_html(body),
            )
        )
    return feed_title, entries


def article_from_entry(entry: Entry, path: str) -> Article | None:
    """The entry as an article, from its own text less trailers ("Continue reading"); None when no text is left."""
    body = [line for line in text_paragraphs(entry.text) if not _TRAILER.match(line)]
    if not body:
        return None
    return Article(
        path=path,
        date=entry.date,
        title=entry.title,
        source=entry.publisher,
        paragraphs=tuple(body),
        url=plain_url(entry.link),
        date_source="feed" if entry.date else None,
    )


def _text(value: object) -> str | None:
    text = normalise_line(text_of_html(str(value))) if value else ""
    return text or None
