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
its content words with one already chosen. The same objective can be
solved exactly as Gillick and Favre's integer linear program (`solver`),
which beats the greedy order when a budget is short: two mid-length
sentences can cover more than the one long sentence greedy takes first.

Only sentences fit to stand alone are candidates: none that leans on the
sentence before it (a pronoun or linking word at its start, an early
"also"), none that is a list of names or scores, none that is two
sentences run together. These are closed-class and shape signals, not
phrases of particular pages.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

import numpy as np
import scipy.sparse as sp

from .furniture import is_furniture
from .models import Sentence, Statement
from .text import ENGLISH, Lexicon

MIN_WORDS = 6
MAX_WORDS = 60
# A sentence's end: Latin stops, the Devanagari danda, the Arabic question mark and full stop; then
# closing quotes (English, German „...“ and Polish „...”, the guillemets of French, Russian...).
_WHOLE_END = re.compile(r"[.!?\u0964\u061f\u06d4][\"'\u201c\u201d\u2019\u00bb)\]]*$")
# Its first letter, after an opening quote: a capital, a digit, or a letter of a script without case.
_WHOLE_START = re.compile(r"^[\"'\u201c\u2018\u00ab\u201e(]?(\w)")


def _starts_whole(text: str) -> bool:
    first = _WHOLE_START.match(text)
    return first is not None and not first.group(1).islower() and first.group(1) != "_"


def is_whole_sentence(text: str) -> bool:
    """Fit to stand alone in a digest: a complete, plain sentence of sensible length."""
    n = len(text.split())
    if not MIN_WORDS <= n <= MAX_WORDS:
        return False
    if not (_WHOLE_END.search(text) and _starts_whole(text)):
        return False
    # A sentence cut from a longer quotation shows an unmatched quote mark.
    if not _quotes_match(text):
        return False
    if text.count('"') % 2:
        return False
    if text.count("(") != text.count(")"):
        return False
    return not is_furniture(text)


def _quotes_match(text: str) -> bool:
    """Every curly quote and guillemet opened is closed: English “...”, German „...“, Polish „...”, «...»."""
    low_opening = text.count("\u201e")  # „ opens, closed by “ (German, Czech) or ” (Polish, Hungarian)
    if low_opening:
        closing = text.count("\u201c") + text.count("\u201d")
        return low_opening == closing and text.count("\u00ab") == text.count("\u00bb")
    return text.count("\u201c") == text.count("\u201d") and text.count("\u00ab") == text.count("\u00bb")


RARE_CONCEPT_WEIGHT = 0.01

# Words that, opening a sentence, point back at one before it: out of its article the sentence then
# refers to nothing ("He said", "Such status would", "But", "However"). Closed classes of English
# (personal and demonstrative pronouns, conjunctions, linking adverbs), not phrases of any page.
_LEANS_BACK = re.compile(
    r"^[\"'\u201c\u2018]?(?:he|she|it|they|we|him|her|them|his|its|their|this|that|these|those|such|but|and|or"
    r"|nor|so|also|too|however|meanwhile|instead|still|yet|then|thus|hence|therefore|moreover|furthermore"
    r"|besides|nevertheless|nonetheless|otherwise|likewise|similarly|accordingly|consequently|indeed"
    r"|essentially|later|afterwards|in addition|as a result|even so|for example|for instance|in turn"
    r"|in contrast|on the other hand|at the same time|the latter|the former|the same)\b",
    re.IGNORECASE,
)
# "also" among a sentence's first words adds to something told before it ("The company also said").
_EARLY_ALSO = re.compile(r"^(?:\S+\s+){0,4}also\b", re.IGNORECASE)
# Two sentences run together where a paragraph break or a full stop went missing: a lower-case word,
# then a capitalised pronoun or article opening a clause ("... a motorist can do There are too many").
_GLUED = re.compile(
    r"\b[a-z]{2,}[\"'\u201d\u2019]? (?:He|She|It|They|We|There|This|These|Those|His|Her|Its|Their|The|A|An)"
    r" [a-z]"
)
# A byline run into the text it signs: "By", one to three capitalised names, then a dateline in capitals
# or a capitalised word opening the sentence proper ("By Mark Shaffer PHOENIX -", "By Ann Lee The council").
_BYLINE_START = re.compile(r"^By\s+(?:[A-Z][\w.'\u2019-]*\s+){1,3}(?:[A-Z]{2,}|[A-Z][a-z]*\s+[a-z])")
_SEPARATORS = re.compile(r"[,;|\u2022]|\s[-\u2013\u2014]\s")
_NAME_OR_NUMBER = re.compile(r"^(?:[A-Z]|\S*\d)")


def leans_back(text: str) -> bool:
    """Whether the sentence needs the one before it: it opens with a pronoun or a linking word, or adds with an early "also"."""  # noqa: E501
    return bool(_LEANS_BACK.match(text) or _EARLY_ALSO.match(text))


def is_glued(text: str) -> bool:
    """Whether the text is two sentences run together (a lost break shows as a capitalised clause opener mid-line)."""
    return bool(_GLUED.search(text))


def is_list(text: str, lexicon: Lexicon = ENGLISH) -> bool:
    """A line-up, a table row or a list of names or scores rather than a sentence.

    Its items are separated four times or more, most of its words are names or numbers, and few are
    the function words that hold a sentence together: "G Thomas (Toulouse, capt); K Morgan (Newport)
    ..." or "Angola, Lesotho, Malawi, Mauritius ...", but not "Symptoms include fever, chills,
    headache, muscle ache and malaise."
    """
    tokens = text.split()
    if len(_SEPARATORS.findall(text)) < 4 or len(tokens) < 6:
        return False
    named = sum(1 for t in tokens if _NAME_OR_NUMBER.match(t.lstrip("\"'\u201c\u2018(")))
    function = sum(1 for t in tokens if t.strip(".,;:()\"'").lower() in lexicon.stop_words)
    return named >= 0.5 * len(tokens) and function < 0.2 * len(tokens)


def stands_alone(text: str, lexicon: Lexicon = ENGLISH) -> bool:
    """Fit to be read on its own in a digest: leaning on no sentence before it, not a list, not two run together,
    not opening on a byline."""
    return not (leans_back(text) or is_list(text, lexicon) or is_glued(text) or _BYLINE_START.match(text))


@lru_cache(maxsize=100_000)  # wire copy repeats sentences word for word across a day
def concepts(text: str, lexicon: Lexicon = ENGLISH) -> tuple[tuple[str, str], ...]:
    """The stemmed word pairs of a text, each once in the order they first occur, leaving out pairs of two stop words.

    A tuple, not a set: its order does not depend on string hashing, so numbering the day's concepts as
    they are met gives the same numbers on every run (and the same sums, in the same order).
    """
    stems = lexicon.stem_words(lexicon.words(text))
    stop_stems = lexicon.stop_stems
    stop = [s in stop_stems for s in stems]
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
        said", "But"): out of their article they point at nothing. Only
        matters with `standalone` off, which leaves such statements out.
    max_similarity : float
        Cosine at or above which a statement repeats one already chosen.
    max_overlap : float
        Share of the smaller statement's content words that, if the other
        has them too, makes the two say the same thing.
    fill_budget : bool
        Let the last statement run past `max_words`, so the selection has
        at least that many words when the input allows (as evaluations ask).
    solver : {"exact", "greedy"}
        After the stories' sure statements, "exact" fills the rest of the
        budget by solving Gillick and Favre's integer program (HiGHS, through
        scipy.optimize.milp): the set of statements whose concepts weigh most
        within the words left, no two repeating each other. "greedy" (and
        takes the best value per word in turn. What the budget leaves is
        filled greedily either way.
    max_exact : int
        The integer program chooses among this many candidates, those of
        best greedy value: it bounds the program's size and time.
    standalone : bool
        Leave out statements that cannot be read on their own (`stands_alone`):
        ones that open on a pronoun or a linking word, lists, glued sentences.
    story_share : float
        Share of `max_words` the stories' sure statements may take (1: all of it).
    lead_weight : float
        How much more a concept counts for each voice that uses it within
        the first `lead_sentences` sentences of its article.
    lead_sentences : int
        Sentences of an article that make its lead.
    lexicon : Lexicon
        The statements' language: its stop words and stemmer (text.py, language.py).

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
        solver: str = "exact",
        standalone: bool = True,
        story_share: float = 0.0,
        lead_weight: float = 1.0,
        lead_sentences: int = 3,
        max_exact: int = 200,
        lexicon: Lexicon = ENGLISH,
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
        self.solver = solver
        self.standalone = standalone
        self.story_share = story_share
        self.lead_weight = lead_weight
        self.lead_sentences = lead_sentences
        self.max_exact = max_exact
        self.lexicon = lexicon

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
        led: list[tuple[int, int]] = []  # the same, for sentences in their article's lead
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
                    if sentences[v].position < self.lead_sentences:
                        led.append(carried[-1])
            story_voices.append(heard)
        everyone = set().union(*story_voices) if story_voices else set()
        support = min(self.min_support, max(1, len(everyone) - 1))
        of_text = [concepts(text, self.lexicon) for text in text_ids]
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
        concept_texts = text_concepts.T.tocsr()

        def voices_using(pairs_found: list[tuple[int, int]]) -> np.ndarray:
            """How many voices use each concept, given which voice carries which text ((text id, voice id) pairs)."""
            pairs = np.array(pairs_found, dtype=np.int64).reshape(-1, 2)
            text_voices = sp.csr_matrix(
                (np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(text_ids), len(voice_ids))
            )
            return np.diff((concept_texts @ text_voices).tocsr().indptr)

        users = voices_using(carried)
        # Concepts too few voices share still count, a hundredfold less: they
        # only order what is left once the shared ones are covered.
        scale = np.where(users >= support, 1.0, RARE_CONCEPT_WEIGHT)
        # News puts what matters first: a voice using a concept in its lead counts extra.
        self._weights = (users + self.lead_weight * voices_using(led)) * scale
        self._covered = np.zeros(len(ids), dtype=bool)

        self._rows, self._story, self._concepts, lengths, discount, stems = [], [], [], [], [], []
        for k, story in enumerate(stories):
            for i in story:
                text = statements[i].text
                length = len(text.split())
                if length < self.min_words or not is_whole_sentence(text):
                    continue
                if self.standalone and not stands_alone(text, self.lexicon):
                    continue
                self._rows.append(i)
                self._story.append(k)
                row = text_ids[text]  # a statement's text is one of its variants'
                found = text_concepts.indices[text_concepts.indptr[row] : text_concepts.indptr[row + 1]]
                self._concepts.append(found.astype(np.int64))
                lengths.append(length)
                factor = 1 - self.position_weight * statements[i].sentence.relative_position
                if leans_back(text):
                    factor *= self.dangling_penalty
                discount.append(factor)
                stems.append(frozenset(self.lexicon.content_stems(text)))
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
        # Candidates x concepts, 0/1: every candidate's uncovered gain in one sparse product.
        held = np.concatenate(self._concepts) if self._concepts else np.zeros(0, dtype=np.int64)
        self._holds = sp.csr_matrix(
            (np.ones(len(held)), held, np.concatenate(([0], np.cumsum([len(c) for c in self._concepts])))),
            shape=(len(self._concepts), len(ids)),
        )
        self._scale = self._discount / np.power(self._words.astype(float), self.length_exponent)
        self._alive = np.ones(len(self._rows), dtype=bool)
        self._matrix = statement_matrix[self._rows]

        chosen: list[list[int]] = [[] for _ in stories]
        spent = 0
        # Every story enough voices tell gets its best statement, most important first ...
        for k in range(len(stories)):
            if len(story_voices[k]) >= self.min_story_voices:
                pick = self._best(self._alive & (self._story_arr == k))
                if pick is not None and spent + self._words[pick] <= self.story_share * self.max_words:
                    spent += self._take(pick, chosen)
        # ... then the budget goes to the best statements wherever they are.
        if self.solver == "exact":
            for pick in self._exact(self.max_words - spent):
                if self._alive[pick]:
                    spent += self._take(pick, chosen)
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

    def _values(self) -> np.ndarray:
        """Every candidate's uncovered concept weight per (scaled) word, discounted."""
        return (self._holds @ np.where(self._covered, 0.0, self._weights)) * self._scale

    def _best(self, mask: np.ndarray) -> int | None:
        """The candidate in `mask` with the most uncovered concept weight per (scaled) word, if any gains."""
        values = np.where(mask, self._values(), 0.0)
        best = int(np.argmax(values)) if len(values) else 0  # the first of equals
        return best if len(values) and values[best] > 0 else None

    def _exact(self, budget: int) -> list[int]:
        """The candidates that together cover the most concept weight within `budget` words.

        Gillick and Favre's integer program: a binary variable per sentence and per concept, a concept
        counts only if a chosen sentence holds it, the chosen lengths sum to at most the budget, and two
        sentences that repeat each other are never both chosen. Rare concepts count at their small weight. Solved
        exactly by HiGHS (scipy.optimize.milp) for the `max_exact` candidates of best greedy value.
        Returned best first (by the greedy value), so the caller takes them in a stable order.
        """
        from scipy.optimize import Bounds, LinearConstraint, milp

        rows = np.flatnonzero(self._alive & (self._words <= budget))
        if len(rows) > self.max_exact:
            # The program is solved for the best candidates by the greedy value only: its size, and so
            # its time, stays bounded whatever the day's size (ties: the earlier candidate).
            values = self._values()[rows]
            rows = np.sort(rows[np.argsort(-values, kind="stable")[: self.max_exact]])
        if not len(rows):
            return []
        # Every concept not yet covered, rare ones at their small weight: they then order what the shared
        # ones leave open by real coverage (a rare pair two chosen sentences share counts once).
        concept_ids: dict[int, int] = {}
        entries_r, entries_c = [], []
        for r, n in enumerate(rows):
            ids = self._concepts[n]
            for j in ids[~self._covered[ids]]:
                entries_r.append(r)
                entries_c.append(concept_ids.setdefault(int(j), len(concept_ids)))
        if not concept_ids:
            return []
        n_rows, n_concepts = len(rows), len(concept_ids)
        weights = self._weights[list(concept_ids)]
        holds = sp.csr_matrix((np.ones(len(entries_r)), (entries_c, entries_r)), shape=(n_concepts, n_rows))
        # Repeating pairs, as _take retires them.
        block = self._matrix[rows]
        similar = (block @ block.T).toarray() >= self.max_similarity
        stems = self._stems[rows]
        shared = (stems @ stems.T).toarray()
        counts = self._stem_counts[rows]
        smaller = np.minimum.outer(counts, counts)
        with np.errstate(divide="ignore", invalid="ignore"):
            overlap = (smaller > 0) & (shared / np.where(smaller > 0, smaller, 1) >= self.max_overlap)
        first, second = np.nonzero(np.triu(similar | overlap, k=1))
        conflicts = sp.csr_matrix(
            (
                np.ones(2 * len(first)),
                (np.repeat(np.arange(len(first)), 2), np.ravel(np.column_stack((first, second)))),
            ),
            shape=(len(first), n_rows),
        )
        # Variables: sentences, then concepts.
        objective = -np.concatenate((np.zeros(n_rows), weights))
        constraints = [
            LinearConstraint(
                sp.hstack([sp.csr_matrix(self._words[rows][None, :]), sp.csr_matrix((1, n_concepts))]), -np.inf, budget
            ),
            LinearConstraint(sp.hstack([-holds, sp.identity(n_concepts)]), -np.inf, 0),
        ]
        if len(first):
            constraints.append(
                LinearConstraint(sp.hstack([conflicts, sp.csr_matrix((len(first), n_concepts))]), -np.inf, 1)
            )
        # Only the sentences need be whole: a concept's best value is then 1 exactly when a chosen sentence holds it.
        integrality = np.concatenate((np.ones(n_rows), np.zeros(n_concepts)))
        result = milp(objective, integrality=integrality, bounds=Bounds(0, 1), constraints=constraints)
        if result.x is None:
            return []
        picked = [int(rows[r]) for r in np.flatnonzero(result.x[:n_rows] > 0.5)]
        values = self._values()
        return sorted(picked, key=lambda n: (-values[n], n))

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
