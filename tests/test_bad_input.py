"""Bad input, through the installed command: the run goes on, says what it skipped, and nothing leaks.

Every fixture is made by the test itself; nothing large is committed.
"""

import json
import re
import shutil
from pathlib import Path

from conftest import SEEDS

HOSTILE_BODY = [
    'The harbour council voted on Tuesday to replace the old ferries <script>alert("body")</script> with electric boats.',
    "Councillors said the {{ 7*7 }} plan and the {% raw %} budget of ten million pounds would cut fuel costs by half.",
    'Residents who opposed the plan posted javascript:alert("link") and <img src=x onerror=alert("img")> on the forum.',
    "The mayor said the **new ferries** would [carry](javascript:alert(1)) more passengers # every hour to the island.",
    "The first electric ferry \u202ewill sail\u202c in June, the council said in a statement on Tuesday evening.",
]


def read_json(folder: Path, date: str = "2024-01-16") -> dict:
    return json.loads((folder / f"digest-{date}.json").read_text(encoding="utf-8"))


def seed_article(day: str, headline: str, body: list[str], publisher: str = "Harbour Gazette") -> str:
    return f" date {day} Home\n\n{headline}\n\n{publisher}\n\n" + "\n\n".join(body) + "\n"


def test_hostile_text_is_shown_as_text_in_every_format(run_cli, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "hostile.txt").write_text(seed_article("2024-01-16", "Harbour council votes on ferries", HOSTILE_BODY))
    out = tmp_path / "out"
    result = run_cli(str(inputs), "--out", str(out), "--format", "html,md,txt,json", "--max-words", "200")
    assert result.returncode == 0, result.stderr
    digest = read_json(out)
    shown = [s["text"] for t in digest["topics"] for s in t["sentences"]]
    assert len(shown) == 5  # every sentence is picked, so every hostile string reaches every format

    html = (out / "digest-2024-01-16.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "onerror=alert" not in html.replace("onerror=alert(&#34;", "")
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.IGNORECASE)
    assert "&lt;script&gt;alert(&#34;body&#34;)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "{% raw %}" in html and ">49<" not in html
    assert "\u202e" not in html and "\u202c" not in html

    markdown = (out / "digest-2024-01-16.md").read_text(encoding="utf-8")
    assert "\\<script\\>" in markdown and "\\<img src=x onerror=alert(\"img\")\\>" in markdown
    assert "\\[carry\\](javascript:alert(1))" in markdown and "\\*\\*new ferries\\*\\*" in markdown
    assert "\\{\\{ 7\\*7 \\}\\}" in markdown
    assert "\u202e" not in markdown

    for name in ("digest-2024-01-16.html", "index.html", "latest.html", "digests.atom"):
        assert "<script" not in (out / name).read_text(encoding="utf-8")


def test_a_single_article_makes_a_digest(run_cli, tmp_path):
    only = tmp_path / "one"
    only.mkdir()
    shutil.copy(SEEDS / "001_40807685c9df2620.txt", only)
    result = run_cli(str(only), "--out", str(tmp_path / "out"), "--format", "json")
    assert (result.returncode, result.stderr) == (0, "")
    digest = read_json(tmp_path / "out")
    assert [t["label"] for t in digest["topics"]] == ["Putin hosts North Korean FM in Kremlin visit"]
    assert {c for t in digest["topics"] for s in t["sentences"] for c in s["citations"]} == {"1"}


def test_two_articles_with_nothing_in_common_are_two_topics(run_cli, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "001_40807685c9df2620.txt", inputs)
    (inputs / "ferries.txt").write_text(
        seed_article("2024-01-16", "Harbour council votes on electric ferries", [s for s in HOSTILE_BODY if "<" not in s])
    )
    result = run_cli(str(inputs), "--out", str(tmp_path / "out"), "--format", "json")
    assert (result.returncode, result.stderr) == (0, "")
    digest = read_json(tmp_path / "out")
    assert sorted(t["label"] for t in digest["topics"]) == [
        "Harbour council votes on electric ferries",
        "Putin hosts North Korean FM in Kremlin visit",
    ]
    assert sorted(t["articles"] for t in digest["topics"]) == [["1"], ["2"]]


def test_the_same_file_named_twice_and_through_a_link_is_read_once(run_cli, seeds, tmp_path):
    (tmp_path / "link.txt").symlink_to(seeds / "001_40807685c9df2620.txt")
    result = run_cli(
        str(seeds), str(seeds / "001_40807685c9df2620.txt"), str(tmp_path / "link.txt"),
        "--out", str(tmp_path / "out"), "--format", "json",
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert len(read_json(tmp_path / "out")["articles"]) == 5


def test_thousands_of_articles_of_one_story_make_one_short_topic(run_cli, tmp_path):
    inputs = tmp_path / "many"
    inputs.mkdir()
    facts = [
        "The harbour council voted on Tuesday to replace the old diesel ferries with electric boats.",
        "The plan has a budget of ten million pounds and should cut fuel costs by half.",
        "The first electric ferry will sail in June between the harbour and the island.",
        "Residents who opposed the plan said the new boats would carry fewer cars.",
    ]
    for n in range(2000):
        outlet = f"Outlet {n % 40}"
        extra = f"Reporter number {n} wrote that the {['mayor', 'council', 'port'][n % 3]} would publish details soon."
        (inputs / f"a{n:04d}.txt").write_text(seed_article("2024-01-16", "Harbour switches to electric ferries", [*facts, extra], outlet))
    result = run_cli(str(inputs), "--out", str(tmp_path / "out"), "--format", "json")
    assert (result.returncode, result.stderr) == (0, "")
    digest = read_json(tmp_path / "out")
    assert len(digest["articles"]) == 2000
    assert [t["label"] for t in digest["topics"]] == ["Harbour switches to electric ferries"]
    sentences = digest["topics"][0]["sentences"]
    assert [s["text"] for s in sentences][:4] == facts
    assert all(len(s["citations"]) == 2000 for s in sentences[:4])
