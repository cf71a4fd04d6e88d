"""The whole run, stage by stage: read, clean, split, vectorise, merge, cluster, select, render, write.

`summarise_articles` is the pure core (articles in, digest out); `run` adds
the edges (files in, files out).
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

import numpy as np

from . import archive
from .clean import reads_as_prose
from .cluster import StoryClusterer, keywords
from .language import language_name
from .merge import merge_near_duplicates
from .models import Article, Digest, Sentence, Statement, Topic
from .readers import ReadResult, Skipped, read_articles
from .render import digest_data, render
from .select import CoverageSelector
from .settings import Settings
from .split import SentenceSplitter, split_articles
from .text import contains, content_stems, words
from .vectorise import article_vectors, sentence_vectorizer
from .write import LockBusy, folder_lock, remove_stale_temporaries, write_files

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_LOCKED = 75  # sysexits' EX_TEMPFAIL: another run holds the output folder; try again later


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
        log.error("%s: cannot use the output folder: %s", out, error.strerror or error)
        return EXIT_FAILED
    finally:
        gc.unfreeze()


def _run_locked(settings: Settings, out: Path) -> int:
    clock = StageClock()
    read = read_inputs(settings)
    clock.lap("read")
    readable = in_language(read.articles, SUMMARISED_LANGUAGES, read.skipped)
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
    if undated:
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
    digest = summarise_articles(articles, settings)
    clock.last = time.perf_counter()
    if not digest.topics:
        log.error("nothing to summarise: the articles hold no whole sentences to pick")
        return EXIT_FAILED
    stem = f"digest-{digest.date.isoformat() if digest.date else 'undated'}"
    files = {f"{stem}.{fmt}": render(digest, fmt) for fmt in settings.formats}
    clock.lap("render")
    try:
        written = write_files(out, files)
        manifest = archive.updated_manifest(archive.read_manifest(out), digest.date, digest_data(digest))
        written += write_files(out, {archive.MANIFEST: archive.manifest_bytes(manifest)})
        listed = archive.entries(out, manifest)
        written += write_files(out, archive.pages(out, listed, settings.base_url))
    except OSError as error:
        log.error("%s: cannot write the digest: %s", out, error.strerror or error)
        return EXIT_FAILED
    clock.lap("write")
    for path in written:
        log.info("wrote %s", path)
    return EXIT_OK


def read_inputs(settings: Settings) -> ReadResult:
    """Every article in the run's inputs, read as its settings say (fetching, cache, workers)."""
    return read_articles(
        settings.inputs,
        fetch=settings.fetch,
        cache=settings.cache,
        timeout=settings.timeout,
        jobs=settings.jobs or os.cpu_count() or 1,
    )


# The summariser's sentence splitter, stop words and stemmer are English ones.
SUMMARISED_LANGUAGES = frozenset({"en"})


def in_language(articles: list[Article], languages: frozenset[str], skipped: list[Skipped]) -> list[Article]:
    """The articles in one of `languages` (or too short to tell); each other one named and tallied."""
    kept = []
    for article in articles:
        if article.language is None or article.language in languages:
            kept.append(article)
        else:
            name = language_name(article.language)
            log.warning("%s: skipped: not in English (looks like %s); left out", article.path, name)
            skipped.append(Skipped(article.path, "not English"))
    return kept


def in_window(articles: list[Article], end: dt.date | None, days: int = 1) -> list[Article]:
    """The articles dated within the `days` days ending at `end` (all of them when `end` is None)."""
    if end is None:
        return list(articles)
    start = end - dt.timedelta(days=max(days, 1) - 1)
    return [a for a in articles if a.date is not None and start <= a.date <= end]


def describe_window(end: dt.date, days: int) -> str:
    if days <= 1:
        return end.isoformat()
    return f"{(end - dt.timedelta(days=days - 1)).isoformat()} to {end.isoformat()}"


def report_skipped(skipped: list[Skipped]) -> None:
    """One closing line that counts the inputs left out, by reason (each was named as it happened)."""
    if not skipped:
        return
    reasons = Counter(s.reason for s in skipped)
    tally = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    log.warning("skipped %d input%s: %s", len(skipped), "" if len(skipped) == 1 else "s", tally)


def prose_only(articles: list[Article]) -> list[Article]:
    """The articles with only the paragraphs that read as prose: the reader keeps an article's
    headings, labels and captions, which carry no sentence to tell and would only blur its words."""
    kept = []
    for article in articles:
        paragraphs = tuple(p for p in article.paragraphs if reads_as_prose(p))
        same = paragraphs == article.paragraphs
        kept.append(article if same else dataclasses.replace(article, paragraphs=paragraphs))
    return kept


def number_articles(articles: list[Article]) -> list[Article]:
    """Articles in a stable order (date, then path), numbered "1", "2", ... for citing."""
    ordered = sorted(articles, key=lambda a: (a.date or dt.date.max, a.path))
    return [dataclasses.replace(a, id=str(n)) for n, a in enumerate(ordered, start=1)]


def summarise_articles(articles: list[Article], settings: Settings, selection: dict | None = None) -> Digest:
    """The digest of these articles: pure, deterministic, no I/O.

    `selection` overrides the `CoverageSelector`'s defaults (the evaluation tunes them this way).
    """
    articles = number_articles(prose_only(articles))
    dates = [a.date for a in articles if a.date is not None]
    digest_date = settings.date or (max(dates) if dates else None)
    by_id = {a.id: a for a in articles}

    clock = StageClock()
    splitter = SentenceSplitter().fit(p for a in articles for p in a.paragraphs)
    sentences = split_articles(articles, splitter, jobs=settings.jobs or os.cpu_count() or 1)
    clock.lap("split")
    if not sentences:
        return Digest(date=digest_date, articles=tuple(articles), topics=())
    vectorizer = sentence_vectorizer()
    try:
        sentence_matrix = vectorizer.fit_transform([s.text for s in sentences]).tocsr()
    except ValueError:  # no content words at all
        return Digest(date=digest_date, articles=tuple(articles), topics=())
    idf = dict(zip(vectorizer.get_feature_names_out(), vectorizer.idf_, strict=True))
    clock.lap("vectorise")

    statements = merge_near_duplicates(sentences, sentence_matrix)
    statement_matrix = sentence_matrix[[s.shown for s in statements]]
    clock.lap("merge")

    article_ids = [a.id for a in articles]
    article_matrix = article_vectors(sentence_matrix, sentences, article_ids)
    clusterer = StoryClusterer().fit(article_matrix, [a.date for a in articles])
    story_of_article = dict(zip(article_ids, clusterer.labels_.tolist(), strict=True))
    story_articles: list[list[str]] = [[] for _ in range(clusterer.n_stories_)]
    for article_id, story in story_of_article.items():
        story_articles[story].append(article_id)
    story_statements: list[list[int]] = [[] for _ in range(clusterer.n_stories_)]
    for index, statement in enumerate(statements):
        story_statements[_story_of(statement, sentences, story_of_article)].append(index)
    clock.lap("cluster")

    # Bigger stories first, then newer ones; the order is also the selection order.
    def importance(story: int) -> tuple:
        newest = max((by_id[i].date for i in story_articles[story] if by_id[i].date), default=dt.date.min)
        return (-len(story_articles[story]), -newest.toordinal(), story)

    order = sorted(range(clusterer.n_stories_), key=importance)
    selector = CoverageSelector(
        max_words=settings.max_words, fill_budget=settings.fill_budget, **(selection or {})
    ).fit(
        stories=[story_statements[k] for k in order],
        statements=statements,
        statement_matrix=statement_matrix,
        sentences=sentences,
        voices={a.id: a.source for a in articles if a.source},
    )
    clock.lap("select")

    article_words = _LazyWords(by_id)
    topics = []
    for story, picked in zip(order, selector.selected_, strict=True):
        if not picked:
            continue
        # Carriers are looked for among the story's articles and the statement's own variants: an
        # article of another story that carried the wording would have been merged into it.
        chosen = []
        for i in picked:
            candidates = set(story_articles[story]) | {sentences[v].article_id for v in statements[i].variants}
            chosen.append(_cite_carriers(statements[i], {a: article_words[a] for a in sorted(candidates, key=int)}))
        chosen.sort(key=lambda s: _reading_order(s, by_id))
        members = story_articles[story]
        texts = [sentences[v].text for i in story_statements[story] for v in statements[i].variants]
        story_keywords = keywords(texts, idf)
        label = _label(members, by_id, article_matrix) or ", ".join(story_keywords[:3])
        topics.append(
            Topic(
                label=label,
                keywords=story_keywords,
                article_ids=tuple(members),
                statements=tuple(_lead_with_label(chosen, label)),
            )
        )
    clock.lap("cite")
    return Digest(date=digest_date, articles=tuple(articles), topics=tuple(topics))


class _LazyWords(dict):
    """Each article's words, worked out the first time they are needed."""

    def __init__(self, by_id: dict[str, Article]) -> None:
        super().__init__()
        self.by_id = by_id

    def __missing__(self, article_id: str) -> list[str]:
        value = self[article_id] = words(" ".join(self.by_id[article_id].paragraphs))
        return value


class StageClock:
    """Reports, at -v, how long each stage took (the benchmark reads these lines)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        log.info("stage %s: %.3f s", stage, now - self.last)
        self.last = now


def _story_of(statement: Statement, sentences: list[Sentence], story_of_article: dict[str, int]) -> int:
    """The story most of a statement's variants come from (ties: the shown variant's)."""
    votes = Counter(story_of_article[sentences[v].article_id] for v in statement.variants)
    shown = story_of_article[statement.sentence.article_id]
    return max(votes, key=lambda story: (votes[story], story == shown, -story))


def _cite_carriers(statement: Statement, article_words: dict[str, list[str]]) -> Statement:
    """The statement citing exactly the articles whose text carries its wording.

    Merging finds the carriers among near-duplicate sentences; this last
    check also catches an article that carries the wording inside a sentence
    of its own that was split or edited differently.
    """
    needle = words(statement.text)
    carriers = [aid for aid, hay in article_words.items() if contains(hay, needle)]
    if statement.sentence.article_id not in carriers:  # words() of itself always match; kept as a guard
        carriers.append(statement.sentence.article_id)
    carriers.sort(key=int)
    return dataclasses.replace(statement, citations=tuple(carriers))


def _reading_order(statement: Statement, by_id: dict[str, Article]) -> tuple:
    article = by_id[statement.sentence.article_id]
    return (article.date or dt.date.max, statement.sentence.relative_position, int(article.id))


def _lead_with_label(chosen: list[Statement], label: str) -> list[Statement]:
    """The statements in reading order, but opening with the one that tells what the label says.

    A reader takes the label and the first sentence together: the statement sharing the most of the
    label's content words goes first (ties: the earlier in reading order); none sharing any, the order stays.
    """
    wanted = set(content_stems(label))
    shared = [len(wanted.intersection(content_stems(s.text))) for s in chosen]
    if not shared or max(shared) == 0:
        return chosen
    first = shared.index(max(shared))
    return [chosen[first], *chosen[:first], *chosen[first + 1 :]]


def _label(members: list[str], by_id: dict[str, Article], article_matrix) -> str | None:
    """The headline of the article closest to the story's centre.

    Articles are numbered from 1 in matrix row order, so row = int(id) - 1.
    """
    titled = [i for i in members if by_id[i].title]
    if not titled:
        return None
    block = article_matrix[[int(i) - 1 for i in titled]]
    centre = np.asarray(block.mean(axis=0))
    closeness = np.asarray(block @ centre.T).ravel()
    best = min(range(len(titled)), key=lambda k: (-round(float(closeness[k]), 12), int(titled[k])))
    return by_id[titled[best]].title
