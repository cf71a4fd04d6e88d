"""`summarise eval`: summarise every cluster of a DUC-style data set and score it with ROUGE.

The data set has one cluster a line: ``{"id", "docs": [{"id", "title",
"date", "text"}], "refs": [str, ...], "length_limit": {"words": N}}``.
Our summariser is generic: the cluster's ``query`` is never read.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from ..clean import article_from_text
from ..models import Article
from ..split import SentenceSplitter
from ..summariser import Summariser
from .baselines import SUMY_METHODS, lead, sumy_summary
from .rouge import SU4, jackknifed_recall, tokens

log = logging.getLogger(__name__)

ORDERS = (1, 2, SU4, 4)
OURS = "summarise"
SYSTEMS = (OURS, "lead", *SUMY_METHODS)

# The selection settings `--folds` chooses among (CoverageSelector's parameters); ties go to the
# earlier one. Small on purpose: each costs a run over every cluster.
TUNING_GRID: tuple[dict, ...] = (
    {"solver": "greedy", "story_share": 1.0, "lead_weight": 0.0},  # the selection before cross-validation
    {"solver": "greedy", "story_share": 0.0, "lead_weight": 0.0},
    {"solver": "exact", "story_share": 1.0, "lead_weight": 0.0},
    {"solver": "exact", "story_share": 0.5, "lead_weight": 0.0},
    {"solver": "exact", "story_share": 0.0, "lead_weight": 0.0},
    {"solver": "exact", "story_share": 0.5, "lead_weight": 1.0},
    {"solver": "exact", "story_share": 0.0, "lead_weight": 1.0},
)


def setting_name(setting: dict) -> str:
    """A grid setting as a system's name gives it ("solver=exact, story_share=0.5, ..."); "defaults" when empty."""
    return ", ".join(f"{key}={value}" for key, value in setting.items()) or "defaults"


@dataclass
class SystemScores:
    """One system's scores on the clusters, in the data set's order: ROUGE recall per measure, and seconds taken."""

    name: str
    recall: dict[int | str, list[float]] = field(default_factory=lambda: defaultdict(list))
    times: list[float] = field(default_factory=list)  # seconds per cluster
    summaries: list[str] = field(default_factory=list)  # per cluster, kept for our own system only

    @property
    def seconds(self) -> float:
        """The seconds the system took over all the clusters."""
        return sum(self.times)

    def mean(self, n: int | str) -> float:
        """The mean recall x100 over the clusters on measure `n` (1, 2, 4 or SU4); 0 when nothing was scored."""
        values = self.recall[n]
        return 100 * sum(values) / len(values) if values else 0.0

    def part(self, start: int, stop: int | None = None) -> SystemScores:
        """The scores of clusters[start:stop] only (to report a tuning half and a held-out half)."""
        part = SystemScores(self.name, times=self.times[start:stop], summaries=self.summaries[start:stop])
        for n, values in self.recall.items():
            part.recall[n] = values[start:stop]
        return part


def read_clusters(path: str) -> list[dict]:
    """The clusters of a JSON Lines data set, one per line that is not blank."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def cluster_articles(cluster: dict) -> list[Article]:
    """The cluster's documents as articles: undated without an ISO date, left out when no body is left."""
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


def our_summary(articles: list[Article], words: int, setting: dict | None = None) -> list[str]:
    """The cluster's summary: its sentences, in digest order, at least `words` words where it allows.

    A cluster is one story by definition, so it is told as one (no clustering)."""
    summariser = Summariser(story_words=words, max_words=words, fill_budget=True, **(setting or {}))
    digest = summariser.summarise(articles, one_story=True)
    return [s.text for topic in digest.topics for s in topic.statements]


def summarisers(words: int, grid: Iterable[dict] = ()) -> dict[str, Callable[[list[Article]], list[str]]]:
    """Each system by name; with a grid, ours once per setting, named "summarise [setting]"."""

    def make_lead(articles):
        """The lead baseline's summary of the articles, with a sentence splitter trained on them."""
        splitter = SentenceSplitter().fit_articles(articles)
        return lead(articles, splitter, words)

    def make_sumy(method):
        """A system that summarises articles with sumy's `method`."""

        def run(articles):
            """The summary sumy's `method` makes of the articles, with a sentence splitter trained on them."""
            splitter = SentenceSplitter().fit_articles(articles)
            return sumy_summary(method, articles, splitter, words)

        return run

    return {
        OURS: lambda articles: our_summary(articles, words),
        "lead": make_lead,
        **{method: make_sumy(method) for method in SUMY_METHODS},
        **{
            f"{OURS} [{setting_name(setting)}]": (
                lambda articles, setting=setting: our_summary(articles, words, setting)
            )
            for setting in grid
        },
    }


def evaluate(
    clusters: list[dict],
    systems: Iterable[str],
    words: int | None = None,
    save: Callable[[str, str], None] | None = None,
    grid: Iterable[dict] = (),
) -> list[SystemScores]:
    """Score each system on every cluster; `save(id, summary)` gets our summaries.

    With a grid, ours is run once per setting instead (to be cross-validated by `cross_validate`).
    """
    grid = list(grid)
    systems = [name for name in systems if not (grid and name == OURS)]
    systems += [f"{OURS} [{setting_name(setting)}]" for setting in grid]
    results = {name: SystemScores(name) for name in systems}
    for number, cluster in enumerate(clusters, start=1):
        limit = words or cluster.get("length_limit", {}).get("words", 250)
        references = [tokens(r, limit) for r in cluster["refs"]]
        articles = cluster_articles(cluster)
        makers = summarisers(limit, grid)
        for name in systems:
            started = time.perf_counter()
            summary = " ".join(makers[name](articles))
            results[name].times.append(time.perf_counter() - started)
            if name.startswith(OURS):
                results[name].summaries.append(summary)
            if name == OURS and save is not None:
                save(cluster["id"], summary)
            mine = tokens(summary, limit)
            for n in ORDERS:
                results[name].recall[n].append(jackknifed_recall(mine, references, n))
        log.info("cluster %d/%d %s scored", number, len(clusters), cluster["id"])
    return list(results.values())


@dataclass(frozen=True)
class Fold:
    """One round of cross-validation: the setting chosen on the other clusters, scored on these."""

    start: int  # the held-out clusters are clusters[start:stop]
    stop: int
    chosen: str  # the name of the setting chosen
    tuned: float  # its ROUGE-2 on the clusters it was chosen on
    held_out: float  # its ROUGE-2 on these


def fold_bounds(n: int, folds: int) -> list[tuple[int, int]]:
    """`folds` contiguous parts of n clusters, in the data set's order, sizes differing by at most one."""
    edges = [round(k * n / folds) for k in range(folds + 1)]
    return list(pairwise(edges))


def cross_validate(candidates: list[SystemScores], folds: int) -> tuple[SystemScores, list[Fold]]:
    """Our held-out scores: each part of the clusters scored with the setting that did best on the rest.

    The setting is chosen by ROUGE-2 on the other parts (ties: the earlier in the grid, so the
    default); the scores kept for the part are that setting's on it, never seen while choosing.
    """
    n = len(candidates[0].times)
    held = SystemScores(f"{OURS} (held out)")
    rounds = []
    for start, stop in fold_bounds(n, folds):

        def tuning_score(scores: SystemScores, start=start, stop=stop) -> float:
            """A setting's mean ROUGE-2 recall x100 on the clusters outside this part: what it is chosen by."""
            values = scores.recall[2][:start] + scores.recall[2][stop:]
            return 100 * sum(values) / len(values) if values else 0.0

        best = max(candidates, key=tuning_score)  # max keeps the first of equals
        part = best.part(start, stop)
        for order, values in part.recall.items():
            held.recall[order].extend(values)
        held.times.extend(part.times)
        held.summaries.extend(part.summaries)
        rounds.append(Fold(start, stop, best.name, tuning_score(best), part.mean(2)))
    return held, rounds


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


def _peer_rank(peer: SystemScores, measure: int | str) -> tuple[float, str]:
    """Sort key: the best peer on `measure` first (ties: by name)."""
    return (-peer.mean(measure), peer.name)


def table(results: list[SystemScores], peers: list[SystemScores] | None = None) -> str:
    """A plain-text table, best ROUGE-2 first; with peers, our rank among them."""
    width = max([14, *(len(r.name) for r in results)])
    lines = [f"{'system':<{width}} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-SU4':>9} {'ROUGE-4':>8} {'seconds':>9}"]
    for r in sorted(results, key=lambda r: (-r.mean(2), r.name)):
        lines.append(
            f"{r.name:<{width}} {r.mean(1):8.2f} {r.mean(2):8.2f} {r.mean(SU4):9.2f} {r.mean(4):8.2f} {r.seconds:9.1f}"
        )
    if peers:
        ours = next((r for r in results if r.name.startswith(OURS)), None)
        if ours is not None:
            lines.append("")
            for measure, title in ((2, "ROUGE-2"), (SU4, "ROUGE-SU4")):
                ranked = sorted(peers, key=functools.partial(_peer_rank, measure=measure))
                above = sum(1 for p in peers if p.mean(measure) > ours.mean(measure))
                lines.append(
                    f"{ours.name} ranks {above + 1} of {len(peers) + 1} on {title} among the {len(peers)} peer systems "
                    f"(best peer {ranked[0].name}: {ranked[0].mean(measure):.2f}; "
                    f"median {_median([p.mean(measure) for p in peers]):.2f})"
                )
    return "\n".join(lines)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
