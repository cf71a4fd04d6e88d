"""The run's edges around the summariser: the lock, reading, the window, writing and the archive.

`run` is the whole cron job: hold the output folder's lock, read the inputs,
keep the articles of the window, summarise them with `Summariser` (the pure
core, summariser.py), render every format and write them with the archive.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import logging
import os
import time
from collections import Counter
from pathlib import Path

from . import archive
from .engines import Engine, EngineUnavailable, engine_for
from .exits import EXIT_FAILED, EXIT_LOCKED, EXIT_OK
from .language import is_supported, language_name
from .models import Article
from .readers import ReadResult, Skipped, read_articles
from .rendering import digest_data, render
from .settings import Settings
from .summariser import StageClock, Summariser
from .write import LockBusy, folder_lock, remove_stale_temporaries, write_files

log = logging.getLogger(__name__)


def run(settings: Settings) -> int:
    """Read the inputs, summarise them, write the digest and the archive; returns the exit code.

    The whole run holds the output folder's lock, so two runs (a slow cron job
    and the next one) never interleave their reads and writes.
    """
    out = Path(settings.out)
    # The modules loaded by now (NumPy, SciPy, scikit-learn, NLTK: a few hundred thousand objects) live
    # as long as the run. Frozen, Python's cycle collector stops scanning them over and over as the day's
    # sentences pile up, which cost up to a tenth of a run; what the run itself builds is still collected.
    gc.freeze()
    try:
        with folder_lock(out, settings.lock_wait):
            remove_stale_temporaries(out)
            return _run_locked(settings, out)
    except LockBusy:
        log.error("%s: another summarise run holds the lock; nothing written (exit %d)", out, EXIT_LOCKED)
        return EXIT_LOCKED
    except OSError as error:
        log.error("%s: cannot use the output folder: %s", out, _reason(error))
        return EXIT_FAILED
    finally:
        gc.unfreeze()


def _run_locked(settings: Settings, out: Path) -> int:
    jobs = settings.jobs or os.cpu_count() or 1
    try:
        with engine_for(settings.engine, settings.scheduler, jobs) as engine:
            return _summarise_and_write(settings, out, engine)
    except EngineUnavailable as error:
        log.error("%s; nothing written", error)
        return EXIT_FAILED


def _summarise_and_write(settings: Settings, out: Path, engine: Engine) -> int:
    clock = StageClock()
    # The engine's own failures (a Dask worker lost, its results with it; a TimeoutError is an
    # OSError) while it reads or summarises are named as the day's, not the output folder's, which
    # the caller's handler would name.
    failures: tuple[type[BaseException], ...] = (OSError, *engine.failures)
    try:
        read = read_inputs(settings, engine)
    except failures as error:
        log.error("cannot read the day: %s; nothing written", _reason(error))
        return EXIT_FAILED
    clock.lap("read")
    readable = in_languages(read.articles, settings.languages)
    report_skipped(read.skipped)
    if not read.found:
        log.error("nothing to summarise: no input files found in %s", ", ".join(settings.inputs))
        return EXIT_FAILED
    if settings.date is None and settings.days > 1 and readable:
        # A window with no day given ends at the newest article's day.
        newest = max((a.date for a in readable if a.date), default=None)
        settings = dataclasses.replace(settings, date=newest)
    articles = in_window(readable, settings.date, settings.days)
    undated = sum(1 for a in readable if a.date is None) if settings.date else 0
    if undated and settings.date is not None:
        log.warning(
            "left out %d undated article%s: no date to place %s in %s",
            undated, "" if undated == 1 else "s", "it" if undated == 1 else "them",
            describe_window(settings.date, settings.days),
        )  # fmt: skip
    if not articles:
        when = f" dated {describe_window(settings.date, settings.days)}" if settings.date else ""
        log.error("nothing to summarise: no readable articles%s in %s", when, ", ".join(settings.inputs))
        return EXIT_FAILED
    log.info("summarising %d articles", len(articles))
    manifest = archive.read_manifest(out)
    dated = [a.date for a in articles if a.date]
    day = settings.date or (max(dated) if dated else None)
    summariser = Summariser(
        story_words=settings.story_words,
        max_stories=settings.max_stories,
        max_words=settings.max_words,
        jobs=settings.jobs or os.cpu_count() or 1,
        engine=None if settings.engine == "local" else engine,
    )
    previous = archive.previous_stories(manifest, day)
    try:
        digest = summariser.summarise(articles, date=settings.date, previous=previous)
    except failures as error:
        log.error("cannot summarise the day: %s; nothing written", _reason(error))
        return EXIT_FAILED
    clock.last = time.perf_counter()
    if not digest.topics:
        log.error("nothing to summarise: the articles hold no whole sentences to pick")
        return EXIT_FAILED
    stem = f"digest-{digest.date.isoformat() if digest.date else 'undated'}"
    files = {f"{stem}.{fmt}": render(digest, fmt) for fmt in settings.formats}
    clock.lap("render")
    try:
        # The day's formats and the record of which were written go in as one set, so the archive
        # never links a format this run did not write.
        manifest = archive.updated_manifest(manifest, digest.date, digest_data(digest), formats=settings.formats)
        written = write_files(out, {**files, archive.MANIFEST: archive.manifest_bytes(manifest)})
        listed = archive.entries(out, manifest)
        written += write_files(out, archive.archive_pages(out, listed, settings.base_url))
    except OSError as error:
        log.error("%s: cannot write the digest: %s", out, _reason(error))
        return EXIT_FAILED
    clock.lap("write")
    for path in written:
        log.info("wrote %s", path)
    return EXIT_OK


def _reason(error: BaseException) -> str:
    """An error's reason on one line (its system message, else its text, else its kind)."""
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return " ".join(reason.split())


def read_inputs(settings: Settings, engine: Engine | None = None) -> ReadResult:
    """Every article in the run's inputs, read as its settings say (fetching, cache, workers), the
    files on `engine` when one is given."""
    return read_articles(
        settings.inputs,
        fetch=settings.fetch,
        cache=settings.cache,
        timeout=settings.timeout,
        fetch_deadline=settings.fetch_deadline,
        jobs=settings.jobs or os.cpu_count() or 1,
        allow_private=settings.allow_private_addresses,
        engine=engine,
    )


def in_languages(articles: list[Article], wanted: tuple[str, ...] | None = None) -> list[Article]:
    """The articles to summarise: those in a language the summariser tells (and in `wanted`, when given),
    or too short to tell.

    The others are told in one line each way: those in a language it does not support in a warning,
    grouped by language and named (the first few of each; all with -v), those in a language not asked
    for counted at -v (in a warning when nothing is left). An article too short to tell goes with the
    day's main language, so with `wanted` it is kept only beside articles in a wanted language.
    """
    kept: list[Article] = []
    unsupported: dict[str, list[str]] = {}
    unwanted = 0
    for article in articles:
        code = article.language
        if code is None or (is_supported(code) and (wanted is None or code in wanted)):
            kept.append(article)
        elif is_supported(code):
            unwanted += 1
        else:
            unsupported.setdefault(code, []).append(article.path)
    if unsupported:
        every_name = log.isEnabledFor(logging.INFO)
        groups = []
        for code, paths in sorted(unsupported.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            shown = paths if every_name else paths[:LANGUAGE_NAMES_SHOWN]
            more = f", and {len(paths) - len(shown)} more" if len(shown) < len(paths) else ""
            groups.append(f"{language_name(code)} {len(paths)} ({', '.join(shown)}{more})")
        total = sum(map(len, unsupported.values()))
        log.warning(
            "left out %d article%s in languages the summariser does not tell: %s",
            total, "" if total == 1 else "s", "; ".join(groups),
        )  # fmt: skip
    if wanted is not None and all(article.language is None for article in kept):
        # Too short to tell their language, with none of the languages asked for to go with: left out too.
        unwanted += len(kept)
        kept = []
    if unwanted:
        plural = "" if unwanted == 1 else "s"
        # Said at -v only, unless it leaves nothing to summarise.
        say = log.info if kept else log.warning
        asked = ",".join(wanted or ())
        say("left out %d article%s in languages not asked for (--languages %s)", unwanted, plural, asked)
    return kept


LANGUAGE_NAMES_SHOWN = 3  # articles named per unsupported language in the warning (all of them with -v)


def in_window(articles: list[Article], end: dt.date | None, days: int = 1) -> list[Article]:
    """The articles dated within the `days` days ending at `end` (all of them when `end` is None)."""
    if end is None:
        return list(articles)
    start = window_start(end, days)
    return [a for a in articles if a.date is not None and start <= a.date <= end]


def window_start(end: dt.date, days: int) -> dt.date:
    """The first day of the `days` days ending at `end`, never before the calendar's first day."""
    return dt.date.fromordinal(max(1, end.toordinal() - (max(days, 1) - 1)))


def describe_window(end: dt.date, days: int) -> str:
    """The window as messages name it: its day, or "first day to last day" when it has several."""
    if days <= 1:
        return end.isoformat()
    return f"{window_start(end, days).isoformat()} to {end.isoformat()}"


def report_skipped(skipped: list[Skipped]) -> None:
    """One closing line that counts the inputs left out, by reason (each was named as it happened)."""
    if not skipped:
        return
    reasons = Counter(s.reason for s in skipped)
    tally = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    log.warning("skipped %d input%s: %s", len(skipped), "" if len(skipped) == 1 else "s", tally)
