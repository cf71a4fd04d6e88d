"""A folder of 100,000 tiny text files: the command's wall time and its peak memory.

Each file is one short dated note (two lines of furniture and one sentence); the run
must read them all, count every article and keep the digest within its budget. Peak
memory is the child process's largest resident set (wait4), worker processes apart.
The files are made under a temporary folder and removed afterwards.

    .venv/bin/python benchmarks/many_files.py            # 100,000 files (~2 min)
    .venv/bin/python benchmarks/many_files.py --files 20000
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

PLACES = "harbour ferry council island bridge storm port boat tide quay".split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=100_000, help="how many files (default: 100,000)")
    args = parser.parse_args()
    summarise = str(Path(sys.executable).with_name("summarise"))
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "tiny"
        folder.mkdir()
        for n in range(args.files):
            place, other = PLACES[n % 10], PLACES[(n // 10) % 10]
            sentence = f"The {place} report number {n} said the {other} was busy on Tuesday."
            (folder / f"{n:06d}.txt").write_text(f" date 2024-01-16 Home\n\nNote {n}\n\n{sentence}\n")
        out = Path(work) / "out"
        started = time.perf_counter()
        pid = os.spawnv(os.P_NOWAIT, summarise, [summarise, str(folder), "--out", str(out), "--format", "json", "-q"])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - started
        digest = json.loads((out / "digest-2024-01-16.json").read_text(encoding="utf-8"))
    print(f"{args.files:,} files: exit {os.waitstatus_to_exitcode(status)}, {wall:.1f} s, "
          f"peak {usage.ru_maxrss / 1024:,.0f} MB (the main process), {digest['counts']['articles']:,} articles, "
          f"{digest['counts']['words']} words in the digest")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
