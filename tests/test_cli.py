"""The command as a user runs it: on the seeds, with each option, and on bad usage."""

import json
import re
import socket
import sys
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from summarise.cli import main

TITLES = {
    "002_ba8d40f7b3f65f37.txt": (
        "1",
        "Russia's foreign minister thanks North Korea for supporting its war in Ukraine",
        "Reuters",
        "2023-10-19",
    ),
    "004_5f84da57c26851d4.txt": (
        "2",
        "Russian minister thanks North Korea for ‘unwavering’ support of war in Ukraine",
        "Press Association",
        "2023-10-19",
    ),
    "000_102735998d832c6d.txt": (
        "3",
        "North Korean, Russian foreign ministers hail ties at Moscow talks",
        "AFP",
        "2024-01-16",
    ),
    "001_40807685c9df2620.txt": ("4", "Putin hosts North Korean FM in Kremlin visit", "AFP", "2024-01-16"),
    "003_cb80cc104f090b56.txt": (
        "5",
        "North Korea’s top diplomat in Moscow for talks on ties amid concerns over alleged arms deal",
        "Associated Press",
        "2024-01-16",
    ),
}
FURNITURE = re.compile(
    r"\bicon\b|share (?:on|this|via)|subscribe|newsletter|advertisement|click here|also read|\(photo|photo:|©"
    r"|copyright|whatsapp|\(ap\)|via ap|/afp|handout|minute read|related topics",
    re.IGNORECASE,
)


def norm(text: str) -> list[str]:
    text = text.translate(str.maketrans("‘’“”—", "''\"\"-")).lower()
    return re.findall(r"[a-z0-9]+", text)


def carries(article: list[str], sentence: list[str]) -> bool:
    """Oracle: nearly all (90%) of the sentence's words appear in order in one stretch of the article."""
    joined = " ".join(article)
    if " ".join(sentence) in joined:
        return True
    for start in range(len(article)):
        window = article[start : start + len(sentence) + 8]
        hits = sum(b.size for b in SequenceMatcher(None, sentence, window, autojunk=False).get_matching_blocks())
        if hits >= 0.9 * len(sentence):
            return True
    return False


def read_digest(folder: Path, date: str) -> dict:
    return json.loads((folder / f"digest-{date}.json").read_text(encoding="utf-8"))


def test_seeds_digest_in_every_format(run_cli, seeds, tmp_path):
    out = tmp_path / "out"
    result = run_cli(str(seeds), "--out", str(out), "--format", "html,md,txt,json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""  # quiet on success
    assert sorted(p.name for p in out.iterdir()) == [
        ".summarise.lock",
        "archive.json",
        "digest-2024-01-16.html",
        "digest-2024-01-16.json",
        "digest-2024-01-16.md",
        "digest-2024-01-16.txt",
        "digests.atom",
        "index.html",
        "latest.html",
    ]
    digest = read_digest(out, "2024-01-16")
    assert digest["date"] == "2024-01-16"
    got = {Path(a["path"]).name: (a["id"], a["title"], a["source"], a["date"]) for a in digest["articles"]}
    assert got == TITLES
    assert all(
        a["path"] == str(seeds / name)
        for name, a in zip(sorted(TITLES), sorted(digest["articles"], key=lambda a: Path(a["path"]).name), strict=True)
    )


def test_seeds_digest_separates_the_two_events_and_cites_exactly(run_cli, seeds, tmp_path):
    out = tmp_path / "out"
    assert run_cli(str(seeds), "--out", str(out), "--format", "json").returncode == 0
    digest = read_digest(out, "2024-01-16")
    # Moscow talks (January) first: three articles; then the Pyongyang visit (October): two.
    assert [t["articles"] for t in digest["topics"]] == [["3", "4", "5"], ["1", "2"]]
    bodies = {a["id"]: norm(Path(a["path"]).read_text(encoding="utf-8")) for a in digest["articles"]}
    sentences = [s for t in digest["topics"] for s in t["sentences"]]
    # Each story is told in up to 100 words (the default --story-words), in at least three sentences.
    assert [len(t["sentences"]) >= 3 for t in digest["topics"]] == [True, True]
    assert [sum(len(s["text"].split()) for s in t["sentences"]) <= 100 for t in digest["topics"]] == [True, True]
    assert digest["also_reported"] == []
    for topic in digest["topics"]:
        for s in topic["sentences"]:
            assert set(s["citations"]) <= set(topic["articles"])
            words = norm(s["text"])
            assert set(s["citations"]) == {aid for aid, body in bodies.items() if carries(body, words)}, s["text"]
            assert len(words) >= 6 and re.search(r"[.!?][\"'”’)]*$", s["text"]), s["text"]
            assert not FURNITURE.search(s["text"]), s["text"]
    # Wire copy carried by both AFP articles, when chosen, cites both: the loop above checks every
    # sentence against every article's text (merging itself is tested in test_merge).
    # No two sentences say the same thing.
    for i, a in enumerate(sentences):
        for b in sentences[i + 1 :]:
            ratio = SequenceMatcher(None, " ".join(norm(a["text"])), " ".join(norm(b["text"]))).ratio()
            assert ratio < 0.8, (a["text"], b["text"])


def test_date_keeps_only_that_days_articles(run_cli, seeds, tmp_path):
    out = tmp_path / "out"
    result = run_cli(str(seeds), "--out", str(out), "--format", "json", "--date", "2024-01-16")
    assert result.returncode == 0, result.stderr
    digest = read_digest(out, "2024-01-16")
    assert sorted(Path(a["path"]).name for a in digest["articles"]) == [
        "000_102735998d832c6d.txt",
        "001_40807685c9df2620.txt",
        "003_cb80cc104f090b56.txt",
    ]
    assert len(digest["topics"]) == 1


def test_max_words_bounds_the_digest(run_cli, seeds, tmp_path):
    out = tmp_path / "out"
    assert run_cli(str(seeds), "--out", str(out), "--format", "json", "--max-words", "80").returncode == 0
    digest = read_digest(out, "2024-01-16")
    words = sum(len(s["text"].split()) for t in digest["topics"] for s in t["sentences"])
    assert 40 <= words <= 80


def test_story_words_and_max_stories_shape_the_digest_and_list_the_rest(run_cli, seeds, tmp_path):
    out = tmp_path / "out"
    result = run_cli(
        str(seeds), "--out", str(out), "--format", "json,txt", "--story-words", "45", "--max-stories", "1"
    )
    assert result.returncode == 0, result.stderr
    digest = read_digest(out, "2024-01-16")
    # The story three articles from two outlets tell is told; the other is listed, with its headline.
    assert [t["articles"] for t in digest["topics"]] == [["3", "4", "5"]]
    assert 20 <= sum(len(s["text"].split()) for s in digest["topics"][0]["sentences"]) <= 45
    assert digest["also_reported"] == [
        {
            "label": "Russia's foreign minister thanks North Korea for supporting its war in Ukraine",
            "articles": ["1", "2"],
            "headline_article": "1",
            "outlets": ["Press Association", "Reuters"],
            "language": "en",
        }
    ]
    assert digest["counts"]["also_reported"] == 1
    text = (out / "digest-2024-01-16.txt").read_text(encoding="utf-8")
    assert "in 1 topic, and 1 more story also reported." in text
    assert (
        "ALSO REPORTED\n\n  - Russia's foreign minister thanks North Korea for supporting its war in Ukraine "
        "(Press Association and Reuters, 2 articles)\n" in text
    )


def test_same_input_gives_the_same_bytes(run_cli, seeds, tmp_path):
    for name in ("a", "b"):
        assert run_cli(str(seeds), "--out", str(tmp_path / name), "--format", "html,md,txt,json").returncode == 0
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_defaults_read_seeds_and_write_html_to_out(run_cli, seeds, tmp_path):
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("digest-*")) == ["digest-2024-01-16.html"]


def test_python_dash_m_works(seeds, tmp_path):
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "summarise", str(seeds), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "o" / "digest-2024-01-16.html").exists()


def test_a_digest_run_loads_neither_scikit_learn_nor_scipy_stats_nor_the_language_model(seeds, tmp_path):
    # Up to a second of start-up each (benchmarks/README.md): the run computes its TF-IDF rows itself,
    # NLTK is loaded without the parts that want them, and plainly English news needs no language model.
    import subprocess

    check = (
        f"import sys; sys.argv = ['summarise', {str(seeds)!r}, '--out', {str(tmp_path / 'o')!r}]; "
        "from summarise.cli import command; code = command(); "
        "print(code, *(name in sys.modules for name in ('sklearn', 'scipy.stats', 'py3langid', 'nltk')))"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120)
    assert (result.stdout, result.stderr) == ("0 False False False True\n", "")
    # `main` called from other code (a library user, these tests) leaves NLTK whole, so it loads them.
    in_process = check.replace("command(); ", "main(sys.argv[1:]); ").replace("import command", "import main")
    result = subprocess.run([sys.executable, "-c", in_process], capture_output=True, text=True, timeout=120)
    assert (result.stdout, result.stderr) == ("0 True True False True\n", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "unknown format pdf"),
        (["--date", "2024-13-45"], "'2024-13-45' is not a date: use today, yesterday or YYYY-MM-DD"),
        (["--max-words", "0"], "'0' is not a positive whole number"),
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
    ],
)
def test_usage_errors_exit_2_with_a_message(run_cli, seeds, args, message):
    result = run_cli(str(seeds), *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_nothing_to_summarise_exits_1(run_cli, seeds, tmp_path):
    result = run_cli(str(seeds), "--out", str(tmp_path / "out"), "--date", "2020-01-01")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"summarise: error: nothing to summarise: no readable articles dated 2020-01-01 in {seeds}"
    ]
    assert list((tmp_path / "out").iterdir()) == [tmp_path / "out" / ".summarise.lock"]  # nothing written
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli(str(empty))
    assert result.returncode == 1
    assert "no input files found" in result.stderr


def test_a_failure_while_summarising_is_not_blamed_on_the_output_folder(run_cli, seeds, tmp_path, monkeypatch):
    # A Dask worker's TimeoutError is raised again on the client, and a TimeoutError is an OSError.
    def fails(*args, **kwargs):
        raise TimeoutError("a worker's task ran out of time")

    monkeypatch.setattr("summarise.summariser.Summariser.summarise", fails)
    result = run_cli(str(seeds), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "summarise: error: cannot summarise the day: a worker's task ran out of time; nothing written"
    ]
    assert list((tmp_path / "out").iterdir()) == [tmp_path / "out" / ".summarise.lock"]


def test_a_bad_file_is_named_and_the_rest_is_summarised(run_cli, seeds, tmp_path):
    (seeds / "menu.txt").write_text(" date 2024-01-16 Home\nAdvertisement\nSubscribe now\n", encoding="utf-8")
    result = run_cli(str(seeds), str(tmp_path / "missing.txt"), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"summarise: warning: {tmp_path / 'missing.txt'}: skipped: no such file or folder",
        f"summarise: warning: {seeds / 'menu.txt'}: skipped: no article text left after removing page furniture",
        "summarise: warning: skipped 2 inputs: 1 missing, 1 no article text",
    ]
    assert len(read_digest(tmp_path / "out", "2024-01-16")["articles"]) == 5


def test_runs_with_no_network_and_no_nltk_data(monkeypatch, seeds, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("summarise tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setenv("NLTK_DATA", str(tmp_path / "nothing"))
    import nltk

    monkeypatch.setattr(nltk, "download", refuse)
    assert main([str(seeds), "--out", str(tmp_path / "out"), "--format", "json"]) == 0
    assert (tmp_path / "out" / "digest-2024-01-16.json").exists()


def test_a_folder_named_like_a_subcommand_is_read_as_a_path(seeds, tmp_path, monkeypatch, capsys):
    from summarise.cli import main

    monkeypatch.chdir(tmp_path)
    seeds.rename(tmp_path / "eval")
    assert main(["./eval", "--out", "out", "--format", "json", "-q"]) == 0
    assert json.loads((tmp_path / "out" / "digest-2024-01-16.json").read_text(encoding="utf-8"))["topics"]
    capsys.readouterr()
    # As the first argument, the bare name is the subcommand; the error says how to mean the folder.
    assert main(["eval", "--out", "out2"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-2:] == [
        "summarise eval: error: unrecognized arguments: --out",
        "summarise: note: eval is a subcommand; to read the input named eval, write ./eval",
    ]
    assert not (tmp_path / "out2").exists()
    # Anywhere else on the line it is an input as any other.
    assert main(["-q", "eval", "--out", "out3", "--format", "json"]) == 0
    assert (tmp_path / "out3" / "digest-2024-01-16.json").read_bytes() == (tmp_path / "out" / "digest-2024-01-16.json").read_bytes()
