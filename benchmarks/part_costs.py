"""What one part of a day costs on one core: the figures a bigger cluster is planned from.

Takes PART consecutive files of a synthetic day (default: 2,000 from the middle of the
1,000,000-article day `bench.py --sizes 1000000` builds) and runs the Dask engine's per-part
steps on them in this process, one after the other: reading and cleaning, splitting,
analysing into terms, TF-IDF rows and article vectors. Prints each step's seconds and the
pickled size of what a part holds on a worker (what the shuffle into story buckets moves).

    .venv/bin/python benchmarks/part_costs.py [--day benchmarks/.data/day-1000000] [--part 2000]
"""

from __future__ import annotations

import argparse
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
