"""Fetch feeds and pages over HTTP: bounded, polite, retried, cached.

Every request has a deadline over the whole exchange, headers and body included,
and names the tool in its User-Agent; the run's fetching as a whole has a
deadline too, after which nothing more is fetched or retried; a body is
read up to a cap and no further; connection errors, time-outs, 429 and 5xx
answers are retried a few times with a growing pause, while other 4xx answers
are final. Redirects are followed, at most five and only to http(s) URLs. With a
cache folder, each answer is kept under the SHA-256 of its URL, so a rerun reads
from disk instead of the network while the answer is fresh.

The cache follows the server's word on freshness, so an hourly run sees a feed
change as soon as the server says it may have: an answer is fresh for its
Cache-Control max-age seconds (less the Age it came with) from when it was fetched, or else until
its Expires date; `no-cache` or max-age=0 means ask every time, and `no-store` means
never keep it; an answer that says nothing of freshness is good for the rest of the
day. A stale answer with an ETag or Last-Modified is asked for conditionally: 304 Not
Modified keeps the cached body (its freshness renewed from the 304's headers), 200
replaces it. Answers of earlier days are never used, and `prune_cache` removes them.

No connection goes to a loopback, private, link-local, multicast, reserved or
unspecified address unless the run allows it: a feed's links are written by
others, and a link to an internal page would otherwise have its text published
in the digest. The check is made on the address each connection actually
resolves to (the first request and every redirect), however the host was
written (a name, a decimal or octal number, an IPv4-mapped IPv6 address).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.message
import email.utils
import functools
import hashlib
import http.client
import ipaddress
import json
import logging
import math
import os
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .urls import is_url, plain_url
from .write import write_atomic

log = logging.getLogger(__name__)

USER_AGENT = f"summarise/{__version__} (news digest; Python urllib)"
ACCEPT = "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"
MAX_PAGE_BYTES = 5_000_000
RETRIES = 2  # after the first try
BACKOFF = 0.5  # seconds before the first retry; doubled each time
MAX_RETRY_AFTER = 30.0  # the longest pause a server's Retry-After is granted, in seconds
PARALLEL = 8  # fetches at once
MAX_REDIRECTS = 5
_TRANSIENT = {408, 425, 429, 500, 502, 503, 504}
_CHUNK = 65536
_CACHE_NAME = re.compile(r"^[0-9a-f]{64}\.page$")
# The answer's headers a cached page keeps: what says how long it is fresh, and its validators.
_CACHING_HEADERS = ("cache-control", "expires", "date", "age", "etag", "last-modified")
_DELTA_SECONDS = re.compile(r"[0-9]+")
_LONGEST_FRESHNESS = 2**31  # RFC 9111 1.2.2: a larger delta-seconds counts as this many


DEADLINE_PASSED = "the run's fetching deadline (--fetch-deadline) had passed"
DEADLINE_FIRST = "the run's fetching deadline (--fetch-deadline) comes first"


class FetchError(Exception):
    """A URL that gave nothing usable; the message is the reason, for one line on stderr."""


class PrivateAddress(OSError):
    """A connection refused because its host resolves to an address that is not public."""


def is_public_address(address: str) -> bool:
    """Whether an IP address is one a run may connect to without --allow-private-addresses."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") is not part of it
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # is_global leaves out loopback, private, link-local, shared (100.64/10), reserved, documentation
    # and unspecified addresses alike; multicast is no web server either.
    return ip.is_global and not ip.is_multicast


class _Watch:
    """The deadline of one request, over the whole exchange: connecting, the TLS handshake, the
    status line and headers, and the body.

    A socket timeout bounds each wait, but a server that sends one byte a second never lets one
    run out. So each socket a request opens is registered here, and when the deadline passes a
    timer shuts them down: whatever read is waiting returns at once, and the request fails as a
    time-out. A socket already closed has no descriptor left, so a late timer touches nothing else.
    """

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline  # time.monotonic() seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        """The seconds left until the deadline, never below zero."""
        return max(0.0, self.deadline - time.monotonic())

    def add(self, sock: socket.socket) -> None:
        """Register a socket to be shut down when the deadline passes (at once, if it has passed already)."""
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def expire(self) -> None:
        """End the request now, as its deadline would."""
        self._timer.cancel()
        self._expire()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def __enter__(self) -> _Watch:
        _current.watch = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        _current.watch = None


_current = threading.local()  # the _Watch of the request this thread is making


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # closed already, or never connected
        sock.shutdown(socket.SHUT_RDWR)


def _watched(sock: socket.socket) -> socket.socket:
    """Register a socket with the request this thread is making, if it has a deadline."""
    watch = getattr(_current, "watch", None)
    if watch is not None:
        watch.add(sock)
        if sock.gettimeout() is not None:
            sock.settimeout(min(sock.gettimeout(), watch.remaining()) or 0.001)
    return sock


def _resolve(host: str, port: int) -> list:
    """socket.getaddrinfo, within the deadline of the request this thread is making: a name server
    that does not answer would otherwise hold the request past it (a lookup cannot be interrupted,
    so it runs in a thread of its own that is left to finish)."""
    watch = getattr(_current, "watch", None)
    literal = True
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        literal = False
    if watch is None or literal:
        return socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    found: list = []
    failed: list[OSError] = []

    def lookup() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM))
        except OSError as error:
            failed.append(error)

    thread = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    thread.start()
    thread.join(watch.remaining())
    if thread.is_alive():
        raise TimeoutError(f"no answer from the name server for {host}")
    if failed:
        raise failed[0]
    return found


def _connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, *, allow_private=False):
    """socket.create_connection, to public addresses only unless `allow_private`: every address the
    host resolves to is checked, and only public ones are tried. The socket joins the request's
    deadline before it connects."""
    host, port = address[0], address[1]
    refused = []
    last_error: OSError | None = None
    for family, kind, proto, _, sockaddr in _resolve(host, port):
        if not allow_private and not is_public_address(sockaddr[0]):
            refused.append(sockaddr[0])
            continue
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            _watched(sock)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as error:
            sock.close()
            last_error = error
    if last_error is not None:
        raise last_error
    raise PrivateAddress(
        f"{host} is a private or local address ({', '.join(dict.fromkeys(refused))}); "
        "--allow-private-addresses allows it"
    )


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, allow_private: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(_connection, allow_private=allow_private)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, allow_private: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(_connection, allow_private=allow_private)

    def connect(self) -> None:
        """Connect, then make the TLS handshake only once the TLS socket has joined the request's deadline."""
        # As http.client does, with the handshake made after the TLS socket has joined the deadline
        # (the plain socket it wraps gives up its descriptor to it).
        http.client.HTTPConnection.connect(self)
        server_hostname = getattr(self, "_tunnel_host", None) or self.host
        context: ssl.SSLContext = getattr(self, "_context")  # noqa: B009 - private, and not in the type stubs
        tls = context.wrap_socket(self.sock, server_hostname=server_hostname, do_handshake_on_connect=False)
        self.sock = tls
        _watched(tls)
        tls.do_handshake()


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    def http_open(self, req):
        """Open an http URL over a connection to public addresses only, unless `allow_private`."""
        return self.do_open(functools.partial(_HTTPConnection, allow_private=self.allow_private), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    def https_open(self, req):
        """Open an https URL over a connection to public addresses only, unless `allow_private`."""
        return self.do_open(
            functools.partial(_HTTPSConnection, allow_private=self.allow_private), req, context=self._context
        )


@dataclass(frozen=True)
class Page:
    """A page as fetched: its URL as asked and after redirects, its body (cut at the size cap), its content type."""

    url: str  # as asked
    final_url: str  # after redirects
    body: bytes
    content_type: str
    truncated: bool = False
    from_cache: bool = False


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
        today: dt.date | None = None,
        allow_private: bool = False,
        deadline: float | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.timeout = timeout
        self.now = now  # the clock, in seconds, that a cached page's age is told by (tests pass their own)
        self.deadline = deadline  # a time.monotonic() after which the run fetches nothing more
        self.allow_private = allow_private
        self.cache = Path(cache) if cache else None
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self.parallel = parallel
        self.today = today or dt.date.today()  # cached answers are good for this day only
        self._stopped = threading.Event()
        self._running: set[_Watch] = set()  # the requests under way, so `stop` can cut them
        self._running_lock = threading.Lock()

    def fetch_all(self, urls: Iterable[str]) -> list[Page | FetchError]:
        """Each URL's page, or the FetchError saying why there is none, in the order given; up to `parallel` at once."""
        urls = list(urls)
        if not urls:
            return []
        pool = ThreadPoolExecutor(max_workers=min(self.parallel, len(urls)))
        try:
            return list(pool.map(self._fetch_or_error, urls))
        except BaseException:  # SIGTERM or Ctrl-C in the main thread: end the fetches now, not after their retries
            self.stop()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def stop(self) -> None:
        """Fetch nothing more: requests under way are cut, pauses before a retry end, no retry starts."""
        self.deadline = time.monotonic()
        self._stopped.set()
        with self._running_lock:
            running = list(self._running)
        for watch in running:
            watch.expire()

    def _fetch_or_error(self, url: str) -> Page | FetchError:
        try:
            return self.fetch(url)
        except FetchError as error:
            return error
        except Exception as error:  # one odd server must not stop the day's run
            return FetchError(f"cannot fetch: {type(error).__name__}: {error}")

    def fetch(self, url: str) -> Page:
        """The page at `url`: from the cache while it is fresh, else from the server (conditionally,
        when the cached copy has validators), retried on transient failures; FetchError if none came."""
        if not plain_url(url):
            raise FetchError("not a well-formed http(s) URL")
        cached = self._from_cache(url)
        if cached is not None and self._is_fresh(cached):
            return cached.page
        conditional = cached.conditions() if cached is not None else {}
        try:
            answer = self._get_retried(url, conditional)
        except FetchError as error:
            if cached is None:
                raise
            # Stale, but fetched earlier today: better the day's news from an hour ago than none.
            log.warning("%s: cannot fetch it again (%s); using the copy fetched earlier today", url, error)
            return cached.page
        if answer.page is None and cached is not None and answer.final_url != cached.page.final_url:
            # The URL now redirects elsewhere, and a date that page was not modified since says
            # nothing of the page cached: fetch it whole.
            log.info("%s: not modified at %s, but cached from %s; fetching it afresh", url, answer.final_url,
                     cached.page.final_url)
            answer = self._get_retried(url, {})
        if answer.page is None:  # 304 Not Modified: the cached body still stands
            assert cached is not None
            log.debug("%s: not modified; using the cached copy", url)
            # The 304's headers update the stored ones; its own Date and Age (or none) replace the old,
            # which spoke of the first answer's time.
            merged = {**cached.headers, **answer.headers}
            for name in ("date", "age"):
                if name not in answer.headers:
                    merged.pop(name, None)
            self._to_cache(url, cached.page, merged, answer.asked)
            return cached.page
        self._to_cache(url, answer.page, answer.headers, answer.asked)
        return answer.page

    def _get_retried(self, url: str, conditional: Mapping[str, str]) -> _Answer:
        """One answer for `url`, with the retries and pauses the run allows."""
        pause = self.backoff
        for attempt in range(self.retries + 1):
            if self.past_deadline():
                raise FetchError(DEADLINE_PASSED)
            try:
                return self._get(url, conditional)
            except _Transient as error:
                if attempt == self.retries:
                    raise FetchError(f"{error} (tried {self.retries + 1} times)") from None
                wait = max(pause, min(error.retry_after or 0.0, MAX_RETRY_AFTER))
                if self.deadline is not None and time.monotonic() + wait >= self.deadline:
                    raise FetchError(f"{error}; not retried: {DEADLINE_FIRST}") from None
                log.info("%s: %s; retrying in %.1f s", url, error, wait)
                if self._stopped.wait(wait):  # stopped while pausing
                    raise FetchError(DEADLINE_PASSED) from None
                pause *= 2
        raise AssertionError("unreachable: the last attempt returns or raises")

    def past_deadline(self) -> bool:
        """Whether the run's fetching deadline has passed: nothing more is fetched or retried."""
        return self.deadline is not None and time.monotonic() >= self.deadline

    def _get(self, url: str, conditional: Mapping[str, str]) -> _Answer:
        """One request, over which a deadline holds from connecting to the last byte of the body."""
        asked = self.now()  # a cached answer's age counts from the request, as RFC 9111 4.2.3 has it
        deadline = time.monotonic() + self.timeout
        run_ends_first = self.deadline is not None and self.deadline < deadline
        if self.deadline is not None and run_ends_first:
            deadline = self.deadline
        with _Watch(deadline) as watch:
            with self._running_lock:
                self._running.add(watch)
            try:
                answer = self._exchange(url, conditional, asked)
            except Exception:
                if not watch.expired and time.monotonic() < deadline:
                    raise
                answer = None  # whatever failed, it failed because the deadline cut the exchange
            finally:
                with self._running_lock:
                    self._running.discard(watch)
        if watch.expired or answer is None:  # also when an answer without a length was cut short and looked whole
            if run_ends_first:
                raise FetchError(DEADLINE_PASSED)
            raise _Transient(f"no complete answer within {self.timeout:g} s")
        assert answer is not None
        return answer

    def _exchange(self, url: str, conditional: Mapping[str, str], asked: float) -> _Answer:
        headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, **conditional}
        request = urllib.request.Request(url, headers=headers)
        try:
            with _opener(self.allow_private).open(request, timeout=self.timeout) as response:
                body = bytearray()
                while len(body) <= self.max_bytes:
                    chunk = response.read1(min(_CHUNK, self.max_bytes + 1 - len(body)))
                    if not chunk:
                        break
                    body += chunk
                    if response.length == 0:  # all of a Content-Length has come
                        break
                if len(body) <= self.max_bytes and response.length:  # closed before its Content-Length
                    raise http.client.IncompleteRead(bytes(body), response.length)
                final_url = response.geturl()
                content_type = response.headers.get("Content-Type", "")
                kept = _caching_headers(response.headers)
        except urllib.error.HTTPError as error:
            if error.code == 304 and conditional:
                # urllib raises the 304 as an error, but it is the answer a conditional request
                # hopes for: the cached page still stands. Neither a failure nor worth a retry.
                kept = _caching_headers(error.headers)
                error.close()
                return _Answer(error.filename or url, kept, asked, None)
            status = f"HTTP {error.code} {error.reason}"
            if error.code in _TRANSIENT:
                raise _Transient(status, _retry_after(error.headers.get("Retry-After"))) from None
            raise FetchError(status) from None
        except TimeoutError:
            raise _Transient(f"no complete answer within {self.timeout:g} s") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, PrivateAddress):
                raise FetchError(f"refused: {reason}") from None
            if isinstance(reason, TimeoutError | socket.timeout):
                raise _Transient(f"no complete answer within {self.timeout:g} s") from None
            raise _Transient(f"cannot connect: {getattr(reason, 'strerror', None) or reason}") from None
        except http.client.IncompleteRead as error:
            got = len(error.partial) if isinstance(error.partial, bytes | bytearray) else error.partial
            raise _Transient(f"the connection closed after {got:,} bytes of the answer") from None
        except (OSError, http.client.HTTPException) as error:  # a connection reset, a malformed answer
            raise _Transient(f"cannot fetch: {error or type(error).__name__}") from None
        except ValueError as error:  # a URL that urllib cannot use
            raise FetchError(f"cannot fetch: {error}") from None
        truncated = len(body) > self.max_bytes
        page = Page(url, final_url, bytes(body[: self.max_bytes]), content_type, truncated=truncated)
        return _Answer(final_url, kept, asked, page)

    def _cache_path(self, url: str) -> Path:
        assert self.cache is not None
        return self.cache / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()}.page"

    def _from_cache(self, url: str) -> _Cached | None:
        """The page fetched for `url` earlier the same day, fresh or not; one file holds a line of JSON
        about it (with the fetch time and the caching headers of its answer), then the body."""
        if self.cache is None:
            return None
        try:
            head, _, body = self._cache_path(url).read_bytes().partition(b"\n")
            meta = json.loads(head)
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("url") != url or meta.get("day") != self.today.isoformat():
            return None
        if meta.get("private_allowed") is not False and not self.allow_private:
            return None  # fetched by a run that allowed private addresses: not for one that does not
        final_url, content_type = meta.get("final_url"), meta.get("content_type")
        fetched, headers = meta.get("fetched"), meta.get("headers")
        if not isinstance(final_url, str) or not isinstance(content_type, str):
            return None
        # An entry without these (written by hand, or by an older version) is fetched again.
        if not isinstance(fetched, int | float) or isinstance(fetched, bool) or not math.isfinite(fetched):
            return None
        if not isinstance(headers, dict):
            return None
        headers = {k: v for k, v in headers.items() if k in _CACHING_HEADERS and isinstance(v, str)}
        page = Page(url, final_url, body, content_type, meta.get("truncated") is True, True)
        return _Cached(page, float(fetched), headers)

    def _is_fresh(self, cached: _Cached) -> bool:
        """Whether a cached page may be used without asking the server (it is of today already)."""
        lifetime = _freshness_lifetime(cached.headers, cached.fetched)
        if lifetime is None:  # the server said nothing: good for the rest of the day, as ever
            return True
        # An answer a proxy or CDN had kept for a while was already that old when it came (RFC 9111 4.2.3).
        return _delta_seconds(cached.headers.get("age")) + max(0.0, self.now() - cached.fetched) < lifetime

    def _to_cache(self, url: str, page: Page, headers: Mapping[str, str], fetched: float) -> None:
        if self.cache is None:
            return
        if "no-store" in _directives(headers.get("cache-control")):
            # Not to be kept: and an older copy, now replaced, must not answer in its stead.
            try:
                self._cache_path(url).unlink(missing_ok=True)
            except OSError as error:
                log.warning("%s: cannot remove from the cache: %s", self.cache, error.strerror or error)
            return
        meta = {
            "url": url,
            "final_url": page.final_url,
            "content_type": page.content_type,
            "truncated": page.truncated,
            "day": self.today.isoformat(),
            "fetched": fetched,
            "private_allowed": self.allow_private,
            "headers": {name: headers[name] for name in _CACHING_HEADERS if name in headers},
        }
        try:
            write_atomic(self._cache_path(url), json.dumps(meta, sort_keys=True).encode("utf-8") + b"\n" + page.body)
        except OSError as error:
            log.warning("%s: cannot write to the cache: %s", self.cache, error.strerror or error)


@dataclass(frozen=True)
class _Answer:
    """What one request brought back: a page, or (`page` None) a 304 saying the cached one still stands."""

    final_url: str
    headers: dict[str, str]  # the caching headers (_CACHING_HEADERS) by lower-case name
    asked: float  # Fetcher.now() when the request was made
    page: Page | None


@dataclass(frozen=True)
class _Cached:
    """A page from the cache, with when it was fetched and its answer's caching headers."""

    page: Page
    fetched: float
    headers: dict[str, str]

    def conditions(self) -> dict[str, str]:
        """The headers that ask the server for the page only if it has changed since."""
        conditions = {}
        if "etag" in self.headers:
            conditions["If-None-Match"] = self.headers["etag"]
        if "last-modified" in self.headers:
            conditions["If-Modified-Since"] = self.headers["last-modified"]
        return conditions


def _caching_headers(message: email.message.Message) -> dict[str, str]:
    """The headers of an answer that say how long it is fresh and how to revalidate it."""
    kept = {}
    for name in _CACHING_HEADERS:
        values = [v.strip() for v in message.get_all(name) or [] if v.strip()]
        if values:
            # Several Cache-Control lines are one list; of any other header, the first counts.
            kept[name] = ", ".join(values) if name == "cache-control" else values[0]
    return kept


def _directives(cache_control: str | None) -> dict[str, str | None]:
    """Cache-Control directives by lower-case name, each with its value (unquoted) or None; the
    first of a repeated directive counts."""
    found: dict[str, str | None] = {}
    for part in (cache_control or "").split(","):
        name, has_value, value = part.partition("=")
        name = name.strip().lower()
        if name and name not in found:
            found[name] = value.strip().strip('"') if has_value else None
    return found


def _freshness_lifetime(headers: Mapping[str, str], fetched: float) -> float | None:
    """For how many seconds from `fetched` an answer with these headers is fresh; None when they say
    nothing of it (no Cache-Control freshness, no Expires)."""
    directives = _directives(headers.get("cache-control"))
    if "no-cache" in directives:  # may be kept, but asked about every time
        return 0.0
    # max-age only: s-maxage is for shared caches, and this one is the run's own (RFC 9111 5.2.2.10).
    if "max-age" in directives:
        # A value that is not a number is no promise of freshness (RFC 9111 4.2.1): ask again.
        return _delta_seconds(directives["max-age"])
    if "expires" in headers:
        expires = _http_date(headers["expires"])
        if expires is None:  # RFC 9111 5.3: an invalid date, such as "0", is a time in the past
            return 0.0
        # Against the server's own Date, so a clock out of step with the server's does not matter.
        date = _http_date(headers.get("date"))
        return max(0.0, expires - (date if date is not None else fetched))
    return None


def _delta_seconds(value: str | None) -> float:
    """A delta-seconds value (RFC 9111 1.2.2): digits, at most 2**31 however long; 0 if not a number."""
    if not value or not _DELTA_SECONDS.fullmatch(value):
        return 0.0
    return float(_LONGEST_FRESHNESS) if len(value) > 10 else float(min(int(value), _LONGEST_FRESHNESS))


def _http_date(value: str | None) -> float | None:
    """An HTTP date as POSIX seconds; None if it is missing or not a date."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": the zone unknown; HTTP dates are GMT
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


@functools.cache
def _opener(allow_private: bool = False) -> urllib.request.OpenerDirector:
    """urllib's usual opener, with bounded redirects, connecting to public addresses only unless
    `allow_private`; built once, on the first fetch."""
    return urllib.request.build_opener(_Redirects(), _HTTPHandler(allow_private), _HTTPSHandler(allow_private))


def prune_cache(folder: str, today: dt.date) -> int:
    """Remove the cached pages of earlier days (they are never read again); returns how many went."""
    removed = 0
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return 0
    for name in names:
        if not _CACHE_NAME.match(name):
            continue
        path = Path(folder) / name
        try:
            with open(path, "rb") as handle:
                meta = json.loads(handle.readline())
            if isinstance(meta, dict) and meta.get("day") == today.isoformat():
                continue
        except (OSError, ValueError):
            pass  # unreadable or half-written by hand: not ours to keep
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def _retry_after(value: str | None) -> float | None:
    """A Retry-After header in seconds, given as a number or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects followed only to http(s) URLs, and at most MAX_REDIRECTS of them."""

    max_repeats = max_redirections = MAX_REDIRECTS + 2  # the checks below come first

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        """The request to follow a redirect with, as urllib makes it; FetchError for a redirect to a URL that is not
        http(s), or one past MAX_REDIRECTS."""
        if not is_url(newurl):
            fp.close()
            raise FetchError(f"redirected to {newurl[:200]!r}, which is not an http(s) URL")
        if sum(getattr(req, "redirect_dict", {}).values()) >= MAX_REDIRECTS:
            fp.close()
            raise FetchError(f"more than {MAX_REDIRECTS} redirects")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Transient(Exception):
    """A failure worth another try (after `retry_after` seconds, if the server asked)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
