"""Choose each story's most central statements within a word budget.

What a story is about is what its articles say alike. Following Gillick and
Favre ("A scalable global model for summarization", NAACL workshop on
Integer Linear Programming for NLP, 2009), the story's content is a set of
concepts, the word pairs (stemmed bigrams, not both stop words) of its
sentences, each weighted by how many of the story's articles use it; pairs
that few articles share are left out. A statement is central to the extent
it covers heavily weighted concepts. Statements are chosen greedily for the
most not-yet-covered weight per word (length scaled by an exponent), the
budgeted form of submodular coverage maximisation (Lin and Bilmes, "Multi-
document summarization via budgeted maximization of submodular functions",
NAACL 2010). Coverage is its own redundancy control, since concepts already
covered earn nothing, as MMR's novelty term does (Carbonell and Goldstein,
SIGIR 1998); a hard rule on top keeps out any statement that shares most of
its content words with one already chosen.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from itertools import pairwise

import numpy as np
import scipy.sparse as sp

from .clean import is_furniture
from .models import Sentence, Statement
from .text import STOP_WORDS, content_stems, stem, stem_words, words

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


RARE_CONCEPT_WEIGHT = 0.01
_DANGLING = re.compile(
    r"^[\"'\u201c\u2018]?(?:he|she|it|they|this|that|these|those|his|her|its|their|but|and|so|also|however"
    r"|meanwhile|instead|still|yet|then|there)\b",
    re.IGNORECASE,
)
_STOP_STEMS = frozenset(STOP_WORDS) | frozenset(stem(w) for w in STOP_WORDS)


@lru_cache(maxsize=100_000)  # wire copy repeats sentences word for word across a day
def concepts(text: str) -> tuple[tuple[str, str], ...]:
    """The stemmed word pairs of a text, each once in the order they first occur, leaving out pairs of two stop words.

    A tuple, not a set: its order does not depend on string hashing, so numbering the day's concepts as
    they are met gives the same numbers on every run (and the same sums, in the same order).
    """
    stems = stem_words(words(text))
    stop = [s in _STOP_STEMS for s in stems]
    pairs = zip(pairwise(stems), stop[:-1], stop[1:], strict=True)
    return tuple(dict.fromkeys(pair for pair, first_stop, second_stop in pairs if not (first_stop and second_stop)))


class CoverageSelector:
    """Pick the statements that cover the most of what the articles say alike.

    Concept weights are counted over the whole input, so a story told by
    many outlets weighs more than one told by few: bigger stories get more
    room without a fixed share each. Every story that at least
    `min_story_voices` publishers tell first gets its best statement (most
    important story first), so no such story goes missing; the rest of the
    budget goes to the best statements wherever they are.

    Parameters
    ----------
    max_words : int
        Words in the whole digest, at most.
    length_exponent : float
        A statement's gain is divided by its length to this power: 1 ranks
        by gain per word, 0 by gain alone, favouring long sentences.
    min_words : int
        Shorter sentences are not candidates: they rarely stand alone.
    min_support : int
        A concept counts when at least this many voices use it (fewer when
        there are fewer voices). A voice is a publisher: two outlets printing
        one agency's wire copy are one voice, not two.
    min_story_voices : int
        Stories told by at least this many voices are sure of a statement.
    position_weight : float
        How much lower a statement at the end of its article scores than one
        at the top, where news puts what matters.
    dangling_penalty : float
        Factor for statements that open with a pronoun or a connective ("He
        said", "But"): out of their article they point at nothing.
    max_similarity : float
        Cosine at or above which a statement repeats one already chosen.
    max_overlap : float
        Share of the smaller statement's content words that, if the other
        has them too, makes the two say the same thing.
    fill_budget : bool
        Let the last statement run past `max_words`, so the selection has
        at least that many words when the input allows (as evaluations ask).

    Attributes
    ----------
    selected_ : list of list of int
        For each story, the chosen statement indices in the order picked.
    words_ : int
        Words chosen in all.
    """

    def __init__(
        self,
        max_words: int = 300,
        length_exponent: float = 0.7,
        min_words: int = 10,
        min_support: int = 3,
        min_story_voices: int = 2,
        position_weight: float = 0.0,
        dangling_penalty: float = 0.8,
        max_similarity: float = 0.5,
        max_overlap: float = 0.6,
        fill_budget: bool = False,
    ):
        self.max_words = max_words
        self.length_exponent = length_exponent
        self.min_words = min_words
        self.min_support = min_support
        self.min_story_voices = min_story_voices
        self.position_weight = position_weight
        self.dangling_penalty = dangling_penalty
        self.max_similarity = max_similarity
        self.max_overlap = max_overlap
        self.fill_budget = fill_budget

    def fit(
        self,
        stories: list[list[int]],
        statements: list[Statement],
        statement_matrix: sp.csr_matrix,
        sentences: list[Sentence],
        voices: dict[str, str] | None = None,
    ) -> CoverageSelector:
        """Choose statements; `stories` lists statement indices per story, most important first.

        `voices` maps an article id to its publisher; articles not in it
        each speak for themselves.
        """
        voices = voices or {}
        # Who says what: each distinct text (wire copy repeats sentences word for word) and the voices carrying it.
        text_ids: dict[str, int] = {}
        voice_ids: dict[str, int] = {}
        carried: list[tuple[int, int]] = []
        story_voices: list[set[str]] = []
        for story in stories:
            heard: set[str] = set()
            for i in story:
                for v in statements[i].variants:
                    article = sentences[v].article_id
                    voice = voices.get(article) or f"article {article}"
                    heard.add(voice)
                    text_id = text_ids.setdefault(sentences[v].text, len(text_ids))
                    carried.append((text_id, voice_ids.setdefault(voice, len(voice_ids))))
            story_voices.append(heard)
        everyone = set().union(*story_voices) if story_voices else set()
        support = min(self.min_support, max(1, len(everyone) - 1))
        of_text = [concepts(text) for text in text_ids]
        ids: dict[tuple[str, str], int] = {}  # numbered as first met: texts and their concepts come in a fixed order
        columns = [ids.setdefault(concept, len(ids)) for found in of_text for concept in found]
        # texts x concepts and texts x voices, 0/1: a concept's users are the voices of the texts using it.
        text_concepts = sp.csr_matrix(
            (
                np.ones(len(columns)),
                np.array(columns, dtype=np.int64),
                np.concatenate(([0], np.cumsum([len(found) for found in of_text]))).astype(np.int64),
            ),
            shape=(len(of_text), len(ids)),
        )
        text_concepts.sort_indices()
        pairs = np.array(carried, dtype=np.int64).reshape(-1, 2)
        text_voices = sp.csr_matrix(
            (np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(text_ids), len(voice_ids))
        )
        users = np.diff((text_concepts.T.tocsr() @ text_voices).tocsr().indptr)
        # Concepts too few voices share still count, a hundredfold less: they
        # only order what is left once the shared ones are covered.
        self._weights = users * np.where(users >= support, 1.0, RARE_CONCEPT_WEIGHT)
        self._covered = np.zeros(len(ids), dtype=bool)

        self._rows, self._story, self._concepts, lengths, discount, stems = [], [], [], [], [], []
        for k, story in enumerate(stories):
            for i in story:
                text = statements[i].text
                length = len(text.split())
                if length < self.min_words or not is_whole_sentence(text):
                    continue
                self._rows.append(i)
                self._story.append(k)
                row = text_ids[text]  # a statement's text is one of its variants'
                found = text_concepts.indices[text_concepts.indptr[row] : text_concepts.indptr[row + 1]]
                self._concepts.append(found.astype(np.int64))
                lengths.append(length)
                factor = 1 - self.position_weight * statements[i].sentence.relative_position
                if _DANGLING.match(text):
                    factor *= self.dangling_penalty
                discount.append(factor)
                stems.append(frozenset(content_stems(text)))
        # Each candidate's distinct content stems as a row of 0/1, to count shared stems with one product.
        stem_ids: dict[str, int] = {}
        columns = [stem_ids.setdefault(w, len(stem_ids)) for row in stems for w in sorted(row)]
        counts = np.array([len(row) for row in stems], dtype=np.int64)
        self._stems = sp.csr_matrix(
            (np.ones(len(columns)), columns, np.concatenate(([0], np.cumsum(counts)))),
            shape=(len(stems), len(stem_ids)),
        )
        self._stem_counts = counts
        self._words = np.array(lengths, dtype=np.int64)
        self._discount = np.array(discount)
        self._story_arr = np.array(self._story, dtype=np.int64)
        self._alive = np.ones(len(self._rows), dtype=bool)
        self._matrix = statement_matrix[self._rows]

        chosen: list[list[int]] = [[] for _ in stories]
        spent = 0
        # Every story enough voices tell gets its best statement, most important first ...
        for k in range(len(stories)):
            if len(story_voices[k]) >= self.min_story_voices:
                pick = self._best(self._alive & (self._story_arr == k))
                if pick is not None and spent + self._words[pick] <= self.max_words:
                    spent += self._take(pick, chosen)
        # ... then the budget goes to the best statements wherever they are.
        while True:
            fits = self._words <= self.max_words - spent
            if self.fill_budget and spent < self.max_words:
                fits[:] = True  # the last one may run past the budget
            pick = self._best(self._alive & fits)
            if pick is None:
                break
            spent += self._take(pick, chosen)
        self.selected_ = chosen
        self.words_ = spent
        return self

    def _best(self, mask: np.ndarray) -> int | None:
        """The candidate in `mask` with the most uncovered concept weight per (scaled) word, if any gains."""
        best, best_value = None, 0.0
        for n in np.flatnonzero(mask):
            ids = self._concepts[n]
            gain = self._weights[ids[~self._covered[ids]]].sum()
            value = gain * self._discount[n] / math.pow(self._words[n], self.length_exponent)
            if value > best_value:
                best, best_value = int(n), value
        return best

    def _take(self, pick: int, chosen: list[list[int]]) -> int:
        """Choose candidate `pick`, cover its concepts, retire whatever repeats it; returns its length."""
        chosen[self._story[pick]].append(self._rows[pick])
        self._covered[self._concepts[pick]] = True
        similar = np.asarray((self._matrix @ self._matrix[pick].T).todense()).ravel() >= self.max_similarity
        shared = np.asarray((self._stems @ self._stems[pick].T).todense()).ravel()
        smaller = np.minimum(self._stem_counts, self._stem_counts[pick])
        with np.errstate(divide="ignore", invalid="ignore"):
            overlap = (smaller > 0) & (shared / np.where(smaller > 0, smaller, 1) >= self.max_overlap)
        self._alive[pick] = False
        self._alive &= ~(similar | overlap)
        return int(self._words[pick])
