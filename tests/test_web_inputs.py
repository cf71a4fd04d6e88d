"""Feeds, saved pages, URLs and JSON Lines, with every fetch served from a local server on 127.0.0.1."""

import datetime as dt
import email.utils
import hashlib
import json
import logging
import socket
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from summarise.fetch import MAX_REDIRECTS, PARALLEL, USER_AGENT, Fetcher, FetchError
from summarise.readers import Skipped, read_articles
from summarise.urls import normalise_url

WEB = Path(__file__).parent / "fixtures" / "web"


class Site:
    """A small news site on loopback: fixture files, plus a slow page, errors, a redirect and a huge body.

    A test may also put pages of its own in `pages` (path -> body and headers, answered with 304 when
    a conditional request's ETag or date matches) and redirects in `redirects` (path -> location);
    `asked` keeps, per path, the conditional headers of each request.
    """

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.agents: set[str] = set()
        self.pages: dict[str, tuple[bytes, dict[str, str]]] = {}
        self.redirects: dict[str, str] = {}
        self.asked: defaultdict[str, list[dict[str, str]]] = defaultdict(list)
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_GET(self):
                path = self.path.split("?")[0]
                site.hits[path] += 1
                site.agents.add(self.headers.get("User-Agent", ""))
                if path in site.redirects:
                    return self.redirect(site.redirects[path])
                if path in site.pages:
                    return self.serve(path, *site.pages[path])
                if path == "/slow":
                    time.sleep(3)
                    try:
                        return self.reply(200, b"<html><body><p>Too late.</p></body></html>", "text/html")
                    except (BrokenPipeError, ConnectionResetError):  # the fetcher gave up long ago
                        return None
                if path == "/missing":
                    return self.reply(404, b"not here", "text/plain")
                if path == "/broken":
                    return self.reply(500, b"oops", "text/plain")
                if path == "/moved":
                    return self.redirect("/ferries.html")
                if path == "/loop":  # redirects to itself for ever
                    return self.redirect("/loop")
                if path == "/to-internal":  # another loopback address, as a redirect to an intranet host
                    return self.redirect(f"http://127.0.0.2:{self.server.server_address[1]}/bridge.html")
                if path == "/to-ftp":
                    return self.redirect("ftp://127.0.0.1/feed.xml")
                if path == "/always-busy":  # unavailable, come back in 30 s; for ever
                    self.send_response(503)
                    self.send_header("Retry-After", "30")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if path == "/busy":  # too many requests at first, then the page
                    if site.hits[path] == 1:
                        self.send_response(429)
                        self.send_header("Retry-After", "1")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return None
                    return self.reply(200, (WEB / "bridge.html").read_bytes(), "text/html")
                if path == "/trickle":  # a byte every 0.2 s: each read is quick, the whole never comes
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    try:
                        for _ in range(1000):
                            self.wfile.write(b" ")
                            self.wfile.flush()
                            time.sleep(0.2)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return None
                if path.startswith("/drip"):  # the status line and headers, a byte every 0.2 s
                    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X-Padding: " + b"x" * 500 + b"\r\n\r\n"
                    try:
                        for byte in head:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(0.2)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return None
                if path == "/cut-short":  # promises 1,000 bytes, sends 10 and hangs up
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b"<html><bo")
                    self.wfile.flush()
                    self.close_connection = True
                    return None
                if path.startswith("/late/"):  # /late/N answers after N tenths of a second
                    number = int(path.rsplit("/", 1)[1])
                    time.sleep(number / 10)
                    return self.reply(200, late_page(number), "text/html")
                if path == "/huge":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    try:
                        self.wfile.write(b"<html><body>")
                        for _ in range(400):  # 20 MB, if anyone read it all
                            self.wfile.write(b"<p>" + b"The harbour wall is long. " * 2000 + b"</p>")
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return None
                if path == "/linked.rss":  # entries linking to this site's own pages, for --fetch
                    feed = (WEB / "coast.rss").read_text(encoding="utf-8")
                    feed = feed.replace(
                        "https://islandradio.example/news/electric-ferries-approved", f"{site.url}/ferries.html"
                    ).replace("https://islandradio.example/news/lifeboat-kayakers", f"{site.url}/missing")
                    return self.reply(200, feed.encode(), "application/rss+xml")
                file = WEB / path.lstrip("/")
                if path.count("/") == 1 and file.is_file():
                    kind = {".html": "text/html", ".rss": "application/rss+xml", ".atom": "application/atom+xml"}
                    return self.reply(200, file.read_bytes(), kind.get(file.suffix, "application/octet-stream"))
                return self.reply(404, b"no such page", "text/plain")

            def serve(self, path, body, headers):
                asked = {h: self.headers[h] for h in ("If-None-Match", "If-Modified-Since") if h in self.headers}
                site.asked[path].append(asked)
                # As a server should: If-None-Match decides when sent, If-Modified-Since otherwise.
                if "If-None-Match" in asked:
                    unchanged = asked["If-None-Match"] == headers.get("ETag")
                else:
                    unchanged = "If-Modified-Since" in asked and asked["If-Modified-Since"] == headers.get("Last-Modified")
                self.send_response(304 if unchanged else 200)
                for name, value in headers.items():
                    self.send_header(name, value)
                if unchanged:
                    return self.end_headers()
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return None

            def redirect(self, location):
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def reply(self, status, body, kind):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    serving = Site()
    yield serving
    serving.close()


def late_page(number: int) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>Tide table {number}</title>"
        f'<meta property="og:site_name" content="Tide Times"><meta name="date" content="2024-01-16"></head>'
        f"<body><article><h1>High water at the harbour will come {number} minutes later</h1>"
        f"<p>The harbour master said on Tuesday that high water would come {number} minutes later than the "
        f"printed tables show, because of the strong westerly winds of the past week.</p>"
        f"<p>Skippers of boats leaving on the morning tide were told to check the gauge at the harbour "
        f"mouth before they cast off, and to allow {number} minutes more for the crossing.</p></article></body></html>"
    ).encode()


def fast_fetcher(**options) -> Fetcher:
    """A fetcher for the local test server (on 127.0.0.1, so private addresses are allowed)."""
    return Fetcher(**{"timeout": 1.0, "backoff": 0.05, "allow_private": True, **options})


@pytest.fixture
def run_cli(run_cli):
    """The command, allowed to fetch from the local test server."""

    def run(*args: str, **options):
        return run_cli(*args, "--allow-private-addresses", **options)

    return run


def test_a_page_is_fetched_with_the_tools_user_agent_and_redirects_followed(site):
    page = fast_fetcher().fetch(f"{site.url}/moved")
    assert page.final_url == f"{site.url}/ferries.html"
    assert page.body == (WEB / "ferries.html").read_bytes()
    assert site.agents == {USER_AGENT}
    assert USER_AGENT.startswith("summarise/")


def test_404_is_final_and_500_is_retried(site):
    with pytest.raises(FetchError, match=r"^HTTP 404 Not Found$"):
        fast_fetcher().fetch(f"{site.url}/missing")
    assert site.hits["/missing"] == 1
    with pytest.raises(FetchError, match=r"^HTTP 500 Internal Server Error \(tried 3 times\)$"):
        fast_fetcher().fetch(f"{site.url}/broken")
    assert site.hits["/broken"] == 3


def test_a_slow_page_times_out(site):
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^no complete answer within 0.5 s \(tried 2 times\)$"):
        fast_fetcher(timeout=0.5, retries=1).fetch(f"{site.url}/slow")
    assert time.monotonic() - started < 3


def test_a_huge_body_is_cut_at_the_cap(site):
    page = fast_fetcher(max_bytes=100_000).fetch(f"{site.url}/huge")
    assert page.truncated and len(page.body) == 100_000


def test_the_cache_answers_a_second_fetch_the_same_day_only(site, tmp_path):
    cache = tmp_path / "cache"
    url = f"{site.url}/ferries.html"
    monday, tuesday = dt.date(2024, 1, 15), dt.date(2024, 1, 16)
    fetcher = fast_fetcher(cache=str(cache), today=monday)
    first = fetcher.fetch(url)
    second = fetcher.fetch(url)
    assert site.hits["/ferries.html"] == 1
    assert (second.body, second.from_cache, first.from_cache) == (first.body, True, False)
    entry = cache / f"{hashlib.sha256(url.encode()).hexdigest()}.page"
    assert [p.name for p in cache.iterdir()] == [entry.name]
    assert entry.read_bytes().endswith(b"\n" + first.body)
    # The next day the page is fetched again (a feed changes), and the older answer replaced.
    third = fast_fetcher(cache=str(cache), today=tuesday).fetch(url)
    assert (third.from_cache, site.hits["/ferries.html"]) == (False, 2)
    assert json.loads(entry.read_bytes().partition(b"\n")[0])["day"] == "2024-01-16"


class Clock:
    """The fetcher's clock for the cache's freshness, which moves only when a test moves it."""

    def __init__(self, now: float = 1_705_312_800.0) -> None:  # 2024-01-15 10:00 UTC
        self.now = now

    def __call__(self) -> float:
        return self.now


def cache_entry(cache: Path, url: str) -> tuple[dict, bytes]:
    """The JSON line and the body of a URL's file in the cache."""
    head, _, body = (cache / f"{hashlib.sha256(url.encode()).hexdigest()}.page").read_bytes().partition(b"\n")
    return json.loads(head), body


def news(version: int) -> bytes:
    return f"<html><body><h1>Harbour news, edition {version}</h1></body></html>".encode()


@pytest.mark.parametrize("cache_control", ["max-age=60", "public, s-maxage=3600, max-age=60"])
def test_a_page_fresh_for_60_s_is_read_from_the_cache_for_60_s_then_revalidated(site, tmp_path, cache_control):
    cache, clock = tmp_path / "cache", Clock()
    site.pages["/news"] = (news(1), {"Cache-Control": cache_control, "ETag": '"e1"'})
    url = f"{site.url}/news"
    fetcher = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15), now=clock)
    first = fetcher.fetch(url)
    assert (first.body, first.from_cache, site.hits["/news"]) == (news(1), False, 1)
    meta, body = cache_entry(cache, url)
    assert email.utils.parsedate_to_datetime(meta["headers"].pop("date")).tzinfo == dt.UTC  # the server's Date
    assert (meta, body) == ({
        "url": url, "final_url": url, "content_type": "text/html", "truncated": False, "day": "2024-01-15",
        "fetched": clock.now, "private_allowed": True, "headers": {"cache-control": cache_control, "etag": '"e1"'},
    }, news(1))
    clock.now += 59.9
    second = fetcher.fetch(url)
    assert (second.body, second.from_cache, site.hits["/news"]) == (news(1), True, 1)
    clock.now += 0.1  # 60 s on: stale, so asked again, with its ETag; unchanged, so 304
    third = fetcher.fetch(url)
    assert (third.body, third.from_cache, site.hits["/news"]) == (news(1), True, 2)
    assert site.asked["/news"] == [{}, {"If-None-Match": '"e1"'}]
    # The 304 renewed its freshness: another 60 s from the revalidation.
    renewed, body = cache_entry(cache, url)
    renewed["headers"].pop("date")
    assert (renewed, body) == ({**meta, "fetched": meta["fetched"] + 60}, news(1))
    clock.now += 59
    assert fetcher.fetch(url).from_cache and site.hits["/news"] == 2
    clock.now += 1
    assert fetcher.fetch(url).body == news(1) and site.hits["/news"] == 3


def test_the_time_an_answer_spent_in_a_proxy_counts_toward_its_age(site, tmp_path):
    cache, clock = tmp_path / "cache", Clock()
    site.pages["/news"] = (news(1), {"Cache-Control": "max-age=3600", "Age": "3590", "ETag": '"e1"'})
    url = f"{site.url}/news"
    fetcher = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15), now=clock)
    fetcher.fetch(url)
    clock.now += 9
    assert fetcher.fetch(url).from_cache and site.hits["/news"] == 1
    clock.now += 1  # 3,590 s old when it came, and 10 s since: an hour old, so asked again
    fetcher.fetch(url)
    assert site.asked["/news"] == [{}, {"If-None-Match": '"e1"'}]


@pytest.mark.parametrize("cache_control", ["max-age=" + "9" * 5000, "public, s-maxage=60"])
def test_a_huge_max_age_is_a_long_one_and_s_maxage_is_not_for_this_cache(site, tmp_path, cache_control):
    # s-maxage alone says nothing to a private cache: the page is good for the rest of the day, as with no header.
    cache, clock = tmp_path / "cache", Clock()
    site.pages["/news"] = (news(1), {"Cache-Control": cache_control})
    url = f"{site.url}/news"
    fetcher = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15), now=clock)
    fetcher.fetch(url)
    clock.now += 3600
    page = fetcher.fetch(url)
    assert (page.body, page.from_cache, site.hits["/news"]) == (news(1), True, 1)


@pytest.mark.parametrize("cache_control", ["no-cache", "max-age=0", "max-age=soon"])
def test_an_unchanged_page_is_answered_304_and_the_cached_body_used(site, tmp_path, cache_control):
    cache, clock = tmp_path / "cache", Clock()
    site.pages["/news"] = (news(1), {"Cache-Control": cache_control, "ETag": 'W/"e1"'})
    url = f"{site.url}/news"
    first = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15), now=clock).fetch(url)
    # Asked about every time, even at once and by another run of the same day.
    second = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15), now=clock).fetch(url)
    assert (first.body, first.from_cache, second.body, second.from_cache) == (news(1), False, news(1), True)
    assert site.hits["/news"] == 2
    assert site.asked["/news"] == [{}, {"If-None-Match": 'W/"e1"'}]


def test_a_page_with_only_a_date_is_revalidated_with_it(site, tmp_path):
    cache, clock = tmp_path / "cache", Clock()
    modified = "Mon, 15 Jan 2024 08:00:00 GMT"
    site.pages["/news"] = (news(1), {"Cache-Control": "max-age=300", "Last-Modified": modified})
    url = f"{site.url}/news"
    fetcher = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15), now=clock)
    fetcher.fetch(url)
    clock.now += 300
    page = fetcher.fetch(url)
    assert (page.body, page.from_cache, site.hits["/news"]) == (news(1), True, 2)
    assert site.asked["/news"] == [{}, {"If-Modified-Since": modified}]


def test_a_stale_page_that_cannot_be_fetched_again_is_read_from_the_copy_of_earlier_today(site, tmp_path, caplog):
    cache, clock = tmp_path / "cache", Clock()
    site.pages["/news"] = (news(1), {"Cache-Control": "max-age=60"})
    url = f"{site.url}/news"
    fetcher = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15), now=clock)
    fetcher.fetch(url)
    del site.pages["/news"]  # gone from the server an hour later
    clock.now += 3600
    with caplog.at_level(logging.WARNING, logger="summarise.fetch"):
        page = fetcher.fetch(url)
    assert (page.body, page.from_cache) == (news(1), True)
    assert caplog.messages == [f"{url}: cannot fetch it again (HTTP 404 Not Found); using the copy fetched earlier today"]


def test_a_page_cached_by_a_run_allowing_private_addresses_is_not_served_to_one_that_does_not(site, tmp_path):
    cache = tmp_path / "cache"
    url = f"{site.url}/ferries.html"
    fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15)).fetch(url)  # allowed: the test server is local
    with pytest.raises(FetchError, match=r"^refused: 127\.0\.0\.1 is a private or local address"):
        Fetcher(timeout=1.0, cache=str(cache), today=dt.date(2024, 1, 15)).fetch(url)
    assert site.hits["/ferries.html"] == 1


def test_a_changed_page_is_fetched_again_and_replaces_the_cached_one(site, tmp_path):
    cache, clock = tmp_path / "cache", Clock()
    site.pages["/news"] = (news(1), {"Cache-Control": "max-age=60", "ETag": '"e1"'})
    url = f"{site.url}/news"
    fetcher = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15), now=clock)
    assert fetcher.fetch(url).body == news(1)
    site.pages["/news"] = (news(2), {"Cache-Control": "max-age=60", "ETag": '"e2"'})
    clock.now += 61
    page = fetcher.fetch(url)
    assert (page.body, page.from_cache, site.hits["/news"]) == (news(2), False, 2)
    assert site.asked["/news"] == [{}, {"If-None-Match": '"e1"'}]
    meta, body = cache_entry(cache, url)
    assert (meta["fetched"], meta["headers"]["etag"], body) == (clock.now, '"e2"', news(2))
    clock.now += 61  # and the new copy is the one revalidated
    assert fetcher.fetch(url).body == news(2)
    assert site.asked["/news"] == [{}, {"If-None-Match": '"e1"'}, {"If-None-Match": '"e2"'}]
    assert site.hits["/news"] == 3


def test_a_page_marked_no_store_is_never_kept(site, tmp_path):
    cache, clock = tmp_path / "cache", Clock()
    cache.mkdir()
    site.pages["/news"] = (news(1), {"Cache-Control": "private, no-store", "ETag": '"e1"'})
    url = f"{site.url}/news"
    fetcher = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15), now=clock)
    pages = [fetcher.fetch(url), fetcher.fetch(url)]
    assert [(p.body, p.from_cache) for p in pages] == [(news(1), False), (news(1), False)]
    assert (site.hits["/news"], site.asked["/news"], list(cache.iterdir())) == (2, [{}, {}], [])
    # A page kept before and now no-store: its old copy goes too.
    site.pages["/news"] = (news(2), {"Cache-Control": "no-cache", "ETag": '"e2"'})
    fetcher.fetch(url)
    assert len(list(cache.iterdir())) == 1
    site.pages["/news"] = (news(3), {"Cache-Control": "no-store", "ETag": '"e3"'})
    assert fetcher.fetch(url).body == news(3)
    assert (site.asked["/news"][-1], list(cache.iterdir())) == ({"If-None-Match": '"e2"'}, [])


def test_a_page_without_freshness_headers_is_good_for_the_rest_of_the_day_only(site, tmp_path):
    cache, clock = tmp_path / "cache", Clock()
    site.pages["/news"] = (news(1), {"ETag": '"e1"'})
    url = f"{site.url}/news"
    monday = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15), now=clock)
    monday.fetch(url)
    clock.now += 13 * 3600  # late that evening: still the cached copy, and the server not asked
    page = monday.fetch(url)
    assert (page.body, page.from_cache, site.hits["/news"]) == (news(1), True, 1)
    clock.now += 3600  # the next day: fetched whole again, as before (the old copy is not asked about)
    page = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 16), now=clock).fetch(url)
    assert (page.body, page.from_cache, site.hits["/news"]) == (news(1), False, 2)
    assert site.asked["/news"] == [{}, {}]
    assert cache_entry(cache, url)[0]["day"] == "2024-01-16"


def test_an_expires_date_is_honoured_against_the_servers_own_date(site, tmp_path):
    cache, clock = tmp_path / "cache", Clock()  # the fetcher's clock is years from the server's
    expires = email.utils.formatdate(time.time() + 120, usegmt=True)
    site.pages["/news"] = (news(1), {"Expires": expires, "ETag": '"e1"'})
    site.pages["/old"] = (news(2), {"Expires": "0", "ETag": '"e2"'})  # invalid: already expired
    fetcher = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15), now=clock)
    for path in ("/news", "/old"):
        fetcher.fetch(f"{site.url}{path}")
    clock.now += 100
    assert [fetcher.fetch(f"{site.url}{path}").from_cache for path in ("/news", "/old")] == [True, True]
    assert (site.hits["/news"], site.hits["/old"]) == (1, 2)
    clock.now += 30
    assert fetcher.fetch(f"{site.url}/news").body == news(1)
    assert site.asked["/news"] == [{}, {"If-None-Match": '"e1"'}]


def test_a_304_from_where_the_url_now_redirects_is_not_taken_for_the_cached_page(site, tmp_path):
    cache, clock = tmp_path / "cache", Clock()
    modified = "Mon, 15 Jan 2024 08:00:00 GMT"
    for path, version in (("/a", 1), ("/b", 2)):
        site.pages[path] = (news(version), {"Cache-Control": "no-cache", "Last-Modified": modified})
    site.redirects["/latest"] = "/a"
    url = f"{site.url}/latest"
    fetcher = fast_fetcher(cache=str(cache), today=dt.date(2024, 1, 15), now=clock)
    assert fetcher.fetch(url).final_url == f"{site.url}/a"
    site.redirects["/latest"] = "/b"
    page = fetcher.fetch(url)
    assert (page.final_url, page.body, page.from_cache) == (f"{site.url}/b", news(2), False)
    assert site.asked["/b"] == [{"If-Modified-Since": modified}, {}]


def test_a_run_clears_the_cache_of_earlier_days(site, tmp_path):
    cache = tmp_path / "cache"
    read_articles([f"{site.url}/bridge.html"], today=dt.date(2024, 1, 15), cache=str(cache), timeout=2, allow_private=True)
    (cache / "notes.txt").write_text("not the cache's own", encoding="utf-8")
    read_articles([f"{site.url}/coast.rss"], today=dt.date(2024, 1, 16), cache=str(cache), timeout=2, allow_private=True)
    assert sorted(p.name for p in cache.iterdir()) == sorted([
        "notes.txt", hashlib.sha256(f"{site.url}/coast.rss".encode()).hexdigest() + ".page",
    ])


def test_redirects_are_bounded_and_only_to_the_web(site):
    with pytest.raises(FetchError, match=rf"^more than {MAX_REDIRECTS} redirects$"):
        fast_fetcher().fetch(f"{site.url}/loop")
    assert site.hits["/loop"] == MAX_REDIRECTS + 1
    with pytest.raises(FetchError, match=r"^redirected to 'ftp://127.0.0.1/feed.xml', which is not an http\(s\) URL$"):
        fast_fetcher().fetch(f"{site.url}/to-ftp")
    assert site.hits["/to-ftp"] == 1  # refused at once, never retried


def test_a_page_that_trickles_in_is_given_up_at_the_timeout(site):
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^no complete answer within 1 s \(tried 1 times\)$"):
        fast_fetcher(retries=0).fetch(f"{site.url}/trickle")
    assert time.monotonic() - started < 2


def test_headers_sent_a_byte_at_a_time_are_given_up_at_the_timeout(site):
    # Each byte comes well within the timeout, so only a deadline over the whole exchange ends it.
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^no complete answer within 1 s \(tried 2 times\)$"):
        fast_fetcher(retries=1).fetch(f"{site.url}/drip")
    assert 2 <= time.monotonic() - started < 3.5
    assert site.hits["/drip"] == 2


def test_past_the_runs_fetching_deadline_pending_fetches_are_named_and_skipped(site, caplog):
    # Ten links that drip (more than the fetches made at once) and one good page: at the deadline
    # the running fetches are cut and the waiting ones never start.
    drips = [f"{site.url}/drip/{n}" for n in range(10)]
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        result = read_articles(
            [f"{site.url}/bridge.html", *drips], today=dt.date(2024, 1, 20), timeout=5, fetch_deadline=1,
            allow_private=True,
        )
    assert time.monotonic() - started < 2.5
    assert [a.title for a in result.articles] == ["Old swing bridge to reopen after two years of repairs"]
    assert result.skipped == [Skipped(url, "fetch failed") for url in drips]
    assert caplog.messages == [
        f"{url}: skipped: the run's fetching deadline (--fetch-deadline) had passed" for url in drips
    ]
    assert sum(site.hits[f"/drip/{n}"] for n in range(10)) == PARALLEL


def test_an_answer_cut_short_is_retried_then_reported(site):
    with pytest.raises(FetchError, match=r"^the connection closed after 9 bytes of the answer \(tried 3 times\)$"):
        fast_fetcher().fetch(f"{site.url}/cut-short")
    assert site.hits["/cut-short"] == 3


def test_too_many_requests_waits_as_asked_then_retries(site):
    started = time.monotonic()
    page = fast_fetcher().fetch(f"{site.url}/busy")
    assert page.body == (WEB / "bridge.html").read_bytes()
    assert site.hits["/busy"] == 2 and time.monotonic() - started >= 1.0  # Retry-After: 1, not the 0.05 s backoff


def test_a_refused_connection_is_retried_then_reported():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match=r"^cannot connect: Connection refused \(tried 3 times\)$"):
        fast_fetcher().fetch(f"http://127.0.0.1:{port}/feed.rss")


def test_fetching_many_keeps_their_order(site):
    urls = [f"{site.url}/{name}" for name in ("coast.rss", "missing", "bridge.html", "county.atom")]
    answers = fast_fetcher().fetch_all(urls)
    assert [a.final_url if not isinstance(a, FetchError) else str(a) for a in answers] == [
        urls[0], "HTTP 404 Not Found", urls[2], urls[3],
    ]


def test_articles_come_in_the_order_given_whatever_order_the_answers_come_in(site):
    urls = [f"{site.url}/late/{n}" for n in (9, 1, 5, 0, 7, 3)]  # the first answers last
    result = read_articles(urls, today=dt.date(2024, 1, 20), timeout=3, allow_private=True)
    assert [a.title for a in result.articles] == [
        f"High water at the harbour will come {n} minutes later" for n in (9, 1, 5, 0, 7, 3)
    ]
    assert [a.path for a in result.articles] == urls
    assert [(a.source, a.date_source) for a in result.articles] == [("Tide Times", "page")] * 6


def test_a_failing_url_is_named_with_its_reason_and_the_rest_are_read(site, caplog):
    urls = [f"{site.url}/missing", f"{site.url}/bridge.html", f"{site.url}/loop"]
    # An earlier in-process `summarise --quiet` may have raised the root level.
    with caplog.at_level(logging.WARNING):
        result = read_articles(urls, today=dt.date(2024, 1, 20), timeout=2, allow_private=True)
    assert [a.title for a in result.articles] == ["Old swing bridge to reopen after two years of repairs"]
    assert result.skipped == [Skipped(urls[0], "fetch failed"), Skipped(urls[2], "fetch failed")]
    assert caplog.messages == [
        f"{urls[0]}: skipped: HTTP 404 Not Found",
        f"{urls[2]}: skipped: more than {MAX_REDIRECTS} redirects",
    ]


def test_urls_are_normalised_for_spotting_the_same_page():
    assert normalise_url("HTTPS://Example.ORG/a?utm_source=x&id=3#top") == "https://example.org/a?id=3"
    assert normalise_url("https://example.org") == "https://example.org/"


def articles_by_title(folder: Path) -> dict[str | None, dict]:
    digest = json.loads(next(folder.glob("digest-*.json")).read_text(encoding="utf-8"))
    return {a["title"]: a for a in digest["articles"]}, digest


def test_a_mixed_run_reads_every_kind_and_reports_each_failure(run_cli, site, seeds, tmp_path):
    out = tmp_path / "out"
    result = run_cli(
        str(seeds),
        str(WEB / "ferries.html"),
        str(WEB / "coast.rss"),
        f"{site.url}/county.atom",
        str(WEB / "scraped.jsonl"),
        f"{site.url}/bridge.html",
        str(WEB / "ports-tidewater.html"),
        f"{site.url}/ports-estuary.html",
        f"{site.url}/missing",
        f"{site.url}/broken",
        "ftp://example.org/feed.xml",
        "--out", str(out), "--format", "json", "--timeout", "2", "--max-words", "600",
    )
    assert result.returncode == 0, result.stderr
    assert sorted(result.stderr.splitlines()) == sorted([
        "summarise: warning: ftp://example.org/feed.xml: skipped: only http and https URLs can be read",
        f"summarise: warning: {site.url}/missing: skipped: HTTP 404 Not Found",
        f"summarise: warning: {site.url}/broken: skipped: HTTP 500 Internal Server Error (tried 3 times)",
        f"summarise: warning: {WEB / 'scraped.jsonl'}:3: skipped: not a JSON object: Expecting value: line 1 column 1 (char 0)",
        f'summarise: warning: {WEB / "scraped.jsonl"}:4: skipped: no "text" string',
        "summarise: warning: skipped 5 inputs: 2 bad JSON, 2 fetch failed, 1 bad URL",
    ])
    titles, digest = articles_by_title(out)
    expected = {
        "Harbour council votes to switch to electric ferries": (
            "The Coast Herald", "2024-01-16", "https://coastherald.example/news/2024/01/16/harbour-electric-ferries",
        ),
        "Electric ferries approved by harbour council": (
            "Island Radio News", "2024-01-16", "https://islandradio.example/news/electric-ferries-approved",
        ),
        "Lifeboat crew rescue two kayakers off the point": (
            "Island Radio News", "2024-01-15", "https://islandradio.example/news/lifeboat-kayakers",
        ),
        "Ferry switch will halve fuel bill, council says": (
            "County Chronicle", "2024-01-16", "https://countychronicle.example/2024/01/16/ferry-fuel-bill",
        ),
        "Swing bridge reopening date confirmed": (
            "County Chronicle", "2024-01-15", "https://countychronicle.example/2024/01/15/swing-bridge",
        ),
        "Harbour to get electric ferries next year": ("Coast FM", "2024-01-16", "https://coastfm.example/news/electric-ferries"),
        "Old swing bridge to reopen after two years of repairs": (
            "Valley Gazette", "2024-01-15", "https://valleygazette.example/local/swing-bridge-reopens",
        ),
        "Putin hosts North Korean FM in Kremlin visit": ("AFP", "2024-01-16", None),
        "Northern European ports agree common shore power plug for ships": (
            "Reuters", "2024-01-16", "https://tidewatertimes.example/business/2024/01/16/ports-shore-power-standard",
        ),
        "Ports sign up to one shore power plug": (
            "Reuters", "2024-01-16", "https://estuarypost.example/news/ports-one-shore-power-plug?ref=homepage",
        ),
    }
    for title, (source, date, url) in expected.items():
        assert (titles[title]["source"], titles[title]["date"], titles[title]["url"]) == (source, date, url), title
    assert len(digest["articles"]) == 5 + 10  # the seeds, and 10 from the web kinds (one JSONL line is untitled)
    assert titles[None]["path"] == f"{WEB / 'scraped.jsonl'}:2" and titles[None]["date"] is None
    every_sentence = " ".join(s["text"] for t in digest["topics"] for s in t["sentences"])
    for furniture in (
        "cookies", "Share on", "Advertisement", "Most read", "belching", "newsletter", "forty years",
        "Reuters)", "Reporting by", "Related stories", "engines running all night", "cruise breaks", "99p", "thirty years",
    ):
        assert furniture not in every_sentence
    ferry_topic = next(t for t in digest["topics"] if "ferries" in t["label"])
    voted = next(s for s in ferry_topic["sentences"] if s["text"].startswith("The harbour council voted on Tuesday"))
    carriers = {titles[t]["id"] for t in (
        "Harbour council votes to switch to electric ferries",
        "Electric ferries approved by harbour council",
        "Harbour to get electric ferries next year",
    )}
    assert set(voted["citations"]) == carriers
    # The wire story two outlets print is one story whose sentences cite both copies.
    ports_topic = next(t for t in digest["topics"] if t["label"] == "Northern European ports agree common shore power plug for ships")
    copies = {titles[t]["id"] for t in ("Northern European ports agree common shore power plug for ships", "Ports sign up to one shore power plug")}
    assert set(ports_topic["articles"]) == copies
    assert all(set(s["citations"]) == copies for s in ports_topic["sentences"])


def test_a_page_over_the_cap_is_cut_and_said_so_and_the_run_goes_on(run_cli, site, tmp_path):
    out = tmp_path / "out"
    result = run_cli(f"{site.url}/huge", f"{site.url}/bridge.html", "--out", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"summarise: warning: {site.url}/huge: larger than 5,000,000 bytes; only the first part read\n"
    titles, _ = articles_by_title(out)
    assert "Old swing bridge to reopen after two years of repairs" in titles and len(titles) == 2


def test_fetch_reads_the_page_behind_each_feed_entry(run_cli, site, tmp_path):
    out = tmp_path / "out"
    result = run_cli(f"{site.url}/linked.rss", "--fetch", "--out", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (  # the other entry's page is gone: its own text stands in
        f"summarise: warning: {site.url}/missing: cannot fetch the full article (HTTP 404 Not Found); "
        "using the feed's text\n"
    )
    assert titles_of_failed_entry_are_kept(out)
    titles, digest = articles_by_title(out)
    entry = titles["Electric ferries approved by harbour council"]
    assert (entry["source"], entry["date"], entry["url"]) == ("The Coast Herald", "2024-01-16", f"{site.url}/ferries.html")
    text = " ".join(s["text"] for t in digest["topics"] for s in t["sentences"])
    assert "Opponents on the council argued" in text  # only the full page says this
    assert site.hits["/ferries.html"] == 1


def titles_of_failed_entry_are_kept(out: Path) -> bool:
    titles, _ = articles_by_title(out)
    return titles["Lifeboat crew rescue two kayakers off the point"]["source"] == "Island Radio News"


def test_the_same_page_twice_is_read_once_and_the_cache_saves_a_refetch(run_cli, site, tmp_path):
    cache = tmp_path / "cache"
    args = [f"{site.url}/bridge.html?utm_source=feed", f"{site.url}/bridge.html", "--cache", str(cache), "--format", "json"]
    first = run_cli(*args, "--out", str(tmp_path / "a"))
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert site.hits["/bridge.html"] == 1
    second = run_cli(*args, "--out", str(tmp_path / "b"))
    assert second.returncode == 0 and site.hits["/bridge.html"] == 1
    assert (tmp_path / "a" / "digest-2024-01-15.json").read_bytes() == (tmp_path / "b" / "digest-2024-01-15.json").read_bytes()


def test_inputs_from_a_feed_list(run_cli, site, tmp_path):
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# morning feeds\n{site.url}/coast.rss\n{site.url}/county.atom\n", encoding="utf-8")
    result = run_cli("--inputs-from", str(listing), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.returncode == 0, result.stderr
    titles, _ = articles_by_title(tmp_path / "out")
    assert sorted(titles) == sorted([
        "Electric ferries approved by harbour council",
        "Lifeboat crew rescue two kayakers off the point",
        "Ferry switch will halve fuel bill, council says",
        "Swing bridge reopening date confirmed",
    ])


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "0x7f000001", "localhost", "[::ffff:127.0.0.1]"])
def test_private_and_loopback_addresses_are_refused_however_written(site, host, caplog):
    port = site.url.rsplit(":", 1)[1]
    url = f"http://{host}:{port}/bridge.html"
    with caplog.at_level(logging.WARNING):
        result = read_articles([url], today=dt.date(2024, 1, 20), timeout=2)
    assert result.articles == [] and result.skipped == [Skipped(url, "fetch failed")]
    (message,) = caplog.messages
    resolved = "::ffff:127.0.0.1" if host.startswith("[") else "127.0.0.1"
    assert message == (
        f"{url}: skipped: refused: {host.strip('[]')} is a private or local address ({resolved}); "
        "--allow-private-addresses allows it"
    )
    assert site.hits["/bridge.html"] == 0  # not one request reached the server


def test_a_redirect_to_a_private_address_is_refused(site, monkeypatch):
    # Taken as public here, the test server sends the fetch on to another loopback address.
    monkeypatch.setattr("summarise.fetch.is_public_address", lambda address: address == "127.0.0.1")
    answer = Fetcher(timeout=2)._fetch_or_error(f"{site.url}/to-internal")
    assert isinstance(answer, FetchError)
    assert str(answer) == "refused: 127.0.0.2 is a private or local address (127.0.0.2); --allow-private-addresses allows it"
    assert site.hits["/to-internal"] == 1


def test_the_digest_is_written_from_what_arrived_by_the_fetching_deadline(run_cli, site, tmp_path):
    out = tmp_path / "out"
    started = time.monotonic()
    result = run_cli(
        f"{site.url}/drip/1", f"{site.url}/linked.rss", "--fetch", "--fetch-deadline", "2", "--timeout", "30",
        "--out", str(out), "--format", "json",
    )
    assert time.monotonic() - started < 20  # the drip alone would take over 100 s
    assert result.returncode == 0, result.stderr
    # The links are fetched first, then the feed's entries, by which time the deadline has passed:
    # the entries are told from the feed's own text.
    assert result.stderr.splitlines() == [
        f"summarise: warning: {site.url}/drip/1: skipped: the run's fetching deadline (--fetch-deadline) had passed",
        f"summarise: warning: {site.url}/ferries.html: cannot fetch the full article (the run's fetching deadline "
        f"(--fetch-deadline) had passed); using the feed's text (the same for 1 more: {site.url}/missing; -v lists each)",
        "summarise: warning: skipped 1 input: 1 fetch failed",
    ]
    assert site.hits["/ferries.html"] == 0
    titles, _ = articles_by_title(out)
    assert sorted(titles) == ["Electric ferries approved by harbour council", "Lifeboat crew rescue two kayakers off the point"]


def test_by_default_the_command_fetches_nothing_private_and_the_flag_allows_it(run_cli, site, tmp_path):
    # An intranet feed needs --allow-private-addresses (this module's run_cli passes it).
    from summarise.cli import main

    out = tmp_path / "out"
    assert main([f"{site.url}/coast.rss", "--out", str(out), "--format", "json", "-q"]) == 1
    assert site.hits["/coast.rss"] == 0
    allowed = run_cli(f"{site.url}/coast.rss", "--out", str(out), "--format", "json")
    assert allowed.returncode == 0, allowed.stderr
    assert site.hits["/coast.rss"] == 1


def test_a_name_server_that_does_not_answer_is_given_up_at_the_deadline(site, monkeypatch):
    real = socket.getaddrinfo
    port = int(site.url.rsplit(":", 1)[1])

    def slow_name_server(host, *args, **kwargs):
        if host == "slow-dns.example":
            time.sleep(3)
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow_name_server)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^no complete answer within 1 s \(tried 1 times\)$"):
        fast_fetcher(retries=0).fetch(f"http://slow-dns.example:{port}/bridge.html")
    assert time.monotonic() - started < 2
    assert site.hits["/bridge.html"] == 0


def test_sigterm_while_fetching_ends_the_run_at_once_not_after_its_retries(site, tmp_path):
    import signal
    import subprocess

    from conftest import summarise_command

    run = subprocess.Popen(
        [*summarise_command(), f"{site.url}/always-busy", "--out", str(tmp_path / "out"), "--allow-private-addresses"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while site.hits["/always-busy"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # now pausing 30 s before its retry
    asked = time.monotonic()
    run.send_signal(signal.SIGTERM)
    _, stderr = run.communicate(timeout=30)
    assert run.returncode == 143 and time.monotonic() - asked < 3
    assert stderr.splitlines()[-1] == "summarise: terminated (SIGTERM); no file was left half-written"
    assert site.hits["/always-busy"] == 1
