"""The same article arriving twice is read once: by its URL, or by its body from the same outlet."""

from __future__ import annotations

import hashlib
import urllib.parse

from ..models import Article
from ..urls import is_url, normalise_url
from .base import ReadContext


def without_duplicates(articles: list[Article], context: ReadContext) -> list[Article]:
    """The articles, each read once: the same URL, or the same body from the same outlet, is one article.

    Of the copies, a link already in its plain form (no tracking, no fragment) is kept before
    others, then the first path in sorted order, so which survives does not depend on the order
    the inputs were given in; the others are named as skipped. The kept ones stay in input order.
    """
    seen_text: dict[str, str] = {}
    seen_urls: dict[str, str] = {}
    dropped: set[int] = set()

    def preference(i: int) -> tuple:
        """The order copies are met in, the first kept: a URL path with tracking or a fragment last, then by path,
        URL and input order."""
        path = articles[i].path
        return (is_url(path) and normalise_url(path) != path, path, articles[i].url or "", i)

    for index in sorted(range(len(articles)), key=preference):
        article = articles[index]
        url_key = normalise_url(article.url) if article.url else None
        fingerprint = body_fingerprint(article)
        if url_key and url_key in seen_urls:
            context.skip(article.path, "duplicate", f"the same URL as {seen_urls[url_key]}")
        elif fingerprint in seen_text:
            context.skip(article.path, "duplicate", f"the same article as {seen_text[fingerprint]}")
        else:
            seen_text[fingerprint] = article.path
            if url_key:
                seen_urls[url_key] = article.path
            continue
        dropped.add(index)
    return [a for i, a in enumerate(articles) if i not in dropped]


def body_fingerprint(article: Article) -> str:
    """The same article saved twice, or under another name, has the same fingerprint.

    Who printed it is part of it: the web site its URL is on, or else its
    publisher. A wire story that two outlets print word for word is two sources
    to cite, not one article read twice, even when both credit the same agency.
    """
    body = " ".join(" ".join(article.paragraphs).lower().split())
    return hashlib.sha256(f"{_outlet(article)}\n{body}".encode()).hexdigest()


def _outlet(article: Article) -> str:
    if article.url:
        host = (urllib.parse.urlsplit(article.url).hostname or "").lower()
        return host.removeprefix("www.")
    return (article.source or "").lower()
