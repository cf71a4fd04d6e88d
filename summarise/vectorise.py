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

from typing import TYPE_CHECKING, NamedTuple

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
    if not analysed.numbers:  # no sentence, or no content word in any
        return None
    vocabulary = day_vocabulary([part_terms(analysed)], len(sentences))
    matrix = part_rows(analysed, vocabulary)
    return matrix, dict(zip(vocabulary.columns, vocabulary.idf.tolist(), strict=True))


class AnalysedTexts(NamedTuple):
    """Sentences' terms, held compactly: a part's terms as lists of strings took eight times the
    memory (41 MB for 2,000 articles' sentences, against 5 MB), which a million-article day kept
    on its workers until the day's IDF was known."""

    numbers: dict[str, int]  # each distinct term's number, in the order terms first appear
    ids: np.ndarray  # every term of every sentence as its number, sentence after sentence
    lengths: np.ndarray  # how many terms each sentence has


def analyse_texts(texts: list[str], lexicon: Lexicon = ENGLISH) -> AnalysedTexts:
    """Each sentence's terms, as the vectorizer's analyser gives them, numbered in one pass as the
    vectorizer counts them."""
    analyse = lexicon.content_stems
    analysed = [analyse(text) for text in texts]
    numbers: dict[str, int] = {}
    number = numbers.setdefault
    lengths = np.fromiter(map(len, analysed), dtype=np.int64, count=len(analysed))
    ids = np.fromiter(
        (number(term, len(numbers)) for terms in analysed for term in terms), dtype=np.int64, count=int(lengths.sum())
    )
    return AnalysedTexts(numbers, ids, lengths)


def part_terms(analysed: AnalysedTexts) -> tuple[list[str], dict[str, int]]:
    """A part's terms in the order they first appear, and how many of its sentences hold each."""
    numbers, ids, lengths = analysed
    pairs, _ = _counted(_rows_of(lengths) * len(numbers) + ids)  # each (sentence, term) once
    frequency = np.bincount(pairs % max(len(numbers), 1), minlength=len(numbers))
    return list(numbers), dict(zip(numbers, frequency.tolist(), strict=True))


def _counted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys, in order, and how often each occurs (`np.unique` with counts, by a plain sort:
    NumPy 2.4's `unique` takes seventy times as long on a day's millions of terms)."""
    keys = np.sort(keys)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else keys
    return keys[starts], np.diff(np.append(starts, len(keys)))


def _rows_of(lengths: np.ndarray) -> np.ndarray:
    """Each term's sentence, for terms listed sentence by sentence."""
    return np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)


class Vocabulary(NamedTuple):
    """The day's terms, as every part's rows are made over them."""

    columns: dict[str, int]  # each term's column: alphabetical, as the vectorizer numbers them
    first_seen: dict[str, int]  # each term's place in the day's order of first appearance
    idf: np.ndarray  # the IDF column by column (smoothed, plus one, as `TfidfTransformer` computes it)
    column_by_rank: np.ndarray  # the column of the term first seen k-th


def day_vocabulary(parts: list[tuple[list[str], dict[str, int]]], n_sentences: int) -> Vocabulary:
    """The day's vocabulary from every part's `part_terms`, the parts in the day's order."""
    first_seen: dict[str, int] = {}
    frequency: dict[str, int] = {}
    for terms, part_frequency in parts:
        for term in terms:
            first_seen.setdefault(term, len(first_seen))
        for term, count in part_frequency.items():
            frequency[term] = frequency.get(term, 0) + count
    ordered = sorted(frequency)
    columns = {term: column for column, term in enumerate(ordered)}
    df = np.array([frequency[term] for term in ordered], dtype=np.float64)
    df += 1.0
    idf = np.full_like(df, fill_value=n_sentences + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    column_by_rank = np.fromiter((columns[term] for term in first_seen), dtype=np.int64, count=len(first_seen))
    return Vocabulary(columns, first_seen, idf, column_by_rank)


def part_rows(analysed: AnalysedTexts, vocabulary: Vocabulary) -> sp.csr_matrix:
    """A part's TF-IDF rows over the day's columns: sublinear term frequency times IDF, unit length.

    Within a row the terms come in the day's order of first appearance, as the vectorizer stores
    them: (sentence, rank) pairs sorted in one go, and counted as they are.
    """
    numbers, ids, lengths = analysed
    n_rows, width = len(lengths), len(vocabulary.first_seen)
    day_rank = np.fromiter(map(vocabulary.first_seen.__getitem__, numbers), dtype=np.int64, count=len(numbers))
    keys, counts = _counted(_rows_of(lengths) * width + day_rank[ids])
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys // width, minlength=n_rows), out=indptr[1:])
    matrix = sp.csr_matrix(
        (
            counts.astype(np.float64),
            vocabulary.column_by_rank[keys % width].astype(np.int32),
            indptr.astype(np.int32),
        ),
        shape=(n_rows, len(vocabulary.columns)),
    )
    np.log(matrix.data, matrix.data)
    matrix.data += 1.0
    matrix.data *= vocabulary.idf[matrix.indices]
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
