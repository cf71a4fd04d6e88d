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


def loose_topic_day():
    """Six articles of one loose topic, cut by average linkage into two groups of three, a stray
    of the same topic, and three articles of a tight story of their own.

    Within each group the articles' cosine is 0.25 and between the two groups 0.12, so linkage
    (which merges above 0.15) keeps the groups apart although they are nearly half as alike to
    each other as each is inside. The stray's mean cosine to the topic's articles is 0.139, under
    linkage's 0.15, but its cosine to the topic's centroid is 0.25."""
    topic, side_a, side_b, other = np.eye(14)[:4]
    own = np.eye(14)[4:]
    a, b, c = np.sqrt(0.12), np.sqrt(0.13), np.sqrt(0.75)
    rows = [a * topic + b * side_a + c * own[i] for i in range(3)]
    rows += [a * topic + b * side_b + c * own[3 + i] for i in range(3)]
    rows.append(0.4 * topic + np.sqrt(1 - 0.16) * own[6])
    rows += [0.9 * other + np.sqrt(1 - 0.81) * own[7 + i] for i in range(3)]
    return unit_rows(rows)


def test_a_loose_topic_cut_by_linkage_is_put_back_together():
    vectors = loose_topic_day()
    assert StoryClusterer().fit(vectors, [None] * 10).labels_.tolist() == [0] * 7 + [1] * 3
    # Each pass alone does its own part: groups merge, or the stray joins the closest group.
    only_merge = StoryClusterer(join_cosine=None).fit(vectors, [None] * 10)
    assert only_merge.labels_.tolist() == [0] * 6 + [1] + [2] * 3
    only_join = StoryClusterer(merge_ratio=None).fit(vectors, [None] * 10)
    assert only_join.labels_.tolist() == [0, 0, 0, 1, 1, 1, 0, 2, 2, 2]
    linkage_only = StoryClusterer(merge_ratio=None, join_cosine=None).fit(vectors, [None] * 10)
    assert linkage_only.labels_.tolist() == [0, 0, 0, 1, 1, 1, 2, 3, 3, 3]


def test_stories_alike_but_each_tight_stay_apart():
    # Two groups whose cross cosine (0.12) is small beside their own (0.8): two stories, and an
    # article with nothing in common with either stays alone.
    topic, side_a, side_b, alone = np.eye(10)[:4]
    own = np.eye(10)[4:]
    rows = [np.sqrt(0.12) * topic + np.sqrt(0.68) * side_a + np.sqrt(0.2) * own[i] for i in range(3)]
    rows += [np.sqrt(0.12) * topic + np.sqrt(0.68) * side_b + np.sqrt(0.2) * own[3 + i] for i in range(3)]
    rows.append(alone)
    assert StoryClusterer().fit(unit_rows(rows), [None] * 7).labels_.tolist() == [0, 0, 0, 1, 1, 1, 2]


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
