"""`summarise eval`: summarise every cluster of a DUC-style data set and score it with ROUGE.

The data set has one cluster a line: ``{"id", "docs": [{"id", "title",
"date", "text"}], "refs": [str, ...], "length_limit": {"words": N}}``.
Our summariser is generic: the cluster's ``query`` is never read.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..clean import article_from_text
from ..models import Article
from ..pipeline import summarise_articles
from ..settings import Settings
from ..split import SentenceSplitter
from .baselines import SUMY_METHODS, lead, sumy_summary
from .rouge import jackknifed_recall, tokens

log = logging.getLogger(__name__)

ORDERS = (1, 2, 4)
OURS = "summarise"
SYSTEMS = (OURS, "lead", *SUMY_METHODS)


@dataclass
class SystemScores:
    name: str
    recall: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    times: list[float] = field(default_factory=list)  # seconds per cluster

    @property
    def seconds(self) -> float:
        return sum(self.times)

    def mean(self, n: int) -> float:
        values = self.recall[n]
        return 100 * sum(values) / len(values) if values else 0.0

    def part(self, start: int, stop: int | None = None) -> SystemScores:
        """The scores of clusters[start:stop] only (to report a tuning half and a held-out half)."""
        part = SystemScores(self.name, times=self.times[start:stop])
        for n, values in self.recall.items():
            part.recall[n] = values[start:stop]
        return part


def read_clusters(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def cluster_articles(cluster: dict) -> list[Article]:
    articles = []
    for doc in cluster["docs"]:
        try:
            date = dt.date.fromisoformat(doc.get("date") or "")
        except ValueError:
            date = None
        article = article_from_text(doc["id"], doc["text"], title=doc.get("title"), date=date)
        if article is not None:
            articles.append(article)
    return articles


def our_summary(articles: list[Article], words: int) -> list[str]:
    """The digest's sentences, in digest order, at least `words` words where the cluster allows."""
    digest = summarise_articles(articles, Settings(max_words=words, fill_budget=True))
    return [s.text for topic in digest.topics for s in topic.statements]


def summarisers(words: int) -> dict[str, Callable[[list[Article]], list[str]]]:
    def make_lead(articles):
        splitter = SentenceSplitter().fit(p for a in articles for p in a.paragraphs)
        return lead(articles, splitter, words)

    def make_sumy(method):
        def run(articles):
            splitter = SentenceSplitter().fit(p for a in articles for p in a.paragraphs)
            return sumy_summary(method, articles, splitter, words)

        return run

    return {
        OURS: lambda articles: our_summary(articles, words),
        "lead": make_lead,
        **{method: make_sumy(method) for method in SUMY_METHODS},
    }


def evaluate(
    clusters: list[dict],
    systems: Iterable[str],
    words: int | None = None,
    save: Callable[[str, str], None] | None = None,
) -> list[SystemScores]:
    """Score each system on every cluster; `save(id, summary)` gets our summaries."""
    systems = list(systems)
    results = {name: SystemScores(name) for name in systems}
    for number, cluster in enumerate(clusters, start=1):
        limit = words or cluster.get("length_limit", {}).get("words", 250)
        references = [tokens(r, limit) for r in cluster["refs"]]
        articles = cluster_articles(cluster)
        makers = summarisers(limit)
        for name in systems:
            started = time.perf_counter()
            summary = " ".join(makers[name](articles))
            results[name].times.append(time.perf_counter() - started)
            if name == OURS and save is not None:
                save(cluster["id"], summary)
            mine = tokens(summary, limit)
            for n in ORDERS:
                results[name].recall[n].append(jackknifed_recall(mine, references, n))
        log.info("cluster %d/%d %s scored", number, len(clusters), cluster["id"])
    return list(results.values())


def score_peers(clusters: list[dict], peers_path: str, words: int | None = None) -> list[SystemScores]:
    """The same ROUGE for summaries made elsewhere (``{"system", "id", "summary"}`` lines).

    Scores are kept in the clusters' order, like ours, so a part of them can be compared.
    """
    order = {c["id"]: k for k, c in enumerate(clusters)}
    summaries: dict[str, dict[str, str]] = defaultdict(dict)
    with open(peers_path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                peer = json.loads(line)
                if peer["id"] in order:
                    summaries[peer["system"]][peer["id"]] = peer["summary"]
    references: dict[str, list[list[str]]] = {}
    results = []
    for system, by_cluster in summaries.items():
        if len(by_cluster) < len(clusters):
            log.warning("peer %s has no summary for %d clusters; left out", system, len(clusters) - len(by_cluster))
            continue
        scores = SystemScores(f"DUC {system}")
        for cluster in clusters:
            limit = words or cluster.get("length_limit", {}).get("words", 250)
            if cluster["id"] not in references:
                references[cluster["id"]] = [tokens(r, limit) for r in cluster["refs"]]
            mine = tokens(by_cluster[cluster["id"]], limit)
            for n in ORDERS:
                scores.recall[n].append(jackknifed_recall(mine, references[cluster["id"]], n))
        results.append(scores)
    return sorted(results, key=lambda s: (-s.mean(2), s.name))


def table(results: list[SystemScores], peers: list[SystemScores] | None = None) -> str:
    """A plain-text table, best ROUGE-2 first; with peers, our rank among them."""
    lines = [f"{'system':<14} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-4':>8} {'seconds':>9}"]
    for r in sorted(results, key=lambda r: -r.mean(2)):
        lines.append(f"{r.name:<14} {r.mean(1):8.2f} {r.mean(2):8.2f} {r.mean(4):8.2f} {r.seconds:9.1f}")
    if peers:
        ours = next((r for r in results if r.name == OURS), None)
        if ours is not None:
            above = sum(1 for p in peers if p.mean(2) > ours.mean(2))
            lines.append("")
            lines.append(
                f"{OURS} ranks {above + 1} of {len(peers) + 1} on ROUGE-2 among the {len(peers)} peer systems "
                f"(best peer {peers[0].name}: {peers[0].mean(2):.2f}; median {_median([p.mean(2) for p in peers]):.2f})"
            )
    return "\n".join(lines)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
