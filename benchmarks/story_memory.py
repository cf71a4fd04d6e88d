"""What telling one big story costs in memory: the headroom a Dask worker needs beside its bucket.

Takes every EVERY-th file of the 1,000,000-article day `bench.py --sizes 1000000` builds (every
50th: 20,000 articles, most of them one DUC topic's variants) and tells them as one story with the
local engine's steps in this process: split and vectorised, grouped as one story, then merged,
selected from and named (`tell_story`, what a worker runs for each story of its bucket). Prints
the process's resident memory before telling and its peak after.

    .venv/bin/python benchmarks/story_memory.py [--day benchmarks/.data/day-1000000] [--every 50]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarise import Summariser, read_articles  # noqa: E402
from summarise.engines import LocalEngine  # noqa: E402
from summarise.split import SentenceSplitter  # noqa: E402
from summarise.summariser import prepare_articles, tell_story  # noqa: E402
from summarise.text import ENGLISH  # noqa: E402


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--day", type=Path, default=ROOT / "benchmarks" / ".data" / "day-1000000")
    parser.add_argument("--every", type=int, default=50, help="take every EVERY-th file (default 50)")
    args = parser.parse_args()
    paths = [str(p) for p in sorted(args.day.glob("*.txt"))[:: args.every]]
    articles = prepare_articles(read_articles(paths).articles)
    splitter = SentenceSplitter.for_language(ENGLISH).fit_articles(articles)
    day = LocalEngine().day(articles, splitter, ENGLISH)
    if day is None:
        print("no sentence with a content word")
        return 1
    day.group(np.zeros(len(articles), dtype=np.int64), 1)
    draft = day._draft(0)
    print(f"{len(articles):,} articles, {day.n_sentences:,} sentences as one story; before telling: "
          f"resident {resident_mb():,.0f} MB, peak {peak_mb():,.0f} MB", flush=True)
    summariser = Summariser()  # the defaults a run tells its stories with
    clock = time.perf_counter()
    _, _, statements = tell_story(draft, day.idf, selection=summariser._selection(summariser.story_words))
    print(f"told in {time.perf_counter() - clock:.1f} s ({statements:,} statements); "
          f"after: resident {resident_mb():,.0f} MB, peak {peak_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
