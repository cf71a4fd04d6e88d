"""Word-level helpers shared by the stages: tokens, stems, stop words."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from nltk.stem.porter import PorterStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# Curly quotes and dashes fold to ASCII so that "Russia’s" and "Russia's" are one word.
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_STEMMER = PorterStemmer()

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS | {"said", "says", "say", "told", "according", "mr", "mrs", "ms"})


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_FOLD).lower()


def words(text: str) -> list[str]:
    """Lower-case word tokens, possessive "'s" dropped."""
    return list(_words(text))


@lru_cache(maxsize=1 << 18)  # merge, select and cite each ask for the same sentences' words
def _words(text: str) -> tuple[str, ...]:
    tokens = _WORD.findall(fold(text))
    return tuple(token[:-2] if token.endswith("'s") else token for token in tokens)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stem(word)


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning: no stop words, no bare numbers of one digit."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and len(w) > 1]


def contains(haystack: list[str], needle: list[str], share: float = 0.9) -> bool:
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
    needed = share * n
    vocabulary = set(haystack)
    if sum(1 for w in needle if w in vocabulary) < needed:  # cheap necessary condition
        return False
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
