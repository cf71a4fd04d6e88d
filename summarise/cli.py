"""The `summarise` command: parse the arguments, set up logging, run the pipeline."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from pathlib import Path

from . import __version__
from .pipeline import EXIT_FAILED, EXIT_OK, EXIT_USAGE, run
from .settings import FORMATS, Settings
from .write import write_atomic

EPILOG = """\
exit codes:
  0  the digest was written (warnings about skipped inputs are allowed)
  1  nothing to summarise, or the digest could not be written
  2  usage error (bad option or value)
"""


class _Formatter(logging.Formatter):
    """One line per message: "summarise: warning: seeds/x.txt: skipped: ..."."""

    def format(self, record: logging.LogRecord) -> str:
        return f"summarise: {record.levelname.lower()}: {record.getMessage()}"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # raise instead of exiting, so main() returns the code
        raise UsageError(message)


def _formats(value: str) -> list[str]:
    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or repr(value)}; choose from {', '.join(FORMATS)}"
        )
    return chosen


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return number


def build_parser() -> argparse.ArgumentParser:
    defaults = Settings()
    parser = _Parser(
        prog="summarise",
        description="Summarise a day's news articles into one cited digest. "
        "(`summarise eval --help` for the ROUGE evaluation.)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help=f"article files or folders to read (*.txt); default: {' '.join(defaults.inputs)}",
    )
    parser.add_argument(
        "--out", metavar="DIR", default=defaults.out, help="folder for the digest files (default: %(default)s)"
    )
    parser.add_argument(
        "--format",
        dest="formats",
        metavar="FMT[,FMT]",
        type=_formats,
        action="append",
        help=f"output formats, comma-separated or repeated: {', '.join(FORMATS)} (default: html)",
    )
    parser.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="keep only the articles of this day (default: all; the digest is named by the newest article date)",
    )
    parser.add_argument(
        "--max-words",
        type=_positive,
        default=defaults.max_words,
        metavar="N",
        help="words in the digest, at most (default: %(default)s)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="report progress on stderr")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def build_eval_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="summarise eval",
        description=(
            "Summarise every cluster of a DUC-style data set (JSON Lines) and print ROUGE-1, -2 and -4 "
            "recall, jackknifed over the references, for summarise and the baselines."
        ),
    )
    parser.add_argument("dataset", metavar="DATASET.jsonl", help="clusters: {id, docs, refs, length_limit}")
    parser.add_argument(
        "--words", type=_positive, metavar="N", help="summary length in words (default: each cluster's length_limit)"
    )
    parser.add_argument("--save", metavar="SUMMARIES.jsonl", help="write our summaries as {id, summary} lines")
    parser.add_argument(
        "--systems",
        type=_systems,
        default=None,
        metavar="NAME[,NAME]",
        help="systems to run (default: all): summarise, lead, lexrank, textrank, lsa, luhn",
    )
    parser.add_argument(
        "--peers", metavar="PEERS.jsonl", help="other systems' summaries {system, id, summary}, to rank against"
    )
    parser.add_argument("--limit", type=_positive, metavar="N", help="only the first N clusters")
    parser.add_argument("-v", "--verbose", action="store_true", help="report progress on stderr")
    return parser


def _systems(value: str) -> list[str]:
    from .evaluation.harness import SYSTEMS

    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [name for name in chosen if name not in SYSTEMS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown system {', '.join(unknown) or repr(value)}; choose from {', '.join(SYSTEMS)}"
        )
    return chosen


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler], force=True)


def eval_main(argv: list[str]) -> int:
    parser = build_eval_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"summarise eval: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as done:
        return EXIT_OK if done.code in (0, None) else EXIT_USAGE
    _setup_logging(args.verbose)
    try:
        from .evaluation import harness
    except ImportError as error:  # pragma: no cover - depends on the environment
        print(
            f"summarise eval: error: {error.name} is missing; install the extra: pip install 'summarise[eval]'",
            file=sys.stderr,
        )
        return EXIT_FAILED
    try:
        clusters = harness.read_clusters(args.dataset)
    except (OSError, ValueError) as error:
        print(f"summarise eval: error: {args.dataset}: cannot read the data set: {error}", file=sys.stderr)
        return EXIT_FAILED
    if args.limit:
        clusters = clusters[: args.limit]
    systems = args.systems or list(harness.SYSTEMS)
    saved: list[str] = []
    results = harness.evaluate(
        clusters,
        systems,
        words=args.words,
        save=lambda cid, summary: saved.append(json.dumps({"id": cid, "summary": summary}, ensure_ascii=False)),
    )
    peers = harness.score_peers(clusters, args.peers, words=args.words) if args.peers else None
    if args.save:
        write_atomic(Path(args.save), ("\n".join(saved) + "\n").encode("utf-8"))
    print(f"ROUGE recall x100, {args.words or 'length_limit'} words, jackknifed; {len(clusters)} clusters")
    print(harness.table(results, peers))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["eval"]:
        return eval_main(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"summarise: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as done:  # --help and --version
        return EXIT_OK if done.code in (0, None) else EXIT_USAGE

    _setup_logging(args.verbose)
    formats = tuple(dict.fromkeys(f for group in (args.formats or [["html"]]) for f in group))
    settings = Settings(
        inputs=tuple(args.inputs) or Settings().inputs,
        out=args.out,
        formats=formats,
        date=args.date,
        max_words=args.max_words,
    )
    try:
        return run(settings)
    except KeyboardInterrupt:
        print("summarise: interrupted", file=sys.stderr)
        return EXIT_FAILED
