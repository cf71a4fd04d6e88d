"""JSON Lines (``.jsonl``): one article a line, ``{"title", "text", "date", "source", "url"}``, only
``text`` required; read a line at a time, so a large export costs one line of memory."""

from __future__ import annotations

import datetime as dt
import json

from ..clean import normalise_line, text_paragraphs
from ..models import Article
from ..pages import parse_day
from ..urls import plain_url
from .base import MAX_ARTICLE_BYTES, ReadContext, checked

SUFFIXES = (".jsonl",)


def read_jsonl(path: str, context: ReadContext) -> list[Article]:
    """Each line's article; a line that is not one is named (``PATH:LINE``) with the reason."""
    articles = []
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; streamed a line at a time
    except OSError as error:
        return context.skip(path, "unreadable", f"cannot read: {error.strerror or error}")
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            if len(raw) > MAX_ARTICLE_BYTES:
                context.skip(where, "too large", f"a line of {len(raw):,} bytes; at most {MAX_ARTICLE_BYTES:,}")
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError) as error:
                context.skip(where, "bad JSON", f"not a JSON object: {error}")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                context.skip(where, "bad JSON", 'no "text" string')
                continue
            date = _date(record.get("date"))
            body = text_paragraphs(record["text"])
            if not body:
                context.skip(where, "no article text", "no article text")
                continue
            articles.append(
                Article(
                    path=where,
                    date=date,
                    title=_text(record.get("title")),
                    source=_text(record.get("source")),
                    paragraphs=tuple(body),
                    url=plain_url(record.get("url")),
                    date_source="data" if date else None,
                )
            )
    return checked(articles, context)


def _date(value: object) -> dt.date | None:
    return parse_day(value) if isinstance(value, str) else None


def _text(value: object) -> str | None:
    return (normalise_line(value) or None) if isinstance(value, str) else None
