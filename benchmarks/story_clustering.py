"""How the story clustering's settings were chosen: cross-validated over made-up days of DUC clusters.

A DUC-style collection (JSON Lines, one cluster a line, read from where it lies and never copied
here) gives three kinds of made-up day, built as `summarise eval --mixed` builds them (undated):

- days of 10 clusters (consecutive in the data set), the stories of a busy day told at length;
- a day of small stories: every cluster of a part contributes 1, 2, 3 or 5 articles in turn, as
  most of a real day's stories are told by a few articles. It guards against settings that find
  the big stories by gluing small ones together.
- one big day: every article of every cluster of a part (500 and 750 articles, 20 and 30
  stories). It guards against settings that glue stories once a day holds many.

The days of 10 are cut into two folds (the first two days and the other three, so the clusters of
one fold never appear in the other) and each fold also gets its own day of small stories and its
own big day. For each fold, every setting of a grid is scored by the adjusted Rand index (articles
to stories, the data's clusters as truth) on the other fold, the setting with the best mean of the
three kinds' scores is chosen there and then scored here. The held-out figures are the ones to quote; the setting chosen
on all the days is the one `summarise/cluster.py` uses.

    .venv/bin/python benchmarks/story_clustering.py [--source ../shared/eval/duc2006.jsonl]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from summarise.cluster import StoryClusterer
from summarise.evaluation.harness import fold_bounds, read_clusters
from summarise.evaluation.mixed import mixed_days, undated_articles
from summarise.split import SentenceSplitter, split_articles
from summarise.summariser import number_articles, prose_only
from summarise.vectorise import article_vectors, sentence_vectorizer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "eval" / "duc2006.jsonl"
SMALL_SIZES = (1, 2, 3, 5)
# Average linkage's distance threshold, then the two passes after it (None: the pass is left
# out): the merge of groups alike relative to their own spread, and the join of strays to a
# group's centroid. Joining groups by their shared nearest neighbours (Jarvis and Patrick 1973)
# and graph communities were tried as well and left out: see benchmarks/README.md.
GRID = [
    {"distance_threshold": t, "merge_ratio": r, "join_cosine": j}
    for t in (0.75, 0.8, 0.85, 0.9, 0.95)
    for r in (None, 0.4, 0.45, 0.5, 0.55, 0.6)
    for j in (None, 0.12, 0.15, 0.18, 0.22, 0.26)
]


def day_vectors(articles):
    """The day's article vectors, made as the pipeline makes them, and each article's cluster."""
    articles = number_articles(prose_only(articles))
    splitter = SentenceSplitter().fit_articles(articles)
    sentences = split_articles(articles, splitter, jobs=1)
    matrix = sentence_vectorizer().fit_transform([s.text for s in sentences]).tocsr()
    vectors = article_vectors(matrix, sentences, [a.id for a in articles])
    return vectors, [a.path.split("/", 1)[0] for a in articles]


def small_stories_day(clusters):
    articles = []
    for n, cluster in enumerate(clusters):
        articles += undated_articles(cluster)[: SMALL_SIZES[n % len(SMALL_SIZES)]]
    return articles


def ari(setting, day) -> float:
    vectors, truth = day
    labels = StoryClusterer(**setting).fit(vectors, [None] * len(truth)).labels_
    return float(adjusted_rand_score(truth, labels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args()
    days = mixed_days(read_clusters(str(args.source)), 10)
    folds = []
    for start, stop in fold_bounds(len(days), 2):
        part = days[start:stop]
        folds.append(
            {
                "days": [day_vectors([a for c in day for a in undated_articles(c)]) for day in part],
                "small": day_vectors(small_stories_day([c for day in part for c in day])),
                "big": day_vectors([a for day in part for c in day for a in undated_articles(c)]),
                "name": f"days {start + 1}-{stop}",
            }
        )
    # (setting index, fold) -> ARI: mean over the days of 10, the small stories' day, the big day
    scores = {}
    for i, setting in enumerate(GRID):
        for f, fold in enumerate(folds):
            tens = sum(ari(setting, day) for day in fold["days"]) / len(fold["days"])
            scores[i, f] = (tens, ari(setting, fold["small"]), ari(setting, fold["big"]))
        figures = [
            f"{fold['name']}: {scores[i, f][0]:.3f} / small {scores[i, f][1]:.3f} / big {scores[i, f][2]:.3f}"
            for f, fold in enumerate(folds)
        ]
        print(f"{setting}: " + "; ".join(figures), flush=True)

    def overall(i: int, fs: list[int]) -> float:
        """The mean of the three kinds' ARI: each kind of day weighs the same."""
        return sum(sum(scores[i, f]) for f in fs) / (3 * len(fs))

    print()
    held = []
    for f, fold in enumerate(folds):
        others = [g for g in range(len(folds)) if g != f]
        chosen = max(range(len(GRID)), key=lambda i: (overall(i, others), -i))
        held.append(scores[chosen, f])
        tens, small, big = scores[chosen, f]
        print(
            f"held out {fold['name']}: chosen on the rest {GRID[chosen]}; "
            f"ARI days of 10 {tens:.3f}, small stories {small:.3f}, big day {big:.3f}"
        )
    tens, small, big = (sum(h[k] for h in held) / len(held) for k in range(3))
    print(f"held out, mean: days of 10 {tens:.3f}, small stories {small:.3f}, big day {big:.3f}")
    final = max(range(len(GRID)), key=lambda i: (overall(i, list(range(len(folds)))), -i))
    print(f"chosen on all the days (the default): {GRID[final]}")


if __name__ == "__main__":
    main()
