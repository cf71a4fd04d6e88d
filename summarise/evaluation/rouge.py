"""ROUGE-N recall as the DUC evaluations reported it.

ROUGE (Lin, "ROUGE: A Package for Automatic Evaluation of Summaries", ACL
workshop Text Summarization Branches Out, 2004) counts the reference n-grams
a summary recovers. DUC 2005-2007 ran ROUGE-1.5.5 with stemming, stop words
kept, every text cut to the length limit, and scores pooled over the
references: the n-gram hits summed over all references divided by the
n-gram counts summed over them. With several references each system score
is jackknifed: the mean of the scores computed with each reference left
out in turn, so that systems compare fairly with the human summaries.

Tokenising and stemming come from the `rouge-score` package, which follows
ROUGE-1.5.5's rules (lower case, alphanumeric tokens, Porter stemming of
tokens longer than three characters). It is imported only when scoring.

ROUGE-SU4, DUC 2005-2007's second official measure (ROUGE-1.5.5 with ``-2 4 -U``),
counts skip-bigrams, ordered word pairs with at most four words between them,
together with the unigrams, pooled and jackknifed the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem import porter

    return porter.PorterStemmer()


def tokens(text: str, max_words: int | None) -> list[str]:
    """ROUGE tokens of the first `max_words` whitespace-separated words of `text`."""
    from rouge_score import tokenize

    if max_words is not None:
        text = " ".join(text.split()[:max_words])
    return tokenize.tokenize(text, _stemmer())


SU4 = "SU4"  # the measure's name where an n-gram order would go
SKIP_GAP = 4  # SU4: at most this many words between a skip-bigram's two words


def ngrams(words: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    """The n-grams of the words, each with how often it occurs."""
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def skip_bigrams(words: Sequence[str], max_gap: int = SKIP_GAP) -> Counter[tuple[str, ...]]:
    """Ordered pairs of words with at most `max_gap` words between them, plus every unigram (SU4's units)."""
    units: Counter[tuple[str, ...]] = Counter((w,) for w in words)
    for i, first in enumerate(words):
        for second in words[i + 1 : i + 2 + max_gap]:
            units[(first, second)] += 1
    return units


def units(words: Sequence[str], measure: int | str) -> Counter[tuple[str, ...]]:
    """What a measure counts: n-grams for ROUGE-n (an int), skip-bigrams and unigrams for "SU4"."""
    return skip_bigrams(words) if measure == SU4 else ngrams(words, int(measure))


def pooled_recall(summary: Sequence[str], references: Sequence[Sequence[str]], n: int | str) -> float:
    """Hits summed over the references over their counts (n-grams, or SU4's units) summed."""
    mine = units(summary, n)
    hits = total = 0
    for reference in references:
        theirs = units(reference, n)
        hits += sum(min(count, mine[gram]) for gram, count in theirs.items())
        total += sum(theirs.values())
    return hits / total if total else 0.0


def rouge_recall(summary: str, references: Sequence[str], n: int | str, max_words: int | None = 250) -> float:
    """ROUGE-n recall of `summary`, jackknifed when there are several references."""
    mine = tokens(summary, max_words)
    theirs = [tokens(r, max_words) for r in references]
    return jackknifed_recall(mine, theirs, n)


def jackknifed_recall(summary: Sequence[str], references: Sequence[Sequence[str]], n: int | str) -> float:
    """Pooled recall on measure `n`, jackknifed: the mean over leaving out each reference in turn (with fewer
    than two references, pooled over those there are)."""
    if len(references) < 2:
        return pooled_recall(summary, references, n)
    scores = [pooled_recall(summary, [*references[:k], *references[k + 1 :]], n) for k in range(len(references))]
    return sum(scores) / len(scores)
