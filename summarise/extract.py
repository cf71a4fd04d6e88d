"""`summarise extract`: the reading half of the pipeline, as records.

Each article read becomes one JSON object: where it came from, what the page
says about it (headline, publisher, author, date, URL), the language of its
body, and the body itself with paragraphs separated by a blank line. Records
come in input order and are the same bytes for the same input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from .models import Article

FIELDS = ("path", "url", "title", "source", "author", "date", "date_source", "language", "text")


def article_record(article: Article) -> dict[str, str | None]:
    """The article as the extract command writes it, keys in FIELDS' order."""
    return {
        "path": article.path,
        "url": article.url,
        "title": article.title,
        "source": article.source,
        "author": article.author,
        "date": article.date.isoformat() if article.date else None,
        "date_source": article.date_source,
        "language": article.language,
        "text": "\n\n".join(article.paragraphs),
    }


def json_lines(articles: Iterable[Article]) -> bytes:
    """One record a line, UTF-8, lone surrogates from odd file names escaped rather than fatal."""
    lines = [json.dumps(article_record(a), ensure_ascii=False) + "\n" for a in articles]
    return "".join(lines).encode("utf-8", "backslashreplace")
