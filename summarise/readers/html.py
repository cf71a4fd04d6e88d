"""HTML pages, saved or fetched: the article body and its metadata, by trafilatura (pages.py)."""

from __future__ import annotations

import logging

from ..decode import BinaryInput, Decoded, decode
from ..fetch import Page
from ..models import Article
from ..pages import article_from_html
from .base import ReadContext, checked

log = logging.getLogger(__name__)

SUFFIXES = (".html", ".htm")


def read_page(where: str, url: str | None, decoded: Decoded, context: ReadContext) -> list[Article]:
    """The article of a decoded HTML page; `url` is where it was fetched from, if it was."""
    if decoded.note:
        log.warning("%s: %s", where, decoded.note)
    article = article_from_html(decoded.text, where, url)
    if article is None:
        return context.skip(where, "no article text", "no article text found in the page")
    return checked([article], context)


def article_of_page(page: Page, path: str) -> Article | None:
    """The article of a fetched page, or None when it has none (a feed entry then keeps its own text)."""
    try:
        decoded = decode(page.body)
    except BinaryInput:
        return None
    return article_from_html(decoded.text, path, page.final_url)
