"""TF-IDF vectors for sentences and, from them, for whole articles.

Each sentence is a document, so IDF tells how rare a word is among the day's sentences: words
every article repeats weigh little. The rows are scikit-learn's `TfidfVectorizer` rows (stemmed
content words, sublinear term frequency, smoothed IDF, unit length), computed here in a form that
also works part by part, as the Dask engine needs: each part's terms and counts are gathered, the
IDF comes from the summed document frequencies, and each part then makes its own rows. Every
number is computed as the vectorizer computes it, and each row keeps its terms in the order the
vectorizer stores them (the order terms first appear in the day), so the rows are the same bit for
bit (tests/test_engines.py checks it against `sentence_vectorizer`), and so is every sum taken over
them later. Both engines use this one path; a run never loads scikit-learn, whose import (about a
second, most of it SciPy's statistics) was half the time of a small day.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from .models import Sentence
from .text import ENGLISH, Lexicon

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer


def sentence_vectorizer(lexicon: Lexicon = ENGLISH) -> TfidfVectorizer:
    """scikit-learn's vectorizer that `vectorise_sentences` computes the rows of, for tests and benchmarks:
    stemmed content words (in the lexicon's language), sublinear term frequency, rows of unit length."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=lexicon.content_stems, sublinear_tf=True, dtype=np.float64)


def vectorise_sentences(
    sentences: list[Sentence], lexicon: Lexicon = ENGLISH
) -> tuple[sp.csr_matrix, dict[str, float]] | None:
    """The sentences' TF-IDF rows and each term's IDF; None when there is no content word at all."""
    analysed = analyse_texts([s.text for s in sentences], lexicon)
    terms = part_terms(analysed)
    if not terms[1]:  # no sentence, or no content word in any
        return None
    columns, first_seen, idf = day_vocabulary([terms], len(sentences))
    matrix = part_rows(analysed, columns, first_seen, idf)
    return matrix, dict(zip(sorted(columns), idf.tolist(), strict=True))


def analyse_texts(texts: list[str], lexicon: Lexicon = ENGLISH) -> list[list[str]]:
    """Each sentence's terms, as the vectorizer's analyser gives them."""
    analyse = lexicon.content_stems
    return [analyse(text) for text in texts]


def part_terms(analysed: list[list[str]]) -> tuple[list[str], dict[str, int]]:
    """A part's terms in the order they first appear, and how many of its sentences hold each."""
    seen: dict[str, None] = {}
    frequency: dict[str, int] = {}
    for terms in analysed:
        for term in dict.fromkeys(terms):
            seen.setdefault(term)
            frequency[term] = frequency.get(term, 0) + 1
    return list(seen), frequency


def day_vocabulary(
    parts: list[tuple[list[str], dict[str, int]]], n_sentences: int
) -> tuple[dict[str, int], dict[str, int], np.ndarray]:
    """From every part's `part_terms`, in the day's order: each term's column (alphabetical, as the
    vectorizer numbers them), its place in the day's order of first appearance, and the IDF column
    by column (smoothed, plus one, as `TfidfTransformer` computes it)."""
    first_seen: dict[str, int] = {}
    frequency: dict[str, int] = {}
    for terms, part_frequency in parts:
        for term in terms:
            first_seen.setdefault(term, len(first_seen))
        for term, count in part_frequency.items():
            frequency[term] = frequency.get(term, 0) + count
    columns = {term: column for column, term in enumerate(sorted(frequency))}
    df = np.array([frequency[term] for term in sorted(frequency)], dtype=np.float64)
    df += 1.0
    idf = np.full_like(df, fill_value=n_sentences + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return columns, first_seen, idf


def part_rows(
    analysed: list[list[str]], columns: dict[str, int], first_seen: dict[str, int], idf: np.ndarray
) -> sp.csr_matrix:
    """A part's TF-IDF rows over the day's columns: sublinear term frequency times IDF, unit length."""
    if not analysed:  # a part whose articles hold no sentence (headings and captions only)
        return sp.csr_matrix((0, len(columns)), dtype=np.float64)
    indptr, indices, counts = [0], [], []
    for terms in analysed:
        row = Counter(terms)
        for term in sorted(row, key=first_seen.__getitem__):
            indices.append(columns[term])
            counts.append(row[term])
        indptr.append(len(indices))
    matrix = sp.csr_matrix(
        (np.array(counts, dtype=np.float64), np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int32)),
        shape=(len(analysed), len(columns)),
    )
    np.log(matrix.data, matrix.data)
    matrix.data += 1.0
    matrix.data *= idf[matrix.indices]
    return normalize_rows(matrix)


def normalize_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """The rows scaled to unit length, in place, as scikit-learn's `normalize` does it: each row's
    squares summed in the order stored (SciPy's product with a vector of ones adds them so), its
    square root taken, every value divided by it; a row of zeros stays."""
    squares = matrix.copy()
    squares.data *= squares.data
    norms = np.sqrt(squares @ np.ones(matrix.shape[1]))
    norms[norms == 0.0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
    return matrix


def article_vectors(sentence_matrix: sp.csr_matrix, sentences: list[Sentence], article_ids: list[str]) -> sp.csr_matrix:
    """One unit-length row per article: the sum of its sentences' rows."""
    row_of = {article_id: row for row, article_id in enumerate(article_ids)}
    rows = np.fromiter((row_of[s.article_id] for s in sentences), dtype=np.int64, count=len(sentences))
    membership = sp.csr_matrix(
        (np.ones(len(sentences)), (rows, np.arange(len(sentences)))),
        shape=(len(article_ids), len(sentences)),
    )
    return normalize_rows((membership @ sentence_matrix).tocsr())
