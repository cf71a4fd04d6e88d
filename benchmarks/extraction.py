"""Article-body extraction on real web pages, scored with the extraction benchmark's own measure.

Reads the pages of ../shared/extraction/ (saved HTML, and the same pages as visible text in the
seeds' format) through `summarise extract`, exactly as a user would, and prints side by side:

- ours (HTML): `summarise extract html/`
- ours (text): `summarise extract text/`
- trafilatura alone: `trafilatura.extract` with its defaults on the HTML
- keep everything: every line of the visible text

Each with F1, precision, recall, pages with nothing extracted, seconds, and the F1 of the first and
second half of the pages (by ID) apart, so that a figure carried by a few pages shows. Then how many
articles got a headline, a publisher, an author and a date, for the pages and for seeds/. The scorer
is the benchmark's own script, ../shared/tools/extraction_score.py, loaded from where it lies.

    .venv/bin/python benchmarks/extraction.py [--data ../shared/extraction] [--jobs 1]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "extraction"
DEFAULT_SCORER = ROOT.parent / "shared" / "tools" / "extraction_score.py"


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("extraction_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_extract(folder: Path, jobs: int) -> tuple[list[dict], float]:
    """Every record `summarise extract FOLDER` writes, and the seconds it took in process."""
    from summarise.cli import main

    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "articles.jsonl"
        started = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):
            code = main(["extract", str(folder), "--out", str(out), "--jobs", str(jobs), "-q"])
        seconds = time.perf_counter() - started
        if code != 0:
            sys.exit(f"summarise extract {folder} exited {code}")
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()], seconds


def by_page(records: list[dict]) -> dict[str, str]:
    return {Path(r["path"]).stem: r["text"] for r in records}


def trafilatura_alone(folder: Path) -> tuple[dict[str, str], float]:
    import trafilatura

    started = time.perf_counter()
    bodies = {}
    for path in sorted(folder.glob("*.html")):
        bodies[path.stem] = trafilatura.extract(path.read_text(encoding="utf-8", errors="replace")) or ""
    return bodies, time.perf_counter() - started


def keep_everything(folder: Path) -> tuple[dict[str, str], float]:
    started = time.perf_counter()
    bodies = {}
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        first, _, rest = text.partition("\n")
        head = first.strip().split(None, 2)[2:]  # " date YYYY-MM-DD" and whatever runs on after it
        bodies[path.stem] = "\n\n".join(line.strip() for line in [*head, *rest.splitlines()] if line.strip())
    return bodies, time.perf_counter() - started


def scored(scorer, truth: dict, bodies: dict[str, str]) -> dict:
    ids = sorted(truth)
    half = len(ids) // 2
    whole = scorer.score(truth, bodies)
    first = scorer.score({k: truth[k] for k in ids[:half]}, bodies)
    second = scorer.score({k: truth[k] for k in ids[half:]}, bodies)
    return {**whole, "first": first["f1"], "second": second["f1"]}


def metadata_counts(records: list[dict]) -> str:
    count = {key: sum(1 for r in records if r.get(key)) for key in ("title", "source", "author", "date")}
    return (
        f"{len(records)} articles: headline {count['title']}, publisher {count['source']}, "
        f"author {count['author']}, date {count['date']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the extraction benchmark's folder")
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help="extraction_score.py")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="the sample articles")
    parser.add_argument("--jobs", type=int, default=1, help="summarise extract --jobs (default 1)")
    args = parser.parse_args()
    scorer = load_scorer(args.scorer)
    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))

    html_records, html_seconds = run_extract(args.data / "html", args.jobs)
    text_records, text_seconds = run_extract(args.data / "text", args.jobs)
    seed_records, _ = run_extract(args.seeds, args.jobs)
    alone, alone_seconds = trafilatura_alone(args.data / "html")
    everything, everything_seconds = keep_everything(args.data / "text")
    rows = [
        ("ours (HTML)", by_page(html_records), html_seconds),
        ("ours (text)", by_page(text_records), text_seconds),
        ("trafilatura alone (HTML)", alone, alone_seconds),
        ("keep everything (text)", everything, everything_seconds),
    ]
    print(f"{len(truth)} pages of {args.data}; F1 of the first and second half of the pages (by ID) apart\n")
    print(f"| {'reader':<26} | F1    | precision | recall | empty | F1 1st half | F1 2nd half | seconds |")
    print(f"|{'-' * 28}|------:|----------:|-------:|------:|------------:|------------:|--------:|")
    for name, bodies, seconds in rows:
        s = scored(scorer, truth, bodies)
        print(
            f"| {name:<26} | {s['f1']:.3f} | {s['precision']:9.3f} | {s['recall']:6.3f} | {s['empty']:5d} "
            f"| {s['first']:11.3f} | {s['second']:11.3f} | {seconds:7.1f} |"
        )
    print()
    print(f"HTML pages: {metadata_counts(html_records)}")
    print(f"text pages: {metadata_counts(text_records)}")
    print(f"seeds:      {metadata_counts(seed_records)}")


if __name__ == "__main__":
    main()
