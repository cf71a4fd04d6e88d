"""Reading many files at once: each file by its registered reader, in worker processes on a big day.

What comes back, and what is said on stderr, is the same and in the same order as when the files
are read one after another: a worker keeps its log lines and the parent says them, file by file.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from ..fetch import Fetcher
from ..models import Article
from ..workers import exit_with_parent
from .base import ReadContext, Skipped, describe_error
from .registry import reader_for

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 200


@dataclass(frozen=True)
class FetchSettings:
    """How a run fetches (for feed entries' pages): the same in every worker process."""

    timeout: float = 15.0
    cache: str | None = None
    allow_private: bool = False
    deadline: float | None = None  # a time.monotonic() (system-wide) after which nothing is fetched


@functools.lru_cache(maxsize=4)
def fetcher_for(settings: FetchSettings, today: dt.date) -> Fetcher:
    """One fetcher per process and settings: building one costs more than reading a small file."""
    return Fetcher(
        timeout=settings.timeout,
        cache=settings.cache,
        today=today,
        allow_private=settings.allow_private,
        deadline=settings.deadline,
    )


FileRead = tuple[list[Article], list[Skipped], list[tuple[int, str]]]  # articles, skipped, log lines


def read_files(paths: list[str], today: dt.date, fetch: bool, settings: FetchSettings, jobs: int) -> Iterator[FileRead]:
    """Each file's articles, what it skipped and what it said, in the order of `paths`."""
    tasks = [(path, today, fetch, settings) for path in paths]
    if jobs > 1 and len(paths) >= PARALLEL_MIN_FILES:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_quiet_worker) as pool:
            yield from pool.map(_read_file_task, tasks, chunksize=max(1, min(64, len(tasks) // (jobs * 8))))
    else:
        for task in tasks:
            yield _read_file_task(task, capture=False)


def read_file(path: str, context: ReadContext) -> list[Article]:
    """One file's articles by its registered reader; a reader that breaks costs this file only."""
    try:
        return reader_for(path)(path, context)
    except Exception as error:  # one input that breaks a reader never costs the day's digest
        return context.skip(path, "reader error", f"cannot be read: {describe_error(error)}")


def _read_file_task(task: tuple[str, dt.date, bool, FetchSettings], capture: bool = True) -> FileRead:
    """Read one file; in a worker, its log lines are kept to be said by the parent, in order."""
    path, today, fetch, settings = task
    said = _CAPTURED if capture else None
    if said is not None:
        said.clear()
    context = ReadContext(today, fetcher_for(settings, today), fetch)
    found = read_file(path, context)
    return found, context.skipped, list(said or [])


_CAPTURED: list[tuple[int, str]] = []


class _Capture(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record's level and message, for the parent process to say."""
        _CAPTURED.append((record.levelno, record.getMessage()))


def _quiet_worker() -> None:
    """In a worker process: log records are captured for the parent instead of printed, and the
    worker ends with its parent."""
    exit_with_parent()
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_Capture())
