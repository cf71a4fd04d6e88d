"""The archive lists, for each day, only the formats the latest run of that day wrote.

The runs are made here the way `pipeline._run_locked` makes them (render the day's formats, record
them in archive.json, list the folder, write the pages), calling the archive functions directly.
"""

import datetime as dt
import json
import os
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from summarise import archive
from summarise.models import Article, Digest, Sentence, Statement, Topic
from summarise.rendering import digest_data, render
from summarise.write import write_files

ATOM = "{http://www.w3.org/2005/Atom}"
DAY = dt.date(2024, 3, 5)
EARLIER = dt.date(2024, 3, 4)


def digest(day: dt.date | None, text: str, title: str) -> Digest:
    article = Article(
        path="a.txt", date=day, title=title, source="Reuters", paragraphs=(text,), id="1", date_source="header"
    )
    sentence = Sentence(text=text, article_id="1", position=0, paragraph=0, relative_position=0.0)
    statement = Statement(text=text, citations=("1",), variants=(0,), shown=0, sentence=sentence)
    topic = Topic(label=title, keywords=("storm",), article_ids=("1",), statements=(statement,))
    return Digest(date=day, articles=(article,), topics=(topic,))


FIRST = digest(DAY, "The storm closed every port along the coast on Monday.", "Storm closes ports")
SECOND = digest(DAY, "The ports opened again on Tuesday after the storm.", "Ports reopen")


def run(out: Path, made: Digest, formats: tuple[str, ...], *, record_formats: bool = True) -> list[archive.ArchivedDay]:
    """One run, as the pipeline makes it; `record_formats=False` is a run of a version that did not
    record them."""
    stem = f"digest-{made.date.isoformat() if made.date else 'undated'}"
    write_files(out, {f"{stem}.{fmt}": render(made, fmt) for fmt in formats})
    manifest = archive.read_manifest(out)
    if record_formats:
        manifest = archive.updated_manifest(manifest, made.date, digest_data(made), formats=formats)
    else:
        manifest = archive.updated_manifest(manifest, made.date, digest_data(made))
    write_files(out, {archive.MANIFEST: archive.manifest_bytes(manifest)})
    listed = archive.entries(out, manifest)
    write_files(out, archive.archive_pages(out, listed))
    return listed


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])


def index_links(out: Path) -> list[str]:
    parser = Links()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    return parser.hrefs


def feed_links(out: Path) -> list[str]:
    feed = ElementTree.fromstring((out / "digests.atom").read_bytes())
    return [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]


def manifest(out: Path) -> dict:
    return json.loads((out / "archive.json").read_text(encoding="utf-8"))


def test_a_format_the_latest_run_of_the_day_did_not_write_is_no_longer_linked(tmp_path):
    out = tmp_path / "out"
    first = run(out, FIRST, ("html", "json"))
    assert [(e.date, e.files) for e in first] == [
        ("2024-03-05", {"html": "digest-2024-03-05.html", "json": "digest-2024-03-05.json"})
    ]
    assert index_links(out) == ["digests.atom", "digest-2024-03-05.html", "digest-2024-03-05.json"]

    second = run(out, SECOND, ("html",))
    assert [(e.date, e.files, e.labels) for e in second] == [
        ("2024-03-05", {"html": "digest-2024-03-05.html"}, ["Ports reopen"])
    ]
    assert index_links(out) == ["digests.atom", "digest-2024-03-05.html"]
    assert "digest-2024-03-05.json" not in (out / "index.html").read_text(encoding="utf-8")
    assert feed_links(out) == ["digest-2024-03-05.html"]
    assert (out / "latest.html").read_bytes() == (out / "digest-2024-03-05.html").read_bytes() == render(SECOND, "html")
    assert manifest(out)["2024-03-05"]["formats"] == ["html"]
    # The stale JSON is left where it was (it is the user's folder), only no longer linked.
    stale = json.loads((out / "digest-2024-03-05.json").read_text(encoding="utf-8"))
    assert [t["label"] for t in stale["topics"]] == ["Storm closes ports"]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "archive.json",
        "digest-2024-03-05.html",
        "digest-2024-03-05.json",
        "digests.atom",
        "index.html",
        "latest.html",
    ]

    # A third run of the day in both formats links both again.
    third = run(out, FIRST, ("json", "html"))
    assert [e.files for e in third] == [{"html": "digest-2024-03-05.html", "json": "digest-2024-03-05.json"}]
    assert manifest(out)["2024-03-05"]["formats"] == ["html", "json"]
    assert index_links(out) == ["digests.atom", "digest-2024-03-05.html", "digest-2024-03-05.json"]


def test_a_stale_html_is_not_linked_nor_copied_to_latest_after_a_json_only_run(tmp_path):
    out = tmp_path / "out"
    run(out, FIRST, ("html", "json"))
    listed = run(out, SECOND, ("json",))
    assert [(e.date, e.files, e.main_file) for e in listed] == [
        ("2024-03-05", {"json": "digest-2024-03-05.json"}, "digest-2024-03-05.json")
    ]
    assert index_links(out) == ["digests.atom", "digest-2024-03-05.json"]
    assert feed_links(out) == ["digest-2024-03-05.json"]
    latest = (out / "latest.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=digest-2024-03-05.json">' in latest
    assert "digest-2024-03-05.html" not in latest
    assert (out / "digest-2024-03-05.html").read_bytes() == render(FIRST, "html")  # still there, unlinked


def test_other_days_keep_their_own_formats(tmp_path):
    out = tmp_path / "out"
    run(out, digest(EARLIER, "The storm reached the coast on Sunday night.", "Storm nears"), ("html", "md"))
    run(out, FIRST, ("html", "json"))
    listed = run(out, SECOND, ("html",))
    assert [(e.date, e.files) for e in listed] == [
        ("2024-03-05", {"html": "digest-2024-03-05.html"}),
        ("2024-03-04", {"html": "digest-2024-03-04.html", "md": "digest-2024-03-04.md"}),
    ]
    assert index_links(out) == [
        "digests.atom",
        "digest-2024-03-05.html",
        "digest-2024-03-04.html",
        "digest-2024-03-04.md",
    ]
    assert feed_links(out) == ["digest-2024-03-05.html", "digest-2024-03-04.html"]


def test_an_undated_digest_keeps_to_its_latest_formats_too(tmp_path):
    out = tmp_path / "out"
    run(out, digest(None, "The storm closed every port along the coast.", "Storm"), ("html", "txt"))
    listed = run(out, digest(None, "The ports opened again after the storm.", "Ports"), ("txt",))
    assert [(e.date, e.files) for e in listed] == [("undated", {"txt": "digest-undated.txt"})]
    assert manifest(out)["undated"]["formats"] == ["txt"]
    assert index_links(out) == ["digests.atom", "digest-undated.txt"]


def test_an_old_manifest_without_formats_lists_every_format_present(tmp_path):
    out = tmp_path / "out"
    run(out, FIRST, ("html", "json"), record_formats=False)
    assert "formats" not in manifest(out)["2024-03-05"]
    listed = run(out, SECOND, ("html",), record_formats=False)
    assert [(e.date, e.files, e.labels) for e in listed] == [
        ("2024-03-05", {"html": "digest-2024-03-05.html", "json": "digest-2024-03-05.json"}, ["Ports reopen"])
    ]
    assert index_links(out) == ["digests.atom", "digest-2024-03-05.html", "digest-2024-03-05.json"]


def test_an_old_record_is_read_as_before_and_the_next_run_records_its_formats(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "digest-2024-03-04.html").write_bytes(b"<p>old</p>")
    (out / "digest-2024-03-04.txt").write_bytes(b"old")
    (out / "digest-2024-03-05.html").write_bytes(b"<p>old</p>")
    (out / "digest-2024-03-05.json").write_bytes(render(FIRST, "json"))
    old = {"2024-03-04": {"topics": 2, "articles": 7, "sources": 3, "labels": ["A", "B"]}}
    (out / "archive.json").write_text(json.dumps(old), encoding="utf-8")

    listed = archive.entries(out, archive.read_manifest(out))
    assert [(e.date, e.files, e.topics, e.articles, e.sources, e.labels) for e in listed] == [
        # No record for this day: every format present, counts read from its JSON.
        ("2024-03-05", {"html": "digest-2024-03-05.html", "json": "digest-2024-03-05.json"}, 1, 1, 1,
         ["Storm closes ports"]),
        ("2024-03-04", {"html": "digest-2024-03-04.html", "txt": "digest-2024-03-04.txt"}, 2, 7, 3, ["A", "B"]),
    ]  # fmt: skip

    listed = run(out, SECOND, ("html",))
    assert [(e.date, e.files) for e in listed] == [
        ("2024-03-05", {"html": "digest-2024-03-05.html"}),
        ("2024-03-04", {"html": "digest-2024-03-04.html", "txt": "digest-2024-03-04.txt"}),
    ]
    assert manifest(out)["2024-03-04"] == old["2024-03-04"]


@pytest.mark.parametrize("damaged", ["html", None, 3, ["html", 3], {"html": True}])
def test_a_damaged_formats_field_falls_back_to_every_format_present(tmp_path, damaged):
    out = tmp_path / "out"
    run(out, FIRST, ("html", "json"))
    record = archive.updated_manifest({}, DAY, digest_data(SECOND))
    record["2024-03-05"]["formats"] = damaged
    listed = archive.entries(out, record)
    assert [e.files for e in listed] == [{"html": "digest-2024-03-05.html", "json": "digest-2024-03-05.json"}]


def test_a_day_whose_recorded_formats_were_all_deleted_by_hand_is_not_listed(tmp_path):
    out = tmp_path / "out"
    run(out, digest(EARLIER, "The storm reached the coast on Sunday night.", "Storm nears"), ("html", "json"))
    run(out, digest(EARLIER, "The storm reached the coast late on Sunday.", "Storm nears"), ("html",))
    (out / "digest-2024-03-04.html").unlink()  # the JSON left is the stale one of the first run
    listed = run(out, FIRST, ("html",))
    assert [(e.date, e.files) for e in listed] == [("2024-03-05", {"html": "digest-2024-03-05.html"})]
    assert index_links(out) == ["digests.atom", "digest-2024-03-05.html"]
    assert feed_links(out) == ["digest-2024-03-05.html"]


def test_only_regular_files_count_even_in_a_recorded_format(tmp_path):
    out = tmp_path / "out"
    run(out, FIRST, ("html",))
    secret = tmp_path / "secret.json"
    secret.write_text("{}", encoding="utf-8")
    os.symlink(secret, out / "digest-2024-03-05.json")
    record = archive.updated_manifest(archive.read_manifest(out), DAY, digest_data(FIRST), formats=("html", "json"))
    assert [e.files for e in archive.entries(out, record)] == [{"html": "digest-2024-03-05.html"}]
    (out / "digest-2024-03-05.html").unlink()
    os.symlink(secret, out / "digest-2024-03-05.html")
    assert archive.entries(out, record) == []


def test_the_record_keeps_the_formats_in_a_stable_order_and_only_when_given():
    data = digest_data(FIRST)
    assert archive.updated_manifest({}, DAY, data, formats=("json", "txt", "html", "json"))["2024-03-05"][
        "formats"
    ] == ["html", "txt", "json"]
    assert archive.updated_manifest({}, DAY, data, formats=["md"])["2024-03-05"]["formats"] == ["md"]
    with_formats = archive.updated_manifest({}, DAY, data, formats=("html", "json"))
    assert "formats" not in archive.updated_manifest(with_formats, DAY, data)["2024-03-05"]
    assert archive.updated_manifest({}, DAY, data)["2024-03-05"] == archive.record(data)
    assert archive.updated_manifest({}, None, data, formats=("txt",))["undated"]["formats"] == ["txt"]
    with pytest.raises(ValueError, match="unknown digest format 'pdf'"):
        archive.updated_manifest({}, DAY, data, formats=("html", "pdf"))
    with pytest.raises(ValueError, match="unknown digest format"):
        archive.updated_manifest({}, DAY, data, formats="html")  # a string, not a sequence of formats


def test_the_command_links_only_the_formats_its_latest_run_wrote(run_cli, seeds, tmp_path):
    out = tmp_path / "out"
    assert run_cli(str(seeds), "--out", str(out), "--format", "html,json").returncode == 0
    assert run_cli(str(seeds), "--out", str(out), "--format", "html", "--story-words", "40").returncode == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="digest-2024-01-16.html"' in index and "digest-2024-01-16.json" not in index
    assert json.loads((out / "archive.json").read_text(encoding="utf-8"))["2024-01-16"]["formats"] == ["html"]
    assert (out / "digest-2024-01-16.json").is_file()  # left in place, not linked
