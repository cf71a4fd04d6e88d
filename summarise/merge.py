"""Merge near-duplicate sentences into statements that cite every carrier.

Wire copy puts the same sentence, sometimes lightly edited, in several
outlets' articles. Sentences whose TF-IDF cosine similarity reaches the
threshold are grouped (transitively); the group is shown once, in the
wording that the most of its articles carry, and cites exactly the articles
whose own sentence contains that wording.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .models import Sentence, Statement
from .text import contains, words

MERGE_THRESHOLD = 0.7
_CHUNK_ROWS = 2048
_PAIR_CHUNK = 1_000_000
# Up to this many distinct sentences every shared term proposes pairs (exact); above it, only terms
# used by at most COMMON_TERM_SHARE of the sentences (and never fewer than COMMON_TERM_MIN) do.
EXACT_ROWS = 20_000
COMMON_TERM_SHARE = 0.01
COMMON_TERM_MIN = 100


def similar_pairs(vectors: sp.csr_matrix, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Rows (i, j), i < j, whose cosine similarity is at least `threshold`, as two index arrays.

    Rows are unit length, so a sparse product gives the cosines. It runs in
    chunks of rows so memory holds one chunk's products, never all pairs of
    the day; only pairs that share a term are ever computed. On a big day,
    terms that a great many sentences use ("said", "Tuesday") would make
    every pair share one, so there only the rarer terms propose pairs, whose
    cosine is then computed in full.
    """
    n = vectors.shape[0]
    if n <= EXACT_ROWS:
        return _pairs_by_product(vectors, vectors, threshold)
    df = np.bincount(vectors.indices, minlength=vectors.shape[1])
    proposers = vectors[:, np.flatnonzero(df <= max(COMMON_TERM_MIN, COMMON_TERM_SHARE * n))].tocsr()
    rows, cols = _pairs_by_product(proposers, proposers, np.finfo(float).tiny)
    keep_rows, keep_cols = [], []
    for start in range(0, len(rows), _PAIR_CHUNK):
        r, c = rows[start : start + _PAIR_CHUNK], cols[start : start + _PAIR_CHUNK]
        cosine = np.asarray(vectors[r].multiply(vectors[c]).sum(axis=1)).ravel()
        keep = cosine >= threshold
        keep_rows.append(r[keep])
        keep_cols.append(c[keep])
    empty = np.zeros(0, dtype=np.int64)
    return (np.concatenate(keep_rows) if keep_rows else empty), (np.concatenate(keep_cols) if keep_cols else empty)


def _pairs_by_product(left: sp.csr_matrix, right: sp.csr_matrix, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = [], []
    transposed = right.T.tocsc()
    for start in range(0, left.shape[0], _CHUNK_ROWS):
        block = (left[start : start + _CHUNK_ROWS] @ transposed).tocoo()
        keep = (block.data >= threshold) & (block.row + start < block.col)
        rows.append(block.row[keep] + start)
        cols.append(block.col[keep])
    empty = np.zeros(0, dtype=np.int64)
    return (np.concatenate(rows) if rows else empty), (np.concatenate(cols) if cols else empty)


def _groups(n: int, rows: np.ndarray, cols: np.ndarray) -> list[list[int]]:
    """Connected groups of the similarity graph, each in index order, ordered by first member."""
    graph = sp.coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    members: dict[int, list[int]] = {}
    for i, label in enumerate(labels.tolist()):
        members.setdefault(label, []).append(i)
    return list(members.values())


def merge_near_duplicates(
    sentences: list[Sentence], vectors: sp.csr_matrix, threshold: float = MERGE_THRESHOLD
) -> list[Statement]:
    """One statement per group of near-duplicate sentences, in order of first sentence.

    Sentences with the same words are one wording before any similarity is
    computed, so a wire sentence carried by two thousand articles costs one
    row, not two million pairs.
    """
    first_of: dict[tuple[str, ...], int] = {}
    wording = [first_of.setdefault(tuple(words(s.text)), i) for i, s in enumerate(sentences)]
    unique = sorted(set(wording))
    copies: dict[int, list[int]] = {}
    for i, row in enumerate(wording):
        copies.setdefault(row, []).append(i)
    rows, cols = similar_pairs(vectors[unique], threshold)
    statements = []
    for group in _groups(len(unique), rows, cols):
        members = sorted(i for k in group for i in copies[unique[k]])
        statements.append(_statement(sentences, members))
    return statements


def _statement(sentences: list[Sentence], group: list[int]) -> Statement:
    if len(group) == 1:
        only = sentences[group[0]]
        return Statement(
            text=only.text, citations=(only.article_id,), variants=(group[0],), shown=group[0], sentence=only
        )
    # Compare each distinct wording with each other once, whatever the number of copies.
    by_wording: dict[tuple[str, ...], list[int]] = {}
    for i in group:
        by_wording.setdefault(tuple(words(sentences[i].text)), []).append(i)
    wordings = list(by_wording)
    best: tuple | None = None
    for wording in wordings:
        carriers = {
            sentences[j].article_id
            for other in wordings
            if contains(list(other), list(wording))
            for j in by_wording[other]
        }
        first = by_wording[wording][0]
        # Most carriers first, then the fuller wording, then the earliest.
        key = (-len(carriers), -len(wording), first)
        if best is None or key < best[0]:
            best = (key, first, carriers)
    _, chosen, carriers = best
    shown = sentences[chosen]
    return Statement(
        text=shown.text,
        citations=tuple(sorted(carriers, key=_id_order)),
        variants=tuple(group),
        shown=chosen,
        sentence=shown,
    )


def _id_order(article_id: str) -> tuple[int, str]:
    return (int(article_id), article_id) if article_id.isdigit() else (np.iinfo(np.int64).max, article_id)
