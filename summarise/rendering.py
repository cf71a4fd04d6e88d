"""Render a `Digest` as HTML, Markdown or plain text (Jinja2 templates) or JSON.

Templates hold the presentation; this module only prepares plain values for
them. HTML is autoescaped, and Markdown gets its own escaping filter, so no
text from an article can become markup, a script or template code.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import jinja2

from .language import language_name
from .models import Article, Digest, Topic
from .text import printable_text
from .urls import plain_url

_PACKAGE = Path(__file__).resolve().parent
# Installed wheels carry the templates inside the package; a source checkout
# (and an editable install) has them in the top-level templates/ folder.
TEMPLATE_DIRS = [_PACKAGE / "templates", _PACKAGE.parent / "templates"]

TEMPLATES = {"html": "digest.html.j2", "md": "digest.md.j2", "txt": "digest.txt.j2"}

# Characters that are Markdown (or inline HTML) syntax wherever they stand;
# quotes and parentheses are left alone, since with "[" escaped no link can form.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=#>!])", re.MULTILINE)  # lists, headings, quotes
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)  # "1." would start a numbered list
# Bidirectional controls can make text read differently from how it is stored.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def markdown_escape(text: object) -> str:
    """Text that Markdown renders literally, on one line: punctuation that could be syntax gets a
    backslash, and control characters (newlines too, which could start a block) become spaces."""
    value = _BIDI.sub("", printable_text(str(text)))
    value = _MD_SPECIAL.sub(r"\\\1", value)
    value = _MD_LINE_START.sub(r"\1\\\2", value)
    return _MD_ORDERED.sub(r"\1\\\2", value)


def safe_url(url: object) -> str | None:
    """The URL if it is a plain http(s) address (urls.plain_url), else None: never javascript: or data:."""
    return plain_url(url)


def strip_bidi(text: object) -> str:
    """Text without direction overrides or control characters (a newline would break a line of the
    text digest, or a Markdown code span)."""
    return _BIDI.sub("", printable_text(str(text)))


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    folder = next((d for d in TEMPLATE_DIRS if d.is_dir()), None)
    if folder is None:
        raise FileNotFoundError(f"no templates folder in {' or '.join(map(str, TEMPLATE_DIRS))}")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown_escape
    env.filters["bidi"] = strip_bidi
    return env


# The JSON digest's shape (summarise/schema/digest.schema.json); bumped when a field changes meaning or goes.
JSON_VERSION = 1


def digest_data(digest: Digest) -> dict:
    """The digest as plain JSON-ready values, in the shape `summarise/schema/digest.schema.json` documents."""
    sources = {a.source for a in digest.articles if a.source}
    by_id = {a.id: a for a in digest.articles}
    return {
        "version": JSON_VERSION,
        "date": digest.date.isoformat() if digest.date else None,
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "source": a.source,
                "date": a.date.isoformat() if a.date else None,
                "date_source": a.date_source,
                "path": a.path,
                "url": a.url,
                "author": a.author,
                "language": a.language,
            }
            for a in digest.articles
        ],
        "topics": [
            {
                "label": t.label,
                "keywords": list(t.keywords),
                "articles": list(t.article_ids),
                "headline_article": t.headline_id,
                "outlets": _outlets(t, by_id),
                "status": t.status,
                "continues": t.continues,
                "language": t.language,
                "sentences": [{"text": s.text, "citations": list(s.citations)} for s in t.statements],
            }
            for t in digest.topics
        ],
        "also_reported": [
            {
                "label": t.label,
                "articles": list(t.article_ids),
                "headline_article": t.headline_id,
                "outlets": _outlets(t, by_id),
                "language": t.language,
            }
            for t in digest.also_reported
        ],
        "languages": _languages(digest),
        "counts": {
            "articles": len(digest.articles),
            "sources": len(sources),
            "topics": len(digest.topics),
            "also_reported": len(digest.also_reported),
            "sentences": sum(len(t.statements) for t in digest.topics),
            "words": sum(len(s.text.split()) for t in digest.topics for s in t.statements),
        },
    }


def _languages(digest: Digest) -> list[dict]:
    """The languages of the stories, in the order they come (the summariser groups them, the language
    with most articles first), with how many articles, stories told and stories listed each has."""
    articles = Counter(a.language for a in digest.articles)
    told = Counter(t.language for t in digest.topics)
    listed = Counter(t.language for t in digest.also_reported)
    codes = digest.languages
    # Articles too short to tell their language were told with the day's main language: counted with it.
    if codes:
        articles[codes[0]] += articles.pop(None, 0)
    return [
        {
            "code": code,
            "name": language_name(code),
            "articles": articles[code],
            "topics": told[code],
            "also_reported": listed[code],
        }
        for code in codes
    ]


def _outlets(topic: Topic, by_id: dict[str, Article]) -> list[str]:
    """The publishers that report a story, most articles first (ties: by name)."""
    counts = Counter(source for source in (by_id[i].source for i in topic.article_ids) if source)
    return sorted(counts, key=lambda name: (-counts[name], name))


_MONTHS = "January February March April May June July August September October November December".split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def long_date(day: str | None, weekday: bool = False) -> str | None:
    """An ISO day as people write it ("Tuesday 16 January 2024"), the same whatever the locale."""
    if not day:
        return None
    d = dt.date.fromisoformat(day)
    text = f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    return f"{_WEEKDAYS[d.weekday()]} {text}" if weekday else text


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# Outlets named in a story's line; the rest are counted ("and 12 more").
OUTLETS_NAMED = 5


def html_context(data: dict) -> dict:
    """Add what the pages show beyond the JSON values, in place: long dates, each story's outlets
    as a phrase, its articles (newest first) and the link of its headline. Only plain strings: the
    HTML template escapes them all, the Markdown one runs them through its own filter."""
    data["date_long"] = long_date(data["date"], weekday=True)
    by_id = {}
    for article in data["articles"]:
        article["date_long"] = long_date(article["date"])
        article["lang"] = _marked_language(article["language"])
        by_id[article["id"]] = article
    for story in (*data["topics"], *data["also_reported"]):
        story["lang"] = _marked_language(story["language"])
        outlets = story["outlets"]
        named = outlets[:OUTLETS_NAMED]
        if len(outlets) > len(named):
            named = [*named, f"{len(outlets) - len(named)} more"]
        story["outlets_text"] = _and_list(named) if named else ""
        members = [by_id[i] for i in story["articles"] if i in by_id]
        story["article_list"] = sorted(members, key=lambda a: (a["date"] or "", -int(a["id"])), reverse=True)
        headline = by_id.get(story["headline_article"] or "")
        story["link"] = headline["safe_url"] if headline else None
    mark_language_groups(data)
    return data


def _marked_language(code: str | None) -> str | None:
    """The `lang` a page gives a headline or a sentence: its language, unless it is the page's own English."""
    return code if code and code != "en" else None


def mark_language_groups(data: dict) -> dict:
    """Mark, in place, where each language's stories start and end, for pages that group them under the
    language's name: only when the day's stories are in more than one language (`data["grouped"]`)."""
    data["grouped"] = len(data["languages"]) > 1
    names = {language["code"]: language["name"] for language in data["languages"]}
    for stories in (data["topics"], data["also_reported"]):
        for k, story in enumerate(stories):
            code = story["language"]
            before = stories[k - 1]["language"] if k else None
            after = stories[k + 1]["language"] if k + 1 < len(stories) else None
            first, last = data["grouped"] and (k == 0 or before != code), data["grouped"] and after != code
            story["opens_language"] = {"code": code, "name": names.get(code, code)} if first else None
            story["closes_language"] = last
    return data


def number_sources(data: dict) -> dict:
    """The page's sources, in place: only the articles cited, numbered 1, 2, ... in order of first citation.

    A big day reads thousands of articles and cites a few dozen; the list and the citation marks
    speak of those only. Each sentence's `cites` holds its articles with their `number`; the JSON keeps
    the articles' own ids.
    """
    by_id = {article["id"]: article for article in data["articles"]}
    cited: dict[str, dict] = {}
    for topic in data["topics"]:
        for sentence in topic["sentences"]:
            for article_id in sentence["citations"]:
                if article_id in by_id and article_id not in cited:
                    cited[article_id] = {**by_id[article_id], "number": len(cited) + 1}
            sentence["cites"] = [cited[c] for c in sentence["citations"] if c in cited]
    data["cited"] = list(cited.values())
    return data


def render(digest: Digest, fmt: str) -> bytes:
    """The digest in one format ("html", "md", "txt" or "json"), as UTF-8 bytes."""
    data = digest_data(digest)
    # Lone surrogates cannot be UTF-8: the readers make every name and text printable, and a digest
    # built by hand that still holds one gets it written as \udcXX rather than failing the day.
    if fmt == "json":
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8", "backslashreplace")
    for article in data["articles"]:
        article["safe_url"] = safe_url(article["url"])
    html_context(data)
    number_sources(data)
    template = _environment().get_template(TEMPLATES[fmt])
    return template.render(digest=data).encode("utf-8", "backslashreplace")


def render_page(template: str, **context: object) -> bytes:
    """Any other page from templates/ (the archive's index), with the same escaping as the digest."""
    return _environment().get_template(template).render(**context).encode("utf-8", "backslashreplace")
