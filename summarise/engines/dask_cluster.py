"""The Dask engine: a day's text kept and worked on on a Dask cluster, part by part, then story by story.

The day's files are read in batches on the workers; the articles are cut into parts of
`part_articles`, each split into sentences and analysed into terms on a worker, where they stay.
Only each part's terms and document frequencies travel to the client, which sums them into the
day's vocabulary and IDF and sends that back; every worker then makes its own part's TF-IDF rows
and its articles' vectors.

The story clustering brings only its samples of article vectors to the client (a few thousand
rows a round); every other article is joined to a story on the worker that holds it. The parts
are then shuffled into buckets of whole stories (each part cuts its articles, sentences and rows
by story, and each bucket takes its stories' pieces from every part, in the day's order), and
each story is merged, selected from and named on the worker holding its bucket. What comes back
to the client is a topic per story. Nothing gathers the day's sentences in one place.

Everything is computed as the local engine computes it (vectorise.py explains how the rows come
out the same bit for bit), so the digest is the same bytes on either engine.

Workers need `summarise` installed (``pip install 'summarise[dask]'``, the same version as the
client) and must see the input files at the same paths (a shared or copied folder). Feeds whose
entries' pages are fetched (`--fetch`) are read on the client, where the fetch deadline and the
cache live.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import logging
import operator
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..cluster import ArticleRows, StoryJoiner
from ..language import lexicon_for
from ..models import Article, Sentence
from ..text import ENGLISH, Lexicon
from ..vectorise import AnalysedTexts, analyse_texts, article_vectors, day_vocabulary, part_rows, part_terms
from . import EngineUnavailable, StoryDraft

log = logging.getLogger(__name__)

# Files read per task, and articles split and vectorised per part: big enough that a task's
# overhead (a few milliseconds) is small beside its work, small enough that a day spreads over
# every worker.
FILES_PER_TASK = 200
PART_ARTICLES = 2000
# Story buckets: at least BUCKETS_PER_WORKER a worker, so a bucket of big stories does not leave a
# worker idle; and as many more as it takes to keep each to at most BUCKET_ARTICLES articles, except a
# story bigger than that, which has a bucket to itself. A bucket is one piece of Dask data, held
# whole in memory while any of its stories is told, beside that story's working arrays, and the
# rest of the worker's data can only be spilled to disk around it: a worker was lost on a
# million-article day telling buckets of two stories of 20,000 articles (about 1 GB each held,
# 1.3 GB more to tell one).
BUCKETS_PER_WORKER = 4
BUCKET_ARTICLES = 25_000
# Parts pickled and sent to the workers at a time.
SCATTER_PARTS = 8
# Freed heap is handed back after a story of this many sentences: trimming walks the heap (milliseconds
# on a worker's gigabytes), too dear after each of a real day's thousands of small listed stories.
BIG_STORY_SENTENCES = 20_000
# A local cluster's workers spill to disk once the process passes 60% of their memory limit,
# down to 50% (Dask's defaults: from 70% down to 60%), and spill Dask's own stored data past 50%,
# for the headroom telling a big story takes beside its bucket: the nanny restarts a worker at
# 95%, and such a story's working arrays (1.3 GB for 20,000 articles) come in one task, faster
# than spilling frees memory. A cluster of one's own keeps its config.
LOCAL_WORKER_MEMORY = {"distributed.worker.memory.target": 0.5, "distributed.worker.memory.spill": 0.6}
# What must be the same on the client and every worker for the same bytes to come out.
_SAME_VERSIONS = (
    "summarise", "scikit-learn", "nltk", "PyStemmer", "numpy", "scipy", "trafilatura", "py3langid", "stop-words",
)  # fmt: skip


# Dask's logger for a worker restarted past its memory limit: said while the rest of Dask is quiet.
_NANNY_MEMORY = "distributed.nanny.memory"


def _quiet_dask_loggers() -> dict[str, int]:
    """Raise Dask's loggers ("distributed" and every one under it that exists) to ERROR; returns
    their levels before, to be put back."""
    names = ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]
    before = {}
    for name in names:
        logger = logging.getLogger(name)
        before[name] = logger.level
        logger.setLevel(max(logging.ERROR, logger.getEffectiveLevel()))
    # Except the one warning a lost day needs explained: a worker past its memory limit, restarted.
    before.setdefault(_NANNY_MEMORY, logging.getLogger(_NANNY_MEMORY).level)
    logging.getLogger(_NANNY_MEMORY).setLevel(logging.WARNING)
    return before


def _close(closing: Any) -> None:
    """Close a client or cluster (None: nothing). One that fails to stop (a worker already lost, a
    close timing out) must neither hide why the run failed nor fail a run whose digest is written."""
    if closing is None:
        return
    try:
        closing.close()
    except (OSError, RuntimeError) as error:
        log.warning("the Dask cluster did not stop cleanly: %s", str(error) or type(error).__name__)


def _machine_memory() -> int:
    """This machine's physical memory in bytes (0 when the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


def _versions() -> dict[str, str | None]:
    """The versions of what decides the digest's bytes, in this process."""
    import importlib.metadata
    import sys

    found: dict[str, str | None] = {"python": ".".join(map(str, sys.version_info[:2]))}
    for name in _SAME_VERSIONS:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def _check_versions(client: Any) -> None:
    """Every worker runs what the client runs: a worker with another version of summarise or of
    a library it computes with could give another digest, so it is refused with its versions."""
    here = _versions()
    for worker, there in sorted(client.run(_versions).items()):
        different = {name: there.get(name) for name in here if there.get(name) != here[name]}
        if different:
            listed = ", ".join(
                f"{name} {there_version} (here {here[name]})" for name, there_version in different.items()
            )
            raise EngineUnavailable(f"the Dask worker {worker} runs other versions: {listed}")


class DaskEngine:
    """A Dask cluster to run on: the scheduler at `scheduler` ("tcp://host:8786"), or, when None, a
    local cluster of one single-threaded worker process per core, started on entering and shut down
    on leaving.

    Parameters
    ----------
    scheduler : str or None
        A running Dask scheduler's address; None starts a `LocalCluster` sized to this machine.
    part_articles : int
        Articles per part for splitting and vectorising.
    files_per_task : int
        Input files read per task.
    connect_timeout : float
        Seconds to wait for the scheduler and its workers to answer.
    stall_timeout : float
        Seconds every worker may stay paused (its memory past Dask's pause threshold) before the
        run is stopped with that as its reason.
    """

    def __init__(
        self,
        scheduler: str | None = None,
        part_articles: int = PART_ARTICLES,
        files_per_task: int = FILES_PER_TASK,
        connect_timeout: float = 30.0,
        n_workers: int | None = None,
        stall_timeout: float = 300.0,
    ):
        self.scheduler = scheduler
        self.part_articles = part_articles
        self.files_per_task = files_per_task
        self.connect_timeout = connect_timeout
        self.n_workers = n_workers
        self.stall_timeout = stall_timeout

    def __enter__(self) -> DaskEngine:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as error:
            raise EngineUnavailable(f"the dask engine needs Dask: pip install 'summarise[dask]' ({error})") from None
        self.cluster_ = None
        # Dask says every step of starting and stopping a cluster at INFO level, and warns of a busy
        # machine ("event loop was unresponsive") at WARNING, some of its loggers through their own
        # handler: a cron run over good input prints nothing, so only Dask's errors are let through
        # while we hold the cluster.
        where = self.scheduler or "a local cluster"
        if self.scheduler is not None:
            # Checked before a client is made: a client that fails on a bad address leaves Dask's
            # shared event loop half started for every later client in the process.
            from distributed.comm.addressing import get_address_host_port, parse_address

            try:
                parse_address(self.scheduler, strict=True)
                get_address_host_port(self.scheduler)
            except ValueError as error:
                raise EngineUnavailable(f"cannot reach the Dask scheduler at {where}: {error}") from None
        self._dask_levels = _quiet_dask_loggers()
        try:
            if self.scheduler is None:
                import dask

                workers = self.n_workers or os.cpu_count() or 1
                with dask.config.set(LOCAL_WORKER_MEMORY):  # the nannies take the config as it is now
                    self.cluster_ = LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",  # any free port: a second cluster on the machine must not clash
                        silence_logs=logging.ERROR,
                        # Dask gives each worker the machine's memory over the workers; the client, which
                        # holds the day's articles, takes a worker's share here, so that workers spill to
                        # disk before the machine runs out (a million articles: 9 GB on the client).
                        memory_limit=_machine_memory() // (workers + 1) or "auto",
                    )
                self.client_ = Client(self.cluster_)
            else:
                self.client_ = Client(self.scheduler, timeout=f"{self.connect_timeout}s")
            _check_versions(self.client_)
            self.stall_watch_ = _StallWatch(self.client_, self.stall_timeout)
            self.stall_watch_.start()
        except (OSError, TimeoutError, ValueError, RuntimeError) as error:
            self.__exit__()
            if isinstance(error, EngineUnavailable):
                raise
            raise EngineUnavailable(f"cannot reach the Dask scheduler at {where}: {error}") from None
        except BaseException:  # SIGTERM or ^C while the cluster starts: it must not outlive the run
            self.__exit__()
            raise
        log.info("dask engine: %s", self.client_.dashboard_link if self.cluster_ is None else "local cluster")
        return self

    @property
    def failures(self) -> tuple[type[BaseException], ...]:
        """The cluster's own failures, raised again on the client: a task whose workers all died,
        a result whose data went with a worker, a connection closed under a transfer."""
        from distributed.client import FutureCancelledError
        from distributed.comm.core import CommClosedError
        from distributed.scheduler import KilledWorker

        return (KilledWorker, FutureCancelledError, CommClosedError)

    def __exit__(self, *exc: object) -> None:
        watch = getattr(self, "stall_watch_", None)
        if watch is not None:
            del self.stall_watch_
        client, cluster = getattr(self, "client_", None), getattr(self, "cluster_", None)
        if client is not None:
            del self.client_
        self.cluster_ = None
        try:
            if watch is not None:
                watch.stop()
            _close(client)
        finally:
            try:
                _close(cluster)
            finally:
                for logger, level in getattr(self, "_dask_levels", {}).items():
                    logging.getLogger(logger).setLevel(level)
                self._dask_levels = {}

    def read_files(self, paths: list[str], today: dt.date, fetch: bool, settings: Any) -> Iterator[Any]:
        """Each file's articles, what it skipped and what it said, in the order of `paths` (batches
        read on the workers, answers taken in order as they come)."""
        if fetch:  # every file on the client, where the fetch deadline and the cache of fetched pages live
            from ..readers.pool import read_files

            yield from read_files(paths, today, fetch, settings, 1)
            return
        batches = [paths[k : k + self.files_per_task] for k in range(0, len(paths), self.files_per_task)]
        futures = self.client_.map(_read_batch, batches, today=today, settings=settings, pure=False)
        for future in futures:
            yield from future.result()
            future.release()
        _release_freed_memory()  # what the batches came in

    def split_and_vectorise(
        self, articles: list[Article], splitter: Any, lexicon: Lexicon | None = None
    ) -> tuple[list[Sentence], tuple[sp.csr_matrix, dict[str, float]] | None]:
        """Every sentence of the articles, and their TF-IDF rows with each term's IDF (None when no
        sentence has a content word), made part by part on the workers and gathered here; words
        weighed in the lexicon's language."""
        day = self.day(articles, splitter, lexicon or ENGLISH, keep_empty=True)
        assert day is not None
        sentences = _gather_sentences(self.client_, day.sentence_parts)
        if day.row_parts is None:
            return sentences, None
        matrix = sp.vstack(self.client_.gather(day.row_parts), format="csr")
        return sentences, (matrix, day.idf)

    def day(self, articles: list[Article], splitter: Any, lexicon: Lexicon, keep_empty: bool = False) -> DaskDay | None:
        """The articles split and vectorised part by part on the workers, where they stay; None when
        no sentence has a content word (`keep_empty`: a day without rows then)."""
        client = self.client_
        parts = [articles[k : k + self.part_articles] for k in range(0, len(articles), self.part_articles)]
        [fitted] = client.scatter([splitter], broadcast=True)
        # A few parts at a time: scattering them all at once pickled the whole day on the client
        # first (a million articles: from 5 to 12 GB).
        article_parts = [
            future
            for k in range(0, len(parts), SCATTER_PARTS)
            for future in client.scatter(parts[k : k + SCATTER_PARTS], hash=False)
        ]
        del parts
        _release_freed_memory()  # the parts' pickled copies
        sentence_parts = client.map(_split_part, article_parts, splitter=fitted)
        analysed_parts = client.map(_analyse_part, sentence_parts, language=lexicon.code)
        terms = client.gather(client.map(part_terms, analysed_parts))
        sizes = client.gather(client.map(_count, sentence_parts))
        n_sentences = sum(sizes)
        if not n_sentences or not any(frequency for _, frequency in terms):
            return DaskDay(client, article_parts, sentence_parts, None, [], {}, 0) if keep_empty else None
        vocabulary = day_vocabulary(terms, n_sentences)
        shared = client.scatter([vocabulary], broadcast=True)[0]
        row_parts = client.map(part_rows, analysed_parts, vocabulary=shared)
        vector_parts = client.map(_part_article_vectors, article_parts, sentence_parts, row_parts)
        idf = dict(zip(vocabulary.columns, vocabulary.idf.tolist(), strict=True))
        return DaskDay(client, article_parts, sentence_parts, row_parts, vector_parts, idf, n_sentences)


class DaskDay:
    """A day kept on the workers: its parts (articles, sentences, rows, articles' vectors), then,
    once grouped, its story buckets."""

    def __init__(
        self,
        client: Any,
        article_parts: list[Any],
        sentence_parts: list[Any],
        row_parts: list[Any] | None,
        vector_parts: list[Any],
        idf: dict[str, float],
        n_sentences: int,
    ):
        self.client = client
        self.article_parts = article_parts
        self.sentence_parts = sentence_parts
        self.row_parts = row_parts
        self.vector_parts = vector_parts
        self.idf = idf
        self.n_sentences = n_sentences
        self.article_rows = _DaskArticleRows(client, vector_parts, client.gather(client.map(len, article_parts)))
        self._idf_shared: Any = None
        self._buckets: list[Any] = []
        self._bucket_of = np.zeros(0, dtype=np.int64)  # each story's bucket, once grouped

    def group(self, labels: np.ndarray, n_stories: int) -> None:
        """Shuffle the parts into buckets of whole stories (`_bucket_of_stories`); the parts are let go."""
        client = self.client
        workers = max(1, len(client.nthreads()))
        sizes = np.bincount(labels, minlength=n_stories)
        self._bucket_of = _bucket_of_stories(sizes, BUCKETS_PER_WORKER * workers, BUCKET_ARTICLES)
        buckets = int(self._bucket_of.max()) + 1 if n_stories else 1
        offsets = self.article_rows.offsets
        pieces = [
            client.submit(
                _story_pieces, articles, sentences, rows, vectors, labels[offsets[p] : offsets[p + 1]],
                self._bucket_of[labels[offsets[p] : offsets[p + 1]]], buckets, pure=False,
            )
            for p, (articles, sentences, rows, vectors) in enumerate(
                zip(self.article_parts, self.sentence_parts, self.row_parts or [], self.vector_parts, strict=True)
            )
        ]  # fmt: skip
        # Each part's share of every bucket is taken as soon as the part is cut (a higher priority
        # than cutting the next part), while the cut part is in memory: taken bucket after bucket,
        # every cut part, which holds all the buckets' shares, was read back from disk once a bucket.
        shares = [
            [client.submit(operator.getitem, piece, b, pure=False, priority=1) for b in range(buckets)]
            for piece in pieces
        ]
        del pieces
        self._buckets = [client.submit(_story_bucket, *[share[b] for share in shares]) for b in range(buckets)]
        [self._idf_shared] = client.scatter([self.idf], broadcast=True)
        self.article_parts = self.sentence_parts = self.vector_parts = self.article_rows.parts = []
        self.row_parts = None

    def map_stories(self, function: Callable[..., Any], stories: list[int], **arguments: Any) -> list[Any]:
        """`function(draft, idf, **arguments)` for each story, on the worker holding the story's bucket."""
        client = self.client
        asked: dict[int, list[int]] = {}
        for story in stories:
            asked.setdefault(int(self._bucket_of[story]), []).append(story)
        futures = {
            b: client.submit(_map_bucket, self._buckets[b], function, wanted, self._idf_shared, arguments, pure=False)
            for b, wanted in asked.items()
        }
        answers: dict[int, Any] = {}
        for b, future in futures.items():
            answers.update(zip(asked[b], future.result(), strict=True))
            future.release()
        return [answers[story] for story in stories]


class _DaskArticleRows(ArticleRows):
    """The articles' vectors, part by part on the workers (`offsets[p]`: the first article of part p)."""

    def __init__(self, client: Any, parts: list[Any], sizes: list[int]):
        self.client = client
        self.parts = parts
        self.offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        self.n_rows = int(self.offsets[-1])

    def term_counts(self) -> np.ndarray:
        """Summed on the workers, two parts' counts at a time (a vocabulary-long array a part: the
        client receives one, not one per part)."""
        client = self.client
        counts = client.map(_term_counts, self.parts)
        while len(counts) > 1:
            pairs = [counts[k : k + 2] for k in range(0, len(counts), 2)]
            counts = [client.submit(operator.add, *pair, pure=False) if len(pair) == 2 else pair[0] for pair in pairs]
        return client.gather(counts[0]) if counts else np.zeros(0, dtype=np.int64)

    def _by_part(self, index: np.ndarray) -> list[tuple[int, np.ndarray, slice]]:
        """(part, positions within it, slice of `index`) for each part some of the (increasing) positions fall in."""
        bounds = np.searchsorted(index, self.offsets)
        return [
            (p, index[bounds[p] : bounds[p + 1]] - self.offsets[p], slice(bounds[p], bounds[p + 1]))
            for p in range(len(self.parts))
            if bounds[p + 1] > bounds[p]
        ]

    def take(self, index: np.ndarray) -> sp.csr_matrix:
        client = self.client
        futures = [client.submit(_take_rows, self.parts[p], local, pure=False) for p, local, _ in self._by_part(index)]
        return sp.vstack(client.gather(futures), format="csr")

    def closest(self, index: np.ndarray, days: np.ndarray, joiner: StoryJoiner) -> np.ndarray:
        client = self.client
        [shared] = client.scatter([joiner], broadcast=True)
        futures = [
            client.submit(_closest, self.parts[p], local, days[where], shared, pure=False)
            for p, local, where in self._by_part(index)
        ]
        found = client.gather(futures)
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


class _StallWatch(threading.Thread):
    """Stops a run whose every worker has been paused for `patience` seconds while it waits on them.

    A worker pauses (runs no task) while its process's memory is past Dask's pause threshold
    (by default 80% of its limit) and spills its data to disk to come back under it. Memory that
    is not Dask's data cannot be spilled: when that alone keeps every worker past the threshold,
    no task ever runs again and the run would wait for ever (a million-article day's workers did,
    held up by a cache, until it was emptied by hand). So the watch asks the scheduler every
    `every` seconds, and once every worker has been paused for `patience` while some task of this
    client was pending, cancels the client's tasks with the reason, which the run reports as the
    day's failure.
    """

    def __init__(self, client: Any, patience: float, every: float | None = None):
        super().__init__(name="summarise-dask-stall-watch", daemon=True)
        self.client = client
        self.patience = patience
        self.every = every if every is not None else max(0.1, min(15.0, patience / 10))
        self._stopped = threading.Event()

    def stop(self) -> None:
        """Stop watching; waits a little for the thread (a daemon: one stuck asking a silent scheduler is left)."""
        self._stopped.set()
        if self.is_alive() and self is not threading.current_thread():
            self.join(timeout=self.every + 5.0)

    def run(self) -> None:
        import time

        paused_since = None
        while not self._stopped.wait(self.every):
            stalled = self._stalled()
            if not stalled:
                paused_since = None
                continue
            now = time.monotonic()
            paused_since = now if paused_since is None else paused_since
            if now - paused_since >= self.patience:
                self._cancel_everything(
                    f"every Dask worker paused for {self.patience:g} s, its memory past Dask's pause threshold "
                    "and not coming down (give the workers more memory, or more workers)"
                )
                return

    def _stalled(self) -> bool:
        """Whether some task of this client is pending and every worker is paused (False when unsure)."""
        client = self.client
        try:
            if not any(state.status == "pending" for state in list(client.futures.values())):
                return False
            # Asked of the scheduler each time: the client's cached identity is refreshed in the
            # background without its workers.
            workers = client.sync(client.scheduler.identity, n_workers=-1)["workers"].values()
        except Exception:  # a scheduler that does not answer is the run's to report, not the watch's
            return False
        return bool(workers) and all(worker.get("status") == "paused" for worker in workers)

    def _cancel_everything(self, reason: str) -> None:
        try:
            from distributed import Future

            futures: list[Any] = [Future(key, self.client) for key in list(self.client.futures)]
            self.client.cancel(futures, reason=reason)
        except Exception as error:  # a client closing under the watch has nothing left to cancel
            log.debug("the stall watch could not cancel: %s", error)


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = True


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off while a task makes its many short-lived objects.

    A task splitting a part makes hundreds of thousands of objects that outlive a young
    collection (a part's Sentences, until they become columns), and every so many of those set
    off a full collection, which walks everything the worker holds: each list of a held part's
    sentences item by item. On a million-article day a worker holding up to 250 parts spent 555 s
    of 1,140 s of splitting (from ten minutes in to the end) in 217 full collections, timed with
    `gc.callbacks` (py-spy had put 24% of its samples there). With the collector paused, those
    objects are freed by their reference counts (none of them is in a cycle) before it runs again,
    and no collection comes while a task runs. The collector is off in the whole process while any
    such task runs: on a worker with several threads, whose tasks overlap, that can be a whole
    stage, its other tasks and Dask's own work included. A task function takes it as its
    decorator, `@_cycle_collection_paused()`.
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


@_cycle_collection_paused()
def _read_batch(paths: list[str], today: dt.date, settings: Any) -> list[Any]:
    """On a worker: read these files as the local engine does, keeping each one's log lines to be
    said by the client, in order."""
    from ..readers.pool import _read_file_task

    out = []
    with _CapturedLog() as captured:  # once a batch: setting a logger's level clears every logger's cache
        for path in paths:
            found, skipped, _ = _read_file_task((path, today, False, settings), capture=False)
            out.append((found, skipped, captured.take()))
    return out


class _CapturedLog(logging.Handler):
    """The records the "summarise" loggers make in this thread while in the block, as (level,
    message), every level: the client says them through its own handlers, which choose. A worker
    may run several tasks at once in threads: the logger stays at DEBUG while any of them captures."""

    _lock = threading.Lock()
    _open = 0
    _level_before = logging.NOTSET

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.thread = threading.get_ident()
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.records.append((record.levelno, record.getMessage()))

    def take(self) -> list[tuple[int, str]]:
        """The records made since the last take."""
        taken, self.records = self.records, []
        return taken

    def __enter__(self) -> _CapturedLog:
        logger = logging.getLogger("summarise")
        with _CapturedLog._lock:
            if _CapturedLog._open == 0:
                _CapturedLog._level_before = logger.level
                logger.setLevel(logging.DEBUG)
            _CapturedLog._open += 1
            logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logger = logging.getLogger("summarise")
        with _CapturedLog._lock:
            logger.removeHandler(self)
            _CapturedLog._open -= 1
            if _CapturedLog._open == 0:
                logger.setLevel(_CapturedLog._level_before)


# Sentences travel as plain tuples of their fields, in columns: unpickling a frozen dataclass
# sets each field through object.__setattr__, which made gathering a big day's sentences cost
# more than splitting them.
SentenceColumns = tuple[list[str], list[str], list[int], list[int], list[float]]


@_cycle_collection_paused()
def _split_part(articles: list[Article], splitter: Any) -> SentenceColumns:
    from ..split import split_articles

    found = split_articles(articles, splitter, jobs=1)
    return (
        [s.text for s in found],
        [s.article_id for s in found],
        [s.position for s in found],
        [s.paragraph for s in found],
        [s.relative_position for s in found],
    )


def _gather_sentences(client: Any, parts: list[Any]) -> list[Sentence]:
    return [Sentence(*fields) for columns in client.gather(parts) for fields in zip(*columns, strict=True)]


@_cycle_collection_paused()
def _analyse_part(columns: SentenceColumns, language: str) -> AnalysedTexts:
    return analyse_texts(columns[0], lexicon_for(language))


def _count(columns: SentenceColumns) -> int:
    return len(columns[0])


@_cycle_collection_paused()
def _part_article_vectors(articles: list[Article], columns: SentenceColumns, rows: sp.csr_matrix) -> sp.csr_matrix:
    """The part's articles' vectors: each the sum of its sentences' rows, of unit length, as the
    local engine makes them for the whole day (a row's sum depends on that article's rows alone)."""
    sentences = [Sentence(text, article_id, 0, 0, 0.0) for text, article_id in zip(columns[0], columns[1], strict=True)]
    return article_vectors(rows, sentences, [a.id for a in articles])


def _term_counts(vectors: sp.csr_matrix) -> np.ndarray:
    return np.bincount(vectors.indices, minlength=vectors.shape[1])


def _take_rows(vectors: sp.csr_matrix, index: np.ndarray) -> sp.csr_matrix:
    return vectors[index]


def _closest(vectors: sp.csr_matrix, index: np.ndarray, days: np.ndarray, joiner: StoryJoiner) -> np.ndarray:
    return joiner.closest(vectors[index], days)


# A story's share of one part: its articles and their vectors, its sentences (as columns) and their rows.
StoryPiece = tuple[list[Article], sp.csr_matrix, SentenceColumns, sp.csr_matrix]


@_cycle_collection_paused()
def _story_pieces(
    articles: list[Article],
    columns: SentenceColumns,
    rows: sp.csr_matrix,
    vectors: sp.csr_matrix,
    labels: np.ndarray,
    article_buckets: np.ndarray,
    buckets: int,
) -> list[dict[int, StoryPiece]]:
    """The part cut by story, for each bucket the pieces of its stories (`article_buckets`: each
    article's story's bucket)."""
    row_of = {article.id: row for row, article in enumerate(articles)}
    sentence_story = labels[[row_of[article_id] for article_id in columns[1]]].astype(np.int64)
    stories = np.unique(labels)
    members, lines = _grouped(labels, stories), _grouped(sentence_story, stories)
    out: list[dict[int, StoryPiece]] = [{} for _ in range(buckets)]
    for story, its_articles, its_lines in zip(stories.tolist(), members, lines, strict=True):
        taken = its_lines.tolist()
        piece_columns: Any = tuple([column[i] for i in taken] for column in columns)
        out[int(article_buckets[its_articles[0]])][story] = (
            [articles[i] for i in its_articles.tolist()], vectors[its_articles], piece_columns, rows[its_lines]
        )  # fmt: skip
    return out


def _bucket_of_stories(sizes: np.ndarray, least: int, most_articles: int) -> np.ndarray:
    """Each story's bucket, from the stories' sizes in articles: the biggest story first, each goes
    to the bucket with the fewest articles so far (the first such), or to a new bucket when that
    would take one already holding stories past `most_articles`. At least `least` buckets are
    filled (fewer when there are fewer stories); a story bigger than `most_articles` is alone in
    its bucket. Balancing by size keeps two big stories out of one bucket, which story number
    modulo the buckets did not."""
    import heapq

    start = max(1, min(len(sizes), least))
    lightest = [(0, b) for b in range(start)]  # (articles so far, bucket), a heap
    bucket_of = np.zeros(len(sizes), dtype=np.int64)
    for story in np.argsort(-np.asarray(sizes), kind="stable").tolist():
        size = int(sizes[story])
        held, bucket = lightest[0]
        if held and held + size > most_articles:
            bucket = len(lightest)
            heapq.heappush(lightest, (size, bucket))
        else:
            heapq.heapreplace(lightest, (held + size, bucket))
        bucket_of[story] = bucket
    return bucket_of


def _grouped(labels: np.ndarray, stories: np.ndarray) -> list[np.ndarray]:
    """For each of the (increasing) stories, the positions of its labels, in increasing order."""
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.append(stories, np.iinfo(np.int64).max))
    return [order[bounds[k] : bounds[k + 1]] for k in range(len(stories))]


@_cycle_collection_paused()
def _story_bucket(*pieces: dict[int, StoryPiece]) -> dict[int, list[StoryPiece]]:
    """A bucket's stories, each with its pieces from every part, in the parts' (the day's) order."""
    stories: dict[int, list[StoryPiece]] = {}
    for part in pieces:
        for story, piece in part.items():
            stories.setdefault(story, []).append(piece)
    _release_freed_memory()  # the pieces' transfer buffers
    return stories


class _PiecesDraft(StoryDraft):
    """A story's draft from its pieces, in order. Its sentences and matrices are put together only
    when asked for: a story only listed is named from its articles' headlines alone, and building
    a big story's sentences to list it cost more than listing it."""

    def __init__(self, pieces: list[StoryPiece]):
        self.pieces = pieces
        self.articles = [article for piece in pieces for article in piece[0]]

    @functools.cached_property
    def article_matrix(self) -> sp.csr_matrix:
        return sp.vstack([piece[1] for piece in self.pieces], format="csr")

    @functools.cached_property
    def sentences(self) -> list[Sentence]:  # type: ignore[override]  # set once, as the base's attribute is
        return [Sentence(*fields) for piece in self.pieces for fields in zip(*piece[2], strict=True)]

    @functools.cached_property
    def sentence_matrix(self) -> sp.csr_matrix:
        return sp.vstack([piece[3] for piece in self.pieces], format="csr")

    @property
    def n_sentences(self) -> int:
        """The story's sentences, counted without building them."""
        return sum(len(piece[2][0]) for piece in self.pieces)


@_cycle_collection_paused()
def _map_bucket(
    bucket: dict[int, list[StoryPiece]],
    function: Callable[..., Any],
    stories: list[int],
    idf: dict[str, float],
    arguments: dict[str, Any],
) -> list[Any]:
    """On a worker: `function(draft, idf, **arguments)` for each of these stories of the bucket."""
    told = []
    for story in stories:
        draft = _PiecesDraft(bucket[story])
        told.append(function(draft, idf, **arguments))
        if draft.n_sentences >= BIG_STORY_SENTENCES:
            _release_freed_memory()  # a big story's working arrays, freed
    return told


def _release_freed_memory() -> None:
    """Give the heap's freed pages back to the system (glibc's `malloc_trim`; elsewhere nothing).

    Unpickled parts and a story's working arrays are freed as many small blocks, which glibc keeps
    for the process: on a million-article day 1.6 GB a worker and 3.7 GB on the client were freed
    memory still held, enough with the rest to exhaust a 24 GB machine.
    """
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _libc() -> Any:
    """glibc, loaded once (None where there is no glibc)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 - a C library without it is not glibc
        return libc
    except (OSError, AttributeError):
        return None
