"""The command run the way cron runs it: a bare environment, from /, no terminal, absolute paths.

Covers date windows, the archive (index, latest, Atom feed), the lock, a run
killed mid-write, byte-identical reruns, config files and log levels.
"""

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import SEEDS, call_main, summarise_command

from summarise.exits import EXIT_LOCKED, EXIT_TERMINATED

ATOM = "{http://www.w3.org/2005/Atom}"
STALL = "SUMMARISE_TEST_STALL_WRITE"


def cron_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """What `env -i PATH=/usr/bin:/bin HOME=...` leaves: no locale, no NLTK_DATA, no virtualenv."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), **extra}


def cron(tmp_path: Path, *args: str, real: bool = False, **extra: str) -> subprocess.CompletedProcess:
    """`summarise ARGS` as cron runs it: from /, with a bare environment (plus `extra`).

    In this process unless `real` or a locale is asked for (it binds at a process's start), which
    spares each call a Python start and every import; the tests that need the real command in a
    child process say so.
    """
    if not real and "LANG" not in extra and "LC_ALL" not in extra:
        return call_main(list(args), cron_env(tmp_path, **extra), "/")
    return subprocess.run(
        [*summarise_command(), *args],
        cwd="/",
        env=cron_env(tmp_path, **extra),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def start(tmp_path: Path, *args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*summarise_command(), *args],
        cwd="/",
        env=cron_env(tmp_path, **extra),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != ".summarise.lock"}


def dated_copy(folder: Path, name: str, source: Path, day: dt.date) -> None:
    """A seed article re-dated to `day` (the header's date swapped, the rest of the page kept)."""
    text = source.read_text(encoding="utf-8")
    assert text.startswith(" date ")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f" date {day.isoformat()}{text[len(' date 2024-01-16'):]}", encoding="utf-8")


MOSCOW = sorted(p for p in SEEDS.iterdir() if p.name.startswith(("000_", "001_", "003_")))
PYONGYANG = sorted(p for p in SEEDS.iterdir() if p.name.startswith(("002_", "004_")))


def test_a_cron_run_is_silent_and_writes_the_digest_and_archive(tmp_path, seeds):
    out = tmp_path / "out"
    result = cron(tmp_path, str(seeds), "--out", str(out), real=True)  # the installed command, as cron starts it
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert sorted(snapshot(out)) == [
        "archive.json",
        "digest-2024-01-16.html",
        "digests.atom",
        "index.html",
        "latest.html",
    ]
    assert snapshot(out)["latest.html"] == snapshot(out)["digest-2024-01-16.html"]


def test_today_and_yesterday_name_the_digest_by_its_day(tmp_path):
    today = dt.date.today()
    yesterday = today - dt.timedelta(days=1)
    inputs = tmp_path / "in"
    for path in MOSCOW:
        dated_copy(inputs, path.name, path, today)
    for path in PYONGYANG:
        dated_copy(inputs, path.name, path, yesterday)
    out = tmp_path / "out"
    assert cron(tmp_path, str(inputs), "--out", str(out), "--date", "today", "--format", "json").returncode == 0
    assert cron(tmp_path, str(inputs), "--out", str(out), "--date", "yesterday", "--format", "json").returncode == 0
    import json

    todays = json.loads((out / f"digest-{today}.json").read_text(encoding="utf-8"))
    yesterdays = json.loads((out / f"digest-{yesterday}.json").read_text(encoding="utf-8"))
    assert [a["path"].rsplit("/", 1)[1] for a in todays["articles"]] == [p.name for p in MOSCOW]
    assert [a["path"].rsplit("/", 1)[1] for a in yesterdays["articles"]] == [p.name for p in PYONGYANG]
    assert (todays["date"], yesterdays["date"]) == (today.isoformat(), yesterday.isoformat())

    both = cron(tmp_path, str(inputs), "--out", str(tmp_path / "two"), "--date", "today", "--days", "2", "--format", "json")
    assert both.returncode == 0, both.stderr
    window = json.loads((tmp_path / "two" / f"digest-{today}.json").read_text(encoding="utf-8"))
    assert [a["date"] for a in window["articles"]] == [yesterday.isoformat()] * 2 + [today.isoformat()] * 3

    before = cron(tmp_path, str(inputs), "--out", str(out), "--date", (today - dt.timedelta(days=5)).isoformat())
    assert before.returncode == 1
    assert f"no readable articles dated {today - dt.timedelta(days=5)}" in before.stderr


def test_a_window_of_days_without_a_date_ends_at_the_newest_article(tmp_path, seeds):
    out = tmp_path / "out"
    assert cron(tmp_path, str(seeds), "--out", str(out), "--days", "1", "--format", "json").returncode == 0
    import json

    one_day = json.loads((out / "digest-2024-01-16.json").read_text(encoding="utf-8"))
    assert len(one_day["articles"]) == 5  # --days 1 alone is the default: every article
    assert cron(tmp_path, str(seeds), "--out", str(out), "--days", "2", "--format", "json").returncode == 0
    two_days = json.loads((out / "digest-2024-01-16.json").read_text(encoding="utf-8"))
    assert [a["date"] for a in two_days["articles"]] == ["2024-01-16"] * 3


def test_the_archive_lists_every_digest_newest_first(tmp_path):
    inputs = tmp_path / "in"
    days = [dt.date(2024, 1, 15), dt.date(2024, 1, 16)]
    for path in MOSCOW:
        dated_copy(inputs, path.name, path, days[1])
    for path in PYONGYANG:
        dated_copy(inputs, path.name, path, days[0])
    out = tmp_path / "out"
    for day in days:
        result = cron(tmp_path, str(inputs), "--out", str(out), "--date", day.isoformat(), "--format", "html,json")
        assert result.returncode == 0, result.stderr
    files = snapshot(out)
    index = files["index.html"].decode("utf-8")
    assert index.index('href="digest-2024-01-16.html"') < index.index('href="digest-2024-01-15.html"')
    assert "1 topic from 3 articles and 2 sources" in index
    assert "1 topic from 2 articles and 2 sources" in index
    assert files["latest.html"] == files["digest-2024-01-16.html"]

    feed = ElementTree.fromstring(files["digests.atom"])
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}updated") == "2024-01-16T00:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == ["digest-2024-01-16.html", "digest-2024-01-15.html"]
    assert [e.findtext(f"{ATOM}updated") for e in entries] == ["2024-01-16T00:00:00Z", "2024-01-15T00:00:00Z"]
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 2
    assert entries[0].findtext(f"{ATOM}summary").startswith("1 topic from 3 articles: ")

    # With a base URL the feed's links are absolute; a digest deleted by hand leaves the archive.
    (out / "digest-2024-01-15.html").unlink()
    (out / "digest-2024-01-15.json").unlink()
    result = cron(
        tmp_path, str(inputs), "--out", str(out), "--date", "2024-01-16", "--base-url", "https://news.example.org/d"
    )
    assert result.returncode == 0, result.stderr
    feed = ElementTree.fromstring((out / "digests.atom").read_bytes())
    assert [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")] == [
        "https://news.example.org/d/digest-2024-01-16.html"
    ]
    assert "digest-2024-01-15" not in (out / "index.html").read_text(encoding="utf-8")


def test_a_second_run_exits_75_while_the_first_holds_the_lock_and_waits_with_wait(tmp_path, seeds):
    out = tmp_path / "out"
    first = start(tmp_path, str(seeds), "--out", str(out), **{STALL: "1"})  # each of its five files
    try:
        wait_for(lambda: any(p.name.endswith(".tmp") for p in out.glob(".*")))  # the first is writing
        second = cron(tmp_path, str(seeds), "--out", str(out))
        assert second.returncode == EXIT_LOCKED == 75
        assert second.stderr == (
            f"summarise: error: {out}: another summarise run holds the lock; nothing written (exit 75)\n"
        )
        waiting = cron(tmp_path, str(seeds), "--out", str(out), "--format", "json", "--wait", "60")
        assert waiting.returncode == 0, waiting.stderr
        assert first.wait(timeout=60) == 0
    finally:
        first.kill()
        first.communicate()
    assert sorted(p.name for p in out.glob("digest-*")) == ["digest-2024-01-16.html", "digest-2024-01-16.json"]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_run_killed_mid_write_leaves_the_previous_files_and_the_next_run_cleans_up(tmp_path, seeds):
    out = tmp_path / "out"
    assert cron(tmp_path, str(seeds), "--out", str(out), "--format", "html,json").returncode == 0
    before = snapshot(out)
    victim = start(tmp_path, str(seeds), "--out", str(out), "--format", "html,json", "--max-words", "60", **{STALL: "30"})
    try:
        wait_for(lambda: any(p.name.endswith(".tmp") and p.stat().st_size > 0 for p in out.glob(".*")))
        victim.send_signal(signal.SIGKILL)
        assert victim.wait(timeout=30) == -signal.SIGKILL
    finally:
        victim.kill()
        victim.communicate()
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert leftovers and all(name.startswith(".digest-2024-01-16.html.") for name in leftovers)
    assert snapshot(out) == {**before, **{name: (out / name).read_bytes() for name in leftovers}}  # nothing else moved

    again = cron(tmp_path, str(seeds), "--out", str(out), "--format", "html,json")
    assert (again.returncode, again.stderr) == (0, "")
    assert snapshot(out) == before  # the temporaries are gone, and the same input gave the same bytes


def test_a_disk_full_while_writing_leaves_the_days_formats_all_old(tmp_path, seeds, monkeypatch, capsys):
    import errno

    from summarise import write
    from summarise.cli import main

    out = tmp_path / "out"
    assert main([str(seeds), "--out", str(out), "--format", "html,md,txt,json", "-q"]) == 0
    before = snapshot(out)
    written = []
    real = write._write_temporary

    def fills_the_disk_on_the_third_file(path, data):
        if len(written) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(path.name)
        return real(path, data)

    monkeypatch.setattr(write, "_write_temporary", fills_the_disk_on_the_third_file)
    capsys.readouterr()
    # A shorter digest of the same day: every format would change.
    assert main([str(seeds), "--out", str(out), "--format", "html,md,txt,json", "--story-words", "30"]) == 1
    assert written == ["digest-2024-01-16.html", "digest-2024-01-16.md"]
    assert capsys.readouterr().err == f"summarise: error: {out}: cannot write the digest: No space left on device\n"
    assert snapshot(out) == before  # the two written in full were never put in place, and no temporary is left
    monkeypatch.undo()
    assert main([str(seeds), "--out", str(out), "--format", "html,md,txt,json", "--story-words", "30", "-q"]) == 0
    after = snapshot(out)
    assert all(after[name] != before[name] for name in before if name.startswith("digest-2024-01-16."))


def test_reruns_give_byte_identical_files(tmp_path, seeds):
    first, second = tmp_path / "first", tmp_path / "second"
    args = ["--format", "html,md,txt,json"]
    assert cron(tmp_path, str(seeds), "--out", str(first), *args).returncode == 0
    assert cron(tmp_path, str(seeds), "--out", str(second), *args, LANG="C.UTF-8", TZ="Pacific/Kiritimati").returncode == 0
    once = snapshot(first)
    assert once == snapshot(second)
    assert cron(tmp_path, str(seeds), "--out", str(first), *args).returncode == 0
    assert snapshot(first) == once


def test_a_config_file_with_overriding_flags(tmp_path, seeds):
    config_dir = tmp_path / "etc"
    config_dir.mkdir()
    shutil.copytree(seeds, config_dir / "articles")
    config = config_dir / "summarise.toml"
    config.write_text(
        'inputs = ["articles"]\nout = "digests"\nformats = ["json", "md"]\nmax_words = 80\ndate = "2023-10-19"\n',
        encoding="utf-8",
    )
    result = cron(tmp_path, "--config", str(config))
    assert result.returncode == 0, result.stderr
    digests = config_dir / "digests"  # relative to the config file, not to the working directory (/)
    assert sorted(p.name for p in digests.glob("digest-*")) == ["digest-2023-10-19.json", "digest-2023-10-19.md"]

    result = cron(tmp_path, "--config", str(config), "--format", "txt", "--date", "2024-01-16", "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "o").glob("digest-*")) == ["digest-2024-01-16.txt"]
    text = (tmp_path / "o" / "digest-2024-01-16.txt").read_text(encoding="utf-8")
    assert text.startswith("NEWS DIGEST 2024-01-16\n3 articles from 2 sources, in 1 topic.")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("formats = ['pdf']\n", "formats: unknown format pdf; choose from html, md, txt, json"),
        ("colour = 'blue'\n", "unknown option 'colour'"),
        ("max_words = -3\n", "max_words: -3 is not a positive whole number"),
        ("date = 'someday'\n", "date: 'someday' is not a date: use today, yesterday or YYYY-MM-DD"),
        ("out = [\n", "not valid TOML"),
        ("timeout = 0\n", "timeout: 0 is not a positive number of seconds"),
        ("fetch_deadline = 0\n", "fetch_deadline: 0 is not a positive number of seconds"),
        ("base_url = 'javascript:alert(1)'\n", "base_url: 'javascript:alert(1)' is not an http(s) URL"),
        ("languages = ['en', 'xx']\n", "languages: unknown language xx; choose from ar, ca, cs, da, de, el, en, es"),
    ],
)
def test_a_bad_config_file_exits_2_naming_it(tmp_path, content, message):
    config = tmp_path / "bad.toml"
    config.write_text(content, encoding="utf-8")
    result = cron(tmp_path, "--config", str(config), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"summarise: error: {config}: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_missing_config_file_exits_2(tmp_path):
    result = cron(tmp_path, "--config", str(tmp_path / "nope.toml"))
    assert result.returncode == 2
    assert result.stderr == f"summarise: error: {tmp_path / 'nope.toml'}: cannot read the config file: No such file or directory\n"


def test_quiet_shows_errors_only_and_verbose_shows_progress(tmp_path, seeds):
    missing = str(tmp_path / "missing.txt")
    quiet = cron(tmp_path, str(seeds), missing, "--out", str(tmp_path / "q"), "-q")
    assert (quiet.returncode, quiet.stderr) == (0, "")
    normal = cron(tmp_path, str(seeds), missing, "--out", str(tmp_path / "n"))
    assert normal.stderr.splitlines() == [
        f"summarise: warning: {missing}: skipped: no such file or folder",
        "summarise: warning: skipped 1 input: 1 missing",
    ]
    verbose = cron(tmp_path, str(seeds), "--out", str(tmp_path / "v"), "-v")
    lines = verbose.stderr.splitlines()
    assert "summarise: info: summarising 5 articles" in lines
    assert [line.split(":")[2].split()[1] for line in lines if line.startswith("summarise: info: stage ")] == [
        "read", "split", "cluster", "group", "select", "list", "render", "write",
    ]
    assert f"summarise: info: wrote {tmp_path / 'v' / 'digest-2024-01-16.html'}" in lines
    assert cron(tmp_path, "-q", "-v").returncode == 2


def test_help_documents_the_exit_codes(tmp_path):
    result = cron(tmp_path, "--help")
    assert result.returncode == 0
    for line in ("0   the digest was written", "1   failure", "2   usage or config error", "75  another run holds the lock"):
        assert line in result.stdout


def test_inputs_from_a_list_file(tmp_path, seeds):
    listing = tmp_path / "lists" / "inputs.txt"
    listing.parent.mkdir()
    listing.write_text(f"# the day's sources\n\n{seeds / MOSCOW[0].name}\n../seeds/{MOSCOW[1].name}\n", encoding="utf-8")
    result = cron(tmp_path, "--inputs-from", str(listing), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.returncode == 0, result.stderr
    import json

    digest = json.loads((tmp_path / "out" / "digest-2024-01-16.json").read_text(encoding="utf-8"))
    assert sorted(Path(a["path"]).name for a in digest["articles"]) == sorted(p.name for p in MOSCOW[:2])


def test_the_output_folder_is_created_and_an_unwritable_one_fails_cleanly(tmp_path, seeds):
    deep = tmp_path / "a" / "b" / "c"
    assert cron(tmp_path, str(seeds), "--out", str(deep)).returncode == 0
    assert (deep / "digest-2024-01-16.html").exists()
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = cron(tmp_path, str(seeds), "--out", str(blocker / "out"))
    assert result.returncode == 1
    assert result.stderr.startswith("summarise: error: ") and "cannot use the output folder" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_the_next_day_marks_stories_new_or_continuing_and_does_not_repeat_what_was_shown(tmp_path):
    from summarise.cli import main

    out = tmp_path / "out"
    day1, day2 = tmp_path / "day1", tmp_path / "day2"
    for path in MOSCOW:  # the Kremlin talks, reported on the 16th and again on the 17th
        dated_copy(day1, path.name, path, dt.date(2024, 1, 16))
        dated_copy(day2, path.name, path, dt.date(2024, 1, 17))
    ferries = [  # a story first reported on the 17th
        {
            "title": "Harbour council approves electric ferries",
            "source": source,
            "date": "2024-01-17",
            "text": "The harbour council voted on Wednesday to replace its two diesel ferries with electric boats "
            f"by 2026, {said}.\n\nThe new ferries will charge at both quays while cars are loaded, and the "
            "council expects fuel costs on the crossing to fall by half.",
        }
        for source, said in (("Coast Herald", "the council said"), ("Island Radio", "officials told Island Radio"))
    ]
    (day2 / "ferries.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ferries), encoding="utf-8")
    assert main([str(day1), "--out", str(out), "--date", "2024-01-16", "--format", "json", "-q"]) == 0
    assert main([str(day2), "--out", str(out), "--date", "2024-01-17", "--format", "json,html", "-q"]) == 0
    first = json.loads((out / "digest-2024-01-16.json").read_text(encoding="utf-8"))
    second = json.loads((out / "digest-2024-01-17.json").read_text(encoding="utf-8"))
    assert [(t["status"], t["continues"]) for t in first["topics"]] == [(None, None)]  # nothing before it
    kremlin = "Putin hosts North Korean FM in Kremlin visit"
    assert first["topics"][0]["label"] == kremlin
    by_label = {t["label"]: t for t in second["topics"]}
    assert (by_label[kremlin]["status"], by_label[kremlin]["continues"]) == ("continuing", kremlin)
    assert (by_label["Harbour council approves electric ferries"]["status"], len(second["topics"])) == ("new", 2)
    assert by_label["Harbour council approves electric ferries"]["continues"] is None
    # The same articles again: the story is told with what was not shown the day before.
    shown = {s["text"] for s in first["topics"][0]["sentences"]}
    again = {s["text"] for s in by_label[kremlin]["sentences"]}
    assert again and not again & shown
    html = (out / "digest-2024-01-17.html").read_text(encoding="utf-8")
    assert f'<span class="status" title="Continues: {kremlin}">Continuing</span> · ' in html
    assert '<p class="meta"><span class="status">New</span> · Reported by 2 outlets' in html


def test_a_story_with_nothing_new_is_told_as_before():
    from summarise import Summariser
    from summarise.models import Article, PastStory

    article = Article(
        path="a.txt",
        date=dt.date(2024, 1, 17),
        title="Harbour council approves electric ferries",
        source="Coast Herald",
        paragraphs=(
            "The harbour council voted on Tuesday to replace its two diesel ferries with electric boats by 2026.",
            "The new ferries will charge at both quays during the ten minutes they spend loading cars.",
        ),
    )
    told = Summariser().summarise([article])
    sentences = tuple(s.text for s in told.topics[0].statements)
    assert len(sentences) == 2
    once = Summariser().summarise([article], previous=(PastStory("Ferries", sentences[:1]),))
    assert [s.text for s in once.topics[0].statements] == list(sentences[1:])
    assert once.topics[0].status == "continuing" and once.topics[0].continues == "Ferries"
    again = Summariser().summarise([article], previous=(PastStory("Ferries", sentences),))
    assert tuple(s.text for s in again.topics[0].statements) == sentences


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_run_killed_while_its_workers_read_leaves_no_lock_and_no_orphans(tmp_path, seeds, sig):
    inputs = tmp_path / "many"
    inputs.mkdir()
    body = (SEEDS / "001_40807685c9df2620.txt").read_text(encoding="utf-8")
    for n in range(3000):
        (inputs / f"story-{n:04d}.txt").write_text(body.replace("Tuesday", f"Tuesday {n}"), encoding="utf-8")
    out = tmp_path / "out"
    run = start(tmp_path, str(inputs), "--out", str(out), "--jobs", "2")
    wait_for(lambda: len(child_pids(run.pid)) >= 2, seconds=60)  # the reader workers are at work
    workers = child_pids(run.pid)
    run.send_signal(sig)
    run.wait(timeout=30)
    # The next run gets the lock at once (no --wait), and the killed run's workers are gone.
    again = cron(tmp_path, str(seeds), "--out", str(out), "--format", "json")
    assert again.returncode == 0, again.stderr
    wait_for(lambda: not any(alive(pid) for pid in workers), seconds=10)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "0001-01-01", "--days", "2"], "days: 2 days ending 0001-01-01 would start before 0001-01-01"),
        (["--days", "99999999999999999999"], "days: 99999999999999999999 is more days than the calendar holds"),
    ],
)
def test_a_window_that_leaves_the_calendar_is_a_usage_error(tmp_path, seeds, args, message):
    result = cron(tmp_path, str(seeds), "--out", str(tmp_path / "out"), *args)
    assert (result.returncode, result.stderr) == (2, f"summarise: error: {message}\n")
    assert not (tmp_path / "out").exists()


def test_articles_at_the_calendar_s_edges_and_a_huge_window_raise_nothing(tmp_path):
    inputs = tmp_path / "in"
    dated_copy(inputs, "first.txt", PYONGYANG[0], dt.date.min)
    dated_copy(inputs, "seed.txt", MOSCOW[1], dt.date(2024, 1, 16))
    dated_copy(inputs, "last.txt", PYONGYANG[1], dt.date.max)
    result = cron(tmp_path, str(inputs), "--out", str(tmp_path / "out"), "--days", "1000000", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"summarise: warning: {inputs / 'last.txt'}: date header 9999-12-31 is in the future; article has no date",
        "summarise: warning: left out 1 undated article: no date to place it in 0001-01-01 to 2024-01-16",
    ]
    assert (tmp_path / "out" / "digest-2024-01-16.json").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeout", "0"], "argument --timeout: '0' is not a positive number of seconds"),
        (["--fetch-deadline", "0"], "argument --fetch-deadline: '0' is not a positive number of seconds"),
        (["--base-url", "ftp://news.example.org/d"], "argument --base-url: 'ftp://news.example.org/d' is not an http(s) URL"),
    ],
)
def test_a_zero_timeout_or_a_base_url_that_is_not_http_is_a_usage_error(tmp_path, seeds, args, message):
    result = cron(tmp_path, str(seeds), "--out", str(tmp_path / "out"), *args)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"summarise: error: {message}"
    assert not (tmp_path / "out").exists()


def test_an_undated_text_file_is_dated_by_its_modification_time_in_utc(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    path = inputs / "plain.txt"
    path.write_text(MOSCOW[1].read_text(encoding="utf-8")[len(" date 2024-01-16 ") :], encoding="utf-8")
    stamp = dt.datetime(2024, 1, 16, 23, 30, tzinfo=dt.UTC).timestamp()  # the 17th in Tokyo
    os.utime(path, (stamp, stamp))
    for zone in ("JST-9", "HST10", "UTC0"):
        result = cron(tmp_path, str(inputs), "--out", str(tmp_path / zone), "--format", "json", TZ=zone)
        assert result.returncode == 0, result.stderr
        assert [p.name for p in (tmp_path / zone).glob("digest-*.json")] == ["digest-2024-01-16.json"], zone


def test_sigterm_mid_write_removes_the_temporary_file_and_exits_143_with_one_line(tmp_path, seeds):
    out = tmp_path / "out"
    assert cron(tmp_path, str(seeds), "--out", str(out), "--format", "html,json").returncode == 0
    before = snapshot(out)
    victim = start(tmp_path, str(seeds), "--out", str(out), "--format", "html,json", "--max-words", "60", **{STALL: "30"})
    wait_for(lambda: any(p.name.endswith(".tmp") and p.stat().st_size > 0 for p in out.glob(".*")))
    victim.send_signal(signal.SIGTERM)
    _, stderr = victim.communicate(timeout=30)
    assert (victim.returncode, stderr) == (143, "summarise: terminated (SIGTERM); no file was left half-written\n")
    assert snapshot(out) == before  # no temporary left, the previous digest whole
    assert cron(tmp_path, str(seeds), "--out", str(out), "--format", "json").returncode == 0  # the lock is free


def test_a_lock_file_that_is_a_symbolic_link_is_not_followed(tmp_path, seeds):
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", encoding="utf-8")
    (out / ".summarise.lock").symlink_to(target)
    result = cron(tmp_path, str(seeds), "--out", str(out), "--format", "json")
    assert result.returncode == 1
    assert result.stderr == f"summarise: error: {out}: cannot use the output folder: Too many levels of symbolic links\n"
    assert target.read_text(encoding="utf-8") == "keep me\n" and not list(out.glob("digest-*"))


def test_a_planted_link_named_like_a_digest_is_neither_listed_nor_copied(tmp_path, seeds):
    out = tmp_path / "out"
    out.mkdir()
    secret = tmp_path / "secret.html"
    secret.write_text("<p>private</p>\n", encoding="utf-8")
    (out / "digest-2999-01-01.html").symlink_to(secret)
    assert cron(tmp_path, str(seeds), "--out", str(out)).returncode == 0
    files = snapshot(out)
    assert files["latest.html"] == files["digest-2024-01-16.html"]
    assert b"2999" not in files["index.html"] and b"private" not in files["digests.atom"]


@pytest.mark.slow
def test_kills_at_random_moments_never_leave_a_torn_file_or_a_held_lock(tmp_path, seeds):
    """Fault injection: a real run of 1,000 files, killed again and again at random moments (SIGKILL
    and SIGTERM in turn, a fixed random sequence); after each kill every file in the folder is one
    a whole run wrote, the day's formats are of one run, and the next run succeeds at once."""
    import random

    inputs = tmp_path / "many"
    inputs.mkdir()
    body = (SEEDS / "001_40807685c9df2620.txt").read_text(encoding="utf-8")
    # 1,000 files: enough text that reading and splitting both run in worker processes, as a big day's do.
    for n in range(1000):
        (inputs / f"story-{n:04d}.txt").write_text(body.replace("Tuesday", f"Tuesday {n}"), encoding="utf-8")
    formats = ["--format", "html,md,txt,json"]
    big = [str(inputs), *formats, "--jobs", "2", "-q"]
    small = [str(seeds), *formats, "-q"]
    # What a whole run of each kind writes into a fresh folder: the only files a folder may hold.
    started = time.monotonic()
    assert cron(tmp_path, *big, "--out", str(tmp_path / "whole-big")).returncode == 0
    full_run = time.monotonic() - started
    assert cron(tmp_path, *small, "--out", str(tmp_path / "whole-small")).returncode == 0
    versions = [snapshot(tmp_path / "whole-big"), snapshot(tmp_path / "whole-small")]
    day = [name for name in versions[0] if name.startswith("digest-")]
    assert len(day) == 4 and all(versions[0][name] != versions[1][name] for name in day)

    out = tmp_path / "out"
    assert cron(tmp_path, *small, "--out", str(out)).returncode == 0
    rng = random.Random(17)
    kills, budget = 0, time.monotonic() + 120  # bounded: at most 6 kills, fewer if the machine is slow
    while kills < 6 and time.monotonic() < budget:
        sig = (signal.SIGKILL, signal.SIGTERM)[kills % 2]
        victim = start(tmp_path, *big, "--out", str(out))
        time.sleep(rng.uniform(0.0, full_run))
        victim.send_signal(sig)
        code = victim.wait(timeout=60)
        victim.communicate()
        kills += 1
        assert code in (0, -sig, EXIT_TERMINATED), (sig, code)
        files = {name: data for name, data in snapshot(out).items() if not name.endswith(".tmp")}
        for name, data in files.items():
            assert any(v.get(name) == data for v in versions), f"kill {kills}: {name} is not a whole run's file"
        assert any(all(files[name] == v[name] for name in day) for v in versions), f"kill {kills}: formats mixed"
        # The next run takes the lock at once (no --wait), clears any temporary file and succeeds.
        again = cron(tmp_path, *small, "--out", str(out))
        assert (again.returncode, again.stderr) == (0, ""), f"kill {kills}"
        assert snapshot(out) == versions[1]
    assert kills >= 4
