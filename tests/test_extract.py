"""`summarise extract`, in process as a user runs it: one JSON line per article read, in input order."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from conftest import SEEDS

from summarise import pages
from summarise.cli import main
from summarise.extract import FIELDS

WEB = Path(__file__).parent / "fixtures" / "web"
FRENCH = (
    "Le gouvernement a annoncé mardi une série de mesures pour soutenir les agriculteurs, qui manifestent depuis "
    "plusieurs semaines dans tout le pays. Selon le ministère, les aides seront versées avant la fin du mois et "
    "toucheront plus de cent mille exploitations."
)


@pytest.fixture(autouse=True)
def _reset_logging():
    yield
    logging.getLogger().handlers.clear()


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_seeds_become_one_record_each_with_their_metadata(tmp_path, capsys):
    out = tmp_path / "articles.jsonl"
    assert main(["extract", str(SEEDS), "--out", str(out)]) == 0
    found = records(out)
    assert [list(r) for r in found] == [list(FIELDS)] * 5
    assert [(Path(r["path"]).name, r["title"], r["source"], r["date"], r["date_source"], r["language"]) for r in found] == [
        ("000_102735998d832c6d.txt", "North Korean, Russian foreign ministers hail ties at Moscow talks", "AFP", "2024-01-16", "header", "en"),
        ("001_40807685c9df2620.txt", "Putin hosts North Korean FM in Kremlin visit", "AFP", "2024-01-16", "header", "en"),
        ("002_ba8d40f7b3f65f37.txt", "Russia's foreign minister thanks North Korea for supporting its war in Ukraine", "Reuters", "2023-10-19", "header", "en"),
        ("003_cb80cc104f090b56.txt", "North Korea’s top diplomat in Moscow for talks on ties amid concerns over alleged arms deal", "Associated Press", "2024-01-16", "header", "en"),
        ("004_5f84da57c26851d4.txt", "Russian minister thanks North Korea for ‘unwavering’ support of war in Ukraine", "Press Association", "2023-10-19", "header", "en"),
    ]  # fmt: skip
    first = found[0]["text"].split("\n\n")
    assert first[3].startswith("The Russian and North Korean foreign ministers on Tuesday hailed deepening ties")
    assert "Home" not in first and found[0]["title"] not in first
    assert capsys.readouterr().out == ""
    # Without --out, the same bytes go to standard output.
    assert main(["extract", str(SEEDS)]) == 0
    assert capsys.readouterr().out == out.read_text(encoding="utf-8")


def test_inputs_keep_their_order_and_a_page_in_another_language_is_read_with_its_language(tmp_path, capsys):
    french = tmp_path / "agriculteurs.txt"
    french.write_text(" date 2024-01-16 Des aides pour les agriculteurs - Le Journal\n\n" + FRENCH + "\n", encoding="utf-8")
    out = tmp_path / "articles.jsonl"
    assert main(["extract", str(WEB / "bridge.html"), str(french), str(WEB / "ferries.html"), "--out", str(out)]) == 0
    found = records(out)
    assert [(Path(r["path"]).name, r["language"]) for r in found] == [
        ("bridge.html", "en"),
        ("agriculteurs.txt", "fr"),
        ("ferries.html", "en"),
    ]
    assert (found[1]["title"], found[1]["source"], found[1]["text"]) == ("Des aides pour les agriculteurs", "Le Journal", FRENCH)
    assert (found[0]["author"], found[0]["url"]) == ("Tom Brennan", "https://valleygazette.example/local/swing-bridge-reopens")
    assert capsys.readouterr().err == ""


def test_an_input_that_breaks_its_reader_is_named_and_the_rest_are_read(tmp_path, capsys, monkeypatch):
    real = pages.article_from_html

    def breaks_on_the_bridge(page, path, url=None):
        if path.endswith("bridge.html"):
            raise ImportError("cannot import name 'Cleaner' from 'lxml.html.clean'")
        return real(page, path, url)

    monkeypatch.setattr("summarise.readers.html.article_from_html", breaks_on_the_bridge)
    out = tmp_path / "articles.jsonl"
    assert main(["extract", str(WEB / "bridge.html"), str(WEB / "ferries.html"), str(SEEDS), "--out", str(out)]) == 0
    assert [Path(r["path"]).name for r in records(out)][:1] == ["ferries.html"] and len(records(out)) == 6
    assert capsys.readouterr().err.splitlines() == [
        f"summarise: warning: {WEB / 'bridge.html'}: skipped: cannot be read: "
        "ImportError: cannot import name 'Cleaner' from 'lxml.html.clean'",
        "summarise: warning: skipped 1 input: 1 reader error",
    ]


def test_nothing_read_exits_1_and_writes_nothing(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "articles.jsonl"
    assert main(["extract", str(empty), "--out", str(out)]) == 1
    assert not out.exists()
    assert capsys.readouterr().err.splitlines() == [
        f"summarise: warning: {empty}: skipped: empty file",
        "summarise: warning: skipped 1 input: 1 empty",
        f"summarise: error: nothing extracted: no article read from {empty}",
    ]


def test_a_bad_option_is_a_usage_error(capsys):
    assert main(["extract", "--jobs", "many"]) == 2
    assert "summarise extract: error: argument --jobs" in capsys.readouterr().err


def test_verbose_says_per_page_how_many_lines_were_kept_and_dropped_by_kind(tmp_path, capsys):
    seed = SEEDS / "001_40807685c9df2620.txt"
    assert main(["extract", str(seed), "--out", str(tmp_path / "a.jsonl"), "-v"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"summarise: info: {seed}: kept 13 of 18 lines; dropped 3 short, 2 not a sentence"
    ]
