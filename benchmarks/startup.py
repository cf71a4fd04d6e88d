"""Start-up and end-to-end times, as ratios measured on one machine in one run.

- `summarise --help` against `python -c pass`: what a user waits for before anything is read
  (target: within 5 times);
- the seeds' digest, end to end (`summarise seeds --out DIR`, Python's start and every import
  included), against sumy's LexRank on the 100-article benchmark day, end to end (a fresh
  Python that imports sumy, reads the day and summarises it; target: at least 50 times faster);
- the 100-article day through the `summarise` command, end to end, beside it.

The 100-article day is the one benchmarks/bench.py builds (under benchmarks/.data/). Each
command runs several times and the fastest run counts (a shared machine's times wander);
LexRank, at about forty seconds a run, runs once unless --lexrank-runs says otherwise.

    .venv/bin/python benchmarks/startup.py
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

LEXRANK = """
import sys
from summarise.evaluation.baselines import sumy_summary
from summarise.readers import read_articles
from summarise.split import SentenceSplitter
articles = read_articles([sys.argv[1]]).articles
splitter = SentenceSplitter().fit_articles(articles)
sumy_summary("lexrank", articles, splitter, 300)
"""


def fastest(command: list[str], runs: int) -> tuple[float, list[float]]:
    """The fastest of `runs` wall times of a command (seconds), and all of them."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return min(times), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each quick command (default: 10)")
    parser.add_argument("--lexrank-runs", type=int, default=1, help="runs of LexRank end to end (default: 1)")
    parser.add_argument(
        "--data", type=Path, default=ROOT / "benchmarks" / ".data", help="where bench.py keeps its days"
    )
    args = parser.parse_args()

    import bench

    day = args.data / "day-100"
    if not day.is_dir():
        bench.build_day(bench.load_clusters(bench.DEFAULT_SOURCE), 100, day)
    python = sys.executable
    summarise = str(Path(python).with_name("summarise"))
    with tempfile.TemporaryDirectory() as out:
        python_start, _ = fastest([python, "-c", "pass"], args.runs)
        help_time, _ = fastest([summarise, "--help"], args.runs)
        seeds, seeds_runs = fastest([summarise, "seeds", "--out", out, "-q"], max(3, args.runs // 2))
        day_time, day_runs = fastest([summarise, str(day), "--out", out, "-q"], max(3, args.runs // 2))
        lexrank, lexrank_runs = fastest([python, "-c", LEXRANK, str(day)], args.lexrank_runs)

    print(f"python -c pass: {python_start:.3f} s")
    print(f"summarise --help: {help_time:.3f} s ({help_time / python_start:.1f} times python -c pass)")
    print(f"summarise seeds, end to end: {seeds:.3f} s (runs {', '.join(f'{t:.2f}' for t in seeds_runs)})")
    print(f"summarise on the 100-article day: {day_time:.3f} s (runs {', '.join(f'{t:.2f}' for t in day_runs)})")
    print(f"LexRank on the 100-article day, end to end: {lexrank:.1f} s "
          f"(runs {', '.join(f'{t:.1f}' for t in lexrank_runs)})")
    print(f"LexRank / seeds digest: {lexrank / seeds:.0f} times; LexRank / summarise on the same day: "
          f"{lexrank / day_time:.0f} times")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
