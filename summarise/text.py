"""Word-level helpers shared by the stages: tokens, stems, stop words."""

from __future__ import annotations

import importlib.util
import re
import runpy
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import cached_property, lru_cache
from pathlib import Path

import Stemmer

# Curly quotes and dashes fold to ASCII so that "Russia’s" and "Russia's" are one word.
# Turkish's dotted capital I would lower to "i" and a combining dot: it folds to the "i" it reads as.
_FOLD = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u0130": "i"}
)
# The end of a sentence, as the last thing on a line: final punctuation, Latin and CJK, then any
# closing quotes or brackets. The readers (clean.py, body.py) tell prose from furniture by it.
# Beyond the Latin and CJK stops: the Devanagari danda (Hindi) and the Arabic question mark and full stop.
SENTENCE_END = re.compile(
    r"[.!?\u2026\u3002\uff01\uff1f\u203c\u2047-\u2049\u0964\u061f\u06d4]"
    r"[\"'\u201d\u2019\u00bb)\]\u300d\u300f\uff09*]*$"
)
# Marks that go on a word rather than end it, where a script writes them apart from the letter: the
# combining accents, Arabic vowel signs, Devanagari vowel signs and virama, and the zero-width
# (non-)joiners Persian writes inside words. Python's \w leaves them out.
_MARK = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0903\u093a-\u094f\u0962\u0963\u200c\u200d"
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_WORD_WITH_MARKS = re.compile(rf"[^\W_](?:[^\W_]+|[{_MARK}])*(?:['-][^\W_](?:[^\W_]+|[{_MARK}])*)*")
_HAS_MARK = re.compile(f"[{_MARK}]")


def _scikit_learn_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (the Glasgow Information Retrieval Group's list), read from the
    module that holds them: importing them the usual way loads all of scikit-learn (about a second of
    every run's start). A scikit-learn that keeps them elsewhere is imported after all."""
    spec = importlib.util.find_spec("sklearn")
    folders = spec.submodule_search_locations if spec else None
    if folders:
        source = Path(folders[0]) / "feature_extraction" / "_stop_words.py"
        if source.is_file():
            found = runpy.run_path(str(source)).get("ENGLISH_STOP_WORDS")
            if isinstance(found, frozenset):
                return found
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS


# English stop words: scikit-learn's list and the verbs and titles of reported speech.
STOP_WORDS = frozenset(_scikit_learn_stop_words() | {"said", "says", "say", "told", "according", "mr", "mrs", "ms"})


def fold(text: str) -> str:
    """The text as words are matched: NFKC-normalised, curly quotes and dashes as ASCII, in lower case."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD).lower()


def words(text: str) -> list[str]:
    """Lower-case word tokens, possessive "'s" dropped."""
    return list(_words(text))


# Texts up to this long have their words kept (a sentence is some 150 characters): merge, select
# and cite each ask for the same sentences' words. A longer text, such as a whole article asked for
# once to check what it carries, is tokenised each time: kept, 262,144 articles' words held over
# 4 GB in every process that had asked for them (a Dask worker on a million-article day).
_KEPT_TEXT_CHARS = 1000


def _words(text: str) -> tuple[str, ...]:
    return _kept_words(text) if len(text) <= _KEPT_TEXT_CHARS else _tokenise(text)


def _tokenise(text: str) -> tuple[str, ...]:
    folded = fold(text)
    tokens = (_WORD_WITH_MARKS if _HAS_MARK.search(folded) else _WORD).findall(folded)
    if "'s" not in folded:
        return tuple(tokens)
    return tuple(token[:-2] if token.endswith("'s") else token for token in tokens)


_kept_words = lru_cache(maxsize=1 << 18)(_tokenise)


_CACHE_LIMIT = 2_000_000  # words whose stems a lexicon keeps: a day's vocabulary, bounded


class Lexicon:
    """One language's words as the summariser weighs them: its stop words and its Snowball stemmer.

    Parameters
    ----------
    code : str
        ISO 639-1 code ("en", "it").
    name : str
        The language's English name, for messages and pages.
    algorithm : str
        PyStemmer's name of the Snowball stemmer ("english", "italian").
    stop_words : frozenset of str
        Lower-case words that carry no meaning of their own.
    elision : bool
        Whether articles and prepositions are elided onto the next word ("l'Italia", "dell'anno"): the
        elided part is then dropped, so the word is the same as when written alone.
    """

    def __init__(self, code: str, name: str, algorithm: str, stop_words: frozenset[str], elision: bool = False):
        self.code = code
        self.name = name
        self.algorithm = algorithm
        self.stop_words = stop_words
        self.elision = elision
        # Snowball's stemmer (English: "Porter2", Martin Porter's revision of his 1980 suffix-stripping
        # algorithm), compiled from Snowball to C (PyStemmer): some seven times faster than NLTK's Python
        # Porter stemmer, whose stemming cost a 1,000-article run about a second of work; summary quality
        # on DUC 2006 is the same with either (ROUGE-2 9.76 against 9.75). Not picklable: see __reduce__.
        self.stemmer = Stemmer.Stemmer(algorithm)
        # Each word's stem if it carries meaning, else "": a day's vocabulary, so kept (up to a bound).
        self._content_stem: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"Lexicon({self.code!r})"

    def __reduce__(self):
        # Sent to another process (a Dask worker) by its code: the worker builds its own, stemmer and
        # all, from `language.SUPPORTED`; so only the lexicons `lexicon_for` makes travel.
        from .language import lexicon_for

        return lexicon_for, (self.code,)

    def words(self, text: str) -> list[str]:
        """Lower-case word tokens (see `words`), with elided articles and prepositions dropped (in French...)."""
        tokens = _words(text)
        if not self.elision:
            return list(tokens)
        return [_elided(token) for token in tokens]

    def stem(self, word: str) -> str:
        """The word's stem ("elections" -> "elect")."""
        return self.stemmer.stemWord(word)

    def stem_words(self, words: Sequence[str]) -> list[str]:
        """Each word's stem, in one call (a sentence at a time costs less than a word at a time)."""
        return self.stemmer.stemWords(words)

    def content_stems(self, text: str) -> list[str]:
        """Stems of the words that carry meaning: no stop words, no bare numbers of one digit."""
        known = self._content_stem
        stop_words = self.stop_words
        out = []
        for word in _words(text) if not self.elision else self.words(text):
            found = known.get(word)
            if found is None:
                found = self.stem(word) if word not in stop_words and len(word) > 1 else ""
                if len(known) < _CACHE_LIMIT:
                    known[word] = found
            if found:
                out.append(found)
        return out

    @cached_property
    def stop_stems(self) -> frozenset[str]:
        """The stop words and their stems."""
        return self.stop_words | frozenset(self.stem(w) for w in self.stop_words)


# An elided article or preposition: a few letters and an apostrophe before the word ("l'", "dell'", "qu'").
_ELIDED = re.compile(r"^[^\W\d_]{1,5}'(?=[^\W\d_])")


def _elided(token: str) -> str:
    return _ELIDED.sub("", token, count=1)


ENGLISH = Lexicon("en", "English", "english", STOP_WORDS)


# English content stems as a plain function, for the readers' checks of headlines and repeated lines.
content_stems = ENGLISH.content_stems


CONTAINS_SHARE = 0.9


def may_contain(vocabulary: set[str], needle: Sequence[str], share: float = CONTAINS_SHARE) -> bool:
    """Nearly all (`share`) of `needle`'s words are in `vocabulary`: what `contains` needs first.

    Cheap; a caller that tests one haystack against many needles builds its vocabulary once.
    """
    return sum(1 for word in needle if word in vocabulary) >= share * len(needle)


def contains(haystack: list[str], needle: list[str], share: float = CONTAINS_SHARE) -> bool:
    """The words of `needle` appear in `haystack` in order, nearly all (`share`) of them, as one passage.

    Both are word lists from `words`. Used to decide which articles carry a
    sentence: a wire sentence lightly edited by one outlet still counts, one
    that only shares some words does not.
    """
    if not needle:
        return False
    n = len(needle)
    if _find_sublist(haystack, needle):
        return True
    if not may_contain(set(haystack), needle, share):
        return False
    needed = share * n
    starts = set(needle[:3])
    for start, word in enumerate(haystack):
        if word not in starts:
            continue
        window = haystack[start : start + n + 8]
        matcher = SequenceMatcher(None, needle, window, autojunk=False)
        if sum(block.size for block in matcher.get_matching_blocks()) >= needed:
            return True
    return False


def _find_sublist(haystack: list[str], needle: list[str]) -> bool:
    first, n = needle[0], len(needle)
    return any(haystack[i : i + n] == needle for i, w in enumerate(haystack) if w == first)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _without_surrogates(value: str, lone: str) -> str:
    """Bytes a file name could not decode (surrogate escapes) as \\xNN; other lone surrogates as `lone`."""
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return _SURROGATE.sub(lone, value)


def printable_name(value: str) -> str:
    """A path or URL that every format and encoder can carry, still telling which it was: undecodable
    bytes as \\xNN, lone surrogates as U+FFFD, control characters (newlines too) as \\n, \\x00 ..."""
    if value.isprintable():
        return value
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], _without_surrogates(value, "\ufffd"))


def printable_text(value: str) -> str:
    """Text (a headline, a paragraph) that every format and encoder can carry: lone surrogates as
    U+FFFD, control characters as spaces."""
    if value.isprintable():
        return value
    return _CONTROL.sub(" ", _without_surrogates(value, "\ufffd"))
