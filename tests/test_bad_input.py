"""Bad input, through the installed command: the run goes on, says what it skipped, and nothing leaks.

Every fixture is made by the test itself; nothing large is committed.
"""

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import pytest
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


# Korean: a language the summariser does not tell (no Snowball stemmer).
KOREAN = (
    "시의회는 화요일 오래된 여객선을 전기 선박으로 교체하는 안건을 통과시켰다. "
    "시장은 새 선박이 연말 전에 운항을 시작할 것이며 비용은 천만 달러가 될 것이라고 말했다."
)


def language_warning(*paths: Path) -> str:
    """The one line that names the articles left out for their language (here all Korean)."""
    n = len(paths)
    return (
        f"summarise: warning: left out {n} article{'s' if n > 1 else ''} in languages the summariser does not tell: "
        f"Korean {n} ({', '.join(map(str, paths))})"
    )


def bad_files(folder: Path) -> dict[str, str]:
    """One file of each bad kind, made here; returns name -> the message stderr must give for it."""
    furniture = " date 2024-01-16 Home\nShare on Facebook\nAdvertisement\nSubscribe to our newsletter\n"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    files = {
        "empty.txt": (b"", "skipped: empty file"),
        "blank.txt": (b"  \n\t\n   \n", "skipped: only white space"),
        "menu.txt": (furniture.encode(), "skipped: no article text left after removing page furniture"),
        "photo.txt": (png, "skipped: not text: looks like a PNG image"),
        "report.txt": (pdf, "skipped: not text: looks like a PDF document"),
    }
    (folder / "korean.txt").write_text(f" date 2024-01-16 \n\n{KOREAN}\n\n{KOREAN.replace('화요일', '월요일')}\n")
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    import gzip

    (folder / "archive.txt").write_bytes(gzip.compress(b"hello " * 100, mtime=0))
    return {
        **{name: message for name, (_, message) in files.items()},
        "archive.txt": "skipped: not text: looks like a gzip archive",
    }


def test_each_bad_file_is_named_once_with_its_reason_and_the_seeds_digest_is_written(run_cli, seeds, tmp_path):
    expected = bad_files(seeds)
    out = tmp_path / "out"
    result = run_cli(str(seeds), "--out", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert sorted(lines[:-2]) == sorted(f"summarise: warning: {seeds / name}: {message}" for name, message in expected.items())
    assert lines[-2:] == [
        language_warning(seeds / "korean.txt"),
        "summarise: warning: skipped 6 inputs: 3 binary, 2 empty, 1 no article text",
    ]
    digest = read_json(out)
    assert sorted(Path(a["path"]).name for a in digest["articles"]) == sorted(p.name for p in SEEDS.iterdir())
    assert len(digest["topics"]) == 2


def test_nothing_usable_left_exits_1_saying_so(run_cli, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    bad_files(folder)
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-3:] == [
        language_warning(folder / "korean.txt"),
        "summarise: warning: skipped 6 inputs: 3 binary, 2 empty, 1 no article text",
        f"summarise: error: nothing to summarise: no readable articles in {folder}",
    ]
    assert not list((tmp_path / "out").glob("digest-*"))


SEED = SEEDS / "001_40807685c9df2620.txt"


@pytest.mark.parametrize(
    ("encoding", "prefix", "note"),
    [
        ("utf-8", b"\xef\xbb\xbf", None),
        ("utf-16-le", b"\xff\xfe", "read as UTF-16 (byte order mark)"),
        ("cp1252", b"", "not UTF-8; read as Windows-1252 (Latin-1)"),
        ("latin-1", b"", "not UTF-8; read as Windows-1252 (Latin-1)"),
    ],
)
def test_other_encodings_are_read_correctly(run_cli, tmp_path, encoding, prefix, note):
    text = SEED.read_text(encoding="utf-8").translate(str.maketrans("‘’“”—–", "''\"\"--"))
    text = text.replace("Kremlin", "Kremlin café")  # one accented letter, to tell the encodings apart
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(prefix + text.encode(encoding))
    result = run_cli(str(folder), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (f"summarise: warning: {folder / 'a.txt'}: {note}\n" if note else "")
    digest = read_json(tmp_path / "out")
    assert digest["articles"][0]["title"] == "Putin hosts North Korean FM in Kremlin café visit"


def test_invalid_utf8_bytes_are_replaced_with_a_warning(run_cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    data = SEED.read_bytes().replace(b"Tuesday in Moscow", b"Tuesday in Mos\xffcow")
    (folder / "a.txt").write_bytes(data)
    result = run_cli(str(folder), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.returncode == 0
    position = data.index(b"\xff")
    assert result.stderr == (
        f"summarise: warning: {folder / 'a.txt'}: not valid UTF-8 (first bad byte at {position}); "
        "1 undecodable byte replaced\n"
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (" date 2024-13-45 ", "date header '2024-13-45' is not a real date; article has no date"),
        (" date yesterday ", "date header 'yesterday' is not YYYY-MM-DD; article has no date"),
        (" date 3000-01-01 ", "date header 3000-01-01 is in the future; article has no date"),
    ],
)
def test_bad_date_headers_leave_the_article_undated_and_say_so(run_cli, tmp_path, header, message):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(header + SEED.read_text(encoding="utf-8")[len(" date 2024-01-16 ") :])
    result = run_cli(str(folder), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"summarise: warning: {folder / 'a.txt'}: {message}\n"
    digest = read_json(tmp_path / "out", "undated")
    assert (digest["date"], digest["articles"][0]["date"], digest["articles"][0]["date_source"]) == (None, None, None)


def test_text_without_a_header_is_dated_by_its_file_and_says_so(run_cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "plain.txt"
    path.write_text(SEED.read_text(encoding="utf-8")[len(" date 2024-01-16 ") :])
    stamp = 1_705_400_000  # 2024-01-16 in every time zone
    os.utime(path, (stamp, stamp))
    result = run_cli(str(folder), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"summarise: warning: {path}: no date header; dated 2024-01-16 by the file's modification time\n"
    article = read_json(tmp_path / "out")["articles"][0]
    assert (article["date"], article["date_source"]) == ("2024-01-16", "file")


def test_warnings_of_one_kind_are_folded_into_one_line_and_v_lists_each(run_cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    body = SEED.read_text(encoding="utf-8")[len(" date 2024-01-16 ") :]
    for n, day in enumerate((16, 16, 17, 17, 17, 16)):
        path = folder / f"plain-{n}.txt"
        path.write_text(body.replace("Tuesday", f"Tuesday {n}"), encoding="utf-8")
        stamp = 1_705_400_000 + (day - 16) * 86_400
        os.utime(path, (stamp, stamp))
    (folder / "empty.txt").write_text("")
    result = run_cli(str(folder), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.returncode == 0, result.stderr
    first = folder / "plain-0.txt"
    others = ", ".join(str(folder / f"plain-{n}.txt") for n in (1, 2, 3))
    assert result.stderr.splitlines() == [
        f"summarise: warning: {folder / 'empty.txt'}: skipped: empty file",
        f"summarise: warning: {first}: no date header; dated 2024-01-16 by the file's modification time "
        f"(the same for 5 more: {others} and 2 more; -v lists each)",
        "summarise: warning: skipped 1 input: 1 empty",
    ]
    loud = run_cli(str(folder), "--out", str(tmp_path / "out2"), "--format", "json", "-v")
    assert sum("no date header" in line for line in loud.stderr.splitlines()) == 6


def test_huge_inputs_are_capped_and_the_run_finishes(run_cli, seeds, tmp_path):
    huge = seeds / "huge.txt"
    paragraph = ("The harbour council met again on Tuesday to discuss the ferry timetable for the coming year. " * 20 + "\n\n").encode()
    with open(huge, "wb") as handle:
        handle.write(b" date 2024-01-16 Home\n\n")
        for _ in range(200_000_000 // len(paragraph)):  # 200 MB
            handle.write(paragraph)
    line = b"the harbour council met on tuesday and talked about the ferries "  # 5 MB with no sentence end:
    (seeds / "line.txt").write_bytes(b" date 2024-01-16 " + line * (5_000_000 // len(line)))
    result = run_cli(str(seeds), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"summarise: warning: {huge}: larger than 1,000,000 bytes; only the first ")
    assert lines[1:] == [  # not prose: no sentence in it ends
        f"summarise: warning: {seeds / 'line.txt'}: skipped: no article text left after removing page furniture",
        "summarise: warning: skipped 1 input: 1 no article text",
    ]
    digest = read_json(tmp_path / "out")
    assert len(digest["articles"]) == 6
    assert all(len(s["text"]) < 1000 for t in digest["topics"] for s in t["sentences"])


def test_the_same_article_under_two_names_is_read_once(run_cli, seeds, tmp_path):
    shutil.copy(SEED, seeds / "zz-copy-of-putin.txt")
    result = run_cli(str(seeds), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"summarise: warning: {seeds / 'zz-copy-of-putin.txt'}: skipped: the same article as {seeds / SEED.name}",
        "summarise: warning: skipped 1 input: 1 duplicate",
    ]
    assert len(read_json(tmp_path / "out")["articles"]) == 5


def test_unreadable_files_dangling_links_and_folders_named_like_files(run_cli, seeds, tmp_path):
    (seeds / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (seeds / "folder.txt").mkdir()
    shutil.copy(SEED, seeds / "folder.txt" / "inner.txt")  # a folder named like a file is still a folder
    (tmp_path / "dangling").symlink_to(tmp_path / "nothing-here")
    secret = seeds / "secret.txt"
    secret.write_text(SEED.read_text(encoding="utf-8"))
    secret.chmod(0o000)
    out = tmp_path / "out"
    result = run_cli(str(seeds), str(tmp_path / "dangling"), "--out", str(out), "--format", "json", unprivileged=True)
    lines = sorted(result.stderr.splitlines())
    assert result.returncode == 0, result.stderr
    assert lines == sorted([
        f"summarise: warning: {seeds / 'gone.txt'}: skipped: cannot read: No such file or directory",
        f"summarise: warning: {seeds / 'folder.txt' / 'inner.txt'}: skipped: the same article as {seeds / SEED.name}",
        f"summarise: warning: {seeds / 'secret.txt'}: skipped: cannot read: Permission denied",
        f"summarise: warning: {tmp_path / 'dangling'}: skipped: a symbolic link to {tmp_path / 'nothing-here'}, which does not exist",
        "summarise: warning: skipped 4 inputs: 2 unreadable, 1 duplicate, 1 missing",
    ])
    assert len(read_json(out)["articles"]) == 5


def test_hostile_headline_publisher_and_url_from_json_lines(run_cli, tmp_path):
    record = {
        "title": 'Ferries <script>alert("t")</script> {{ 7*7 }}',
        "source": '<img src=x onerror=alert("s")> Gazette',
        "url": "javascript:alert('u')",
        "text": "\n\n".join(s for s in HOSTILE_BODY),
        "date": "2024-01-16",
    }
    other = {**record, "url": "https://example.org/a\"onmouseover=\"alert(1)", "title": "Second [x](javascript:alert(2))"}
    data = tmp_path / "hostile.jsonl"
    data.write_text(json.dumps(record) + "\n" + json.dumps({**other, "text": other["text"].replace("Tuesday", "Monday")}) + "\n")
    out = tmp_path / "out"
    result = run_cli(str(data), "--out", str(out), "--format", "html,md,json")
    assert result.returncode == 0, result.stderr
    html = (out / "digest-2024-01-16.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.IGNORECASE)
    assert "onmouseover" not in html.split("<body", 1)[1].replace("onmouseover=&#34;", "")
    assert "Ferries &lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; {{ 7*7 }}" in html
    assert "&lt;img src=x onerror=alert(&#34;s&#34;)&gt; Gazette" in html
    markdown = (out / "digest-2024-01-16.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)\]\(javascript:", markdown) and not re.search(r"(?<!\\)<(script|img)", markdown)
    digest = read_json(out)
    assert [a["url"] for a in digest["articles"]] == [None, None]  # neither is a plain http(s) address


def test_thousands_of_tiny_files_are_all_counted_and_the_digest_keeps_its_budget(run_cli, tmp_path):
    # The same with 100,000 files, and its peak memory, is measured in benchmarks/many_files.py.
    folder = tmp_path / "tiny"
    folder.mkdir()
    places = "harbour ferry council island bridge storm port boat tide quay".split()
    for n in range(3_000):
        place, other = places[n % 10], places[(n // 10) % 10]
        (folder / f"{n:06d}.txt").write_text(
            f" date 2024-01-16 Home\n\nNote {n}\n\nThe {place} report number {n} said the {other} was busy on Tuesday.\n"
        )
    out = tmp_path / "out"
    result = run_cli(str(folder), "--out", str(out), "--format", "json", "-q", "--max-words", "300")
    assert (result.returncode, result.stderr) == (0, "")
    digest = read_json(out)
    assert digest["counts"]["articles"] == 3_000
    assert 0 < digest["counts"]["words"] <= 300


def test_one_run_over_every_kind_of_bad_input_beside_the_seeds(run_cli, seeds, tmp_path):
    bad_files(seeds)  # empty, blank, furniture only, PNG, PDF, gzip, Korean
    body = SEED.read_text(encoding="utf-8")[len(" date 2024-01-16 ") :].replace("Kremlin", "Kremlin palace")
    (seeds / "latin1.txt").write_bytes(f" date 2024-01-16 {body}".translate(str.maketrans("‘’“”—–", "''\"\"--")).replace("palace", "café").encode("latin-1"))
    (seeds / "baddate.txt").write_text(" date 2024-13-45 " + body.replace("Kremlin palace", "Kremlin hall"))
    (seeds / "future.txt").write_text(" date 3000-01-01 " + body.replace("Kremlin palace", "Kremlin court"))
    (seeds / "copy.txt").write_bytes((seeds / SEED.name).read_bytes())
    (seeds / "big.txt").write_bytes(b" date 2024-01-16 Home\n\n" + b"The harbour wall was long and grey that day.\n\n" * 40_000)
    (seeds / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (seeds / "hostile.txt").write_text(seed_article("2024-01-16", "Harbour council votes on ferries", HOSTILE_BODY))
    out = tmp_path / "out"
    result = run_cli(str(seeds), "--out", str(out), "--format", "html,json")
    assert result.returncode == 0, result.stderr
    *about_inputs, left_out, tally = result.stderr.splitlines()
    named = {Path(line.split(": ")[2]).name for line in about_inputs}
    assert named == {
        "empty.txt", "blank.txt", "menu.txt", "photo.txt", "report.txt", "archive.txt",
        "latin1.txt", "baddate.txt", "future.txt", "copy.txt", "big.txt", "gone.txt",
    }
    assert left_out == language_warning(seeds / "korean.txt")
    assert tally == "summarise: warning: skipped 8 inputs: 3 binary, 2 empty, 1 duplicate, 1 no article text, 1 unreadable"
    digest = read_json(out)
    seeds_ids = {a["id"] for a in digest["articles"] if Path(a["path"]).name in {p.name for p in SEEDS.iterdir()}}
    assert len(seeds_ids) == 5
    labels = [t["label"] for t in digest["topics"]]
    assert "Russia's foreign minister thanks North Korea for supporting its war in Ukraine" in labels
    assert "<script" not in (out / "digest-2024-01-16.html").read_text(encoding="utf-8")


def test_undated_articles_left_out_of_a_dated_digest_are_counted_in_one_line(run_cli, seeds, tmp_path):
    story = "The harbour council voted on Tuesday to replace its old diesel ferries with new electric boats."
    lines = [json.dumps({"title": f"Ferries {n}", "text": f"{story} Vote number {n} was held."}) for n in range(3)]
    (seeds / "undated.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(str(seeds), "--out", str(out), "--format", "json", "--date", "2024-01-16")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["summarise: warning: left out 3 undated articles: no date to place them in 2024-01-16"]
    assert len(read_json(out)["articles"]) == 3  # the seeds of that day


def test_names_and_links_that_cannot_be_encoded_reach_every_format_made_safe(tmp_path):
    from summarise.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted(SEEDS.iterdir())
    odd = os.fsencode(folder) + b"/caf\xe9-story.txt"  # not UTF-8: Python holds it with a surrogate
    with open(odd, "wb") as handle:
        handle.write(seeds[1].read_bytes())
    (folder / "new\nline `x` <img src=x onerror=alert(1)>.txt").write_bytes(seeds[3].read_bytes())
    record = {
        "title": "Ports agree \ud800 shore power plug\nfor ships",
        "source": "Tide\u0000 Times",
        "url": "https://tide.example/ports\ud800",
        "date": "2024-01-16",
        "text": "Northern European ports agreed on Tuesday to fit one common shore power plug for ships at every "
        "quay by 2027, the port authorities said. Ships will then switch off their engines while docked.",
    }
    (folder / "day.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")  # JSON escapes the surrogate
    out = tmp_path / "out"
    assert main([str(folder), "--out", str(out), "--format", "html,md,txt,json", "-q"]) == 0
    texts = {fmt: (out / f"digest-2024-01-16.{fmt}").read_bytes().decode("utf-8") for fmt in ("html", "md", "txt", "json")}
    data = json.loads(texts["json"])
    by_path = {a["path"]: a for a in data["articles"]}
    assert f"{folder}/caf\\xe9-story.txt" in by_path
    assert f"{folder}/new\\nline `x` <img src=x onerror=alert(1)>.txt" in by_path
    jsonl = by_path[f"{folder / 'day.jsonl'}:1"]
    assert (jsonl["title"], jsonl["source"], jsonl["url"]) == (
        "Ports agree shore power plug for ships",
        "Tide Times",
        "https://tide.example/ports\ufffd",
    )
    # Markdown: each source is one line, its path in a code span that nothing broke out of.
    sources = texts["md"].split("## Sources\n\n")[1].strip().splitlines()
    assert len(sources) == len([a for a in data["articles"] if any(
        a["id"] in s["citations"] for t in data["topics"] for s in t["sentences"])])
    assert all(line.count("`") == 2 for line in sources)
    # The markup in a file name stays text: escaped in HTML, inside its code span in Markdown.
    assert "<img" not in texts["html"] and "&lt;img src=x onerror=alert(1)&gt;" in texts["html"]
    assert all(line.index("`") < line.index("<img") < line.rindex("`") for line in sources if "<img" in line)


def test_a_character_no_xml_may_hold_in_one_entrys_link_costs_that_link_not_the_feed(tmp_path):
    from summarise.readers import read_articles

    entry = (
        "<item><title>{title}</title><link>{link}</link><pubDate>Tue, 16 Jan 2024 10:00:00 GMT</pubDate>"
        "<description>{text}</description></item>"
    )
    items = [
        entry.format(title="Ports agree shore power plug", link="https://tide.example/ports&#xD800;&#0000000000000000000000;",
                     text="Northern European ports agreed on Tuesday to fit one common shore power plug for ships "
                     "at every quay by 2027, the port authorities said."),
        entry.format(title="Ferries approved", link="https://tide.example/ferries",
                     text="The harbour council approved two electric ferries on Tuesday, saying the new boats "
                     "would halve the fuel bill of the island crossing within five years."),
    ]
    feed = tmp_path / "tide.rss"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tide Times</title>'
        f"{''.join(items)}</channel></rss>",
        encoding="utf-8",
    )
    result = read_articles([str(feed)], today=dt.date(2024, 1, 16))
    assert result.skipped == []
    assert [(a.title, a.url, a.source) for a in result.articles] == [
        ("Ports agree shore power plug", "https://tide.example/ports\ufffd\ufffd", "Tide Times"),
        ("Ferries approved", "https://tide.example/ferries", "Tide Times"),
    ]


def test_a_feed_entry_whose_link_cannot_be_taken_apart_costs_nothing_else(run_cli, seeds, tmp_path):
    (seeds / "odd.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Tide Times</title><item><title>Ferries approved</title>'
        "<link>http://[broken/a</link><pubDate>Tue, 16 Jan 2024 10:00:00 GMT</pubDate><description>The harbour "
        "council approved two electric ferries on Tuesday, saying the new boats would halve the fuel bill of the "
        "island crossing within five years.</description></item></channel></rss>",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_cli(str(seeds), "--out", str(out), "--format", "json")
    assert (result.returncode, result.stderr) == (0, "")
    digest = read_json(out)
    assert len(digest["articles"]) == 6  # the five seeds and the entry, told from its own text
    assert [(a["path"], a["url"]) for a in digest["articles"] if a["title"] == "Ferries approved"] == [
        ("http://[broken/a", None)
    ]
