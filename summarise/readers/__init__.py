"""Find the inputs and read them into articles: the run's input edge.

Inputs are files, folders, and http(s) URLs, mixed freely. A file is read by the
reader its suffix is registered to (registry.py): text pages (``.txt``, the seeds'
format or plain text), saved pages and feeds (``.html``, ``.xml``, ``.rss``,
``.atom``, told apart by their content) and JSON Lines (``.jsonl``). A URL is
fetched and read as a feed or a page by what comes back. Every input that gives
no article is named once on stderr with the reason, and tallied.

`read_articles` shows the whole flow: find the inputs (discovery.py), fetch the
URLs all at once, read the files (in worker processes on a big day, pool.py),
make every name printable, and read each article once (duplicates.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..fetch import prune_cache
from ..metadata import host_of
from ..models import Article
from ..text import printable_name, printable_text
from ..urls import is_url
from .base import MAX_ARTICLE_BYTES, ReadContext, ReadResult, Skipped, describe_error
from .discovery import find_input_files, find_inputs
from .duplicates import body_fingerprint, without_duplicates
from .pool import FetchSettings, fetcher_for, read_file, read_files
from .registry import READERS, reader_for
from .url import read_url

if TYPE_CHECKING:
    from ..engines import Engine

__all__ = [
    "MAX_ARTICLE_BYTES",
    "READERS",
    "ReadContext",
    "ReadResult",
    "Skipped",
    "body_fingerprint",
    "find_input_files",
    "find_inputs",
    "printable",
    "read_articles",
    "read_file",
    "reader_for",
    "without_duplicates",
]

log = logging.getLogger(__name__)


def read_articles(
    inputs: Iterable[str],
    today: dt.date | None = None,
    *,
    fetch: bool = False,
    cache: str | None = None,
    timeout: float = 15.0,
    fetch_deadline: float | None = None,
    jobs: int = 1,
    allow_private: bool = False,
    engine: Engine | None = None,
) -> ReadResult:
    """Every article in the inputs, cleaned; each input that gave none is reported once on stderr.

    Files are read one at a time and only their cleaned article is kept, so
    memory follows the articles, not the raw pages. The same article arriving
    twice (the same URL, or the same body text under two names) is read once.
    With `jobs` > 1, files are read and cleaned in that many processes; what
    comes back, and what is said on stderr, is the same and in the same order.
    Nothing is fetched once `fetch_deadline` seconds have passed since reading began. With an
    `engine` (engines/), the files are read there instead (the same articles, said the same way).
    """
    today = today or dt.date.today()
    # One moment on the system-wide monotonic clock, the same in the worker processes.
    deadline = time.monotonic() + fetch_deadline if fetch_deadline is not None else None
    settings = FetchSettings(timeout=timeout, cache=cache, allow_private=allow_private, deadline=deadline)
    context = ReadContext(today, fetcher_for(settings, today), fetch)
    result = ReadResult(skipped=context.skipped)
    sources = find_inputs(inputs, context)
    result.found = len(sources)
    if cache:
        prune_cache(cache, today)
    urls = [source for source in sources if is_url(source)]
    fetched = dict(zip(urls, context.fetcher.fetch_all(urls), strict=True))  # all at once, answers in order
    files = [s for s in sources if s not in fetched]
    if engine is None:
        from_files = read_files(files, today, fetch, settings, jobs)
    else:
        from_files = engine.read_files(files, today, fetch, settings)
    everything: list[Article] = []
    for source in sources:
        if source in fetched:
            try:
                found = read_url(source, fetched[source], context)
            except Exception as error:  # as for files: the rest of the day goes on
                found = context.skip(source, "reader error", f"cannot be read: {describe_error(error)}")
        else:
            found, skipped, said = next(from_files)
            for level, message in said:
                log.log(level, "%s", message)
            result.skipped.extend(skipped)
        for article in found:
            article = printable(article)
            if not article.source and host_of(article.url):
                # No publisher named (a JSON Lines record, a feed without a title): the site stands in.
                article = dataclasses.replace(article, source=host_of(article.url))
            everything.append(article)
    result.articles = without_duplicates(everything, context)
    return result


def printable(article: Article) -> Article:
    """The article with names, links and text any format can carry: a file name that is not UTF-8,
    a lone surrogate from JSON, a newline in a link would otherwise break the digest's encoding or
    its markup."""
    names = {"path": article.path, "url": article.url}
    texts = {"title": article.title, "source": article.source, "author": article.author}
    changes: dict = {k: printable_name(v) for k, v in names.items() if v is not None and not v.isprintable()}
    changes |= {k: printable_text(v) for k, v in texts.items() if v is not None and not v.isprintable()}
    if not all(p.isprintable() for p in article.paragraphs):
        changes["paragraphs"] = tuple(printable_text(p) for p in article.paragraphs)
    return dataclasses.replace(article, **changes) if changes else article
