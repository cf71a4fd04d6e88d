"""`summarise eval --mixed K`: days made by mixing K clusters, told as one digest each.

A DUC-style data set gives clusters of articles on one topic each, with human summaries. A real
day mixes many stories, so here K clusters at a time (consecutive in the data set's order, so
deterministic) are pooled into one made-up day and summarised as one digest, exactly as a run over a
folder would. Three things are measured:

- how well the day's stories are found: the adjusted Rand index between the digest's stories (told
  or only listed) and the clusters the articles came from;
- how many of the day's clusters get a summary: a cluster is told when some told story has more of
  its articles than of any other cluster's;
- how well each cluster is told: the summary of the story that holds most of its articles, scored
  with ROUGE at `story_words` against the cluster's references, beside the same summariser run on
  the cluster alone (as `summarise eval` runs it).

The articles' own dates are dropped: a cluster's articles span months or years, which no day's news
does, and the date would split it for that reason alone.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from dataclasses import dataclass, field

from sklearn.metrics import adjusted_rand_score

from ..models import Article
from ..summariser import Summariser
from .harness import cluster_articles, our_summary
from .rouge import jackknifed_recall, tokens

log = logging.getLogger(__name__)


@dataclass
class MixedDay:
    """One made-up day and what the digest made of it."""

    cluster_ids: list[str]
    articles: int
    stories: int  # stories found (told and listed)
    told: int  # clusters told (see the module's docstring)
    ari: float
    mixed: dict[int, list[float]] = field(default_factory=dict)  # ROUGE-n recall per cluster, in the day
    alone: dict[int, list[float]] = field(default_factory=dict)  # the same, each cluster alone


def mixed_days(clusters: list[dict], k: int) -> list[list[dict]]:
    """The clusters in groups of `k`, in the data set's order; a last group short of `k` is left out."""
    return [clusters[start : start + k] for start in range(0, len(clusters) - k + 1, k)]


def undated_articles(cluster: dict) -> list[Article]:
    """The cluster's articles as a day's input: undated, each path naming its cluster."""
    return [
        dataclasses.replace(a, path=f"{cluster['id']}/{a.path}", date=None, date_source=None)
        for a in cluster_articles(cluster)
    ]


def evaluate_day(day: list[dict], story_words: int, summariser: Summariser | None = None) -> MixedDay:
    """Summarise the pooled clusters as one digest and score it against each cluster."""
    # A copy (the caller's summariser is not changed), scored as the evaluation scores: at least the budget.
    params = (summariser or Summariser()).get_params()
    summariser = Summariser(**{**params, "story_words": story_words, "max_words": None, "fill_budget": True})
    articles = [a for cluster in day for a in undated_articles(cluster)]
    cluster_of = {a.path: a.path.split("/", 1)[0] for a in articles}
    digest = summariser.summarise(articles)
    path_of = {a.id: a.path for a in digest.articles}

    found: dict[str, int] = {}
    for number, story in enumerate((*digest.topics, *digest.also_reported)):
        for article_id in story.article_ids:
            found[path_of[article_id]] = number
    paths = sorted(found)
    ari = adjusted_rand_score([cluster_of[p] for p in paths], [found[p] for p in paths])

    # Each cluster's story: the told topic holding most of its articles, if that topic is mostly its own.
    story_of: dict[str, int] = {}
    best_share: dict[str, int] = {}
    for number, topic in enumerate(digest.topics):
        counts = Counter(cluster_of[path_of[i]] for i in topic.article_ids)
        owner, held = min(counts.items(), key=lambda item: (-item[1], item[0]))
        if held > best_share.get(owner, 0):
            story_of[owner], best_share[owner] = number, held

    result = MixedDay(
        cluster_ids=[c["id"] for c in day],
        articles=len(articles),
        stories=len(digest.topics) + len(digest.also_reported),
        told=len(story_of),
        ari=float(ari),
    )
    for cluster in day:
        references = [tokens(r, story_words) for r in cluster["refs"]]
        told = digest.topics[story_of[cluster["id"]]] if cluster["id"] in story_of else None
        in_day = " ".join(s.text for s in told.statements) if told else ""
        alone = " ".join(our_summary(undated_articles(cluster), story_words))
        for n in (1, 2):
            result.mixed.setdefault(n, []).append(jackknifed_recall(tokens(in_day, story_words), references, n))
            result.alone.setdefault(n, []).append(jackknifed_recall(tokens(alone, story_words), references, n))
    log.info("mixed day of %s: ARI %.3f, %d stories", ", ".join(result.cluster_ids), result.ari, result.stories)
    return result


def report(days: list[MixedDay], k: int, story_words: int) -> str:
    """The figures as printed by `summarise eval --mixed`."""
    lines = [f"{len(days)} days of {k} clusters each (consecutive in the data set), {story_words} words a story"]
    for number, day in enumerate(days, start=1):
        lines.append(
            f"day {number} ({day.cluster_ids[0]} to {day.cluster_ids[-1]}): {day.articles} articles, "
            f"{day.stories} stories found, ARI {day.ari:.3f}, {day.told} of {len(day.cluster_ids)} clusters told"
        )

    def mean(values: list[float]) -> float:
        """The mean of the values; 0 when there are none."""
        return sum(values) / len(values) if values else 0.0

    def pooled(which: str, n: int) -> float:
        """The mean ROUGE-`n` recall x100 of every cluster of every day, in the day ("mixed") or alone ("alone")."""
        return 100 * mean([v for day in days for v in getattr(day, which)[n]])

    told = sum(day.told for day in days)
    clusters = sum(len(day.cluster_ids) for day in days)
    lines.append("")
    lines.append(f"adjusted Rand index: mean {mean([d.ari for d in days]):.3f}, lowest {min(d.ari for d in days):.3f}")
    lines.append(f"clusters told: {told} of {clusters}")
    lines.append(f"{'per story, ROUGE recall x100':<32} {'ROUGE-1':>8} {'ROUGE-2':>8}")
    lines.append(f"{'in the mixed day':<32} {pooled('mixed', 1):8.2f} {pooled('mixed', 2):8.2f}")
    lines.append(f"{'the cluster alone':<32} {pooled('alone', 1):8.2f} {pooled('alone', 2):8.2f}")
    alone = pooled("alone", 2)
    if alone:
        lines.append(f"ROUGE-2 in the day / alone: {pooled('mixed', 2) / alone:.3f}")
    return "\n".join(lines)
