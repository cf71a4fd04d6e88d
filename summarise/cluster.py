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


def keywords(texts: list[str], idf: dict[str, float], count: int = 5) -> tuple[str, ...]:
    """The words that most set these texts apart, as they are usually written.

    Terms are scored by (1 + log tf) * idf over the stems; each stem is shown
    in the spelling the texts use most ("Pyongyang", "North").
    """
    frequency: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for text in texts:
        for token in text.split():
            token = token.strip(".,;:!?\"'()[]\u201c\u201d\u2018\u2019-\u2014\u2013")
            lowered = words(token)
            if len(lowered) != 1:
                continue
            word = lowered[0]
            if word in STOP_WORDS or len(word) < 3 or word.isdigit():
                continue
            root = stem(word)
            frequency[root] += 1
            spellings.setdefault(root, Counter())[token.removesuffix("\u2019s").removesuffix("'s")] += 1
    scored = sorted(
        frequency,
        key=lambda root: (-(1 + math.log(frequency[root])) * idf.get(root, 0.0), root),
    )
    return tuple(spellings[root].most_common(1)[0][0] for root in scored[:count])
