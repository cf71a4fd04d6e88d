"""Markup, from a file or the web: a feed or an HTML page, told apart by what it holds, not by its name."""

from __future__ import annotations

import logging

from ..decode import BinaryInput, decode
from ..feeds import looks_like_feed
from ..fetch import MAX_PAGE_BYTES
from ..models import Article
from ..pages import looks_like_html
from .base import ReadContext, cut
from .feed import read_feed
from .html import SUFFIXES as HTML_SUFFIXES
from .html import read_page

log = logging.getLogger(__name__)


def read_markup_file(path: str, context: ReadContext) -> list[Article]:
    """A saved page or feed (``.html``, ``.htm``, ``.xml``, ``.rss``, ``.atom``), up to the page cap."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_PAGE_BYTES + 1)
    except OSError as error:
        return context.skip(path, "unreadable", f"cannot read: {error.strerror or error}")
    if len(data) > MAX_PAGE_BYTES:
        log.warning("%s: larger than %s bytes; only the first part read", path, f"{MAX_PAGE_BYTES:,}")
        data = cut(data, MAX_PAGE_BYTES)
    return read_markup(path, None, data, context)


def read_markup(where: str, url: str | None, data: bytes, context: ReadContext) -> list[Article]:
    """A feed or an HTML page; `url` is where it was fetched from, if it was."""
    try:
        decoded = decode(data)
    except BinaryInput as error:
        return context.skip(where, "binary", str(error))
    if not decoded.text.strip():
        return context.skip(where, "empty", "empty")
    if looks_like_feed(decoded.text):
        return read_feed(where, data, context)
    if not looks_like_html(decoded.text) and not where.lower().endswith(HTML_SUFFIXES) and url is None:
        return context.skip(where, "not a feed or page", "neither an RSS/Atom feed nor an HTML page")
    return read_page(where, url, decoded, context)
