"""TF-IDF vectors for sentences and, from them, for whole articles."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .models import Sentence
from .text import content_stems


def sentence_vectorizer() -> TfidfVectorizer:
    """Stemmed content words, sublinear term frequency, rows of unit length.

    Each sentence is a document, so IDF tells how rare a word is among the
    day's sentences: words every article repeats weigh little.
    """
    return TfidfVectorizer(analyzer=content_stems, sublinear_tf=True, dtype=np.float64)


def article_vectors(sentence_matrix: sp.csr_matrix, sentences: list[Sentence], article_ids: list[str]) -> sp.csr_matrix:
    """One unit-length row per article: the sum of its sentences' rows."""
    row_of = {article_id: row for row, article_id in enumerate(article_ids)}
    rows = np.fromiter((row_of[s.article_id] for s in sentences), dtype=np.int64, count=len(sentences))
    membership = sp.csr_matrix(
        (np.ones(len(sentences)), (rows, np.arange(len(sentences)))),
        shape=(len(article_ids), len(sentences)),
    )
    return normalize(membership @ sentence_matrix)
