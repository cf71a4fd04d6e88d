"""Where the day's heavy steps run: in this process (and its forked workers), or on a Dask cluster.

An engine holds a day's text where it does the work: it reads the input files, splits the
articles into sentences and turns the sentences into TF-IDF rows, and keeps them as a `Day`.
The `Summariser` then asks the day for what the story clustering needs (`Day.article_rows`: a
sample of the articles' vectors brought to it, every other article joined to a story where it
lies), has it gather each story's articles and sentences (`Day.group`), and runs its per-story
steps (merging near-duplicates, choosing sentences, naming the story) on the stories where
they are (`Day.map_stories`). Whatever the engine, every step sees the same numbers, bit for
bit, so the digest is the same bytes.

`ENGINES` names them for the command line (`--engine`); `engine_for` builds one from a run's
settings. The Dask engine needs the optional extra: ``pip install 'summarise[dask]'``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp

    from ..cluster import ArticleRows
    from ..models import Article, Sentence
    from ..readers.pool import FetchSettings, FileRead
    from ..split import SentenceSplitter
    from ..text import Lexicon

ENGINES = ("local", "dask")


class EngineUnavailable(RuntimeError):
    """The engine asked for cannot run here (its library is missing, its cluster unreachable)."""


class StoryDraft:
    """Everything one story's telling needs: its articles and their vectors, and its sentences and
    their TF-IDF rows, each in the day's order (a sentence's `article_id` is one of the articles')."""

    def __init__(
        self,
        articles: list[Article],
        article_matrix: sp.csr_matrix,
        sentences: list[Sentence],
        sentence_matrix: sp.csr_matrix,
    ):
        self.articles = articles
        self.article_matrix = article_matrix
        self.sentences = sentences
        self.sentence_matrix = sentence_matrix


class Day(Protocol):
    """One language's articles of a day, split and vectorised, held by an engine."""

    @property
    def n_sentences(self) -> int:
        """The day's sentences."""
        ...

    @property
    def article_rows(self) -> ArticleRows:
        """The articles' vectors, for the story clustering."""
        ...

    def group(self, labels: np.ndarray, n_stories: int) -> None:
        """Gather each story's articles and sentences (`labels`: each article's story, numbered 0 to n_stories - 1)."""
        ...

    def map_stories(self, function: Callable[..., Any], stories: list[int], **arguments: Any) -> list[Any]:
        """`function(draft, idf, **arguments)` for each of these stories' `StoryDraft`, in their order."""
        ...


class Engine(Protocol):
    """The steps an engine runs; each gives the same result whatever the engine."""

    @property
    def failures(self) -> tuple[type[BaseException], ...]:
        """What the engine raises when its own machinery fails (a worker lost, its data gone)."""
        ...

    def read_files(self, paths: list[str], today: dt.date, fetch: bool, settings: FetchSettings) -> Iterator[FileRead]:
        """Each file's articles, what it skipped and what it said, in the order of `paths`."""
        ...

    def split_and_vectorise(
        self, articles: list[Article], splitter: SentenceSplitter, lexicon: Lexicon | None = None
    ) -> tuple[list[Sentence], tuple[sp.csr_matrix, dict[str, float]] | None]:
        """Every sentence of the articles, and their TF-IDF rows (words weighed in the lexicon's
        language; None: English) with each term's IDF (None when no sentence has a content word)."""
        ...

    def day(self, articles: list[Article], splitter: SentenceSplitter, lexicon: Lexicon) -> Day | None:
        """The articles (all in the lexicon's language) split and vectorised, kept by the engine;
        None when no sentence has a content word."""
        ...


class LocalEngine:
    """This process, with `jobs` forked worker processes for reading and splitting a big day."""

    failures: tuple[type[BaseException], ...] = ()

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

    def day(self, articles: list[Article], splitter: SentenceSplitter, lexicon: Lexicon) -> LocalDay | None:
        """The articles split and vectorised, in this process."""
        sentences, vectorised = self.split_and_vectorise(articles, splitter, lexicon)
        if vectorised is None:
            return None
        return LocalDay(articles, sentences, *vectorised)


class LocalDay:
    """A day held in this process: the sentences, their rows, and the articles' vectors."""

    def __init__(
        self, articles: list[Article], sentences: list[Sentence], matrix: sp.csr_matrix, idf: dict[str, float]
    ):
        from ..cluster import MatrixRows
        from ..vectorise import article_vectors

        self.articles = articles
        self.sentences = sentences
        self.matrix = matrix
        self.idf = idf
        self.n_sentences = len(sentences)
        self.article_matrix = article_vectors(matrix, sentences, [a.id for a in articles])
        self.article_rows = MatrixRows(self.article_matrix)

    def group(self, labels: np.ndarray, n_stories: int) -> None:
        row_of = {article.id: row for row, article in enumerate(self.articles)}
        sentence_story = labels[[row_of[s.article_id] for s in self.sentences]]
        self._article_rows = _members(labels, n_stories)
        self._sentence_rows = _members(np.asarray(sentence_story, dtype=np.int64), n_stories)

    def map_stories(self, function: Callable[..., Any], stories: list[int], **arguments: Any) -> list[Any]:
        return [function(self._draft(story), self.idf, **arguments) for story in stories]

    def _draft(self, story: int) -> StoryDraft:
        return _LazyDraft(self, self._article_rows[story], self._sentence_rows[story])


class _LazyDraft(StoryDraft):
    """A story of a `LocalDay`, whose rows are cut from the day's matrices only when asked for (most
    stories of a big day are named from their headline alone)."""

    def __init__(self, day: LocalDay, article_rows: np.ndarray, sentence_rows: np.ndarray):
        self.day, self.article_index, self.sentence_index = day, article_rows, sentence_rows
        self.articles = [day.articles[row] for row in article_rows]
        self.sentences = [day.sentences[row] for row in sentence_rows]

    @cached_property
    def article_matrix(self) -> sp.csr_matrix:
        return self.day.article_matrix[self.article_index]

    @cached_property
    def sentence_matrix(self) -> sp.csr_matrix:
        return self.day.matrix[self.sentence_index]


def _members(labels: np.ndarray, groups: int) -> list[np.ndarray]:
    """The positions of each group's members, in increasing order (a stable sort by group)."""
    labels = np.asarray(labels, dtype=np.int64)
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(groups + 1))
    return [order[bounds[g] : bounds[g + 1]] for g in range(groups)]


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
