"""Time `summarise` end to end on synthetic days of 100 to 100,000 articles, and LexRank beside it.

A day is built from the articles of a DUC-style collection (JSON Lines, one
cluster a line), read from where it lies and never copied into the
repository. Each DUC cluster is a story. An outlet's own article takes the
lead of one of the story's articles and adds paragraphs of another, and
rewrites some of its sentences as outlets rewrite agency copy (another verb
of saying, a number brought up to date, a clause dropped, a word changed, an
attribution added), so no two articles are alike and the day holds near-
duplicate sentences, not only exact ones. A wire copy is an earlier article
reprinted word for word by another outlet, under that outlet's page
furniture. Every page is wrapped in the furniture of one of five site styles
modelled on seeds/ (navigation, breadcrumbs, bylines, times, share buttons,
"ALSO READ" lines, advertisements, photo captions, tags, copyright), some of
it inside the body, in the seed format (" date YYYY-MM-DD" running on into
the page). Stories are spread over three dates.

The days are written under benchmarks/.data/ (ignored by git; --data to put
them elsewhere) and made once. For each size it runs the installed
`summarise -v` as a child process and reports the wall time, the child's
peak resident memory (wait4: the largest single process), the peak of the
whole process tree's proportional memory (PSS, sampled, counting worker
processes), and each stage's time from the `stage NAME: X.XXX s` lines.
Days of up to 10,000 articles run three times: the fastest run is reported,
and every run's time is listed beside it, since a shared machine's times
wander. The compiled modules are written first, as an install would. At
100 articles it also times sumy's LexRank (with our offline sentence
splitter, as `summarise eval` runs it) on the same articles.

    .venv/bin/python benchmarks/bench.py                         # 100 to 100,000 articles, LexRank at 100 (~15 min)
    .venv/bin/python benchmarks/bench.py --sizes 100,1000,10000  # without the big day (~3 min)
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "benchmarks" / ".data"
DEFAULT_SOURCE = ROOT.parent / "shared" / "eval" / "duc2006.jsonl"
GENERATOR = "3"  # bump when the synthetic days change, so old ones are made again
STAGE = re.compile(r"^summarise: info: stage (\w+): ([\d.]+) s$")
STAGES = ["read", "split", "cluster", "group", "select", "list", "render", "write"]
AGENCIES = ["AFP", "Reuters", "The Associated Press", "Press Association", "Xinhua"]
OUTLETS = [
    "The Coast Herald", "Valley Gazette", "County Chronicle", "Island Radio", "Metro Daily", "The Northern Post",
    "Evening Courier", "Harbour Times", "Capital Wire", "The Lakeside Star", "Highland News", "River City Journal",
    "The Morning Ledger", "Bay Observer", "Plains Tribune", "The Daily Compass",
]
SECTIONS = ["World", "News", "Politics", "Business", "Health", "Science", "Nation", "Sport"]
SAYING = [" told reporters ", " said on Monday ", " added ", " stated ", " said in a statement "]
SWAPS = [
    ("people", "residents"), ("government", "authorities"), ("officials", "authorities"), ("about", "some"),
    ("more than", "over"), ("announced", "said"), ("help", "assist"), ("big", "large"), ("police", "officers"),
    ("began", "started"), ("because", "as"), ("children", "youngsters"), ("also", "further"), ("said", "says"),
]
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z])|(?<=[.!?][\"'])\s+(?=[\"'A-Z])")
_NUMBER = re.compile(r"\b\d{1,4}\b")


def load_clusters(source: Path) -> list[list[dict]]:
    clusters = []
    with open(source, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                docs = [d for d in json.loads(line)["docs"] if len(d["text"].split()) > 80]
                for doc in docs:
                    doc["paragraphs"] = paragraphs(doc["text"])
                docs = [d for d in docs if d["paragraphs"]]
                if len(docs) >= 2:
                    clusters.append(docs)
    return clusters


def paragraphs(text: str) -> list[str]:
    """A DUC text's paragraphs; one run of text is cut into paragraphs of two or three sentences."""
    parts = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    if len(parts) < 3:  # some texts break lines only at sentences, or not at all
        sentences = [s for line in text.splitlines() for s in _SENTENCES.split(" ".join(line.split())) if s]
        parts = [" ".join(sentences[k : k + 3]) for k in range(0, len(sentences), 3)]
    return [p for p in parts if len(p.split()) >= 8]


def rewrite(sentence: str, rng: random.Random, credit: str) -> str:
    """The sentence as another outlet might run it: lightly edited, mostly still a near-duplicate."""
    kind = rng.randrange(6)
    if kind == 0 and " said " in sentence:
        return sentence.replace(" said ", rng.choice(SAYING), 1)
    if kind == 1 and (numbers := _NUMBER.findall(sentence)):
        old = rng.choice(numbers)
        return re.sub(rf"\b{old}\b", str(int(old) + rng.randint(1, 9)), sentence, count=1)
    if kind == 2 and (cut := sentence.rfind(", ", len(sentence) // 2)) > 0 and sentence[-1:] == ".":
        return sentence[:cut] + "."
    if kind == 3:
        for old, new in rng.sample(SWAPS, len(SWAPS)):
            if f" {old} " in sentence:
                return sentence.replace(f" {old} ", f" {new} ", 1)
    if kind == 4 and sentence.endswith(".") and not sentence.endswith('."'):
        return f"{sentence[:-1]}, {credit} reported."
    if kind == 5 and sentence.startswith("The "):
        return f"{rng.choice(['Separately', 'Meanwhile', 'On Monday', 'Earlier'])}, the {sentence[4:]}"
    words = sentence.split()
    if len(words) > 12:  # a word dropped
        del words[rng.randrange(1, len(words) - 1)]
    return " ".join(words)


def original_body(story: list[dict], rng: random.Random, credit: str, edit_share: float) -> tuple[str, list[str]]:
    """An outlet's own article: one article's lead and some paragraphs of another, partly rewritten."""
    first, second = rng.sample(story, 2)
    a, b = first["paragraphs"], second["paragraphs"]
    lead = rng.randint(min(4, len(a)), len(a))
    extra = rng.sample(b, rng.randint(0, min(4, len(b))))
    body = a[:lead] + extra
    tail = body[1:]
    rng.shuffle(tail)
    body = body[:1] + tail
    out = []
    for paragraph in body:
        sentences = _SENTENCES.split(paragraph)
        sentences = [rewrite(s, rng, credit) if rng.random() < edit_share else s for s in sentences]
        out.append(" ".join(sentences))
    title = (first.get("title") or first["text"].split(".")[0]).strip()[:120] or "News of the day"
    return title, out


def page(day: dt.date, title: str, body: list[str], outlet: str, agency: str | None, rng: random.Random,
         others: list[str]) -> str:
    """The article in the seed format, wrapped in the furniture of one of five site styles."""
    style = rng.randrange(5)
    section = rng.choice(SECTIONS)
    credit = agency or outlet
    when = f"{day.day} {day:%b} {day.year}"
    clock = f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(['am', 'pm'])}"
    other = rng.choice(others) if others else "More news"
    top, inside, bottom = [], {}, []
    if style == 0:  # like seeds/000: breadcrumbs, avatar, byline, reading time, date and time
        top = [section, f"Home » News » {section}", "Avatar photo", f"By {credit}",
               f"{rng.randint(2, 9)} minute read", when, clock, title]
        inside = {1: [f"ALSO READ: {other}"], 3: [f"ALSO READ: {rng.choice(others) if others else other}"]}
        bottom = [f"© {credit}", "Read more on these topics"]
    elif style == 1:  # like seeds/001: "Connect with us", agency, "Published", a photo credit
        top = ["Connect with us", title, credit, "Published", f"Copyright {credit.upper()}/File -"]
        inside = {2: ["Advertisement"]}
        bottom = ["Share on Facebook Share on X Copy link", f"© {day.year} {outlet}. All rights reserved."]
    elif style == 2:  # like seeds/002: logo, menu, share buttons, adverts, updated time, related
        top = ["Logo", "Hamburger Menu", "Logo", section, title,
               "WhatsApp Telegram Facebook Twitter Email LinkedIn", "Advertisement", "Advertisement", section, title,
               f"{day:%d %b %Y} {clock} (Updated: {day:%d %b %Y} {clock})",
               "WhatsApp Telegram Facebook Twitter Email LinkedIn"]
        inside = {2: ["Related:", other], 4: ["Advertisement"]}
        bottom = ["Sign up for our newsletter", "Get our pick of top stories and thought-provoking articles"]
    elif style == 3:  # like seeds/003: byline, posted and updated times, the agency at the foot
        top = [title, f"By {credit}", f"Posted {day:%B} {day.day}, {day.year} {clock}.",
               f"Last Updated {day:%B} {day.day}, {day.year} {clock}."]
        inside = {3: ["(Photo: Staff/Handout)"]}
        bottom = [credit, "Click here to subscribe to our daily newsletter"]
    else:  # like seeds/004: headline first, byline, a captioned photo in the body, tags
        top = [title, f"By {credit}"]
        inside = {2: [f"{other.split(',')[0]}", f"A file picture of the scene (Photo by Staff via {credit})"]}
        bottom = [f"Topics: {section}, {rng.choice(SECTIONS)}", f"Copyright {day.year} {outlet}"]
    if style != 1 and rng.random() < 0.5:
        top.append(f"{outlet} staff and agencies")
    lines = [f" date {day.isoformat()} {top[0]}", ""]
    for line in top[1:]:
        lines += [line, ""]
    for k, paragraph in enumerate(body):
        lines += [paragraph, ""]
        for line in inside.get(k, []):
            lines += [line, ""]
    for line in bottom:
        lines += [line, ""]
    return "\n".join(lines)


def build_day(clusters: list[list[dict]], n: int, folder: Path, seed: int = 0, wire_share: float = 0.25,
              edit_share: float = 0.3) -> None:
    """`n` synthetic articles in the seed format under `folder` (made once, then reused)."""
    done = folder / ".complete"
    if done.exists() and done.read_text() == GENERATOR:
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    stories = clusters[: max(3, min(len(clusters), n // 20))]
    days = [dt.date(2024, 1, 14) + dt.timedelta(days=k) for k in range(3)]
    made: list[tuple[str, list[str], dt.date, str]] = []  # title, body, day, outlet of each original
    titles: list[str] = []
    printed: set[tuple[int, int]] = set()  # (original, paragraphs kept) of every copy so far
    for k in range(n):
        copy = rng.randrange(len(made)) if made and rng.random() < wire_share else None
        if copy is not None:
            # A wire copy: an earlier article word for word on another site, often cut short at the end
            # (a text without a URL is told apart by its words, so no two copies are cut alike).
            title, body, day, first_outlet = made[copy]
            cuts = [c for c in range(len(body), min(3, len(body)) - 1, -1) if (copy, c) not in printed]
            copy = None if not cuts else copy
        if copy is not None:
            printed.add((copy, cuts[0]))
            body = body[: cuts[0]]
            outlet = rng.choice([o for o in OUTLETS if o != first_outlet])
            agency = rng.choice(AGENCIES) if rng.random() < 0.3 else None
        else:
            story = k % len(stories)
            outlet = rng.choice(OUTLETS)
            agency = rng.choice(AGENCIES) if rng.random() < 0.3 else None
            title, body = original_body(stories[story], rng, agency or outlet, edit_share)
            day = days[story % len(days)]
            made.append((title, body, day, outlet))
            printed.add((len(made) - 1, len(body)))
            titles.append(title)
        text = page(day, title, body, outlet, agency, rng, titles[-50:])
        (folder / f"{k:06d}.txt").write_text(text, encoding="utf-8")
    done.write_text(GENERATOR)


class TreeMemory(threading.Thread):
    """Samples the summed proportional set size (PSS) of a process and all its descendants, and
    keeps each descendant's own peak resident set (the kernel's VmHWM, exact, not sampled: a
    Dask worker's peak)."""

    def __init__(self, pid: int, every: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0
        self.own_peak = 0  # the process's own peak resident bytes (wait4's figure is the largest of the tree's)
        self.child_peaks: dict[int, int] = {}  # pid -> peak resident bytes, for every process below `pid`
        self.done = threading.Event()

    def run(self) -> None:
        # Reading a big process's PSS walks its page tables: on the million-article day, sampling
        # every second took a fifth of a core on average (70% at times) of the two the run had.
        # A sample waits at least twenty times what the last one cost, so the sampler keeps under
        # 5% of a core; the peaks of resident memory (VmHWM) are the kernel's, exact however
        # seldom they are read.
        wait = self.every
        while not self.done.wait(wait):
            started = time.perf_counter()
            tree = _tree(self.pid)
            self.peak = max(self.peak, sum(_pss(p) for p in tree))
            self.own_peak = max(self.own_peak, _peak_resident(self.pid))
            for p in tree[1:]:
                self.child_peaks[p] = max(self.child_peaks.get(p, 0), _peak_resident(p))
            wait = max(self.every, 20 * (time.perf_counter() - started))


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except OSError:
            pass
    return found


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _peak_resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# As on a machine where Python keeps its compiled modules: a sandbox that forbids writing them
# (PYTHONDONTWRITEBYTECODE) would have every run compile the package again.
CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def time_summarise(folder: Path, out: Path, engine: str = "local", every: float = 0.1) -> dict:
    """One run of the command: its wall time, memory and stage times (memory sampled `every` seconds)."""
    command = [str(Path(sys.executable).with_name("summarise")), str(folder), "--out", str(out), "-v"]
    command += ["--format", "html,json", "--engine", engine]
    shutil.rmtree(out, ignore_errors=True)
    with open(out.parent / f"{out.name}.stderr", "w+", encoding="utf-8") as log:  # a file: a pipe could fill up
        started = time.perf_counter()
        child = subprocess.Popen(command, stderr=log, stdout=subprocess.DEVNULL, text=True, env=CHILD_ENV)
        memory = TreeMemory(child.pid, every)
        memory.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        memory.done.set()
        log.seek(0)
        stderr = log.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"summarise failed on {folder}:\n{stderr}")
    stages = {m[1]: float(m[2]) for line in stderr.splitlines() if (m := STAGE.match(line))}
    digest = json.loads(next(out.glob("digest-*.json")).read_text(encoding="utf-8"))
    return {
        "wall": wall,
        "peak_mb": usage.ru_maxrss / 1024,
        "tree_mb": memory.peak / 2**20,
        "own_mb": memory.own_peak / 2**20,
        # Child processes that grew past 200 MB: the Dask engine's workers (the reader's worker
        # processes on the local engine); small helpers such as a resource tracker are left out.
        "children_mb": sorted((b / 2**20 for b in memory.child_peaks.values() if b > 200 * 2**20), reverse=True),
        "stages": stages,
        "topics": len(digest["topics"]),
        "articles": len(digest["articles"]),
    }


def time_lexrank(folder: Path, words: int = 300) -> tuple[float, float]:
    """Seconds for LexRank and for our Summariser, in this process, on the same articles."""
    from summarise.evaluation.baselines import sumy_summary
    from summarise.readers import read_articles
    from summarise.split import SentenceSplitter
    from summarise.summariser import Summariser

    articles = read_articles([str(folder)]).articles
    started = time.perf_counter()
    Summariser(max_words=words).summarise(articles)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    splitter = SentenceSplitter().fit_articles(articles)
    sumy_summary("lexrank", articles, splitter, words)
    return time.perf_counter() - started, ours


REPEAT_UP_TO = 10_000  # a 100,000-article day takes minutes: once is enough to see it holds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="DUC-style JSON Lines to build days from")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="where the synthetic days and outputs go")
    parser.add_argument("--sizes", type=lambda v: [int(x) for x in v.split(",")], default=[100, 1000, 10000, 100000],
                        help="articles per day, comma-separated (default 100,1000,10000,100000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help=f"runs per size up to {REPEAT_UP_TO:,} articles (default 3; bigger days run once); "
                             "the fastest is reported, all are listed")
    parser.add_argument("--no-lexrank", action="store_true", help="skip the LexRank comparison at 100 articles")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="run summarise with this --engine (dask: a local cluster of a worker per core); with "
                             "dask, each digest is also compared with the local engine's of the same day, if made")
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "summarise", quiet=1)  # what a normal install does; an editable one does not
    clusters = load_clusters(args.source)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {os.cpu_count()} cores, {memory:.0f} GB; Python {sys.version.split()[0]}")
    print(f"| articles | kept | wall s | peak MB | tree MB | topics | {' | '.join(STAGES)} |")
    print(f"|---:|---:|---:|---:|---:|---:|{'---:|' * len(STAGES)}")
    walls = {}
    for n in args.sizes:
        folder = args.data / f"day-{n}"
        build_day(clusters, n, folder)
        out = args.data / (f"out-{n}" if args.engine == "local" else f"out-{n}-{args.engine}")
        # Sampling costs a share of a core; on the long runs once a second is close enough.
        every = 0.1 if n < 100_000 else 1.0
        runs = [time_summarise(folder, out, args.engine, every) for _ in range(args.repeat if n <= REPEAT_UP_TO else 1)]
        best = min(runs, key=lambda r: r["wall"])
        walls[n] = best["wall"]
        cells = " | ".join(f"{best['stages'].get(s, 0):.2f}" for s in STAGES)
        all_walls = ", ".join(f"{r['wall']:.1f}" for r in runs)
        print(f"| {n:,} | {best['articles']:,} | {best['wall']:.1f} | {best['peak_mb']:,.0f} | {best['tree_mb']:,.0f} "
              f"| {best['topics']} | {cells} |" + (f"  (runs: {all_walls})" if len(runs) > 1 else ""), flush=True)
        if best["children_mb"]:
            print(f"  {n:,} articles: peak resident MB of the summarise process {best['own_mb']:,.0f}, and of each "
                  "child process over 200 MB (Dask workers, or the reader's workers): "
                  f"{', '.join(f'{mb:,.0f}' for mb in best['children_mb'])}", flush=True)
        local = args.data / f"out-{n}"
        if args.engine != "local" and local.exists():
            ours = sorted(p.name for p in out.glob("digest-*.json"))
            theirs = sorted(p.name for p in local.glob("digest-*.json"))
            same = bool(ours) and ours == theirs
            same = same and all((local / name).read_bytes() == (out / name).read_bytes() for name in ours)
            print(f"  {n:,} articles: the JSON digest is {'byte-identical to' if same else 'NOT the same as'} "
                  "the local engine's", flush=True)
    if 1000 in walls and 10000 in walls:
        print(f"\ngrowth: time(10,000) / time(1,000) = {walls[10000] / walls[1000]:.1f}")
    if 100 in walls and not args.no_lexrank:
        lexrank, ours = time_lexrank(args.data / "day-100")
        print(f"LexRank (sumy) on the 100-article day: {lexrank:.1f} s in process; the Summariser on the same "
              f"articles {ours:.2f} s ({lexrank / ours:.0f} times faster); the summarise command end to end "
              f"{walls[100]:.2f} s ({lexrank / walls[100]:.0f} times faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
