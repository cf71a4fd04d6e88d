"""Find the inputs and read them into articles: the pipeline's input edge.

Inputs are files, folders, and http(s) URLs, mixed freely. A file's kind comes
from its name and, failing that, from its first bytes: seed-format or plain
text (``.txt``), a saved page (``.html``), a feed (``.xml``, ``.rss``,
``.atom``) or JSON Lines (``.jsonl``). A URL is fetched and read as a feed or a
page by what comes back. Every input that gives no article is named once on
stderr with the reason, and tallied.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .clean import NO_HEADER, clean_page, normalise_line, text_paragraphs
from .decode import BinaryInput, decode
from .feeds import article_from_entry, looks_like_feed, parse_feed
from .fetch import MAX_PAGE_BYTES, Fetcher, FetchError, Page, is_url, normalise_url, plain_url, prune_cache
from .language import language_code
from .metadata import host_of
from .models import Article, Document
from .pages import article_from_html, looks_like_html, parse_day
from .text import printable_name, printable_text
from .workers import exit_with_parent

log = logging.getLogger(__name__)

# The most of one file that is read: the longest news articles are some 100 kB of
# text, so this keeps every real article whole while a stray 200 MB file costs 1 MB.
MAX_ARTICLE_BYTES = 1_000_000


@dataclass(frozen=True)
class Skipped:
    """An input that gave no article: where it was and why (a short reason, for the run's tally)."""

    source: str
    reason: str


@dataclass
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    found: int = 0  # inputs found to read (files, and later feeds and URLs)


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
) -> ReadResult:
    """Every article in the inputs, cleaned; each input that gave none is reported once on stderr.

    Files are read one at a time and only their cleaned article is kept, so
    memory follows the articles, not the raw pages. The same article arriving
    twice (the same URL, or the same body text under two names) is read once.
    With `jobs` > 1, files are read and cleaned in that many processes; what
    comes back, and what is said on stderr, is the same and in the same order.
    Nothing is fetched once `fetch_deadline` seconds have passed since reading began.
    """
    today = today or dt.date.today()
    # One moment on the system-wide monotonic clock, the same in the worker processes.
    deadline = time.monotonic() + fetch_deadline if fetch_deadline is not None else None
    result = ReadResult()
    sources = find_inputs(inputs, result.skipped)
    result.found = len(sources)
    fetcher = _fetcher(timeout, cache, today, allow_private, deadline)
    if cache:
        prune_cache(cache, today)
    urls = [source for source in sources if is_url(source)]
    fetched = dict(zip(urls, fetcher.fetch_all(urls), strict=True))  # all at once, answers in order
    paths = [source for source in sources if source not in fetched]
    from_paths = iter(_read_paths(paths, today, fetch, cache, timeout, jobs, allow_private, deadline))
    everything: list[Article] = []
    for source in sources:
        if source in fetched:
            try:
                found = _read_url(source, fetched[source], today, fetcher, fetch, result.skipped)
            except Exception as error:  # as for files: the rest of the day goes on
                found = _skip_list(result.skipped, source, "reader error", f"cannot be read: {describe_error(error)}")
        else:
            found, skipped, said = next(from_paths)
            for level, message in said:
                log.log(level, "%s", message)
            result.skipped.extend(skipped)
        for article in found:
            article = printable(article)
            if not article.source and host_of(article.url):
                # No publisher named (a JSON Lines record, a feed without a title): the site stands in.
                article = dataclasses.replace(article, source=host_of(article.url))
            everything.append(article)
    result.articles = without_duplicates(everything, result.skipped)
    return result


def without_duplicates(articles: list[Article], skipped: list[Skipped]) -> list[Article]:
    """The articles, each read once: the same URL, or the same body from the same outlet, is one article.

    Of the copies, a link already in its plain form (no tracking, no fragment) is kept before
    others, then the first path in sorted order, so which survives does not depend on the order
    the inputs were given in; the others are named as skipped. The kept ones stay in input order.
    """
    seen_text: dict[str, str] = {}
    seen_urls: dict[str, str] = {}
    dropped: set[int] = set()
    def preference(i: int) -> tuple:
        path = articles[i].path
        return (is_url(path) and normalise_url(path) != path, path, articles[i].url or "", i)

    for index in sorted(range(len(articles)), key=preference):
        article = articles[index]
        url_key = normalise_url(article.url) if article.url else None
        fingerprint = body_fingerprint(article)
        if url_key and url_key in seen_urls:
            _skip(skipped, article.path, "duplicate", f"the same URL as {seen_urls[url_key]}")
        elif fingerprint in seen_text:
            _skip(skipped, article.path, "duplicate", f"the same article as {seen_text[fingerprint]}")
        else:
            seen_text[fingerprint] = article.path
            if url_key:
                seen_urls[url_key] = article.path
            continue
        dropped.add(index)
    return [a for i, a in enumerate(articles) if i not in dropped]


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


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 200


def _read_paths(
    paths: list[str],
    today: dt.date,
    fetch: bool,
    cache: str | None,
    timeout: float,
    jobs: int,
    allow_private: bool,
    deadline: float | None,
) -> Iterator[tuple[list[Article], list[Skipped], list[tuple[int, str]]]]:
    """Each file's articles, what it skipped and what it said, in the order of `paths`."""
    tasks = [(path, today, fetch, cache, timeout, allow_private, deadline) for path in paths]
    if jobs > 1 and len(paths) >= PARALLEL_MIN_FILES:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_quiet_worker) as pool:
            yield from pool.map(_read_path_task, tasks, chunksize=max(1, min(64, len(tasks) // (jobs * 8))))
    else:
        for task in tasks:
            yield _read_path_task(task, capture=False)


def _read_path_task(
    task: tuple, capture: bool = True
) -> tuple[list[Article], list[Skipped], list[tuple[int, str]]]:
    """Read one file; in a worker, its log lines are kept to be said by the parent, in order."""
    path, today, fetch, cache, timeout, allow_private, deadline = task
    skipped: list[Skipped] = []
    said = _CAPTURED if capture else None
    if said is not None:
        said.clear()
    try:
        found = _read_path(path, today, _fetcher(timeout, cache, today, allow_private, deadline), fetch, skipped)
    except Exception as error:  # one input that breaks a reader never costs the day's digest
        found = _skip_list(skipped, path, "reader error", f"cannot be read: {describe_error(error)}")
    return found, skipped, list(said or [])


def describe_error(error: Exception) -> str:
    """An unexpected error in a few words, on one line, for the message naming the input."""
    text = " ".join(str(error).split())[:200]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


_CAPTURED: list[tuple[int, str]] = []


@functools.lru_cache(maxsize=4)
def _fetcher(
    timeout: float, cache: str | None, today: dt.date, allow_private: bool = False, deadline: float | None = None
) -> Fetcher:
    """One fetcher per process and settings: building one costs more than reading a small file."""
    return Fetcher(timeout=timeout, cache=cache, today=today, allow_private=allow_private, deadline=deadline)


class _Capture(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _CAPTURED.append((record.levelno, record.getMessage()))


def _quiet_worker() -> None:
    """In a worker process: log records are captured for the parent instead of printed, and the
    worker ends with its parent."""
    exit_with_parent()
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_Capture())


def _read_path(path: str, today: dt.date, fetcher: Fetcher, fetch: bool, skipped: list[Skipped]) -> list[Article]:
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".jsonl":
        return read_jsonl(path, today, skipped)
    if suffix in FEED_SUFFIXES or suffix in HTML_SUFFIXES:
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_PAGE_BYTES + 1)
        except OSError as error:
            return _skip_list(skipped, path, "unreadable", f"cannot read: {error.strerror or error}")
        if len(data) > MAX_PAGE_BYTES:
            log.warning("%s: larger than %s bytes; only the first part read", path, f"{MAX_PAGE_BYTES:,}")
            data = _cut(data, MAX_PAGE_BYTES)
        return _read_markup(path, None, data, today, fetcher, fetch, skipped)
    article = read_article_file(path, today, skipped, fetcher=fetcher, fetch=fetch)
    return article if isinstance(article, list) else [article] if article else []


def _read_url(
    url: str, page: Page | FetchError, today: dt.date, fetcher: Fetcher, fetch: bool, skipped: list[Skipped]
) -> list[Article]:
    if isinstance(page, FetchError):
        return _skip_list(skipped, url, "fetch failed", str(page))
    if page.truncated:
        log.warning("%s: larger than %s bytes; only the first part read", url, f"{MAX_PAGE_BYTES:,}")
    return _read_markup(url, page.final_url, page.body, today, fetcher, fetch, skipped)


def _read_markup(
    where: str, url: str | None, data: bytes, today: dt.date, fetcher: Fetcher, fetch: bool, skipped: list[Skipped]
) -> list[Article]:
    """A feed or an HTML page, from a file or the web, told apart by its content."""
    try:
        decoded = decode(data)
    except BinaryInput as error:
        return _skip_list(skipped, where, "binary", str(error))
    if not decoded.text.strip():
        return _skip_list(skipped, where, "empty", "empty")
    if looks_like_feed(decoded.text):
        return _read_feed(where, data, today, fetcher, fetch, skipped)
    if not looks_like_html(decoded.text) and not where.lower().endswith(HTML_SUFFIXES) and url is None:
        return _skip_list(skipped, where, "not a feed or page", "neither an RSS/Atom feed nor an HTML page")
    if decoded.note:
        log.warning("%s: %s", where, decoded.note)
    article = article_from_html(decoded.text, where, url)
    if article is None:
        return _skip_list(skipped, where, "no article text", "no article text found in the page")
    return _checked([article], where, today, skipped)


def _read_feed(
    where: str, data: bytes, today: dt.date, fetcher: Fetcher, fetch: bool, skipped: list[Skipped]
) -> list[Article]:
    try:
        _, entries = parse_feed(data)
    except ValueError as error:
        return _skip_list(skipped, where, "bad feed", str(error))
    if not entries:
        return _skip_list(skipped, where, "empty", "the feed has no entries")
    links = [e.link if fetch and e.link and is_url(e.link) else None for e in entries]
    pages = iter(fetcher.fetch_all(link for link in links if link))
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
                full = _page_article(page, path)
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
            _skip(skipped, path, "no article text", f"the entry in {where} has no article text")
            continue
        articles.append(article)
    return _checked(articles, where, today, skipped)


def _page_article(page: Page, path: str) -> Article | None:
    try:
        decoded = decode(page.body)
    except BinaryInput:
        return None
    return article_from_html(decoded.text, path, page.final_url)


def read_jsonl(path: str, today: dt.date, skipped: list[Skipped]) -> list[Article]:
    """One article a line: ``{"title", "text", "date", "source", "url"}``; only ``text`` is required."""
    articles = []
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; streamed a line at a time
    except OSError as error:
        return _skip_list(skipped, path, "unreadable", f"cannot read: {error.strerror or error}")
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            if len(raw) > MAX_ARTICLE_BYTES:
                _skip(skipped, where, "too large", f"a line of {len(raw):,} bytes; at most {MAX_ARTICLE_BYTES:,}")
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError) as error:
                _skip(skipped, where, "bad JSON", f"not a JSON object: {error}")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                _skip(skipped, where, "bad JSON", 'no "text" string')
                continue
            date = _jsonl_date(record.get("date"))
            url = plain_url(record.get("url"))
            body = text_paragraphs(record["text"])
            if not body:
                _skip(skipped, where, "no article text", "no article text")
                continue
            articles.append(
                Article(
                    path=where,
                    date=date,
                    title=_jsonl_text(record.get("title")),
                    source=_jsonl_text(record.get("source")),
                    paragraphs=tuple(body),
                    url=url,
                    date_source="data" if date else None,
                )
            )
    return _checked(articles, path, today, skipped)


def _jsonl_date(value: object) -> dt.date | None:
    return parse_day(value) if isinstance(value, str) else None


def _jsonl_text(value: object) -> str | None:
    return (normalise_line(value) or None) if isinstance(value, str) else None


def _checked(articles: list[Article], where: str, today: dt.date, skipped: list[Skipped]) -> list[Article]:
    """Future dates dropped and each article's language noted, as for text files.

    Articles in every language are read: which to summarise is the summariser's choice.
    """
    kept = []
    for article in articles:
        if article.date is not None and article.date.toordinal() > today.toordinal() + 1:
            log.warning("%s: date %s is in the future; article has no date", article.path, article.date)
            article = dataclasses.replace(article, date=None, date_source=None)
        kept.append(with_language(article))
    return kept


def with_language(article: Article) -> Article:
    return dataclasses.replace(article, language=language_code(" ".join(article.paragraphs)))


def _skip_list(skipped: list[Skipped], source: str, reason: str, message: str) -> list[Article]:
    _skip(skipped, source, reason, message)
    return []


def read_article_file(
    path: str, today: dt.date, skipped: list[Skipped], *, fetcher: Fetcher | None = None, fetch: bool = False
) -> Article | list[Article] | None:
    """One text file's article, or None with the reason logged (one line) and tallied.

    A ``.txt`` file that holds a saved HTML page or a feed is read as one (a list of articles).
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)
            # In UTC, so the day does not depend on the time zone the run happens to have.
            modified = dt.datetime.fromtimestamp(os.fstat(handle.fileno()).st_mtime, dt.UTC).date()
    except OSError as error:
        _skip(skipped, path, "unreadable", f"cannot read: {error.strerror or error}")
        return None
    notes = []
    if len(data) > MAX_ARTICLE_BYTES:
        data = _cut(data, MAX_ARTICLE_BYTES)
        notes.append(f"larger than {MAX_ARTICLE_BYTES:,} bytes; only the first {len(data):,} read")
    if not data.strip():
        _skip(skipped, path, "empty", "empty file" if not data else "only white space")
        return None
    try:
        decoded = decode(data)
    except BinaryInput as error:
        _skip(skipped, path, "binary", str(error))
        return None
    if looks_like_feed(decoded.text) or looks_like_html(decoded.text):
        return _read_markup(path, None, data, today, fetcher or Fetcher(today=today), fetch, skipped)
    if decoded.note:
        notes.append(decoded.note)
    article, problems = clean_page(Document(path=path, text=decoded.text))
    if article is None:
        _skip(skipped, path, "no article text", "no article text left after removing page furniture")
        return None
    if article.date is not None and article.date.toordinal() > today.toordinal() + 1:
        problems = [f"date header {article.date} is in the future; article has no date"]
        article = dataclasses.replace(article, date=None, date_source=None)
    if problems and problems[0].startswith(NO_HEADER):  # plain text: no header at all
        article = dataclasses.replace(article, date=modified, date_source="file")
        problems = [f"no date header; dated {modified} by the file's modification time"]
    notes.extend(problems)
    if notes:
        log.warning("%s: %s", path, "; ".join(notes))
    return with_language(article)


def _cut(data: bytes, limit: int) -> bytes:
    """At most `limit` bytes: up to the last line end when there is one, else not inside a UTF-8 character."""
    cut = data.rfind(b"\n", 0, limit)
    if cut > limit // 2:
        return data[:cut]
    cut = limit
    while cut > limit - 4 and 0x80 <= data[cut] <= 0xBF:  # a continuation byte: step back to the character's start
        cut -= 1
    return data[:cut]


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


def _skip(skipped: list[Skipped], source: str, reason: str, message: str) -> None:
    """Say on stderr, in one line, that an input was skipped and why, and tally its reason."""
    log.warning("%s: skipped: %s", source, message)
    skipped.append(Skipped(source, reason))


TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
INPUT_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, *FEED_SUFFIXES, ".jsonl")


def find_inputs(inputs: Iterable[str], skipped: list[Skipped] | None = None) -> list[str]:
    """Every URL, and every input file named directly or found under a named folder, each once, in order."""
    skipped = skipped if skipped is not None else []
    found: list[str] = []
    seen_urls: set[str] = set()
    seen_files: set[str] = set()
    for given in inputs:
        if is_url(given) and not plain_url(given):
            _skip(skipped, given, "bad URL", "not a well-formed URL")
        elif is_url(given):
            if normalise_url(given) not in seen_urls:
                seen_urls.add(normalise_url(given))
                found.append(given)
        elif "://" in given:
            _skip(skipped, given, "bad URL", "only http and https URLs can be read")
        else:
            found.extend(find_input_files([given], skipped, seen_files))
    return found


def find_input_files(
    inputs: Iterable[str], skipped: list[Skipped] | None = None, seen: set[str] | None = None
) -> list[str]:
    """Every input file (``*.txt``, ``*.html``, ``*.xml``, ``*.rss``, ``*.atom``, ``*.jsonl``)
    named directly or found under a named folder.

    Paths keep the spelling the user gave (so the digest names them the same
    way), are listed once each, and come out in a stable order.
    """
    found: list[str] = []
    seen = set() if seen is None else seen
    for given in inputs:
        for path in _expand(given, skipped if skipped is not None else []):
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                found.append(path)
    return found


def _expand(given: str, skipped: list[Skipped]) -> Iterator[str]:
    path = Path(given)
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                if name.lower().endswith(INPUT_SUFFIXES) and not name.startswith("."):
                    yield os.path.normpath(os.path.join(root, name))
    elif path.is_file():
        yield os.path.normpath(given)
    elif path.exists():
        _skip(skipped, given, "not a file or folder", "not a regular file or folder")
    elif path.is_symlink():
        _skip(skipped, given, "missing", f"a symbolic link to {os.readlink(path)}, which does not exist")
    else:
        _skip(skipped, given, "missing", "no such file or folder")
