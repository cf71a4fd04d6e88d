"""Group articles into stories, and name each story.

A topic is a story: the articles that report one event. Articles are
clustered, not sentences, because an article is about one story while its
sentences, taken alone, often are not (background lines recur across
stories). Clustering is agglomerative with average linkage over cosine
distance and stops at a distance threshold, so the number of stories comes
from the data. Two articles far apart in time are unlikely to report the
same event however alike their words, so similarity fades with the gap
between their dates beyond a day's tolerance.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering

from .text import STOP_WORDS, stem, words

STORY_DISTANCE = 0.8
DATE_TOLERANCE_DAYS = 1
DATE_DECAY_DAYS = 7.0


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
    ):
        self.distance_threshold = distance_threshold
        self.date_tolerance_days = date_tolerance_days
        self.date_decay_days = date_decay_days

    def fit(self, vectors: sp.csr_matrix, dates: list[dt.date | None]) -> StoryClusterer:
        n = vectors.shape[0]
        if n < 2:
            self.labels_ = np.zeros(n, dtype=int)
            self.n_stories_ = n
            return self
        similarity = (vectors @ vectors.T).toarray()
        similarity *= self._date_factor(dates)
        distance = np.clip(1.0 - similarity, 0.0, None)
        np.fill_diagonal(distance, 0.0)
        model = AgglomerativeClustering(
            n_clusters=None,
            metric="precomputed",
            linkage="average",
            distance_threshold=self.distance_threshold,
        ).fit(distance)
        self.labels_ = _renumber(model.labels_)
        self.n_stories_ = int(self.labels_.max()) + 1
        return self

    def _date_factor(self, dates: list[dt.date | None]) -> np.ndarray:
        known = np.array([d is not None for d in dates])
        days = np.array([d.toordinal() if d is not None else 0 for d in dates], dtype=float)
        gap = np.abs(days[:, None] - days[None, :])
        extra = np.clip(gap - self.date_tolerance_days, 0.0, None)
        factor = np.exp(-extra / self.date_decay_days)
        # An article without a date gets no penalty: nothing is known against it.
        factor[~known, :] = 1.0
        factor[:, ~known] = 1.0
        return factor


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Labels numbered by first appearance, so equal input gives equal output."""
    order: dict[int, int] = {}
    return np.array([order.setdefault(int(label), len(order)) for label in labels], dtype=int)


# Words that are frequent in any one day's news but name nothing.
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week month year "
    "january february march april may june july august september october november december".split()
)


def keywords(texts: list[str], idf: dict[str, float], count: int = 5) -> tuple[str, ...]:
    """The names and words that most set these texts apart, as they are written.

    Candidates are runs of capitalised words ("White House", "Choe Son Hui")
    and single content words. Each scores (1 + log tf) times the mean IDF of
    its stems, doubled for names, which say best what a story is about; a
    candidate whose words are all in a better one is left out.
    """
    frequency: Counter[str] = Counter()
    stems_of: dict[str, frozenset[str]] = {}
    is_name: dict[str, bool] = {}
    for text in texts:
        for phrase, name in _candidates(text):
            key = phrase.lower()
            if key not in stems_of:
                stems_of[key] = frozenset(stem(w) for w in words(phrase))
                is_name[key] = name
            frequency[key] += 1
    spelling: dict[str, Counter[str]] = {}
    for text in texts:
        for phrase, _ in _candidates(text):
            spelling.setdefault(phrase.lower(), Counter())[phrase] += 1

    def score(key: str) -> float:
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


def _candidates(text: str) -> list[tuple[str, bool]]:
    """(phrase, is_name) pairs: capitalised runs of up to four words, and other content words."""
    out: list[tuple[str, bool]] = []
    run: list[str] = []

    def close() -> None:
        while run and (words(run[0]) or [""])[0] in STOP_WORDS:
            run.pop(0)  # "The Kremlin" is the Kremlin
        if run and len(run) <= 4:
            out.append((" ".join(run), True))
        run.clear()

    for raw in text.split():
        token = (
            raw.strip(".,;:!?\"'()[]\u201c\u201d\u2018\u2019\u2014\u2013").removesuffix("\u2019s").removesuffix("'s")
        )
        tokens = words(token)
        if len(tokens) != 1 or not token:
            close()
            continue
        word = tokens[0]
        if token[0].isupper() and word not in _CALENDAR:
            run.append(token)
        else:
            close()
            if word not in STOP_WORDS and word not in _CALENDAR and len(word) > 2 and not word.isdigit():
                out.append((word, False))
        if raw[-1:] in ",;:.!?\u201d\"')":
            close()
    close()
    return out
