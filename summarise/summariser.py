"""The summariser: a day's articles in, a cited digest out; pure, deterministic, no I/O.

`Summariser` is the front door, in the manner of a scikit-learn estimator: its
constructor only stores the algorithm's parameters (today's values are the
defaults), and `summarise(articles)` does the work. The steps, in the order the
data flows, are each a function of plain values:

1. `prepare_articles`: prose paragraphs only, articles in a supported language, numbered for citing;
   then, for each language of the day (`language_groups`, the one with most articles first), on its
   articles alone, with its stop words and stemmer (language.py):
2. split and vectorise (split.py, vectorise.py), on the `engine`, which keeps the day (a `Day`,
   engines/): Punkt sentences with their places, and TF-IDF over the day's sentences;
3. `StoryClusterer` (cluster.py): articles into stories, from the articles' vectors;
4. `rank_stories`: most outlets, then most articles, then newest first;
5. `tell_story`, for the most important stories in turn, on each story's own articles and sentences
   wherever the engine holds them: `merge_near_duplicates` (merge.py) makes one statement of the
   sentences saying the same, `CoverageSelector` (select.py) chooses the statements that cover most
   in the story's words, and the story is cited, labelled by its headline and opened by the
   sentence that says what the headline says;
6. `list_story`: every other story named by its headline (or its words), as also reported.

Everything after the split looks at one story at a time, except the clustering's sample, so a day
on a Dask cluster is never gathered in one place.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import logging
import math
import time
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from .clean import reads_as_prose
from .cluster import (
    DATE_DECAY_DAYS,
    DATE_TOLERANCE_DAYS,
    JOIN_COSINE,
    MERGE_RATIO,
    STORY_DISTANCE,
    StoryClusterer,
    keywords,
)
from .language import is_supported, lexicon_for
from .merge import MERGE_THRESHOLD, merge_near_duplicates
from .models import Article, Digest, PastStory, Sentence, Statement, Topic
from .select import CoverageSelector
from .split import SentenceSplitter
from .text import ENGLISH, Lexicon, contains, words

if TYPE_CHECKING:
    from .engines import Day, Engine, StoryDraft

log = logging.getLogger(__name__)

# Share of the smaller story's content words two stories on following days must share to be one story.
CONTINUING_OVERLAP = 0.3


# The Summariser's parameters that are the selection's (CoverageSelector's) own.
_SELECTION_PARAMETERS = (
    "length_exponent", "min_words", "min_support", "min_story_voices", "position_weight", "dangling_penalty",
    "max_similarity", "max_overlap", "solver", "standalone", "story_share", "lead_weight", "lead_sentences",
    "max_exact",
)  # fmt: skip
# Their defaults are the selection's own, stated once, in CoverageSelector.
_SELECTION_DEFAULTS = {
    name: parameter.default
    for name, parameter in inspect.signature(CoverageSelector.__init__).parameters.items()
    if name in _SELECTION_PARAMETERS
}


class Summariser:
    """Summarise a day's articles into stories, each told in a few cited sentences.

    Parameters
    ----------
    story_words : int
        Words in each story's summary, at most.
    max_stories : int
        Stories told in full in each language, the most important first; every other story is
        listed under `Digest.also_reported` with its headline and articles.
    max_words : int or None
        Words in the whole digest's sentences, at most (None: no overall cap), spent language by
        language in the digest's order: a tight cap leaves the later languages' stories listed only.
    fill_budget : bool
        Let the last sentence of a story run past `story_words` rather than leave words unused
        (ROUGE evaluation is scored on at least the budget).
    merge_threshold : float
        Cosine similarity at which two sentences are one statement told by several articles.
    story_distance : float
        Average-linkage cosine distance below which articles are one story.
    story_merge_ratio, story_join_cosine : float or None
        The passes after linkage that put loose stories back together: see `StoryClusterer`
        (cluster.py); None leaves a pass out.
    date_tolerance_days, date_decay_days : int, float
        Articles this many days apart are compared as if of one day; beyond, their similarity
        decays over `date_decay_days`.
    length_exponent, min_words, min_support, min_story_voices, position_weight, dangling_penalty,
    max_similarity, max_overlap, solver, standalone, story_share, lead_weight, lead_sentences, max_exact
        The selection's parameters: see `CoverageSelector` (select.py).
    continuing_overlap : float
        Share of content words a story must share with one of the previous digest to continue it.
    engine : Engine or None
        Where splitting and vectorising run (engines/): None for this process (with `jobs`), or an
        entered `DaskEngine` for a Dask cluster. The digest is the same bytes either way.
    jobs : int
        Worker processes for splitting a large day (the result is the same for any number).

    Attributes (after `summarise`)
    ------------------------------
    n_sentences_, n_statements_, n_stories_ : int
        The day's sentences, statements after merging, and stories found.
    """

    def __init__(
        self,
        story_words: int = 100,
        max_stories: int = 15,
        max_words: int | None = None,
        *,
        fill_budget: bool = False,
        merge_threshold: float = MERGE_THRESHOLD,
        story_distance: float = STORY_DISTANCE,
        story_merge_ratio: float | None = MERGE_RATIO,
        story_join_cosine: float | None = JOIN_COSINE,
        date_tolerance_days: int = DATE_TOLERANCE_DAYS,
        date_decay_days: float = DATE_DECAY_DAYS,
        length_exponent: float = _SELECTION_DEFAULTS["length_exponent"],
        min_words: int = _SELECTION_DEFAULTS["min_words"],
        min_support: int = _SELECTION_DEFAULTS["min_support"],
        min_story_voices: int = _SELECTION_DEFAULTS["min_story_voices"],
        position_weight: float = _SELECTION_DEFAULTS["position_weight"],
        dangling_penalty: float = _SELECTION_DEFAULTS["dangling_penalty"],
        max_similarity: float = _SELECTION_DEFAULTS["max_similarity"],
        max_overlap: float = _SELECTION_DEFAULTS["max_overlap"],
        solver: str = _SELECTION_DEFAULTS["solver"],
        standalone: bool = _SELECTION_DEFAULTS["standalone"],
        story_share: float = _SELECTION_DEFAULTS["story_share"],
        lead_weight: float = _SELECTION_DEFAULTS["lead_weight"],
        lead_sentences: int = _SELECTION_DEFAULTS["lead_sentences"],
        max_exact: int = _SELECTION_DEFAULTS["max_exact"],
        continuing_overlap: float = CONTINUING_OVERLAP,
        jobs: int = 1,
        engine: Engine | None = None,
    ) -> None:
        self.story_words = story_words
        self.max_stories = max_stories
        self.max_words = max_words
        self.fill_budget = fill_budget
        self.merge_threshold = merge_threshold
        self.story_distance = story_distance
        self.story_merge_ratio = story_merge_ratio
        self.story_join_cosine = story_join_cosine
        self.date_tolerance_days = date_tolerance_days
        self.date_decay_days = date_decay_days
        self.length_exponent = length_exponent
        self.min_words = min_words
        self.min_support = min_support
        self.min_story_voices = min_story_voices
        self.position_weight = position_weight
        self.dangling_penalty = dangling_penalty
        self.max_similarity = max_similarity
        self.max_overlap = max_overlap
        self.solver = solver
        self.standalone = standalone
        self.story_share = story_share
        self.lead_weight = lead_weight
        self.lead_sentences = lead_sentences
        self.max_exact = max_exact
        self.continuing_overlap = continuing_overlap
        self.jobs = jobs
        self.engine = engine

    @classmethod
    def _param_names(cls) -> list[str]:
        return [name for name in inspect.signature(cls.__init__).parameters if name != "self"]

    def get_params(self, deep: bool = True) -> dict:
        """The parameters, by name, as the constructor took them (`deep` as scikit-learn has it: there
        are no nested estimators, so it changes nothing)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params) -> Summariser:
        """Change parameters by name (an unknown name is an error); returns the summariser."""
        unknown = sorted(set(params) - set(self._param_names()))
        if unknown:
            raise ValueError(f"unknown parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = type(self)().get_params()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults[k]]
        return f"{type(self).__name__}({', '.join(changed)})"

    def summarise(
        self,
        articles: Iterable[Article],
        *,
        date: dt.date | None = None,
        previous: tuple[PastStory, ...] = (),
        one_story: bool = False,
    ) -> Digest:
        """The digest of these articles.

        The day's articles are grouped by language (the language with most articles first; an article
        in a language the summariser does not tell is left out), and each language's into stories.
        In each language the `max_stories` most important stories are each told in up to
        `story_words` words, and `max_words` caps the whole; every other story is listed in
        `Digest.also_reported`. `date` names the digest's day (default: the newest
        article's). `one_story` takes the articles as one story as they are (an evaluation
        cluster), with no clustering.

        `previous` holds the stories of the previous digest: each story told is marked new or
        continuing one of them, and a sentence they showed is not shown again, unless the story has
        nothing else to tell (it is then still the best news of it).
        """
        articles = prepare_articles(articles)
        dates = [a.date for a in articles if a.date is not None]
        digest_date = date or (max(dates) if dates else None)
        self.n_sentences_ = self.n_statements_ = self.n_stories_ = 0
        self.languages_: list[str] = []
        topics: list[Topic] = []
        also_reported: list[Topic] = []
        words_left = self.max_words if self.max_words is not None else math.inf
        for code, group in language_groups(articles, one_story):
            told, listed, words_used = self._summarise_language(
                group, lexicon_for(code), previous, one_story, words_left
            )
            topics += told
            also_reported += listed
            words_left -= words_used
            if told or listed:
                self.languages_.append(code)
        return Digest(
            date=digest_date,
            articles=tuple(articles),
            topics=tuple(topics),
            also_reported=tuple(also_reported),
            languages=tuple(self.languages_),
        )

    def _summarise_language(
        self,
        articles: list[Article],
        lexicon: Lexicon,
        previous: tuple[PastStory, ...],
        one_story: bool,
        words_left: float,
    ) -> tuple[list[Topic], list[Topic], int]:
        """The stories of the articles of one language: those told, those only listed, and the words told."""
        from .engines import LocalEngine

        clock = StageClock()
        splitter = SentenceSplitter.for_language(lexicon).fit_articles(articles)
        day = (self.engine or LocalEngine(self.jobs)).day(articles, splitter, lexicon)
        clock.lap("split")
        if day is None:  # no sentence, or no content word in any
            return [], [], 0
        if one_story:
            labels, n_stories = np.zeros(len(articles), dtype=np.int64), 1
        else:
            clusterer = self._clusterer().fit(day.article_rows, [a.date for a in articles])
            labels, n_stories = clusterer.labels_, clusterer.n_stories_
        story_articles: list[list[str]] = [[] for _ in range(n_stories)]
        for article, story in zip(articles, labels.tolist(), strict=True):
            story_articles[story].append(article.id)
        clock.lap("cluster")
        day.group(labels, n_stories)
        clock.lap("group")
        order = rank_stories(story_articles, {a.id: a for a in articles})
        told, words_used = self._tell(day, order, previous, lexicon, words_left)
        clock.lap("select")
        rest = [story for story in order if story not in told]
        listed = dict(zip(rest, day.map_stories(list_story, rest, lexicon=lexicon), strict=True))
        clock.lap("list")
        self.n_sentences_ += day.n_sentences
        self.n_stories_ += n_stories
        topics = [told[story] for story in order if story in told]
        return topics, [listed[story] for story in order if story in listed], words_used

    def _tell(
        self, day: Day, order: list[int], previous: tuple[PastStory, ...], lexicon: Lexicon, words_left: float
    ) -> tuple[dict[int, Topic], int]:
        """The stories told, in order of importance: up to `max_stories`, each in up to `story_words`
        words and all in at most `words_left`; a story with nothing to tell is passed over. Returns
        each told story's topic and the words told.

        Without an overall cap the stories' budgets do not depend on each other, so as many stories
        as are still wanted are told at once (on a Dask cluster, in parallel); with one, in turn."""
        shown_before = {_plain(text) for past in previous for text in past.sentences}
        told: dict[int, Topic] = {}
        words_used = 0
        next_story = 0
        while next_story < len(order) and len(told) < self.max_stories and words_left > 0:
            budget = int(min(self.story_words, words_left))
            wanted = self.max_stories - len(told) if self.max_words is None else 1
            batch = order[next_story : next_story + wanted]
            next_story += len(batch)
            results = day.map_stories(
                tell_story,
                batch,
                selection=self._selection(budget, lexicon),
                merge_threshold=self.merge_threshold,
                shown_before=shown_before,
                previous=previous,
                continuing_overlap=self.continuing_overlap,
                lexicon=lexicon,
            )
            for story, (topic, words_told, n_statements) in zip(batch, results, strict=True):
                self.n_statements_ += n_statements
                if topic is not None:
                    told[story] = topic
                    words_left -= words_told
                    words_used += words_told
        return told, words_used

    def _clusterer(self) -> StoryClusterer:
        return StoryClusterer(
            distance_threshold=self.story_distance,
            date_tolerance_days=self.date_tolerance_days,
            date_decay_days=self.date_decay_days,
            merge_ratio=self.story_merge_ratio,
            join_cosine=self.story_join_cosine,
        )

    def _selection(self, budget: int, lexicon: Lexicon = ENGLISH) -> dict:
        """The selection's parameters for a story of this word budget (a `CoverageSelector`'s)."""
        return {
            "max_words": budget,
            "fill_budget": self.fill_budget,
            "lexicon": lexicon,
            **{name: getattr(self, name) for name in _SELECTION_PARAMETERS},
        }


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


def prepare_articles(articles: Iterable[Article]) -> list[Article]:
    """The articles in a supported language (or too short to tell), with prose paragraphs only, in a
    stable order (date, then path), numbered "1", "2", ... for citing."""
    articles = list(articles)
    kept = [a for a in articles if a.language is None or is_supported(a.language)]
    if len(kept) < len(articles):
        left_out = len(articles) - len(kept)
        log.info("left out %d article%s in languages not told", left_out, "" if left_out == 1 else "s")
    return number_articles(prose_only(kept))


def language_groups(articles: list[Article], one_story: bool = False) -> list[tuple[str, list[Article]]]:
    """The articles by language, the language with most articles first (ties: by code), each group in
    the order given. An article too short to tell its language goes with the day's main language;
    with `one_story`, every article does (the input is one story, told in its main language)."""
    counts = Counter(a.language for a in articles if a.language is not None)
    codes = sorted(counts, key=lambda code: (-counts[code], code))
    main = codes[0] if codes else ENGLISH.code
    if one_story:
        return [(main, articles)] if articles else []
    groups: dict[str, list[Article]] = {code: [] for code in codes}
    for article in articles:
        groups.setdefault(article.language or main, []).append(article)
    return [(code, group) for code, group in groups.items() if group]


def rank_stories(story_articles: list[list[str]], by_id: dict[str, Article]) -> list[int]:
    """The stories' numbers, most important first (see `story_importance`; ties: the lower number)."""
    return sorted(
        range(len(story_articles)), key=lambda story: (*story_importance(story_articles[story], by_id), story)
    )


def tell_story(
    draft: StoryDraft,
    idf: dict[str, float],
    *,
    selection: dict,
    merge_threshold: float = MERGE_THRESHOLD,
    shown_before: frozenset[str] | set[str] = frozenset(),
    previous: tuple[PastStory, ...] = (),
    continuing_overlap: float = CONTINUING_OVERLAP,
    lexicon: Lexicon = ENGLISH,
) -> tuple[Topic | None, int, int]:
    """One story told, from its own articles and sentences: its topic (None when no statement of it
    can be told), the words told, and its number of statements.

    Its near-duplicate sentences are merged into statements; `CoverageSelector(**selection)` chooses
    among those the previous digest did not show (all of them when that leaves nothing: the story's
    news is then still what was told); each chosen statement cites the articles that carry its
    wording, and the topic, labelled by the headline closest to the story's centre (or by its words),
    opens with the statement that says what the label says.
    """
    sentences = draft.sentences
    statements = merge_near_duplicates(sentences, draft.sentence_matrix, merge_threshold)
    statement_matrix = draft.sentence_matrix[[s.shown for s in statements]]
    voices = {a.id: a.source for a in draft.articles if a.source}

    def select(candidates: list[int]) -> CoverageSelector:
        """A selector fitted to these candidate statements as one story."""
        return CoverageSelector(**selection).fit(
            stories=[candidates],
            statements=statements,
            statement_matrix=statement_matrix,
            sentences=sentences,
            voices=voices,
        )

    candidates = list(range(len(statements)))
    fresh = [i for i in candidates if not _shown_in(statements[i], sentences, shown_before)]
    selector = select(fresh)
    if not selector.selected_[0] and len(fresh) < len(candidates):
        selector = select(candidates)  # nothing new to tell: what was told is still its news
    if not selector.selected_[0]:
        return None, 0, len(statements)
    by_id = {a.id: a for a in draft.articles}
    members = list(by_id)
    headline_id = _headline_article(draft)
    # A statement's wordings are all the story's, so its carriers are looked for among the story's articles.
    article_words = _LazyWords(by_id)
    carriers = sorted(members, key=int)
    chosen = [_cite_carriers(statements[i], {a: article_words[a] for a in carriers}) for i in selector.selected_[0]]
    chosen.sort(key=lambda s: _reading_order(s, by_id))
    story_keywords = keywords([s.text for s in sentences], idf, lexicon=lexicon)
    label = (by_id[headline_id].title if headline_id else None) or ", ".join(story_keywords[:3])
    told = tuple(_lead_with_label(chosen, label, lexicon))
    continues = _continues(label, [s.text for s in told], previous, continuing_overlap, lexicon)
    topic = Topic(
        label=label,
        keywords=story_keywords,
        article_ids=tuple(members),
        statements=told,
        headline_id=headline_id,
        status=None if not previous else "continuing" if continues else "new",
        continues=continues,
        language=lexicon.code,
    )
    return topic, selector.words_, len(statements)


def list_story(draft: StoryDraft, idf: dict[str, float], *, lexicon: Lexicon = ENGLISH) -> Topic:
    """A story not told, named for the "also reported" list: by the headline closest to its centre,
    or, with none, by its words (or its first article's first words)."""
    members = [a.id for a in draft.articles]
    headline_id = _headline_article(draft)
    label = next(a.title for a in draft.articles if a.id == headline_id) if headline_id else None
    if label is None:  # no headline to name it by: its words do
        label = ", ".join(keywords([s.text for s in draft.sentences], idf, lexicon=lexicon)[:3])
        label = label or _first_words(draft.articles[0])
    return Topic(label=label, keywords=(), article_ids=tuple(members), headline_id=headline_id, language=lexicon.code)


def _plain(text: str) -> str:
    return " ".join(words(text))


def _shown_in(statement: Statement, sentences: list[Sentence], shown: frozenset[str] | set[str]) -> bool:
    """Whether the statement, in any of its wordings, was shown in the previous digest."""
    return bool(shown) and any(_plain(sentences[v].text) in shown for v in statement.variants)


def _continues(
    label: str,
    told: list[str],
    previous: tuple[PastStory, ...],
    overlap: float = CONTINUING_OVERLAP,
    lexicon: Lexicon = ENGLISH,
) -> str | None:
    """The label of the previous digest's story this one goes on with, if any: the one sharing the
    largest share (at least `overlap`) of the smaller story's content words, label and
    sentences together (ties: the earlier, more important one)."""
    mine = set(lexicon.content_stems(" ".join([label, *told])))
    best, best_share = None, overlap
    for past in previous:
        theirs = set(lexicon.content_stems(" ".join([past.label, *past.sentences])))
        if mine and theirs:
            share = len(mine & theirs) / min(len(mine), len(theirs))
            if share >= best_share and (best is None or share > best_share):
                best, best_share = past.label, share
    return best


def story_importance(members: list[str], by_id: dict[str, Article]) -> tuple:
    """A sort key, most important story first: told by more outlets, then by more articles, then newer.

    An article whose publisher is unknown speaks for itself alone."""
    outlets = {by_id[i].source or f"article {i}" for i in members}
    newest = max((d for d in (by_id[i].date for i in members) if d is not None), default=dt.date.min)
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
        """Log how long the stage just ended took: the time since the last lap (or since the clock started)."""
        now = time.perf_counter()
        log.info("stage %s: %.3f s", stage, now - self.last)
        self.last = now


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


def _lead_with_label(chosen: list[Statement], label: str, lexicon: Lexicon = ENGLISH) -> list[Statement]:
    """The statements in reading order, but opening with the one that tells what the label says.

    A reader takes the label and the first sentence together: the statement sharing the most of the
    label's content words goes first (ties: the earlier in reading order); none sharing any, the order stays.
    """
    wanted = set(lexicon.content_stems(label))
    shared = [len(wanted.intersection(lexicon.content_stems(s.text))) for s in chosen]
    if not shared or max(shared) == 0:
        return chosen
    first = shared.index(max(shared))
    return [chosen[first], *chosen[:first], *chosen[first + 1 :]]


def _headline_article(draft: StoryDraft) -> str | None:
    """Of the story's articles with a headline, the one closest to the story's centre."""
    titled = [row for row, article in enumerate(draft.articles) if article.title]
    if len(titled) < 2:  # most of a big day's stories are one article
        return draft.articles[titled[0]].id if titled else None
    block = draft.article_matrix[titled]
    centre = np.asarray(block.mean(axis=0))
    closeness = np.asarray(block @ centre.T).ravel()
    ids = [draft.articles[row].id for row in titled]
    best = min(range(len(titled)), key=lambda k: (-round(float(closeness[k]), 12), int(ids[k])))
    return ids[best]
