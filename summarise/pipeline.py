"""The whole run, stage by stage: read, clean, split, vectorise, merge, cluster, select, render, write.

`summarise_articles` is the pure core (articles in, digest out); `run` adds
the edges (files in, files out).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import logging
import math
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
from .models import Article, Digest, PastStory, Sentence, Statement, Topic
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
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process SIGTERM ended


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
    manifest = archive.read_manifest(out)
    dated = [a.date for a in articles if a.date]
    day = settings.date or (max(dated) if dated else None)
    digest = summarise_articles(articles, settings, previous=archive.previous_stories(manifest, day))
    clock.last = time.perf_counter()
    if not digest.topics:
        log.error("nothing to summarise: the articles hold no whole sentences to pick")
        return EXIT_FAILED
    stem = f"digest-{digest.date.isoformat() if digest.date else 'undated'}"
    files = {f"{stem}.{fmt}": render(digest, fmt) for fmt in settings.formats}
    clock.lap("render")
    try:
        written = write_files(out, files)
        manifest = archive.updated_manifest(manifest, digest.date, digest_data(digest))
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
        fetch_deadline=settings.fetch_deadline,
        jobs=settings.jobs or os.cpu_count() or 1,
        allow_private=settings.allow_private_addresses,
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
    start = window_start(end, days)
    return [a for a in articles if a.date is not None and start <= a.date <= end]


def window_start(end: dt.date, days: int) -> dt.date:
    """The first day of the `days` days ending at `end`, never before the calendar's first day."""
    return dt.date.fromordinal(max(1, end.toordinal() - (max(days, 1) - 1)))


def describe_window(end: dt.date, days: int) -> str:
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


def summarise_articles(
    articles: list[Article],
    settings: Settings,
    selection: dict | None = None,
    one_story: bool = False,
    previous: tuple[PastStory, ...] = (),
) -> Digest:
    """The digest of these articles: pure, deterministic, no I/O.

    The day's articles are grouped into stories. The `settings.max_stories` most important stories
    (told by the most outlets, then the most articles, then the newest) are each told in up to
    `settings.story_words` words, and `settings.max_words` caps the whole; every other story is
    listed in `Digest.also_reported`. `one_story` takes the articles as one story as they are (an
    evaluation cluster), with no clustering. `selection` overrides the `CoverageSelector`'s
    defaults (the evaluation tunes them this way).

    `previous` holds the stories of the previous digest: each story told is marked new or
    continuing one of them, and a sentence they showed is not shown again, unless the story has
    nothing else to tell (it is then still the best news of it).
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

    # Articles with no sentence still belong to a story: they are listed with it.
    article_ids = [a.id for a in articles]
    article_matrix = article_vectors(sentence_matrix, sentences, article_ids)
    if one_story:
        labels, n_stories = [0] * len(article_ids), 1
    else:
        clusterer = StoryClusterer().fit(article_matrix, [a.date for a in articles])
        labels, n_stories = clusterer.labels_.tolist(), clusterer.n_stories_
    story_of_article = dict(zip(article_ids, labels, strict=True))
    story_articles: list[list[str]] = [[] for _ in range(n_stories)]
    for article_id, story in story_of_article.items():
        story_articles[story].append(article_id)
    story_statements: list[list[int]] = [[] for _ in range(n_stories)]
    for index, statement in enumerate(statements):
        story_statements[_story_of(statement, sentences, story_of_article)].append(index)
    clock.lap("cluster")

    order = sorted(range(n_stories), key=lambda story: (*story_importance(story_articles[story], by_id), story))
    voices = {a.id: a.source for a in articles if a.source}
    words_left = settings.max_words if settings.max_words is not None else math.inf
    chosen_for: dict[int, list[int]] = {}
    shown_before = {_plain(text) for past in previous for text in past.sentences}
    for story in order:
        if len(chosen_for) == settings.max_stories or words_left <= 0:
            break

        def select(candidates: list[int], budget: int = int(min(settings.story_words, words_left))) -> CoverageSelector:
            return CoverageSelector(
                max_words=budget,
                fill_budget=settings.fill_budget,
                **(selection or {}),
            ).fit(
                stories=[candidates],
                statements=statements,
                statement_matrix=statement_matrix,
                sentences=sentences,
                voices=voices,
            )

        candidates = story_statements[story]
        fresh = [i for i in candidates if not _shown_in(statements[i], sentences, shown_before)]
        selector = select(fresh)
        if not selector.selected_[0] and len(fresh) < len(candidates):
            selector = select(candidates)  # nothing new to tell: what was told is still its news
        if selector.selected_[0]:
            chosen_for[story] = selector.selected_[0]
            words_left -= selector.words_
    clock.lap("select")

    article_words = _LazyWords(by_id)
    topics, also_reported = [], []
    for story in order:
        members = story_articles[story]
        headline_id = _headline_article(members, by_id, article_matrix)
        if story not in chosen_for:
            label = by_id[headline_id].title if headline_id else None
            if label is None:  # no headline to name it by: its words do
                texts = [sentences[v].text for i in story_statements[story] for v in statements[i].variants]
                label = ", ".join(keywords(texts, idf)[:3]) or _first_words(by_id[members[0]])
            also_reported.append(Topic(label=label, keywords=(), article_ids=tuple(members), headline_id=headline_id))
            continue
        # Carriers are looked for among the story's articles and the statement's own variants: an
        # article of another story that carried the wording would have been merged into it.
        chosen = []
        for i in chosen_for[story]:
            candidates = set(members) | {sentences[v].article_id for v in statements[i].variants}
            chosen.append(_cite_carriers(statements[i], {a: article_words[a] for a in sorted(candidates, key=int)}))
        chosen.sort(key=lambda s: _reading_order(s, by_id))
        texts = [sentences[v].text for i in story_statements[story] for v in statements[i].variants]
        story_keywords = keywords(texts, idf)
        label = (by_id[headline_id].title if headline_id else None) or ", ".join(story_keywords[:3])
        told = tuple(_lead_with_label(chosen, label))
        continues = _continues(label, [s.text for s in told], previous)
        topics.append(
            Topic(
                label=label,
                keywords=story_keywords,
                article_ids=tuple(members),
                statements=told,
                headline_id=headline_id,
                status=None if not previous else "continuing" if continues else "new",
                continues=continues,
            )
        )
    clock.lap("cite")
    return Digest(date=digest_date, articles=tuple(articles), topics=tuple(topics), also_reported=tuple(also_reported))


# Share of the smaller story's content words two stories on following days must share to be one story.
CONTINUING_OVERLAP = 0.3


def _plain(text: str) -> str:
    return " ".join(words(text))


def _shown_in(statement: Statement, sentences: list[Sentence], shown: set[str]) -> bool:
    """Whether the statement, in any of its wordings, was shown in the previous digest."""
    return bool(shown) and any(_plain(sentences[v].text) in shown for v in statement.variants)


def _continues(label: str, told: list[str], previous: tuple[PastStory, ...]) -> str | None:
    """The label of the previous digest's story this one goes on with, if any: the one sharing the
    largest share (at least CONTINUING_OVERLAP) of the smaller story's content words, label and
    sentences together (ties: the earlier, more important one)."""
    mine = set(content_stems(" ".join([label, *told])))
    best, best_share = None, CONTINUING_OVERLAP
    for past in previous:
        theirs = set(content_stems(" ".join([past.label, *past.sentences])))
        if mine and theirs:
            share = len(mine & theirs) / min(len(mine), len(theirs))
            if share >= best_share and (best is None or share > best_share):
                best, best_share = past.label, share
    return best


def story_importance(members: list[str], by_id: dict[str, Article]) -> tuple:
    """A sort key, most important story first: told by more outlets, then by more articles, then newer.

    An article whose publisher is unknown speaks for itself alone."""
    outlets = {by_id[i].source or f"article {i}" for i in members}
    newest = max((by_id[i].date for i in members if by_id[i].date), default=dt.date.min)
    return (-len(outlets), -len(members), -newest.toordinal())


def _first_words(article: Article, count: int = 8) -> str:
    """A name for a story that has neither headline nor content words: its text's first words, or its file."""
    text = " ".join(" ".join(article.paragraphs).split()[:count])
    return text or article.path


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


def _headline_article(members: list[str], by_id: dict[str, Article], article_matrix) -> str | None:
    """Of the story's articles with a headline, the one closest to the story's centre.

    Articles are numbered from 1 in matrix row order, so row = int(id) - 1.
    """
    titled = [i for i in members if by_id[i].title]
    if len(titled) < 2:  # most of a big day's stories are one article
        return titled[0] if titled else None
    block = article_matrix[[int(i) - 1 for i in titled]]
    centre = np.asarray(block.mean(axis=0))
    closeness = np.asarray(block @ centre.T).ravel()
    best = min(range(len(titled)), key=lambda k: (-round(float(closeness[k]), 12), int(titled[k])))
    return titled[best]
