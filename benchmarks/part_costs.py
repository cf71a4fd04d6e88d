"""What one part of a day costs on one core: the figures a bigger cluster is planned from.

Takes PART consecutive files of a synthetic day (default: 2,000 from the middle of the
1,000,000-article day `bench.py --sizes 1000000` builds) and runs the Dask engine's per-part
steps on them in this process, one after the other: reading and cleaning, splitting,
analysing into terms, TF-IDF rows and article vectors. Prints each step's seconds and the
pickled size of what a part holds on a worker (what the shuffle into story buckets moves).

    .venv/bin/python benchmarks/part_costs.py [--day benchmarks/.data/day-1000000] [--part 2000] [--held 250]

With --held N, the part is then split again while the process holds N copies of its articles and
sentences, as a worker holds its parts, with Python's cycle collector on and then paused (as the
engine's tasks run): what the collector's full collections cost a worker holding much.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarise.engines import dask_cluster  # noqa: E402
from summarise.readers import read_articles  # noqa: E402
from summarise.split import SentenceSplitter  # noqa: E402
from summarise.summariser import number_articles, prose_only  # noqa: E402
from summarise.text import ENGLISH  # noqa: E402
from summarise.vectorise import day_vocabulary, part_rows, part_terms  # noqa: E402


def megabytes(value: object) -> float:
    return len(pickle.dumps(value, protocol=5)) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--day", type=Path, default=ROOT / "benchmarks" / ".data" / "day-1000000")
    parser.add_argument("--part", type=int, default=2000, help="articles in the part (default 2,000, the engine's)")
    parser.add_argument("--held", type=int, default=0, help="also split it holding this many copies of the part")
    args = parser.parse_args()
    files = sorted(args.day.glob("*.txt"))
    middle = len(files) // 2
    paths = [str(p) for p in files[middle : middle + args.part]]
    clock = time.perf_counter()
    articles = number_articles(prose_only(read_articles(paths, jobs=1).articles))
    read = time.perf_counter() - clock
    clock = time.perf_counter()
    splitter = SentenceSplitter.for_language(ENGLISH).fit_articles(articles)
    fit = time.perf_counter() - clock
    clock = time.perf_counter()
    columns = dask_cluster._split_part(articles, splitter)
    split = time.perf_counter() - clock
    clock = time.perf_counter()
    analysed = dask_cluster._analyse_part(columns, ENGLISH.code)
    terms = part_terms(analysed)
    analyse = time.perf_counter() - clock
    vocabulary = day_vocabulary([terms], len(columns[0]))
    clock = time.perf_counter()
    rows = part_rows(analysed, vocabulary)
    vectors = dask_cluster._part_article_vectors(articles, columns, rows)
    vectorise = time.perf_counter() - clock
    print(f"{len(paths):,} files: {len(articles):,} articles, {len(columns[0]):,} sentences, {len(terms[0]):,} terms")
    print(f"seconds on one core: read and clean {read:.2f}, fit the splitter {fit:.2f}, split {split:.2f}, "
          f"analyse and count terms {analyse:.2f}, rows and article vectors {vectorise:.2f}")
    print(f"pickled MB: articles {megabytes(articles):.1f}, sentences {megabytes(columns):.1f}, "
          f"terms analysed {megabytes(analysed):.1f}, rows {megabytes(rows):.1f}, "
          f"article vectors {megabytes(vectors):.1f}, part terms {megabytes(terms):.2f}")
    if args.held:
        split_holding(articles, columns, splitter, args.held)
    return 0


def split_holding(articles: list, columns: tuple, splitter: SentenceSplitter, held: int, runs: int = 10) -> None:
    """Split the part `runs` times with the collector on, then paused, holding `held` unpickled copies of it."""
    pickled = pickle.dumps((articles, columns), protocol=5)
    holding = [pickle.loads(pickled) for _ in range(held)]  # distinct objects, as a worker's parts are
    full = {"seconds": 0.0, "count": 0, "started": 0.0}

    def time_full_collections(phase: str, info: dict) -> None:
        if info["generation"] == 2 and phase == "start":
            full["started"] = time.perf_counter()
        elif info["generation"] == 2:
            full["seconds"] += time.perf_counter() - full["started"]
            full["count"] += 1

    gc.callbacks.append(time_full_collections)
    for label, split in (("collector on", dask_cluster._split_part.__wrapped__), ("paused", dask_cluster._split_part)):
        full.update(seconds=0.0, count=0)
        clock = time.perf_counter()
        for _ in range(runs):
            split(articles, splitter)
        each = (time.perf_counter() - clock) / runs
        print(f"split holding {held:,} parts, {label}: {each:.2f} s a part; {full['count']} full collections "
              f"in {runs} splits, {full['seconds']:.2f} s")
    gc.callbacks.remove(time_full_collections)
    del holding


if __name__ == "__main__":
    raise SystemExit(main())
