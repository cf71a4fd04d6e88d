import datetime as dt

import numpy as np
import scipy.sparse as sp

from summarise.cluster import StoryClusterer, keywords


def unit_rows(rows):
    rows = np.asarray(rows, dtype=float)
    return sp.csr_matrix(rows / np.linalg.norm(rows, axis=1, keepdims=True))


def test_the_number_of_stories_comes_from_the_data():
    vectors = unit_rows([[1, 0.1, 0], [1, 0, 0.1], [0, 1, 0.05], [0, 1, 0], [0.05, 0, 1]])
    model = StoryClusterer().fit(vectors, [None] * 5)
    assert model.labels_.tolist() == [0, 0, 1, 1, 2]
    assert model.n_stories_ == 3


def test_articles_months_apart_are_different_stories_however_alike():
    vectors = unit_rows([[1, 0.3], [1, 0.2], [1, 0.25]])
    dates = [dt.date(2023, 10, 19), dt.date(2024, 1, 16), dt.date(2024, 1, 17)]
    assert StoryClusterer().fit(vectors, dates).labels_.tolist() == [0, 1, 1]
    assert StoryClusterer().fit(vectors, [None] * 3).labels_.tolist() == [0, 0, 0]


def test_one_article_is_one_story():
    model = StoryClusterer().fit(unit_rows([[1, 0]]), [None])
    assert model.labels_.tolist() == [0]
    assert model.n_stories_ == 1


def test_keywords_weigh_frequency_by_rarity_and_keep_usual_spelling():
    texts = ["Lavrov flew to Pyongyang.", "In Pyongyang, Lavrov met Choe.", "Pyongyang welcomed him."]
    idf = {"lavrov": 2.0, "pyongyang": 2.0, "choe": 3.0, "flew": 1.0, "met": 1.0, "welcom": 1.0}
    assert keywords(texts, idf, 3) == ("Pyongyang", "Lavrov", "Choe")


def test_a_big_day_is_clustered_from_samples_into_the_same_stories(monkeypatch):
    import datetime as dt

    import numpy as np
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    from summarise.cluster import StoryClusterer

    rng = np.random.default_rng(0)
    topics = np.kron(np.eye(4), np.ones(10)) * rng.random((4, 40))  # four stories, each with its own ten terms
    topics = np.hstack([topics, np.zeros((4, 10))])
    story = np.arange(400) % 4
    noise = rng.random((400, 50)) * (rng.random((400, 50)) < 0.05) * 0.3
    vectors = sp.csr_matrix(normalize(topics[story] + noise))
    dates = [dt.date(2024, 1, 16)] * 400
    exact = StoryClusterer().fit(vectors, dates).labels_
    sampled = StoryClusterer(exact_limit=50).fit(vectors, dates).labels_
    assert exact.tolist() == sampled.tolist() == [0, 1, 2, 3] * 100
    from summarise import cluster

    monkeypatch.setattr(cluster, "EXACT_JOIN", 0)  # proposed pairs scored in full give the same stories
    monkeypatch.setattr(cluster, "COMMON_TERM_SHARE", 0.5)
    assert StoryClusterer(exact_limit=50).fit(vectors, dates).labels_.tolist() == [0, 1, 2, 3] * 100
