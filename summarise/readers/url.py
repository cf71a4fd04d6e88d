"""An http(s) URL given as an input: its answer, fetched with the day's other URLs, read as markup."""

from __future__ import annotations

import logging

from ..fetch import MAX_PAGE_BYTES, FetchError, Page
from ..models import Article
from .base import ReadContext
from .markup import read_markup

log = logging.getLogger(__name__)


def read_url(url: str, answer: Page | FetchError, context: ReadContext) -> list[Article]:
    """The articles of a fetched URL (a feed or a page), or the reason it gave none."""
    if isinstance(answer, FetchError):
        return context.skip(url, "fetch failed", str(answer))
    if answer.truncated:
        log.warning("%s: larger than %s bytes; only the first part read", url, f"{MAX_PAGE_BYTES:,}")
    return read_markup(url, answer.final_url, answer.body, context)
