"""Sentence splitting with NLTK's Punkt, trained on the input itself.

Punkt (Kiss and Strunk, "Unsupervised Multilingual Sentence Boundary
Detection", Computational Linguistics 32(4), 2006) learns abbreviations,
collocations and which words start sentences from raw text, so it needs no
downloaded model: we train it on a bounded sample of the day's articles and
add a built-in list of the abbreviations news copy uses ("Mr.", "U.S.",
"Jan.", "Gen."), which a day of text is too small to learn reliably.
Sentences never cross paragraph boundaries.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import re
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from nltk.tokenize import punkt
from nltk.tokenize.punkt import PunktLanguageVars, PunktSentenceTokenizer, PunktToken, PunktTrainer

from .clean import strip_dateline
from .models import Article, Sentence
from .text import ENGLISH, Lexicon
from .workers import exit_with_parent

# Lower-case, without the final period, as Punkt stores them. Words that
# also end sentences as plain English ("no.", "ill.", "Miss.", "Wash.") are
# left out: a missed split there costs more than a wrong one.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft rev hon gen lt col maj capt cmdr adm sgt cpl pvt gov sen rep
    pres supt insp det atty
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    nos vol pp fig approx dept univ assn bros co corp inc ltd plc llc ave blvd rd hwy
    u.s u.k u.n u.s.a e.u d.c l.a n.y a.m p.m e.g i.e cf vs viz al
    ala ariz calif colo conn fla ga kan ky la md mich minn mont neb nev okla penn tenn tex va vt wis wyo
    """.split()
) | frozenset("abcdefghijklmnopqrstuvwxyz")  # initials: "John F. Kennedy", "J. R. R. Tolkien"
# In other languages only initials are known beforehand; Punkt learns the dotted abbreviations of the day.
INITIALS = frozenset("abcdefghijklmnopqrstuvwxyz")

# At most this many characters of the input train Punkt: enough to learn how
# the day's names are written, bounded so a huge day costs no more than a
# small one (training reads some 400,000 characters a second; splitting with
# the trained model goes ten times as fast).
TRAINING_CHARS = 100_000

# A piece's first letter, after any opening quotes or brackets.
_FIRST_LETTER = re.compile(r"^[\"'\u201c\u2018\u00ab\u201e(\[]*([^\W\d_])")
# A piece that ends in dotted initials ("the U.S.", "J.P.", "N.C.") ...
_ENDS_INITIALS = re.compile(r"\b(?:[A-Z]\.){2,}$")
# ... and a next piece whose first word is a name or a noun, not a word that opens sentences.
_FIRST_WORD = re.compile(r"^[\"'\u201c\u2018(\[]*([A-Za-z]+)")


def _without_time_limit(pattern: Any) -> Any:
    """One of NLTK's timed patterns with the time limit off (before NLTK 3.10 there is none)."""
    try:
        from nltk.redos import TimedPattern, compile
    except ImportError:
        return pattern
    return compile(pattern, timeout=None) if isinstance(pattern, TimedPattern) else pattern


class _LanguageVars(PunktLanguageVars):
    """Punkt's sentence ends, and the Devanagari danda and the Arabic question mark and full stop."""

    sent_end_chars = (".", "?", "!", "\u0964", "\u061f", "\u06d4")

    # NLTK 3.10 runs every regular expression under a wall-clock limit (5 s), a guard against
    # patterns a caller supplies. Punkt's patterns are its own, in time linear in the text; under the
    # limit, a worker stalled for a few seconds (memory pressure on a million-article day) failed a
    # whole part of the day, and a busy machine could split otherwise than an idle one. Without it,
    # the split depends on the text alone.
    re_boundary_realignment = _without_time_limit(PunktLanguageVars.re_boundary_realignment)
    _untimed_period_context: Any  # made on first use, as Punkt makes its own
    _untimed_word_tokenizer: Any

    def period_context_re(self) -> Any:
        try:
            return self._untimed_period_context
        except AttributeError:
            self._untimed_period_context = _without_time_limit(super().period_context_re())
            return self._untimed_period_context

    def _word_tokenizer_re(self) -> Any:
        try:
            return self._untimed_word_tokenizer
        except AttributeError:
            self._untimed_word_tokenizer = _without_time_limit(super()._word_tokenizer_re())
            return self._untimed_word_tokenizer


class _Token(PunktToken):
    """Punkt's token, its patterns without NLTK's wall-clock limit (see `_LanguageVars`)."""

    __slots__ = ()

    _RE_ELLIPSIS = _without_time_limit(PunktToken._RE_ELLIPSIS)
    _RE_NUMERIC = _without_time_limit(PunktToken._RE_NUMERIC)
    _RE_INITIAL = _without_time_limit(PunktToken._RE_INITIAL)
    _RE_ALPHA = _without_time_limit(PunktToken._RE_ALPHA)
    _RE_NON_PUNCT = _without_time_limit(punkt._re_non_punct)

    @property
    def is_non_punct(self) -> Any:
        return self._RE_NON_PUNCT.search(self.type)


_TRAINING = threading.Lock()


@contextlib.contextmanager
def _untimed_training() -> Iterator[None]:
    """While Punkt trains, the one pattern its trainer takes from its module rather than from the
    token class (to rule out tokens without a letter as abbreviations) is without the limit too.
    NLTK's module is put back as it was afterwards; the lock keeps two trainings in threads from
    putting back each other's."""
    with _TRAINING:
        timed = punkt._re_non_punct
        punkt._re_non_punct = _Token._RE_NON_PUNCT
        try:
            yield
        finally:
            punkt._re_non_punct = timed


class SentenceSplitter:
    """Punkt trained on the texts given to `fit`, plus `ABBREVIATIONS`.

    Parameters
    ----------
    abbreviations : iterable of str
        Known abbreviations, lower-case, without the final period.
    training_chars : int
        How much of the input, at most, trains the model.
    opening_words : frozenset of str
        Words that open sentences rather than go on with a name (the language's stop words): after
        dotted initials, one of them starts a new sentence.
    """

    def __init__(
        self,
        abbreviations: Iterable[str] = ABBREVIATIONS,
        training_chars: int = TRAINING_CHARS,
        opening_words: frozenset[str] = ENGLISH.stop_words,
    ):
        self.abbreviations = abbreviations
        self.training_chars = training_chars
        self.opening_words = opening_words

    @classmethod
    def for_language(cls, lexicon: Lexicon) -> SentenceSplitter:
        """A splitter for articles in the lexicon's language (English: the news abbreviations above)."""
        if lexicon.code == "en":
            return cls()
        return cls(abbreviations=INITIALS, opening_words=lexicon.stop_words)

    def fit_articles(self, articles: Iterable[Article]) -> SentenceSplitter:
        """Train on the paragraphs of a day's articles (see `fit`); returns self."""
        return self.fit(p for a in articles for p in a.paragraphs)

    def fit(self, texts: Iterable[str]) -> SentenceSplitter:
        """Train Punkt on a sample of `texts` (at most `training_chars` characters), keeping of the abbreviations it
        learns only dotted ones, plus `abbreviations`; returns self."""
        sample = training_sample(list(texts), self.training_chars)
        trainer = PunktTrainer(lang_vars=_LanguageVars(), token_cls=_Token)
        with _untimed_training():
            trainer.train("\n\n".join(sample), finalize=True)
        params = trainer.get_params()
        # A day of news is too little text to learn plain-word abbreviations
        # from: Punkt takes any word it only ever saw before a period ("go.",
        # "day.") for one. Keep only dotted forms it learned ("u.s.a"), which
        # cannot be ordinary words, and add the built-in list.
        params.abbrev_types = {a for a in params.abbrev_types if "." in a}
        params.abbrev_types.update(self.abbreviations)
        self.tokenizer_ = PunktSentenceTokenizer(params, lang_vars=_LanguageVars(), token_cls=_Token)
        return self

    def split(self, paragraph: str) -> list[str]:
        """The sentences of one paragraph, each stripped of outer spaces."""
        pieces = [p.strip() for p in self.tokenizer_.tokenize(paragraph)]
        sentences: list[str] = []
        for piece in pieces:
            # A piece that starts in lower case continues the sentence before it:
            # Punkt ends sentences at every "?" and "!", even in '"Why?" she asked.'
            if sentences and (_starts_lower(piece) or _continues_initials(sentences[-1], piece, self.opening_words)):
                sentences[-1] = f"{sentences[-1]} {piece}"
            elif piece:
                sentences.append(piece)
        return sentences


def _starts_lower(piece: str) -> bool:
    first = _FIRST_LETTER.match(piece)
    return first is not None and first.group(1).islower()


def _continues_initials(before: str, piece: str, opening_words: frozenset[str]) -> bool:
    """Whether Punkt cut a name after its initials: "the U.S. | Open", "J.P. | Morgan".

    A sentence can end in initials ("moved to the U.S."), but the next one then opens with a
    function word ("The", "He", "But") far more often than with a name; a capitalised content
    word after initials is read as the name going on.
    """
    if not _ENDS_INITIALS.search(before):
        return False
    first = _FIRST_WORD.match(piece)
    return first is not None and first.group(1).lower() not in opening_words


def training_sample(texts: list[str], limit: int) -> list[str]:
    """At most `limit` characters of `texts`, whole texts spread evenly over all of them (the last one cut).

    Spread, so that a big day's sample holds every part of the day (every
    input, every story), not its first articles only.
    """
    total = sum(map(len, texts))
    if total > limit:
        texts = texts[:: math.ceil(total / limit)]  # every k-th text, some `limit` characters in all
    sample, size = [], 0
    for text in texts:
        if size >= limit:
            break
        sample.append(text[: limit - size])
        size += len(sample[-1])
    return sample


# Below this many characters of distinct paragraphs, starting worker processes costs more than it saves.
PARALLEL_MIN_CHARS = 500_000
_WORKER_BATCH = 500  # paragraphs a worker splits per task
_WORKER_SPLITTER: SentenceSplitter | None = None


def split_articles(articles: Iterable[Article], splitter: SentenceSplitter, jobs: int = 1) -> list[Sentence]:
    """Every sentence of every article, with its article and position (the same whatever `jobs`).

    A paragraph that several articles carry word for word (wire copy) is
    split once. With `jobs` above 1 and enough text, the paragraphs are
    split by that many worker processes.
    """
    articles = list(articles)
    distinct = list(dict.fromkeys(p for a in articles for p in a.paragraphs))
    # A dateline ("MOSCOW (AP) —") is part of the article as printed, but never the start of a sentence.
    bare = [strip_dateline(p) for p in distinct]
    split_of = dict(zip(distinct, _split_all(bare, splitter, jobs), strict=True))
    out: list[Sentence] = []
    for article in articles:
        found = [(index, text) for index, paragraph in enumerate(article.paragraphs) for text in split_of[paragraph]]
        for position, (paragraph, text) in enumerate(found):
            out.append(
                Sentence(
                    text=text,
                    article_id=article.id,
                    position=position,
                    paragraph=paragraph,
                    relative_position=position / len(found),
                )
            )
    return out


def _split_all(paragraphs: list[str], splitter: SentenceSplitter, jobs: int) -> list[list[str]]:
    """Each paragraph's sentences, in order; in `jobs` forked processes when that pays."""
    size = sum(map(len, paragraphs))
    if jobs < 2 or size < PARALLEL_MIN_CHARS or "fork" not in multiprocessing.get_all_start_methods():
        return [splitter.split(p) for p in paragraphs]
    global _WORKER_SPLITTER
    _WORKER_SPLITTER = splitter  # forked workers inherit the fitted splitter: nothing to pickle
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=exit_with_parent) as pool:
            batches = [paragraphs[k : k + _WORKER_BATCH] for k in range(0, len(paragraphs), _WORKER_BATCH)]
            return [sentences for found in pool.map(_split_in_worker, batches) for sentences in found]
    finally:
        _WORKER_SPLITTER = None


def _split_in_worker(paragraphs: list[str]) -> list[list[str]]:
    assert _WORKER_SPLITTER is not None
    return [_WORKER_SPLITTER.split(p) for p in paragraphs]
