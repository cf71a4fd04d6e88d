"""Where the day's heavy steps run: in this process (and its forked workers), or on a Dask cluster.

An engine does the steps whose work grows with the day and splits cleanly by article: reading
the input files, splitting the articles into sentences and turning the sentences into TF-IDF
rows. Whatever the engine, those steps give the same objects, bit for bit, so the digest is the
same bytes. The steps that look at the whole day at once (merging near-duplicates, finding the
stories, choosing sentences) run where the `Summariser` runs.

`ENGINES` names them for the command line (`--engine`); `engine_for` builds one from a run's
settings. The Dask engine needs the optional extra: ``pip install 'summarise[dask]'``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import scipy.sparse as sp

    from ..models import Article, Sentence
    from ..readers.pool import FetchSettings, FileRead
    from ..split import SentenceSplitter
    from ..text import Lexicon

ENGINES = ("local", "dask")


class EngineUnavailable(RuntimeError):
    """The engine asked for cannot run here (its library is missing, its cluster unreachable)."""


class Engine(Protocol):
    """The steps an engine runs; each gives the same result whatever the engine."""

    def read_files(self, paths: list[str], today: dt.date, fetch: bool, settings: FetchSettings) -> Iterator[FileRead]:
        """Each file's articles, what it skipped and what it said, in the order of `paths`."""
        ...

    def split_and_vectorise(
        self, articles: list[Article], splitter: SentenceSplitter, lexicon: Lexicon | None = None
    ) -> tuple[list[Sentence], tuple[sp.csr_matrix, dict[str, float]] | None]:
        """Every sentence of the articles, and their TF-IDF rows (words weighed in the lexicon's
        language; None: English) with each term's IDF (None when no sentence has a content word)."""
        ...


class LocalEngine:
    """This process, with `jobs` forked worker processes for reading and splitting a big day."""

    def __init__(self, jobs: int = 1):
        self.jobs = jobs

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def read_files(self, paths: list[str], today: dt.date, fetch: bool, settings: FetchSettings) -> Iterator[FileRead]:
        """Each file's articles, what it skipped and what it said, in the order of `paths`."""
        from ..readers.pool import read_files

        return read_files(paths, today, fetch, settings, self.jobs)

    def split_and_vectorise(
        self, articles: list[Article], splitter: SentenceSplitter, lexicon: Lexicon | None = None
    ) -> tuple[list[Sentence], tuple[sp.csr_matrix, dict[str, float]] | None]:
        """Every sentence of the articles, and their TF-IDF rows with each term's IDF."""
        from ..split import split_articles
        from ..vectorise import vectorise_sentences

        sentences = split_articles(articles, splitter, jobs=self.jobs)
        return sentences, vectorise_sentences(sentences, *([lexicon] if lexicon else []))


def engine_for(name: str, scheduler: str | None = None, jobs: int = 1) -> LocalEngine:
    """The engine called `name` ("local" or "dask"; `scheduler`: a Dask scheduler's address, or None to
    start a local cluster of `jobs` workers). Use it as a context manager: a Dask engine connects
    on entering and lets go of its cluster on leaving."""
    if name == "local":
        return LocalEngine(jobs)
    if name == "dask":
        from .dask_cluster import DaskEngine

        return DaskEngine(scheduler, n_workers=jobs)  # type: ignore[return-value]
    raise ValueError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")
