"""One settings object for a run, with the defaults in one place.

The command line, a TOML config file and these defaults are merged into one
`Settings` (flags over the file over the defaults); every stage reads only this.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FORMATS = ("html", "md", "txt", "json")


@dataclass(frozen=True)
class Settings:
    """A run's settings, what to read and write and how: these defaults, overridden by a config file, then by flags."""

    inputs: tuple[str, ...] = ("seeds",)
    out: str = "out"
    formats: tuple[str, ...] = ("html",)
    date: dt.date | None = None  # the digest's day: keep only the articles of the window ending then
    days: int = 1  # the window's length in days, ending at `date` (only with a date)
    story_words: int = 100  # words in each story's summary, at most
    max_stories: int = 15  # stories told in full in each language; the others are listed under "Also reported"
    max_words: int | None = None  # words in the whole digest's sentences, at most (None: no overall cap)
    languages: tuple[str, ...] | None = None  # ISO 639-1 codes of the languages told (None: every supported one)
    fetch: bool = False  # fetch the full page an RSS/Atom entry links to
    cache: str | None = None  # folder for fetched pages, keyed by URL (off when None)
    timeout: float = 15.0  # seconds per HTTP request, from connecting to the last byte
    # Seconds from the start of reading after which nothing more is fetched: what has not arrived
    # by then is named and skipped, and the digest is written from what did.
    fetch_deadline: float = 600.0
    allow_private_addresses: bool = False  # fetch from loopback, private and link-local addresses too
    jobs: int = 0  # worker processes for the per-article stages; 0 means one per core
    engine: str = "local"  # where reading, splitting and vectorising run: "local" or "dask"
    scheduler: str | None = None  # the Dask scheduler's address (None: a local cluster), for engine "dask"
    lock_wait: float = 0.0  # seconds to wait for another run's lock before giving up
    base_url: str | None = None  # where the output folder is served, for absolute links in the Atom feed
