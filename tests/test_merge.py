import numpy as np
import scipy.sparse as sp

from summarise.merge import merge_near_duplicates, similar_pairs
from summarise.models import Sentence
from summarise.text import contains, words
from summarise.vectorise import article_vectors, sentence_vectorizer


def sentence(text, article_id, position=0):
    return Sentence(text=text, article_id=article_id, position=position, paragraph=0, relative_position=0.0)


def test_similar_pairs_finds_exactly_the_pairs_over_the_threshold():
    rows = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [1.0, 0.0]])
    first, second = similar_pairs(sp.csr_matrix(rows), threshold=0.7)
    assert sorted(zip(first.tolist(), second.tolist(), strict=True)) == [(0, 1), (0, 3), (1, 3)]


def test_contains_allows_light_edits_but_not_loose_overlap():
    article = words(
        "Ukraine’s allies have also accused North Korea of supplying Russian forces with large "
        "stockpiles of artillery shells and missiles."
    )
    assert contains(
        article,
        words(
            "Ukraine’s allies have also accused North Korean of supplying Russian "
            "forces with large stockpiles of artillery shells."
        ),
    )
    assert not contains(
        words(
            "Ukraine’s allies have also accused North Korean of supplying Russian forces with "
            "large stockpiles of artillery shells."
        ),
        article,
    )
    assert not contains(article, words("North Korea denies supplying shells to Russian forces."))
    assert not contains(article, [])


def test_wire_copies_merge_into_one_statement_citing_every_carrier():
    sentences = [
        sentence(
            "Ukraine’s allies have also accused North Korean of supplying Russian forces with large "
            "stockpiles of artillery shells.",
            "1",
        ),
        sentence(
            "Ukraine’s allies have also accused North Korea of supplying Russian forces with large "
            "stockpiles of artillery shells and missiles.",
            "2",
        ),
        sentence("The Kremlin gave no details of the talks held on Tuesday.", "3"),
        sentence(
            "Ukraine’s allies have also accused North Korea of supplying Russian forces with large "
            "stockpiles of artillery shells and missiles.",
            "3",
            position=1,
        ),
    ]
    matrix = sentence_vectorizer().fit_transform([s.text for s in sentences])
    statements = merge_near_duplicates(sentences, matrix)
    assert [(s.text, s.citations, s.variants, s.shown) for s in statements] == [
        # Article 1's shorter wording is carried by all three; article 2's longer one is not in article 1.
        (sentences[0].text, ("1", "2", "3"), (0, 1, 3), 0),
        (sentences[2].text, ("3",), (2,), 2),
    ]


def test_article_vectors_are_unit_sums_of_their_sentences():
    sentences = [sentence("a", "1"), sentence("b", "2"), sentence("c", "1")]
    matrix = sp.csr_matrix(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]))
    vectors = article_vectors(matrix, sentences, ["1", "2"]).toarray()
    assert np.allclose(vectors, [[1.0, 0.0], [0.0, 1.0]])


def test_on_a_big_day_each_sentence_is_compared_with_a_bounded_few_and_near_duplicates_are_still_found(monkeypatch):
    from summarise import merge
    from summarise.vectorise import sentence_vectorizer

    texts = [f"Reporter {n} said the harbour was busy on Tuesday morning." for n in range(3000)]
    texts += [
        "The council voted to replace the diesel ferries with electric boats by next summer.",
        "The council voted to replace its diesel ferries with electric boats by next summer.",
    ]
    vectors = sentence_vectorizer().fit_transform(texts).tocsr()
    exact = set(zip(*(a.tolist() for a in merge.similar_pairs(vectors, 0.7)), strict=True))
    monkeypatch.setattr(merge, "EXACT_ROWS", 10)
    sampled = set(zip(*(a.tolist() for a in merge.similar_pairs(vectors, 0.7)), strict=True))
    assert (3000, 3001) in exact and (3, 4) in exact  # "Reporter 3 ..." and "Reporter 4 ...": one-digit numbers drop out
    assert sampled == exact
    # Every pair shares "harbour", "busy", "tuesday": all pairs would be some 4.5 million; each sentence meets
    # only those that share one of its rarest terms, a bounded number of them.
    rows, cols = merge._rare_term_neighbours(vectors)
    assert len(rows) <= merge.KEY_TERMS * merge.BUCKET * len(texts)
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == sorted(set(zip(rows.tolist(), cols.tolist(), strict=True)))
    assert (rows < cols).all()
