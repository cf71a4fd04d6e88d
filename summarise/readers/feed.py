"""RSS and Atom feeds: one article an entry, from the entry's own text or, with --fetch, from the
page it links to (feeds.py parses them)."""

from __future__ import annotations

import dataclasses
import logging

from ..feeds import article_from_entry, parse_feed
from ..fetch import MAX_PAGE_BYTES, FetchError
from ..models import Article
from ..urls import is_url, plain_url
from .base import ReadContext, checked
from .html import article_of_page

log = logging.getLogger(__name__)

SUFFIXES = (".xml", ".rss", ".atom")


def read_feed(where: str, data: bytes, context: ReadContext) -> list[Article]:
    """Each entry of the feed as an article; the entries' pages are fetched all at once."""
    try:
        _, entries = parse_feed(data)
    except ValueError as error:
        return context.skip(where, "bad feed", str(error))
    if not entries:
        return context.skip(where, "empty", "the feed has no entries")
    links = [e.link if context.fetch and e.link and is_url(e.link) else None for e in entries]
    pages = iter(context.fetcher.fetch_all(link for link in links if link))
    articles = []
    for number, (entry, link) in enumerate(zip(entries, links, strict=True), start=1):
        path = entry.link or f"{where}#{number}"
        article = None
        if link:
            page = next(pages)
            if isinstance(page, FetchError):
                log.warning("%s: cannot fetch the full article (%s); using the feed's text", link, page)
            else:
                if page.truncated:
                    log.warning("%s: larger than %s bytes; only the first part read", link, f"{MAX_PAGE_BYTES:,}")
                full = article_of_page(page, path)
                if full is not None:
                    # The feed knows the headline, date and link; the page knows the text and the site.
                    article = dataclasses.replace(
                        full,
                        title=entry.title or full.title,
                        date=entry.date or full.date,
                        date_source="feed" if entry.date else full.date_source,
                        url=plain_url(entry.link) or full.url,
                    )
        article = article or article_from_entry(entry, path)
        if article is None:
            context.skip(path, "no article text", f"the entry in {where} has no article text")
            continue
        articles.append(article)
    return checked(articles, context)
