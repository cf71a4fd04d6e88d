"""How well story clustering finds DUC's clusters: all articles pooled, clustered, scored by ARI.

Every article of every cluster of a DUC-style collection (JSON Lines, one
cluster a line, read from where it lies and never copied here) goes into one
pool; the pool is split into sentences, vectorised and clustered into stories
exactly as `summarise` does it, and the stories are compared with DUC's own
clusters by the adjusted Rand index (1 is a perfect match, 0 is chance).

    .venv/bin/python benchmarks/clustering_ari.py                 # the exact path (all pairs)
    .venv/bin/python benchmarks/clustering_ari.py --exact-limit 300   # also the big-day (sampled) path

The big-day path only runs past `EXACT_LIMIT` articles; `--exact-limit` makes
it run on this pool too, to see what sampling costs in quality.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from summarise.cluster import EXACT_LIMIT, StoryClusterer
from summarise.evaluation.harness import cluster_articles, read_clusters
from summarise.split import SentenceSplitter, split_articles
from summarise.summariser import number_articles
from summarise.vectorise import article_vectors, sentence_vectorizer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "eval" / "duc2006.jsonl"


def pooled(source: Path) -> tuple[list, list[str]]:
    """Every article of the collection, numbered as the pipeline numbers them, and its cluster's id."""
    articles, truth = [], {}
    for cluster in read_clusters(str(source)):
        for article in cluster_articles(cluster):
            articles.append(article)
            truth[article.path] = cluster["id"]
    articles = number_articles(articles)
    return articles, [truth[a.path] for a in articles]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help="DUC-style JSON Lines")
    parser.add_argument("--exact-limit", type=int, action="append", default=[], metavar="N",
                        help="also cluster as a day bigger than N articles would be (repeatable)")
    parser.add_argument("--dates", action="store_true", help="let the articles' dates part stories, as on a real day")
    args = parser.parse_args()
    articles, truth = pooled(args.source)
    splitter = SentenceSplitter().fit_articles(articles)
    sentences = split_articles(articles, splitter)
    matrix = sentence_vectorizer().fit_transform([s.text for s in sentences]).tocsr()
    vectors = article_vectors(matrix, sentences, [a.id for a in articles])
    # DUC's clusters gather articles from months or years apart, which on one day's news would be
    # different stories: dates are left out unless asked for.
    dates = [a.date if args.dates else None for a in articles]
    print(f"{len(articles)} articles in {len(set(truth))} DUC clusters")
    for limit in [EXACT_LIMIT, *args.exact_limit]:
        started = time.perf_counter()
        model = StoryClusterer(exact_limit=limit).fit(vectors, dates)
        seconds = time.perf_counter() - started
        path = "exact" if len(articles) <= limit else f"sampled, {limit} a sample"
        score = adjusted_rand_score(truth, model.labels_)
        print(f"{path}: {model.n_stories_} stories, ARI {score:.3f}, {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
