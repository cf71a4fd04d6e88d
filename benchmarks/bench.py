"""Time `summarise` end to end on synthetic days of 100 to 100,000 articles, and LexRank beside it.

A day is built from the articles of a DUC-style collection (JSON Lines, one
cluster a line): each synthetic article recombines paragraphs of two articles
of one cluster (a story), so no two are the same; some are wire copies that
another outlet reprints with light edits; each is wrapped in page furniture
(navigation, share buttons, "ALSO READ" lines, captions, bylines, copyright)
and spread over three dates, in the seed format. The source collection is
read from where it lies and never copied into the repository; the days are
written under benchmarks/.data/ (ignored by git).

    .venv/bin/python benchmarks/bench.py                     # 100, 1,000 and 10,000 articles
    .venv/bin/python benchmarks/bench.py --sizes 100000      # the big one (some minutes)

Per run it reports wall time, the child's peak resident memory, and the time
of each stage (from `summarise -v`); at 100 articles it also times sumy's
LexRank on the same articles, as the classic summariser to compare with.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
DEFAULT_SOURCE = ROOT.parent / "shared" / "eval" / "duc2006.jsonl"
STAGE = re.compile(r"^summarise: info: stage (\w+): ([\d.]+) s$")
OUTLETS = [
    "Reuters", "AFP", "Associated Press", "The Coast Herald", "Valley Gazette", "County Chronicle",
    "Island Radio", "Metro Daily", "The Northern Post", "Evening Courier", "Harbour Times", "Capital Wire",
]
NAVIGATION = ["Home News Sport Business Weather", "Skip to content", "Menu Search Sign in", "Connect with us"]
SHARE = ["Share on Facebook", "Share on X", "Copy link", "Share via Email", "WhatsApp icon"]


def load_clusters(source: Path) -> list[list[dict]]:
    clusters = []
    with open(source, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                docs = json.loads(line)["docs"]
                clusters.append([d for d in docs if len(d["text"].split()) > 80])
    return [c for c in clusters if len(c) >= 2]


def paragraphs(text: str) -> list[str]:
    parts = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    if len(parts) < 3:  # some collections break lines only at sentences
        parts = [" ".join(p.split()) for p in text.splitlines()]
    return [p for p in parts if len(p.split()) >= 8]


def build_day(clusters: list[list[dict]], n: int, folder: Path, seed: int = 0) -> None:
    """`n` synthetic articles in the seed format under `folder` (made once, then reused)."""
    done = folder / ".complete"
    if done.exists():
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    stories = clusters[: max(3, min(len(clusters), n // 20))]
    days = [dt.date(2024, 1, 14) + dt.timedelta(days=k) for k in range(3)]
    seen: set[int] = set()
    made: list[tuple[str, list[str], dt.date, int]] = []
    for k in range(n):
        story = k % len(stories)
        if made and rng.random() < 0.1:  # a wire copy: an earlier article of the story, reprinted and lightly edited
            title, body, day, story = made[rng.randrange(len(made))]
            body = [p.replace(" said ", " told reporters ", 1) if rng.random() < 0.3 else p for p in body]
            wire = True
        else:
            for _ in range(20):
                first, second = rng.sample(stories[story], 2)
                a, b = paragraphs(first["text"]), paragraphs(second["text"])
                if not a:
                    continue
                body = a[: rng.randint(2, max(2, len(a)))] + b[: rng.randint(0, min(4, len(b)))]
                rng.shuffle(body[1:])
                key = hash(tuple(body))
                if key not in seen:
                    seen.add(key)
                    break
            title = (first.get("title") or first["text"].split(".")[0])[:120].strip() or "News"
            day = days[story % len(days)]
            made.append((title, body, day, story))
            wire = False
        # A reprinted wire story credits its agency; the outlets' own stories name the outlet.
        outlet = OUTLETS[k % 3] if wire else OUTLETS[k % len(OUTLETS)]
        other = rng.choice(made)[0]
        lines = [f" date {day.isoformat()} {rng.choice(NAVIGATION)}", "", title, "", outlet, ""]
        lines += [f"By Staff Reporter {k}", ""]
        for number, paragraph in enumerate(body):
            lines += [paragraph, ""]
            if number == 1:
                lines += [f"ALSO READ: {other}", "", "Advertisement", ""]
            if number == 2:
                lines += ["(Photo: Staff/Handout)", ""]
        lines += [" ".join(rng.sample(SHARE, 3)), "", f"© 2024 {outlet}. All rights reserved.", ""]
        (folder / f"{k:06d}.txt").write_text("\n".join(lines), encoding="utf-8")
    done.touch()


def time_summarise(folder: Path, out: Path) -> dict:
    command = [str(Path(sys.executable).with_name("summarise")), str(folder), "--out", str(out), "-v"]
    command += ["--format", "html,json"]
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    with open(out.parent / f"{out.name}.stderr", "w+", encoding="utf-8") as log:  # a file: a pipe could fill up
        child = subprocess.Popen(command, stderr=log, stdout=subprocess.DEVNULL, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        log.seek(0)
        stderr = log.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"summarise failed on {folder}:\n{stderr}")
    stages = {m[1]: float(m[2]) for line in stderr.splitlines() if (m := STAGE.match(line))}
    digest = json.loads(next(out.glob("digest-*.json")).read_text(encoding="utf-8"))
    return {"wall": wall, "peak_mb": usage.ru_maxrss / 1024, "stages": stages, "topics": len(digest["topics"])}


def time_lexrank(folder: Path, words: int = 300) -> float:
    from summarise.evaluation.baselines import sumy_summary
    from summarise.readers import read_articles
    from summarise.split import SentenceSplitter

    started = time.perf_counter()
    articles = read_articles([str(folder)]).articles
    splitter = SentenceSplitter().fit(p for a in articles for p in a.paragraphs)
    sumy_summary("lexrank", articles, splitter, words)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="DUC-style JSON Lines to build days from")
    parser.add_argument("--sizes", type=lambda v: [int(x) for x in v.split(",")], default=[100, 1000, 10000])
    parser.add_argument("--no-lexrank", action="store_true", help="skip the LexRank comparison at 100 articles")
    args = parser.parse_args()
    clusters = load_clusters(args.source)
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB")
    stage_names = ["read", "split", "vectorise", "merge", "cluster", "select", "cite", "render", "write"]
    print(f"| articles | wall s | peak MB | topics | {' | '.join(stage_names)} |")
    print(f"|---:|---:|---:|---:|{'---:|' * len(stage_names)}")
    walls = {}
    for n in args.sizes:
        folder = DATA / f"day-{n}"
        build_day(clusters, n, folder)
        result = time_summarise(folder, DATA / f"out-{n}")
        walls[n] = result["wall"]
        cells = " | ".join(f"{result['stages'].get(s, 0):.2f}" for s in stage_names)
        print(f"| {n:,} | {result['wall']:.1f} | {result['peak_mb']:.0f} | {result['topics']} | {cells} |", flush=True)
    if 1000 in walls and 10000 in walls:
        print(f"\ngrowth: time(10,000) / time(1,000) = {walls[10000] / walls[1000]:.1f}")
    if 100 in walls and not args.no_lexrank:
        lexrank = time_lexrank(DATA / "day-100")
        print(f"LexRank (sumy) on the 100-article day: {lexrank:.1f} s; summarise {walls[100]:.1f} s "
              f"end to end: {lexrank / walls[100]:.0f} times faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
