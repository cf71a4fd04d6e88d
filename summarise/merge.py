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
from .text import contains, may_contain, words

MERGE_THRESHOLD = 0.7
_CHUNK_ROWS = 2048
_PAIR_CHUNK = 1_000_000
# Up to this many distinct sentences every pair that shares a term is compared (exact). Above it, each
# sentence is compared with those sharing one of its KEY_TERMS rarest terms: all of them when at most
# BUCKET sentences have that term among their rarest, else its WINDOW neighbours in an order that puts
# sentences with the same rarest terms side by side.
EXACT_ROWS = 20_000
KEY_TERMS = 3
BUCKET = 64
WINDOW = 8
# A group with more distinct wordings than this (a wire sentence that many outlets each edited their own
# way) is shown in one of its MAX_WORDINGS most copied wordings: comparing every wording with every other
# would cost the square of their number.
MAX_WORDINGS = 8


def similar_pairs(vectors: sp.csr_matrix, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Rows (i, j), i < j, whose cosine similarity is at least `threshold`, as two index arrays.

    Rows are unit length, so a sparse product gives the cosines. It runs in
    chunks of rows so memory holds one chunk's products, never all pairs of
    the day; only pairs that share a term are ever computed. On a big day
    that is still most pairs of a story, so there a sentence is compared
    only with the few that share its rarest terms (a near-duplicate shares
    nearly all of them): the pairs found are exact, a few may be missed,
    and the work grows with the number of sentences, not with its square.
    """
    if vectors.shape[0] <= EXACT_ROWS:
        return _pairs_by_product(vectors, vectors, threshold)
    rows, cols = _rare_term_neighbours(vectors.tocsr())
    keep_rows, keep_cols = [], []
    for start in range(0, len(rows), _PAIR_CHUNK):
        r, c = rows[start : start + _PAIR_CHUNK], cols[start : start + _PAIR_CHUNK]
        cosine = np.asarray(vectors[r].multiply(vectors[c]).sum(axis=1)).ravel()
        keep = cosine >= threshold
        keep_rows.append(r[keep])
        keep_cols.append(c[keep])
    empty = np.zeros(0, dtype=np.int64)
    return (np.concatenate(keep_rows) if keep_rows else empty), (np.concatenate(keep_cols) if keep_cols else empty)


def _rare_term_neighbours(vectors: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs (i < j, each once, in order): rows that share one of their KEY_TERMS rarest terms."""
    n = vectors.shape[0]
    lengths = np.diff(vectors.indptr)
    row_of = np.repeat(np.arange(n), lengths)
    df = np.bincount(vectors.indices, minlength=vectors.shape[1])
    # Each row's terms, rarest first (ties: lower column), and each term's place in its row.
    order = np.lexsort((vectors.indices, df[vectors.indices], row_of))
    place = np.arange(len(order)) - np.repeat(vectors.indptr[:-1], lengths)
    key = place < KEY_TERMS
    key_rows, key_terms, key_places = row_of[order][key], vectors.indices[order][key], place[key]
    signature = np.full((KEY_TERMS, n), -1, dtype=np.int64)
    signature[key_places, key_rows] = key_terms
    # Grouped by term; within a term, rows with the same rarest terms next to each other.
    by = np.lexsort((key_rows, *(signature[k][key_rows] for k in reversed(range(KEY_TERMS))), key_terms))
    terms, rows = key_terms[by], key_rows[by]
    small = np.bincount(terms, minlength=vectors.shape[1])[terms] <= BUCKET
    codes: list[np.ndarray] = []
    for gap in range(1, max(WINDOW, BUCKET)):
        same = terms[gap:] == terms[:-gap]
        if gap > WINDOW:
            same &= small[gap:]
        first, second = rows[:-gap][same], rows[gap:][same]
        codes.append(np.minimum(first, second).astype(np.int64) * n + np.maximum(first, second))
    pairs = np.sort(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs  # each pair once
    return pairs // n, pairs % n


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
    candidates = wordings
    if len(wordings) > MAX_WORDINGS:  # the wordings most copied are the ones likely carried most
        candidates = sorted(wordings, key=lambda w: (-len(by_wording[w]), -len(w), by_wording[w][0]))[:MAX_WORDINGS]
    articles = {w: {sentences[j].article_id for j in by_wording[w]} for w in wordings}
    vocabularies = {w: set(w) for w in wordings}  # for `contains`'s cheap first test, tried on every pair

    # Most carriers first, then the fuller wording, then the earliest. Each wording's best hope (every
    # wording that may contain it does) orders the work, and the search stops once no hope beats the best.
    hope = {}
    for wording in candidates:
        reach = set().union(*(articles[other] for other in wordings if may_contain(vocabularies[other], wording)))
        hope[wording] = (-len(reach), -len(wording), by_wording[wording][0])
    best: tuple | None = None
    for wording in sorted(candidates, key=hope.__getitem__):
        if best is not None and hope[wording] >= best[0]:
            break
        carriers = set().union(
            *(
                articles[other]
                for other in wordings
                if (other is wording and wording)
                or (may_contain(vocabularies[other], wording) and contains(list(other), list(wording)))
            )
        )
        key = (-len(carriers), -len(wording), by_wording[wording][0])
        if best is None or key < best[0]:
            best = (key, by_wording[wording][0], carriers)
    assert best is not None  # every group has a wording, and the first one tried is the best so far
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
