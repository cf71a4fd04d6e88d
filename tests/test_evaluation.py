"""ROUGE as DUC scored it, the baselines, and `summarise eval` on a small made-up data set."""

import json

import pytest

from summarise.cli import main
from summarise.evaluation.baselines import OfflineTokenizer, lead, sumy_summary
from summarise.evaluation.harness import TUNING_GRID, SystemScores, cross_validate, fold_bounds, setting_name
from summarise.evaluation.rouge import SU4, jackknifed_recall, pooled_recall, rouge_recall, skip_bigrams, tokens
from summarise.models import Article
from summarise.split import SentenceSplitter


def test_tokens_are_lower_case_stemmed_and_cut_to_the_word_limit():
    assert tokens("The Ministers were RUNNING, fast-ish.", None) == ["the", "minist", "were", "run", "fast", "ish"]
    assert tokens("one two three four", 3) == ["one", "two", "three"]


def test_recall_is_pooled_over_references_then_jackknifed():
    summary = "the cat sat on the mat".split()
    references = ["the cat sat".split(), "a dog sat on the mat".split()]
    assert pooled_recall(summary, references, 1) == pytest.approx(7 / 9)
    assert jackknifed_recall(summary, references, 1) == pytest.approx((4 / 6 + 3 / 3) / 2)
    assert pooled_recall(summary, references, 2) == pytest.approx((2 + 3) / (2 + 5))
    assert rouge_recall("the cat sat on the mat", ["the cat sat"], 4) == 0.0


def test_repeated_ngrams_count_at_most_as_often_as_the_reference_has_them():
    assert pooled_recall("a a a a".split(), ["a b a".split()], 1) == pytest.approx(2 / 3)


ARTICLES = [
    Article(
        path="d1",
        date=None,
        title="Storm",
        source=None,
        id="1",
        paragraphs=(
            "The storm closed every port along the northern coast on Monday morning.",
            "Officials expect the ports along the northern coast to reopen on Wednesday.",
        ),
    ),
    Article(
        path="d2",
        date=None,
        title="Storm",
        source=None,
        id="2",
        paragraphs=(
            "A ferry carrying two hundred passengers was turned back to port by the storm.",
            "The storm closed every port along the northern coast on Monday, officials said.",
        ),
    ),
]


def splitter():
    return SentenceSplitter().fit_articles(ARTICLES)


def test_lead_takes_the_newest_articles_first_sentences():
    assert lead(ARTICLES, splitter(), 10) == [
        "A ferry carrying two hundred passengers was turned back to port by the storm."
    ]


def test_offline_tokenizer_speaks_sumys_interface():
    tokenizer = OfflineTokenizer(splitter())
    assert tokenizer.to_sentences("Mr. Smith left. He came back.") == ("Mr. Smith left.", "He came back.")
    assert tokenizer.to_words("The port’s gates closed.") == ("the", "port", "gates", "closed")


@pytest.mark.parametrize("method", ["lexrank", "textrank", "lsa", "luhn"])
def test_sumy_baselines_run_offline_and_reach_the_word_count(method):
    summary = sumy_summary(method, ARTICLES, splitter(), 20)
    assert sum(len(s.split()) for s in summary) >= 20
    assert all(any(s in p for a in ARTICLES for p in a.paragraphs) for s in summary)


def test_eval_command_scores_every_system_and_saves_our_summaries(tmp_path, capsys):
    cluster = {
        "id": "T1",
        "docs": [
            {"id": a.path, "title": a.title, "date": "2024-01-0" + a.id, "text": "\n\n".join(a.paragraphs)}
            for a in ARTICLES
        ],
        "refs": ["The storm closed the ports on the northern coast.", "A storm shut northern ports on Monday."],
        "length_limit": {"words": 20},
        "query": {"title": "never read"},
    }
    dataset = tmp_path / "set.jsonl"
    dataset.write_text(json.dumps(cluster) + "\n", encoding="utf-8")
    saved = tmp_path / "ours.jsonl"
    assert main(["eval", str(dataset), "--save", str(saved)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "ROUGE recall x100, length_limit words, jackknifed; 1 clusters"
    assert out[1].split() == ["system", "ROUGE-1", "ROUGE-2", "ROUGE-SU4", "ROUGE-4", "seconds"]
    assert sorted(line.split()[0] for line in out[2:]) == ["lead", "lexrank", "lsa", "luhn", "summarise", "textrank"]
    lines = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["T1"]
    assert len(lines[0]["summary"].split()) >= 20
    assert "The storm closed every port along the northern coast" in lines[0]["summary"]


def test_eval_usage_errors_exit_2(tmp_path, capsys):
    assert main(["eval", str(tmp_path / "x.jsonl"), "--systems", "gpt"]) == 2
    assert "unknown system gpt" in capsys.readouterr().err
    assert main(["eval", str(tmp_path / "missing.jsonl")]) == 1
    assert "missing.jsonl: cannot read the data set" in capsys.readouterr().err


def test_holdout_reports_each_part_on_its_own_clusters(tmp_path, capsys):
    docs = [
        {"id": a.path, "title": a.title, "date": "2024-01-0" + a.id, "text": "\n\n".join(a.paragraphs)} for a in ARTICLES
    ]
    good = ["The storm closed every port along the northern coast."]
    clusters = [
        {"id": "A", "docs": docs, "refs": good, "length_limit": {"words": 10}},
        {"id": "B", "docs": docs, "refs": ["Quantum bakers win chess medals."], "length_limit": {"words": 10}},
    ]
    dataset = tmp_path / "set.jsonl"
    dataset.write_text("".join(json.dumps(c) + "\n" for c in clusters), encoding="utf-8")
    peers = tmp_path / "peers.jsonl"
    peers.write_text(
        "".join(json.dumps({"system": "9", "id": c["id"], "summary": good[0]}) + "\n" for c in reversed(clusters)),
        encoding="utf-8",
    )
    assert main(["eval", str(dataset), "--systems", "summarise", "--peers", str(peers), "--holdout", "1"]) == 0
    out = capsys.readouterr().out
    tuning = out.split("tuning part: 1 clusters, A to A\n")[1].split("held-out part")[0].strip().splitlines()
    held_out = out.split("held-out part: 1 clusters, B to B\n")[1].splitlines()
    # The peer's summary is its reference on A and shares nothing with B's: 100 there, 0 here.
    # the row, then its rank on ROUGE-2 and on ROUGE-SU4
    assert [line.split()[0] for line in tuning[1:] if line] == ["summarise", "summarise", "summarise"]
    assert tuning[-1].endswith("(best peer DUC 9: 100.00; median 100.00)")
    assert held_out[-1].endswith("(best peer DUC 9: 0.00; median 0.00)")


def test_su4_counts_skip_bigrams_at_most_four_words_apart_and_unigrams():
    units = skip_bigrams(list("abcdefg"))
    assert units[("a", "f")] == 1  # four words between
    assert ("a", "g") not in units  # five
    assert units[("c",)] == 1
    assert sum(units.values()) == 7 + (5 + 5 + 4 + 3 + 2 + 1)
    summary = "the cat sat on the mat".split()
    # "the cat sat": its 3 unigrams and 3 pairs all found. "a dog sat on the mat": 6 unigrams and
    # 15 pairs, of which sat, on, the, mat and the 6 pairs among them are found.
    assert pooled_recall(summary, ["the cat sat".split(), "a dog sat on the mat".split()], SU4) == pytest.approx(16 / 27)


def test_folds_are_contiguous_parts_in_order():
    assert fold_bounds(50, 2) == [(0, 25), (25, 50)]
    assert fold_bounds(5, 2) == [(0, 2), (2, 5)]
    assert fold_bounds(7, 3) == [(0, 2), (2, 5), (5, 7)]


def scored(name, rouge2):
    scores = SystemScores(name)
    scores.recall[2] = list(rouge2)
    scores.recall[1] = [2 * v for v in rouge2]
    scores.times = [1.0] * len(rouge2)
    scores.summaries = [f"{name} {k}" for k in range(len(rouge2))]
    return scores


def test_cross_validation_scores_each_part_with_the_setting_chosen_on_the_other():
    # "a" is best on the first half, "b" on the second: each half gets the other half's choice.
    a = scored("summarise [a]", [0.9, 0.9, 0.1, 0.1])
    b = scored("summarise [b]", [0.2, 0.2, 0.5, 0.5])
    held, rounds = cross_validate([a, b], 2)
    assert [(f.start, f.stop, f.chosen) for f in rounds] == [(0, 2, "summarise [b]"), (2, 4, "summarise [a]")]
    assert [f.tuned for f in rounds] == pytest.approx([50.0, 90.0])
    assert [f.held_out for f in rounds] == pytest.approx([20.0, 10.0])
    assert held.recall[2] == [0.2, 0.2, 0.1, 0.1]
    assert held.summaries == ["summarise [b] 0", "summarise [b] 1", "summarise [a] 2", "summarise [a] 3"]
    # Ties go to the earlier setting in the grid.
    held, rounds = cross_validate([scored("summarise [x]", [0.3] * 4), scored("summarise [y]", [0.3] * 4)], 2)
    assert [f.chosen for f in rounds] == ["summarise [x]", "summarise [x]"]


def test_eval_folds_prints_each_fold_the_held_out_row_and_every_setting(tmp_path, capsys):
    docs = [
        {"id": a.path, "title": a.title, "date": "2024-01-0" + a.id, "text": "\n\n".join(a.paragraphs)} for a in ARTICLES
    ]
    clusters = [
        {"id": name, "docs": docs, "refs": ["The storm closed every port along the northern coast."],
         "length_limit": {"words": 15}}
        for name in ("A", "B", "C", "D")
    ]  # fmt: skip
    dataset = tmp_path / "set.jsonl"
    dataset.write_text("".join(json.dumps(c) + "\n" for c in clusters), encoding="utf-8")
    saved = tmp_path / "held.jsonl"
    assert main(["eval", str(dataset), "--systems", "summarise,lead", "--folds", "2", "--save", str(saved)]) == 0
    out = capsys.readouterr().out.splitlines()
    first = setting_name(TUNING_GRID[0])  # every setting scores alike here: ties keep the first
    # Every cluster's summary starts with the reference itself: ROUGE-2 100 everywhere.
    assert out[1] == (
        f"fold 1: held out A to B (2 clusters); chosen on the rest (ROUGE-2 100.00): "
        f"summarise [{first}]; held-out ROUGE-2 100.00"
    )
    assert out[2].startswith("fold 2: held out C to D (2 clusters); ")
    assert out[4].split() == ["system", "ROUGE-1", "ROUGE-2", "ROUGE-SU4", "ROUGE-4", "seconds"]
    assert sorted(line.split("  ")[0] for line in out[5:7]) == ["lead", "summarise (held out)"]
    settings_table = out[out.index("every setting on all the clusters (in sample, for reference):") + 2 :]
    assert len(settings_table) == len(TUNING_GRID)
    lines = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["A", "B", "C", "D"]
    assert main(["eval", str(dataset), "--folds", "1"]) == 2
    assert "needs at least 2 parts" in capsys.readouterr().err
    assert main(["eval", str(dataset), "--folds", "5"]) == 2
    assert "--folds 5: only 4 clusters" in capsys.readouterr().err


MIXED_TOPICS = {
    "PORTS": [
        "The storm closed every port along the northern coast on Monday morning.",
        "Harbour officials expect the northern ports to reopen on Wednesday once the waves ease.",
    ],
    "FERRY": [
        "The island council voted to replace its two diesel ferries with electric boats by next spring.",
        "Electric ferries will charge at both quays while cars are loaded for the short crossing.",
    ],
    "BRIDGE": [
        "Engineers reopened the old swing bridge over the river after two years of repairs.",
        "The swing bridge will open for river traffic twice a day during the summer months.",
    ],
    "CHOIR": [
        "A village choir from the valley won the national singing contest in the capital on Saturday.",
        "The choir will sing its winning programme again at the valley chapel next month.",
    ],
}


def test_eval_mixed_pools_clusters_into_days_and_scores_each_story_beside_the_cluster_alone(tmp_path, capsys):
    clusters = []
    for name, (first, second) in MIXED_TOPICS.items():
        docs = [
            {"id": f"{name}-1", "title": f"{name} one", "date": "2001-02-03", "text": f"{first}\n\n{second}"},
            {"id": f"{name}-2", "title": f"{name} two", "date": "2001-03-04", "text": f"{second}\n\n{first}"},
        ]
        clusters.append({"id": name, "docs": docs, "refs": [first], "length_limit": {"words": 100}})
    dataset = tmp_path / "set.jsonl"
    dataset.write_text("".join(json.dumps(c) + "\n" for c in clusters), encoding="utf-8")
    assert main(["eval", "--mixed", "2", str(dataset), "--story-words", "20"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        "2 days of 2 clusters each (consecutive in the data set), 20 words a story",
        "day 1 (PORTS to FERRY): 4 articles, 2 stories found, ARI 1.000, 2 of 2 clusters told",
        "day 2 (BRIDGE to CHOIR): 4 articles, 2 stories found, ARI 1.000, 2 of 2 clusters told",
    ]
    assert out[4:7] == ["adjusted Rand index: mean 1.000, lowest 1.000", "clusters told: 4 of 4", out[6]]
    in_day, alone = out[7].split()[-2:], out[8].split()[-2:]
    assert out[7].startswith("in the mixed day") and out[8].startswith("the cluster alone")
    assert in_day == alone and float(alone[1]) > 50  # each story is its cluster, told the same way
    assert out[9] == "ROUGE-2 in the day / alone: 1.000"
    assert main(["eval", "--mixed", "5", str(dataset)]) == 2
    assert "--mixed 5: only 4 clusters" in capsys.readouterr().err
