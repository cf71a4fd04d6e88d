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

import multiprocessing
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer

from .models import Article, Sentence

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

# At most this many characters of the input train Punkt: enough to learn
# the day's vocabulary, bounded so a huge day costs no more than a big one.
TRAINING_CHARS = 500_000

_STARTS_LOWER = re.compile(r"^[\"'\u201c\u2018(\[]*[a-z]")


class SentenceSplitter:
    """Punkt trained on the texts given to `fit`, plus `ABBREVIATIONS`.

    Parameters
    ----------
    abbreviations : iterable of str
        Known abbreviations, lower-case, without the final period.
    training_chars : int
        How much of the input, at most, trains the model.
    """

    def __init__(self, abbreviations: Iterable[str] = ABBREVIATIONS, training_chars: int = TRAINING_CHARS):
        self.abbreviations = abbreviations
        self.training_chars = training_chars

    def fit(self, texts: Iterable[str]) -> SentenceSplitter:
        sample, size = [], 0
        for text in texts:
            if size >= self.training_chars:
                break
            sample.append(text[: self.training_chars - size])
            size += len(sample[-1])
        trainer = PunktTrainer()
        trainer.train("\n\n".join(sample), finalize=True)
        params: PunktParameters = trainer.get_params()
        # A day of news is too little text to learn plain-word abbreviations
        # from: Punkt takes any word it only ever saw before a period ("go.",
        # "day.") for one. Keep only dotted forms it learned ("u.s.a"), which
        # cannot be ordinary words, and add the built-in list.
        params.abbrev_types = {a for a in params.abbrev_types if "." in a}
        params.abbrev_types.update(self.abbreviations)
        self.tokenizer_ = PunktSentenceTokenizer(params)
        return self

    def split(self, paragraph: str) -> list[str]:
        """The sentences of one paragraph, each stripped of outer spaces."""
        pieces = [p.strip() for p in self.tokenizer_.tokenize(paragraph)]
        sentences: list[str] = []
        for piece in pieces:
            # A piece that starts in lower case continues the sentence before it:
            # Punkt ends sentences at every "?" and "!", even in '"Why?" she asked.'
            if sentences and _STARTS_LOWER.match(piece):
                sentences[-1] = f"{sentences[-1]} {piece}"
            elif piece:
                sentences.append(piece)
        return sentences


# Below this many articles, starting worker processes costs more than splitting saves.
PARALLEL_MIN_ARTICLES = 500
_WORKER_SPLITTER: SentenceSplitter | None = None


def split_articles(articles: Iterable[Article], splitter: SentenceSplitter, jobs: int = 1) -> list[Sentence]:
    """Every sentence of every article, with its article and position (the same whatever `jobs`)."""
    articles = list(articles)
    if jobs > 1 and len(articles) >= PARALLEL_MIN_ARTICLES and "fork" in multiprocessing.get_all_start_methods():
        global _WORKER_SPLITTER
        _WORKER_SPLITTER = splitter  # forked workers inherit the fitted splitter; nothing to pickle
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                chunk = max(1, min(256, len(articles) // (jobs * 8)))
                split = list(pool.map(_split_in_worker, (a.paragraphs for a in articles), chunksize=chunk))
        finally:
            _WORKER_SPLITTER = None
    else:
        split = [_split_paragraphs(a.paragraphs, splitter) for a in articles]
    out: list[Sentence] = []
    for article, found in zip(articles, split, strict=True):
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


def _split_paragraphs(paragraphs: tuple[str, ...], splitter: SentenceSplitter) -> list[tuple[int, str]]:
    return [(index, text) for index, paragraph in enumerate(paragraphs) for text in splitter.split(paragraph)]


def _split_in_worker(paragraphs: tuple[str, ...]) -> list[tuple[int, str]]:
    assert _WORKER_SPLITTER is not None
    return _split_paragraphs(paragraphs, _WORKER_SPLITTER)
