"""ROUGE as DUC scored it, the baselines, and `summarise eval` on a small made-up data set."""

import json

import pytest

from summarise.cli import main
from summarise.evaluation.baselines import OfflineTokenizer, lead, sumy_summary
from summarise.evaluation.rouge import jackknifed_recall, pooled_recall, rouge_recall, tokens
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
    return SentenceSplitter().fit(p for a in ARTICLES for p in a.paragraphs)


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
    assert out[1].split() == ["system", "ROUGE-1", "ROUGE-2", "ROUGE-4", "seconds"]
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
    assert [line.split()[0] for line in tuning[1:] if line] == ["summarise", "summarise"]  # the row, then its rank
    assert tuning[-1].endswith("(best peer DUC 9: 100.00; median 100.00)")
    assert held_out[-1].endswith("(best peer DUC 9: 0.00; median 0.00)")
