"""Group articles into stories, and name each story.

A topic is a story: the articles that report one event. Articles are
clustered, not sentences, because an article is about one story while its
sentences, taken alone, often are not (background lines recur across
stories). Clustering is agglomerative with average linkage over cosine
distance and stops at a distance threshold, so the number of stories comes
from the data. One fixed threshold suits tight stories but cuts a loose one
(a topic followed for weeks) into pieces and strays, so two passes follow
that judge closeness against a group's own spread: pieces nearly as alike to
each other as each is within itself are joined by a second average linkage,
and an article left alone or in a pair joins the group whose centroid it is
close to. Two articles far apart in time are unlikely to report the same
event however alike their words, so similarity fades with the gap between
their dates beyond a day's tolerance.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage

from .text import ENGLISH, Lexicon, words

# Chosen by cross-validation over made-up days of DUC 2006 clusters, big stories and small
# (benchmarks/story_clustering.py): 0.85 in both folds, against 0.8 before.
STORY_DISTANCE = 0.85
# The passes after linkage, chosen the same way (see benchmarks/README.md): two groups of at
# least REFINE_MIN_SIZE articles merge while their mean similarity is at least MERGE_RATIO of
# the geometric mean of their own mean inner similarities; an article of a smaller group joins
# the group whose centroid it is at least JOIN_COSINE close to.
MERGE_RATIO = 0.45
JOIN_COSINE = 0.18
REFINE_MIN_SIZE = 3
DATE_TOLERANCE_DAYS = 1
DATE_DECAY_DAYS = 7.0
# Up to this many articles are clustered exactly (all pairs: 3,000 articles take some 70 MB
# and a few seconds); bigger days are clustered from samples of this size.
EXACT_LIMIT = 3000
# Rounds of sampling on a big day; what is left after them is a story per article.
SAMPLE_ROUNDS = 4
# Past this many articles, only terms that at most COMMON_TERM_SHARE of them use (and never fewer
# than COMMON_TERM_MIN) propose which story an article may join.
EXACT_JOIN = 20_000
COMMON_TERM_SHARE = 0.01
COMMON_TERM_MIN = 100


class StoryClusterer:
    """Cluster article vectors into stories.

    Parameters
    ----------
    distance_threshold : float
        Average cosine distance above which two groups are different stories.
    date_tolerance_days : int
        Date gap that costs nothing (stories run over midnight).
    date_decay_days : float
        Beyond the tolerance, similarity is multiplied by exp(-extra_days / decay).
    exact_limit : int
        Days with more articles are clustered from evenly spread samples of this size.
    merge_ratio : float or None
        After linkage, two groups merge while their mean similarity is at least this share of
        the geometric mean of their own inner mean similarities (None: no merging pass).
    join_cosine : float or None
        After merging, an article in a group of fewer than three joins the bigger group whose
        centroid has at least this cosine with it (None: no joining pass).

    Attributes
    ----------
    labels_ : ndarray of int
        The story of each article, numbered in order of first appearance.
    n_stories_ : int
    """

    def __init__(
        self,
        distance_threshold: float = STORY_DISTANCE,
        date_tolerance_days: int = DATE_TOLERANCE_DAYS,
        date_decay_days: float = DATE_DECAY_DAYS,
        exact_limit: int = EXACT_LIMIT,
        merge_ratio: float | None = MERGE_RATIO,
        join_cosine: float | None = JOIN_COSINE,
    ):
        self.distance_threshold = distance_threshold
        self.date_tolerance_days = date_tolerance_days
        self.date_decay_days = date_decay_days
        self.exact_limit = exact_limit
        self.merge_ratio = merge_ratio
        self.join_cosine = join_cosine

    def fit(self, vectors: sp.csr_matrix | ArticleRows, dates: list[dt.date | None]) -> StoryClusterer:
        """Cluster the articles (a vector and a date, or None, each) into stories; sets `labels_` and `n_stories_`.

        `vectors` is a matrix of one row per article, or an `ArticleRows` holding them where they
        lie (a Dask engine's workers). All pairs are compared up to `exact_limit` articles; a bigger
        day is clustered from samples.
        """
        rows = vectors if isinstance(vectors, ArticleRows) else MatrixRows(vectors)
        n = rows.n_rows
        exact = n <= self.exact_limit
        labels = self._exact(rows.take(np.arange(n)), dates) if exact else self._sampled(rows, dates)
        self.labels_ = _renumber(labels)
        self.n_stories_ = int(self.labels_.max()) + 1 if n else 0
        return self

    def _exact(self, vectors: sp.csr_matrix, dates: list[dt.date | None]) -> np.ndarray:
        """Average-linkage clustering over all pairs: exact, and quadratic, so for days of modest size."""
        n = vectors.shape[0]
        if n < 2:
            return np.zeros(n, dtype=int)
        similarity = (vectors @ vectors.T).toarray()
        similarity *= self._date_factor(dates, dates)
        condensed = np.clip(1.0 - similarity[np.triu_indices(n, k=1)], 0.0, None)
        tree = linkage(condensed, method="average")
        del condensed
        # Groups part at the threshold: only merges closer than it are made.
        labels = fcluster(tree, np.nextafter(self.distance_threshold, -np.inf), criterion="distance") - 1
        return self._refine(similarity, _renumber(labels))

    def _refine(self, similarity: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Linkage's groups, with loose stories put back together (see the module's docstring)."""
        if self.merge_ratio is not None:
            labels = _merge_pieces(similarity, labels, self.merge_ratio)
        if self.join_cosine is not None:
            labels = _join_strays(similarity, labels, self.join_cosine)
        return _renumber(labels)

    def _sampled(self, rows: ArticleRows, dates: list[dt.date | None]) -> np.ndarray:
        """Stories from an exact clustering of a sample, then every other article joins one or waits.

        An article joins the story whose articles it is, on average, most
        similar to, when that average similarity passes the same threshold as
        average linkage uses to merge (the mean of cosines to the members is
        the cosine to the members' mean vector, so this costs one sparse
        product per round). Articles that join nothing are clustered in the
        next round, so a story missing from one sample still forms; after
        SAMPLE_ROUNDS rounds the rest are one-off stories of their own.

        Only the samples are brought together; the joining is done where the rows are
        (`ArticleRows.closest`), each article on its own, so it comes out the same however the
        day is cut.
        """
        n = rows.n_rows
        labels = np.full(n, -1, dtype=int)
        day_of = np.array([d.toordinal() if d is not None else -1 for d in dates])
        # On a very big day the terms a great many articles use would make every article close to
        # every story; there only the rarer terms propose (article, story) pairs, scored in full.
        df = rows.term_counts()
        rare = None if n <= EXACT_JOIN else np.flatnonzero(df <= max(COMMON_TERM_MIN, COMMON_TERM_SHARE * n))
        waiting = np.arange(n)
        next_label = 0
        for _ in range(SAMPLE_ROUNDS):
            if not len(waiting):
                break
            # An evenly spread sample, so every part of the day (and every input) is represented.
            step = max(1, len(waiting) // self.exact_limit)
            sample = waiting[::step][: self.exact_limit]
            sample_vectors = rows.take(sample)
            sample_labels = self._exact(sample_vectors, [dates[i] for i in sample])
            labels[sample] = sample_labels + next_label
            stories = int(sample_labels.max()) + 1
            rest = np.setdiff1d(waiting, sample, assume_unique=True)
            if len(rest):
                membership = sp.csr_matrix(
                    (np.ones(len(sample)), (sample_labels, np.arange(len(sample)))), shape=(stories, len(sample))
                )
                sizes = np.asarray(membership.sum(axis=1)).ravel()
                means = (sp.diags(1.0 / sizes) @ membership @ sample_vectors).tocsr()
                joiner = StoryJoiner(
                    means=means,
                    story_days=_middle_days(day_of[sample], sample_labels, stories),
                    rare=rare,
                    min_cosine=1.0 - self.distance_threshold,
                    date_tolerance_days=self.date_tolerance_days,
                    date_decay_days=self.date_decay_days,
                )
                best = rows.closest(rest, day_of[rest], joiner)
                joins = best >= 0
                labels[rest[joins]] = best[joins] + next_label
            next_label += stories
            waiting = np.flatnonzero(labels == -1)
        # Articles no sampled story drew in after all rounds are one-offs: a story each.
        labels[waiting] = next_label + np.arange(len(waiting))
        return labels

    def _date_factor(self, row_dates: list[dt.date | None], col_dates: list[dt.date | None]) -> np.ndarray:
        known_rows = np.array([d is not None for d in row_dates])
        known_cols = np.array([d is not None for d in col_dates])
        row_days = np.array([d.toordinal() if d is not None else 0 for d in row_dates], dtype=float)
        col_days = np.array([d.toordinal() if d is not None else 0 for d in col_dates], dtype=float)
        gap = np.abs(row_days[:, None] - col_days[None, :])
        extra = np.clip(gap - self.date_tolerance_days, 0.0, None)
        factor = np.exp(-extra / self.date_decay_days)
        # An article without a date gets no penalty: nothing is known against it.
        factor[~known_rows, :] = 1.0
        factor[:, ~known_cols] = 1.0
        return factor



# Articles joined to a round's stories per sparse product: bounds the product's memory.
JOIN_CHUNK = 4096


@dataclass(frozen=True)
class StoryJoiner:
    """One round's stories, as articles are joined to them: each story's mean vector and middle day
    (-1: undated), and the rule. Plain values, so it travels to where the articles' rows are."""

    means: sp.csr_matrix
    story_days: np.ndarray
    rare: np.ndarray | None  # the terms that propose pairs on a very big day (None: every term)
    min_cosine: float
    date_tolerance_days: int
    date_decay_days: float

    def closest(self, articles: sp.csr_matrix, days: np.ndarray) -> np.ndarray:
        """For each article (a row, and its day ordinal or -1), the story it joins, or -1 for none:
        the story it is closest to, its cosine to the story's mean faded by the date gap, when that
        reaches `min_cosine`. Each row's answer depends on that row alone."""
        best = np.full(articles.shape[0], -1, dtype=np.int64)
        for start in range(0, articles.shape[0], JOIN_CHUNK):
            chunk = slice(start, start + JOIN_CHUNK)
            closeness = self._closeness(articles[chunk])
            if not closeness.nnz:
                continue
            closeness.sort_indices()  # so a row's first maximum is its lowest-numbered story, as a dense argmax picks
            rows = np.repeat(np.arange(closeness.shape[0]), np.diff(closeness.indptr))
            row_days, col_days = days[chunk][rows], self.story_days[closeness.indices]
            extra = np.clip(np.abs(row_days - col_days) - self.date_tolerance_days, 0.0, None)
            closeness.data *= np.where((row_days < 0) | (col_days < 0), 1.0, np.exp(-extra / self.date_decay_days))
            story = np.asarray(closeness.argmax(axis=1)).ravel()
            score = closeness.max(axis=1).toarray().ravel()
            best[chunk] = np.where(score >= self.min_cosine, story, -1)
        return best

    def _closeness(self, articles: sp.csr_matrix) -> sp.csr_matrix:
        if self.rare is None:
            return (articles @ self.means.T).tocsr()
        proposed = (articles[:, self.rare] @ self.means[:, self.rare].T).tocoo()
        full = np.asarray(articles[proposed.row].multiply(self.means[proposed.col]).sum(axis=1)).ravel()
        return sp.csr_matrix((full, (proposed.row, proposed.col)), shape=proposed.shape)


class ArticleRows:
    """The day's article vectors as the sampled clustering uses them, wherever they are kept: their
    number, each term's count of articles, some rows brought here, and the joining of articles to a
    round's stories done where the rows are."""

    n_rows: int

    def term_counts(self) -> np.ndarray:
        """How many articles use each term (column)."""
        raise NotImplementedError

    def take(self, index: np.ndarray) -> sp.csr_matrix:
        """The rows at these (increasing) positions, in that order."""
        raise NotImplementedError

    def closest(self, index: np.ndarray, days: np.ndarray, joiner: StoryJoiner) -> np.ndarray:
        """`joiner.closest` of the rows at these (increasing) positions, whose day ordinals are `days`."""
        raise NotImplementedError


class MatrixRows(ArticleRows):
    """Article vectors held in one matrix, here."""

    def __init__(self, matrix: sp.csr_matrix):
        self.matrix = matrix.tocsr()
        self.n_rows = matrix.shape[0]

    def term_counts(self) -> np.ndarray:
        return np.bincount(self.matrix.indices, minlength=self.matrix.shape[1])

    def take(self, index: np.ndarray) -> sp.csr_matrix:
        return self.matrix[index]

    def closest(self, index: np.ndarray, days: np.ndarray, joiner: StoryJoiner) -> np.ndarray:
        return joiner.closest(self.matrix[index], days)


def _merge_pieces(similarity: np.ndarray, labels: np.ndarray, merge_ratio: float) -> np.ndarray:
    """Average linkage again, over linkage's groups of REFINE_MIN_SIZE or more ("pieces"), each
    pair's closeness measured against the pieces' own spread: their mean similarity over the
    geometric mean of the two pieces' mean inner similarity. Pieces part where that average
    ratio falls under `merge_ratio`. The spreads are those of the pieces and never of merged
    groups, so a merge cannot make the next one easier, as merging by centroids would.
    """
    sums, sizes, self_sums = _group_sums(similarity, labels)
    pieces = np.flatnonzero(sizes >= REFINE_MIN_SIZE)
    if len(pieces) < 2:
        return labels
    block, size = sums[np.ix_(pieces, pieces)], sizes[pieces]
    inner = (np.diag(block) - self_sums[pieces]) / (size * (size - 1))
    # A piece with no likeness inside (which linkage does not make) is close to nothing.
    spread = np.where(inner > 0, size * np.sqrt(inner.clip(min=0.0)), np.inf)
    ratio = block / np.outer(spread, spread)
    distance = np.clip(1.0 - ratio, 0.0, None)
    distance = (distance + distance.T) / 2  # symmetric to the last bit, as linkage wants
    tree = linkage(distance[np.triu_indices(len(pieces), k=1)], method="average")
    merged = fcluster(tree, np.nextafter(1.0 - merge_ratio, -np.inf), criterion="distance")
    # Each merged group takes the number of its lowest piece; groups too small to be pieces keep theirs.
    group_of = np.arange(len(sizes))
    first_piece: dict[int, int] = {}
    for piece, group in zip(pieces, merged, strict=True):
        group_of[piece] = first_piece.setdefault(int(group), int(piece))
    return group_of[labels]


def _join_strays(similarity: np.ndarray, labels: np.ndarray, join_cosine: float) -> np.ndarray:
    """Each article of a group smaller than REFINE_MIN_SIZE joins the closest bigger group by
    the cosine to that group's centroid, when it passes `join_cosine`; the groups' centroids
    are those before any stray joins."""
    labels = _renumber(labels)
    sums, sizes, _ = _group_sums(similarity, labels)
    big = np.flatnonzero(sizes >= REFINE_MIN_SIZE)
    strays = np.flatnonzero(sizes[labels] < REFINE_MIN_SIZE)
    if not len(big) or not len(strays):
        return labels
    # A centroid's length is sqrt(sum of its group's similarities, self-pairs included) / size.
    lengths = np.sqrt(np.diag(sums)[big])
    lengths[lengths == 0] = np.inf
    membership = _membership(labels, len(sizes))[big]
    cosine = np.asarray(membership @ similarity[:, strays]).T / lengths
    best = np.argmax(cosine, axis=1)
    closest = cosine[np.arange(len(strays)), best]
    joins = (closest >= join_cosine) & (closest > 0)  # an article with no word in common joins nothing
    labels = labels.copy()
    labels[strays[joins]] = big[best[joins]]
    return labels


def _membership(labels: np.ndarray, groups: int) -> sp.csr_matrix:
    """A groups-by-articles matrix of ones: row g marks the articles of group g."""
    return sp.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(groups, len(labels)))


def _group_sums(similarity: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For groups numbered 0..k-1: the sums of similarities between every two groups (the
    diagonal: within a group, each pair twice and self-pairs included), the groups' sizes and
    the sums of their self-similarities (1 for an article with words, 0 for one without)."""
    groups = int(labels.max()) + 1
    membership = _membership(labels, groups)
    sums = np.asarray(membership @ np.asarray(membership @ similarity).T)
    sizes = np.bincount(labels, minlength=groups).astype(float)
    self_sums = np.bincount(labels, weights=np.diag(similarity), minlength=groups)
    return sums, sizes, self_sums


def _middle_days(days: np.ndarray, labels: np.ndarray, stories: int) -> np.ndarray:
    """Each story's middle day (a day ordinal; -1 when none of its articles is dated)."""
    middle = np.full(stories, -1)
    order = np.lexsort((days, labels))
    bounds = np.searchsorted(labels[order], np.arange(stories + 1))
    for story in range(stories):
        known = days[order[bounds[story] : bounds[story + 1]]]
        known = known[known >= 0]
        if len(known):
            middle[story] = known[len(known) // 2]
    return middle


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Labels numbered by first appearance, so equal input gives equal output."""
    order: dict[int, int] = {}
    return np.array([order.setdefault(int(label), len(order)) for label in labels], dtype=int)


# Words that are frequent in any one day's news but name nothing.
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week month year "
    "january february march april may june july august september october november december".split()
)


def keywords(texts: list[str], idf: dict[str, float], count: int = 5, lexicon: Lexicon = ENGLISH) -> tuple[str, ...]:
    """The names and words that most set these texts apart, as they are written.

    Candidates are runs of capitalised words ("White House", "Choe Son Hui")
    and single content words. Each scores (1 + log tf) times the mean IDF of
    its stems, doubled for names, which say best what a story is about; a
    candidate whose words are all in a better one is left out.
    """
    frequency: Counter[str] = Counter()
    stems_of: dict[str, frozenset[str]] = {}
    is_name: dict[str, bool] = {}
    spelling: dict[str, Counter[str]] = {}
    # Wire copy repeats sentences word for word: each distinct text is read once and counted as often as it occurs.
    for text, times in Counter(texts).items():
        for phrase, name in _candidates(text, lexicon.stop_words):
            key = phrase.lower()
            if key not in stems_of:
                stems_of[key] = frozenset(lexicon.stem_words(lexicon.words(phrase)))
                is_name[key] = name
            frequency[key] += times
            spelling.setdefault(key, Counter())[phrase] += times

    def score(key: str) -> float:
        """A candidate's score: (1 + log of its frequency) times the mean IDF of its stems, doubled for a name."""
        rarity = sum(idf.get(s, 0.0) for s in stems_of[key]) / len(stems_of[key])
        return (1 + math.log(frequency[key])) * rarity * (2.0 if is_name[key] else 1.0)

    chosen: list[str] = []
    covered: set[str] = set()
    for key in sorted(frequency, key=lambda k: (-score(k), k)):
        if stems_of[key] <= covered:
            continue
        chosen.append(spelling[key].most_common(1)[0][0])
        covered |= stems_of[key]
        if len(chosen) == count:
            break
    return tuple(chosen)


def _candidates(text: str, stop_words: frozenset[str] = ENGLISH.stop_words) -> list[tuple[str, bool]]:
    """(phrase, is_name) pairs: capitalised runs of up to four words, and other content words."""
    out: list[tuple[str, bool]] = []
    run: list[tuple[str, str]] = []  # (token as written, its word)

    def close() -> None:
        """End the run of capitalised words: a name when, leading stop words dropped, it has one to four words."""
        while run and run[0][1] in stop_words:
            run.pop(0)  # "The Kremlin" is the Kremlin
        if run and len(run) <= 4:
            out.append((" ".join(token for token, _ in run), True))
        run.clear()

    for raw in text.split():
        token, word, kind, ends_phrase = _token(raw, stop_words)
        if kind == _NOT_A_WORD:
            close()
            continue
        if kind == _NAME_PART:
            run.append((token, word))
        else:
            close()
            if kind == _CONTENT:
                out.append((word, False))
        if ends_phrase:
            close()
    close()
    return out


_NOT_A_WORD, _NAME_PART, _CONTENT, _OTHER = "not a word", "name part", "content", "other"


@lru_cache(maxsize=1 << 18)  # a story's texts share most of their tokens: each is classed once
def _token(raw: str, stop_words: frozenset[str]) -> tuple[str, str, str, bool]:
    """A whitespace token as `_candidates` sees it: (token, word, kind, whether a phrase ends after it)."""
    token = raw.strip(".,;:!?\"'()[]\u201c\u201d\u2018\u2019\u2014\u2013").removesuffix("\u2019s").removesuffix("'s")
    tokens = words(token)
    if len(tokens) != 1 or not token:
        return token, "", _NOT_A_WORD, False
    word = tokens[0]
    if token[0].isupper() and word not in _CALENDAR:
        kind = _NAME_PART
    elif word not in stop_words and word not in _CALENDAR and len(word) > 2 and not word.isdigit():
        kind = _CONTENT
    else:
        kind = _OTHER
    return token, word, kind, raw[-1:] in ",;:.!?\u201d\"')"
