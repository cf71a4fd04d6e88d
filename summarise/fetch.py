"""Fetch feeds and pages over HTTP: bounded, polite, retried, cached.

Every request has a timeout and names the tool in its User-Agent; a body is
read up to a cap and no further; connection errors, time-outs, 429 and 5xx
answers are retried a few times with a growing pause, while other 4xx answers
are final. With a cache folder, each answer is kept under the SHA-256 of its
URL, so a rerun of the same day reads from disk instead of the network.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .write import write_atomic

log = logging.getLogger(__name__)

USER_AGENT = f"summarise/{__version__} (news digest; Python urllib)"
MAX_PAGE_BYTES = 5_000_000
RETRIES = 2  # after the first try
BACKOFF = 0.5  # seconds before the first retry; doubled each time
PARALLEL = 8  # fetches at once
_TRANSIENT = {408, 425, 429, 500, 502, 503, 504}


class FetchError(Exception):
    """A URL that gave nothing usable; the message is the reason, for one line on stderr."""


@dataclass(frozen=True)
class Page:
    url: str  # as asked
    final_url: str  # after redirects
    body: bytes
    content_type: str
    truncated: bool = False
    from_cache: bool = False


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


_PLAIN_URL = re.compile(r"^https?://[^\s\"'<>`\\]+$", re.IGNORECASE)


def plain_url(value: object) -> str | None:
    """The value if it is a well-formed http(s) URL (no spaces, quotes or angle brackets), else None."""
    return value if isinstance(value, str) and _PLAIN_URL.match(value) else None


def normalise_url(url: str) -> str:
    """One spelling per page: lower-case scheme and host, no fragment, no tracking parameters."""
    parts = urllib.parse.urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(("utm_", "fbclid", "gclid", "mc_"))
    ]
    path = parts.path or "/"
    return urllib.parse.urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), path, urllib.parse.urlencode(query), "")
    )


class Fetcher:
    """Fetches URLs with the run's limits; `fetch_all` keeps the order of the URLs it is given."""

    def __init__(
        self,
        timeout: float = 15.0,
        cache: str | None = None,
        max_bytes: int = MAX_PAGE_BYTES,
        retries: int = RETRIES,
        backoff: float = BACKOFF,
        parallel: int = PARALLEL,
    ) -> None:
        self.timeout = timeout
        self.cache = Path(cache) if cache else None
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self.parallel = parallel

    def fetch_all(self, urls: Iterable[str]) -> list[Page | FetchError]:
        urls = list(urls)
        if not urls:
            return []
        with ThreadPoolExecutor(max_workers=min(self.parallel, len(urls))) as pool:
            return list(pool.map(self._fetch_or_error, urls))

    def _fetch_or_error(self, url: str) -> Page | FetchError:
        try:
            return self.fetch(url)
        except FetchError as error:
            return error

    def fetch(self, url: str) -> Page:
        if not is_url(url):
            raise FetchError("not an http(s) URL")
        cached = self._from_cache(url)
        if cached is not None:
            return cached
        pause = self.backoff
        for attempt in range(self.retries + 1):
            try:
                page = self._get(url)
                break
            except _Transient as error:
                if attempt == self.retries:
                    raise FetchError(f"{error} (tried {self.retries + 1} times)") from None
                log.info("%s: %s; retrying in %.1f s", url, error, pause)
                time.sleep(pause)
                pause *= 2
        self._to_cache(url, page)
        return page

    def _get(self, url: str) -> Page:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(self.max_bytes + 1)
                final_url = response.geturl()
                content_type = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            reason = f"HTTP {error.code} {error.reason}"
            if error.code in _TRANSIENT:
                raise _Transient(reason) from None
            raise FetchError(reason) from None
        except TimeoutError:
            raise _Transient(f"no answer within {self.timeout:g} s") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise _Transient(f"no answer within {self.timeout:g} s") from None
            raise _Transient(f"cannot connect: {getattr(reason, 'strerror', None) or reason}") from None
        except (OSError, ValueError) as error:  # a connection reset mid-body, a malformed URL
            raise _Transient(f"cannot fetch: {error}") from None
        truncated = len(body) > self.max_bytes
        return Page(url, final_url, body[: self.max_bytes], content_type, truncated=truncated)

    def _cache_paths(self, url: str) -> tuple[Path, Path]:
        assert self.cache is not None
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.cache / f"{key}.body", self.cache / f"{key}.json"

    def _from_cache(self, url: str) -> Page | None:
        if self.cache is None:
            return None
        body_path, meta_path = self._cache_paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("url") != url:
            return None
        return Page(url, meta["final_url"], body, meta["content_type"], meta.get("truncated", False), True)

    def _to_cache(self, url: str, page: Page) -> None:
        if self.cache is None:
            return
        body_path, meta_path = self._cache_paths(url)
        meta = {"url": url, "final_url": page.final_url, "content_type": page.content_type, "truncated": page.truncated}
        try:
            write_atomic(body_path, page.body)
            write_atomic(meta_path, json.dumps(meta, sort_keys=True).encode("utf-8"))
        except OSError as error:
            log.warning("%s: cannot write to the cache: %s", self.cache, error.strerror or error)


class _Transient(Exception):
    """A failure worth another try."""
