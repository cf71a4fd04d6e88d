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

from .models import Sentence, Statement
from .text import contains, words

MERGE_THRESHOLD = 0.7
_CHUNK_ROWS = 2048


def similar_pairs(vectors: sp.csr_matrix, threshold: float) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of rows whose cosine similarity is at least `threshold`.

    Rows are unit length, so a sparse product gives the cosines. It runs in
    chunks of rows so memory holds one chunk's products, not all pairs.
    """
    pairs: list[tuple[int, int]] = []
    transposed = vectors.T.tocsc()
    for start in range(0, vectors.shape[0], _CHUNK_ROWS):
        block = (vectors[start : start + _CHUNK_ROWS] @ transposed).tocoo()
        keep = (block.data >= threshold) & (block.row + start < block.col)
        pairs.extend(zip((block.row[keep] + start).tolist(), block.col[keep].tolist(), strict=True))
    return pairs


def _groups(n: int, pairs: list[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(find(i), []).append(i)
    return list(members.values())


def merge_near_duplicates(
    sentences: list[Sentence], vectors: sp.csr_matrix, threshold: float = MERGE_THRESHOLD
) -> list[Statement]:
    """One statement per group of near-duplicate sentences, in order of first sentence."""
    statements = []
    for group in _groups(len(sentences), similar_pairs(vectors, threshold)):
        statements.append(_statement(sentences, group))
    return statements


def _statement(sentences: list[Sentence], group: list[int]) -> Statement:
    if len(group) == 1:
        only = sentences[group[0]]
        return Statement(
            text=only.text, citations=(only.article_id,), variants=(group[0],), shown=group[0], sentence=only
        )
    tokens = {i: words(sentences[i].text) for i in group}
    best: tuple | None = None
    for i in group:
        carriers = {sentences[j].article_id for j in group if contains(tokens[j], tokens[i])}
        # Most carriers first, then the fuller wording, then the earliest.
        key = (-len(carriers), -len(tokens[i]), i)
        if best is None or key < best[0]:
            best = (key, i, carriers)
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
