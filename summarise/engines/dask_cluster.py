"""The Dask engine: reading, splitting and vectorising a day on a Dask cluster, part by part.

The day's files are read in batches on the workers; the articles are cut into parts of
`part_articles`, each split into sentences and analysed into terms on a worker, where they stay.
Only each part's terms and document frequencies travel to the client, which sums them into the
day's vocabulary and IDF and sends that back; every worker then makes its own part's TF-IDF rows.
The sentences and rows are gathered last, for the steps that look at the whole day.

Everything is computed as the local engine computes it (vectorise.py explains how the rows come
out the same bit for bit), so the digest is the same bytes on either engine.

Workers need `summarise` installed (``pip install 'summarise[dask]'``, the same version as the
client) and must see the input files at the same paths (a shared or copied folder). Feeds whose
entries' pages are fetched (`--fetch`) are read on the client, where the fetch deadline and the
cache live.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Iterator
from typing import Any

import scipy.sparse as sp

from ..language import lexicon_for
from ..models import Article, Sentence
from ..text import ENGLISH, Lexicon
from ..vectorise import Vocabulary, analyse_texts, day_vocabulary, part_rows, part_terms
from . import EngineUnavailable

log = logging.getLogger(__name__)

# Files read per task, and articles split and vectorised per part: big enough that a task's
# overhead (a few milliseconds) is small beside its work, small enough that a day spreads over
# every worker.
FILES_PER_TASK = 200
PART_ARTICLES = 2000
# What must be the same on the client and every worker for the same bytes to come out.
_SAME_VERSIONS = (
    "summarise", "scikit-learn", "nltk", "PyStemmer", "numpy", "scipy", "trafilatura", "py3langid", "stop-words",
)  # fmt: skip


def _quiet_dask_loggers() -> dict[str, int]:
    """Raise Dask's loggers ("distributed" and every one under it that exists) to ERROR; returns
    their levels before, to be put back."""
    names = ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]
    before = {}
    for name in names:
        logger = logging.getLogger(name)
        before[name] = logger.level
        logger.setLevel(max(logging.ERROR, logger.getEffectiveLevel()))
    return before


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
    """

    def __init__(
        self,
        scheduler: str | None = None,
        part_articles: int = PART_ARTICLES,
        files_per_task: int = FILES_PER_TASK,
        connect_timeout: float = 30.0,
        n_workers: int | None = None,
    ):
        self.scheduler = scheduler
        self.part_articles = part_articles
        self.files_per_task = files_per_task
        self.connect_timeout = connect_timeout
        self.n_workers = n_workers

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
                self.cluster_ = LocalCluster(
                    n_workers=self.n_workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # any free port: a second cluster on the machine must not clash
                    silence_logs=logging.ERROR,
                )
                self.client_ = Client(self.cluster_)
            else:
                self.client_ = Client(self.scheduler, timeout=f"{self.connect_timeout}s")
            _check_versions(self.client_)
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

    def __exit__(self, *exc: object) -> None:
        client, cluster = getattr(self, "client_", None), getattr(self, "cluster_", None)
        try:
            if client is not None:
                del self.client_
                client.close()
        finally:
            self.cluster_ = None
            try:
                if cluster is not None:
                    cluster.close()
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

    def split_and_vectorise(
        self, articles: list[Article], splitter: Any, lexicon: Lexicon | None = None
    ) -> tuple[list[Sentence], tuple[sp.csr_matrix, dict[str, float]] | None]:
        """Every sentence of the articles, and their TF-IDF rows with each term's IDF (None when no
        sentence has a content word), made part by part on the workers; words weighed in the
        lexicon's language."""
        client = self.client_
        parts = [articles[k : k + self.part_articles] for k in range(0, len(articles), self.part_articles)]
        if not parts:
            return [], None
        [fitted] = client.scatter([splitter], broadcast=True)
        sentence_parts = client.map(_split_part, client.scatter(parts, hash=False), splitter=fitted)
        analysed_parts = client.map(_analyse_part, sentence_parts, language=(lexicon or ENGLISH).code)
        terms = client.gather(client.map(part_terms, analysed_parts))
        sizes = client.gather(client.map(_count, sentence_parts))
        n_sentences = sum(sizes)
        if not n_sentences or not any(frequency for _, frequency in terms):
            return _gather_sentences(client, sentence_parts), None
        vocabulary = day_vocabulary(terms, n_sentences)
        shared = client.scatter([vocabulary], broadcast=True)[0]
        row_parts = client.map(_part_rows, analysed_parts, vocabulary=shared)
        sentences = _gather_sentences(client, sentence_parts)
        matrix = sp.vstack(client.gather(row_parts), format="csr")
        return sentences, (matrix, dict(zip(vocabulary.columns, vocabulary.idf.tolist(), strict=True)))


def _read_batch(paths: list[str], today: dt.date, settings: Any) -> list[Any]:
    """On a worker: read these files as the local engine does, keeping each one's log lines to be
    said by the client, in order."""
    from ..readers.pool import _read_file_task

    out = []
    for path in paths:
        with _CapturedLog() as said:
            found, skipped, _ = _read_file_task((path, today, False, settings), capture=False)
        out.append((found, skipped, said))
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

    def __enter__(self) -> list[tuple[int, str]]:
        logger = logging.getLogger("summarise")
        with _CapturedLog._lock:
            if _CapturedLog._open == 0:
                _CapturedLog._level_before = logger.level
                logger.setLevel(logging.DEBUG)
            _CapturedLog._open += 1
            logger.addHandler(self)
        return self.records

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


def _analyse_part(columns: SentenceColumns, language: str) -> list[list[str]]:
    return analyse_texts(columns[0], lexicon_for(language))


def _count(columns: SentenceColumns) -> int:
    return len(columns[0])


def _part_rows(analysed: list[list[str]], vocabulary: Vocabulary) -> sp.csr_matrix:
    return part_rows(analysed, vocabulary)
