"""Choose each story's most central statements within a word budget.

Centrality is the centroid score of MEAD (Radev, Jing, Styś and Tam,
"Centroid-based summarization of multiple documents", Information
Processing and Management 40(6), 2004): the cosine between a sentence and
the mean TF-IDF vector of its story's statements. It is raised for
statements several articles carry and for sentences near the top of their
article, where news puts what matters. Redundancy is
controlled with Maximal Marginal Relevance (Carbonell and Goldstein, "The
use of MMR, diversity-based reranking for reordering documents and
producing summaries", SIGIR 1998), plus a hard rule that no two chosen
statements share most of their content words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from .clean import is_furniture
from .models import Sentence, Statement
from .text import content_stems

MIN_WORDS = 6
MAX_WORDS = 60
_WHOLE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")
_WHOLE_START = re.compile(r"^[\"'\u201c\u2018(]?[A-Z0-9]")


def is_whole_sentence(text: str) -> bool:
    """Fit to stand alone in a digest: a complete, plain sentence of sensible length."""
    n = len(text.split())
    if not MIN_WORDS <= n <= MAX_WORDS:
        return False
    if not (_WHOLE_END.search(text) and _WHOLE_START.match(text)):
        return False
    # A sentence cut from a longer quotation shows an unmatched quote mark.
    if text.count("\u201c") != text.count("\u201d") or text.count('"') % 2:
        return False
    if text.count("(") != text.count(")"):
        return False
    return not is_furniture(text)


@dataclass(frozen=True)
class Candidate:
    statement: Statement
    index: int  # row in the statement matrix
    score: float
    words: int
    stems: frozenset[str]


class CentralitySelector:
    """Pick statements story by story, most important story first.

    Parameters
    ----------
    max_words : int
        Words in the whole digest, at most.
    diversity : float
        MMR trade-off: 0 ranks by centrality alone, 1 by novelty alone.
    max_similarity : float
        Cosine at or above which a statement repeats one already chosen.
    max_overlap : float
        Share of the smaller statement's content words that, if the other
        has them too, makes the two say the same thing.
    support_weight, position_weight : float
        How much being carried by more articles, and sitting early in
        one's article, raise a statement's score.
    """

    def __init__(
        self,
        max_words: int = 300,
        diversity: float = 0.3,
        max_similarity: float = 0.5,
        max_overlap: float = 0.6,
        support_weight: float = 0.5,
        position_weight: float = 0.4,
    ):
        self.max_words = max_words
        self.diversity = diversity
        self.max_similarity = max_similarity
        self.max_overlap = max_overlap
        self.support_weight = support_weight
        self.position_weight = position_weight

    def fit(
        self,
        stories: list[list[int]],
        statements: list[Statement],
        statement_matrix: sp.csr_matrix,
        sentence_matrix: sp.csr_matrix,
        sentences: list[Sentence],
        story_sizes: list[int],
    ) -> CentralitySelector:
        """Choose statements for each story; `stories` lists statement indices per story.

        Sets ``selected_``: for each story, the chosen statement indices in
        the order they were picked.
        """
        candidates = [
            self._candidates(story, statements, statement_matrix, sentence_matrix, size)
            for story, size in zip(stories, story_sizes, strict=True)
        ]
        total = sum(story_sizes) or 1
        quotas = [self.max_words * size / total for size in story_sizes]
        chosen: list[list[Candidate]] = [[] for _ in stories]
        used = [0] * len(stories)
        spent = 0
        # First each story in turn gets what fits its share (bigger stories get
        # more), its best statement always if the budget allows; then what is
        # left of the budget goes to the best remaining statements, in story order.
        for respect_quota in (True, False):
            progress = True
            while progress:
                progress = False
                for k, pool in enumerate(candidates):
                    pick = self._next(pool, chosen, statement_matrix, k)
                    if pick is None:
                        continue
                    within_quota = not chosen[k] or used[k] + pick.words <= quotas[k]
                    if spent + pick.words > self.max_words or (respect_quota and not within_quota):
                        continue
                    chosen[k].append(pick)
                    used[k] += pick.words
                    spent += pick.words
                    pool.remove(pick)
                    progress = True
        self.selected_ = [[c.index for c in picks] for picks in chosen]
        self.words_ = spent
        return self

    def _candidates(self, story, statements, statement_matrix, sentence_matrix, size) -> list[Candidate]:
        rows = [i for i in story if is_whole_sentence(statements[i].text)]
        if not rows:
            return []
        # Each statement counts once: wire copy repeated by several outlets must
        # not pull the centre towards one agency's wording.
        centroid = normalize(np.asarray(statement_matrix[story].sum(axis=0)))
        centrality = np.asarray(statement_matrix[rows] @ centroid.T).ravel()
        out = []
        for row, base in zip(rows, centrality, strict=True):
            statement = statements[row]
            support = (len(statement.citations) - 1) / max(size - 1, 1)
            position = statement.sentence.relative_position
            score = base * (1 + self.support_weight * support) * (1 - self.position_weight * position)
            out.append(
                Candidate(
                    statement=statement,
                    index=row,
                    score=float(score),
                    words=len(statement.text.split()),
                    stems=frozenset(content_stems(statement.text)),
                )
            )
        return out

    def _next(self, pool, chosen, statement_matrix, story) -> Candidate | None:
        """The MMR pick from `pool`, skipping anything that repeats a chosen statement."""
        everything = [c for picks in chosen for c in picks]
        best, best_value = None, -np.inf
        own = chosen[story]
        for candidate in pool:
            if any(self._repeats(candidate, other, statement_matrix) for other in everything):
                continue
            novelty_penalty = max(
                (_cosine(statement_matrix, candidate.index, other.index) for other in own), default=0.0
            )
            value = (1 - self.diversity) * candidate.score - self.diversity * novelty_penalty
            if value > best_value:
                best, best_value = candidate, value
        return best

    def _repeats(self, a: Candidate, b: Candidate, statement_matrix) -> bool:
        if _cosine(statement_matrix, a.index, b.index) >= self.max_similarity:
            return True
        smaller = min(len(a.stems), len(b.stems))
        return smaller > 0 and len(a.stems & b.stems) / smaller >= self.max_overlap


def _cosine(matrix: sp.csr_matrix, i: int, j: int) -> float:
    return float(matrix[i].multiply(matrix[j]).sum())
