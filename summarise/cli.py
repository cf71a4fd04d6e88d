"""The `summarise` command: parse the arguments, set up logging, run the pipeline."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import threading
from pathlib import Path

from . import __version__
from .config import (
    ConfigError,
    build_settings,
    http_url,
    non_negative_int,
    parse_date,
    parse_formats,
    parse_languages,
    positive_int,
    positive_seconds,
    read_config,
    seconds,
)
from .exits import EXIT_FAILED, EXIT_LOCKED, EXIT_OK, EXIT_TERMINATED, EXIT_USAGE
from .settings import FORMATS, Settings

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs `--help` its start
if TYPE_CHECKING:
    from .messages import FoldingHandler

EPILOG = f"""\
exit codes:
  {EXIT_OK}   the digest was written (warnings about skipped inputs are allowed)
  {EXIT_FAILED}   failure: nothing to summarise, or the digest could not be written
  {EXIT_USAGE}   usage or config error (bad option, value or config file)
  {EXIT_LOCKED}  another run holds the lock on the output folder; nothing was written (try again later)
  {EXIT_TERMINATED} ended by SIGTERM; no file was left half-written, the previous digest stands

A config file (TOML) holds any of these options under the same names, with _ for -
(inputs, inputs_from, out, formats, date, days, story_words, max_stories, max_words, languages, fetch, cache,
timeout, fetch_deadline, allow_private_addresses, jobs, engine, scheduler, wait, base_url); options given
here override it.

subcommands (the first argument): `summarise extract --help`, `summarise eval --help`.
An input folder named like one is read when written as a path: summarise ./eval
"""


class UsageError(Exception):
    """A bad option or argument on the command line (raised by the parsers instead of exiting); the message says why."""

    pass


class Terminated(BaseException):
    """Raised in the main thread when SIGTERM arrives (a BaseException, so no `except Exception` stops it)."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


# What NLTK's package imports though Punkt needs none of it, each import guarded by `except ImportError`:
# its wrapper of scikit-learn's classifiers (all of scikit-learn) and its association measures' and
# scores' statistics (`scipy.stats`): about a second and a half of every run's start together.
_NOT_FOR_NLTK = ("sklearn", "scipy.stats")


def _import_nltk_lightly() -> None:
    """Import NLTK for a digest run without the libraries it loads for parts the run does not use.

    Each of `_NOT_FOR_NLTK` not yet imported is marked as absent while NLTK loads, so its guarded
    import fails quietly, and the mark is taken off at once: whatever imports it later in the process
    gets it, but those parts of NLTK stay without it. So only the console script does this
    (`command`), in a process of its own; `main` called from other code leaves NLTK whole. Should
    NLTK fail to load so, it is loaded as usual.
    """
    if "nltk" in sys.modules:
        return
    marked = [name for name in _NOT_FOR_NLTK if name not in sys.modules]
    for name in marked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import nltk  # noqa: F401
    except ImportError:
        for name in [m for m in sys.modules if m == "nltk" or m.startswith("nltk.")]:
            del sys.modules[name]
    finally:
        for name in marked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # raise instead of exiting, so main() returns the code
        """Raise the message as a UsageError instead of printing it and exiting."""
        raise UsageError(message)


def _checked(check):
    """An argparse type from one of config's checks, so flags and config files accept the same values."""

    def convert(value: str):
        """The value as `check` gives it, its ConfigError turned into the ArgumentTypeError argparse reports."""
        try:
            return check(value)
        except ConfigError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = check.__name__
    return convert


def _formats(value: str) -> list[str]:
    return list(_checked(parse_formats)(value))


def _languages(value: str) -> list[str]:
    return list(_checked(parse_languages)(value))


def _date(value: str) -> dt.date:
    return _checked(parse_date)(value)


def _positive(value: str) -> int:
    return _checked(positive_int)(value)


def _add_reading_options(parser: argparse.ArgumentParser) -> None:
    """--fetch, --cache, --timeout, --fetch-deadline and --jobs: how the inputs are read, for a digest run
    and for extract."""
    defaults = Settings()
    parser.add_argument(
        "--fetch",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="fetch the full page each feed entry links to (default: use the entry's own text)",
    )
    parser.add_argument("--cache", metavar="DIR", help="keep fetched pages in DIR, so a rerun does not fetch again")
    parser.add_argument(
        "--timeout",
        type=_checked(positive_seconds),
        metavar="SECONDS",
        help=f"per HTTP request, from connecting to the last byte, more than 0 (default: {defaults.timeout:g})",
    )
    parser.add_argument(
        "--fetch-deadline",
        type=_checked(positive_seconds),
        metavar="SECONDS",
        help="after this long, fetch nothing more: what has not arrived is named and skipped "
        f"(default: {defaults.fetch_deadline:g})",
    )
    parser.add_argument(
        "--jobs", type=_checked(non_negative_int), metavar="N", help="worker processes (default: 0, one per core)"
    )
    parser.add_argument(
        "--allow-private-addresses",
        action="store_true",
        default=None,
        help="also fetch from loopback, private and link-local addresses (intranet feeds); by default a link "
        "or redirect to one is refused",
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser of a digest run's arguments, its help showing the defaults of `Settings`."""
    defaults = Settings()
    parser = _Parser(
        prog="summarise",
        description="Summarise a day's news articles into one cited digest. "
        "(`summarise extract --help`: the articles read, as JSON Lines; `summarise eval --help`: ROUGE.)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help=f"article files, folders, feeds or URLs to read; default: {' '.join(defaults.inputs)}",
    )
    parser.add_argument("--inputs-from", metavar="FILE", help="also read the inputs listed in FILE, one a line")
    parser.add_argument("--config", metavar="FILE", help="read options from a TOML file; options given here win")
    parser.add_argument("--out", metavar="DIR", help=f"folder for the digest and its archive (default: {defaults.out})")
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
        metavar="DAY",
        help="the digest's day: today, yesterday or YYYY-MM-DD; keeps only the articles of the window ending "
        "that day (default: all articles, the digest named by the newest article date)",
    )
    parser.add_argument(
        "--days",
        type=_positive,
        metavar="N",
        help=f"the window: the N days ending at the digest's day (default: {defaults.days})",
    )
    parser.add_argument(
        "--story-words",
        type=_positive,
        metavar="N",
        help=f"words in each story's summary, at most (default: {defaults.story_words})",
    )
    parser.add_argument(
        "--max-stories",
        type=_positive,
        metavar="K",
        help=f"stories told in full in each language, the most important first; the rest are listed under "
        f"'Also reported' (default: {defaults.max_stories})",
    )
    parser.add_argument(
        "--max-words",
        type=_positive,
        metavar="N",
        help="words in the whole digest, at most, spent language by language in the digest's order (default: no cap)",
    )
    parser.add_argument(
        "--languages",
        type=_languages,
        action="append",
        metavar="CODE[,CODE]",
        help="tell only the articles in these languages, as ISO 639-1 codes: en,it (default: every language "
        "the summariser supports)",
    )
    _add_reading_options(parser)
    parser.add_argument(
        "--engine",
        choices=("local", "dask"),
        help="where reading, splitting and vectorising run: here, or on a Dask cluster (needs "
        "pip install 'summarise[dask]'); the digest is the same (default: local)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="the Dask scheduler to run on, as tcp://HOST:8786, for --engine dask (default: start a "
        "local cluster with a worker per core)",
    )
    parser.add_argument(
        "--wait",
        type=_checked(seconds),
        metavar="SECONDS",
        help=f"wait this long for another run on the same output folder to finish (default: 0: exit {EXIT_LOCKED})",
    )
    parser.add_argument(
        "--base-url",
        type=_checked(http_url),
        metavar="URL",
        help="where the output folder is served (http or https), for the Atom feed",
    )
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-v", "--verbose", action="store_true", help="report progress on stderr")
    loudness.add_argument("-q", "--quiet", action="store_true", help="report errors only")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def build_eval_parser() -> argparse.ArgumentParser:
    """The parser of `summarise eval`'s arguments."""
    parser = _Parser(
        prog="summarise eval",
        description=(
            "Summarise every cluster of a DUC-style data set (JSON Lines) and print ROUGE-1, -2, -SU4 and -4 "
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
    parser.add_argument(
        "--holdout",
        type=_positive,
        metavar="K",
        help="also report the first clusters (tuned on) and the last K (held out) as separate tables",
    )
    parser.add_argument(
        "--folds",
        type=_at_least_two,
        metavar="K",
        help=(
            "cross-validate the selection's settings: cut the clusters into K parts in order, choose the "
            "setting on the other parts, score it on each part; our row is the held-out scores"
        ),
    )
    parser.add_argument(
        "--mixed",
        type=_positive,
        metavar="K",
        help="instead, pool K clusters at a time into one day, summarise each day as one digest, and report how "
        "well its stories are found (adjusted Rand index), how many are told, and each story's ROUGE-1/2 beside "
        "the cluster summarised alone",
    )
    parser.add_argument(
        "--story-words",
        type=_positive,
        metavar="N",
        help=f"with --mixed: words in each story's summary (default: {Settings().story_words})",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="report progress on stderr")
    return parser


def _at_least_two(value: str) -> int:
    number = _positive(value)
    if number < 2:
        raise argparse.ArgumentTypeError(f"needs at least 2 parts, not {value}")
    return number


def _systems(value: str) -> list[str]:
    from .evaluation.harness import SYSTEMS

    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [name for name in chosen if name not in SYSTEMS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown system {', '.join(unknown) or repr(value)}; choose from {', '.join(SYSTEMS)}"
        )
    return chosen


def _setup_logging(verbose: bool, quiet: bool = False) -> FoldingHandler:
    from .messages import setup_logging

    return setup_logging(verbose, quiet)


def _eval_mixed(clusters: list[dict], k: int, story_words: int) -> int:
    from .evaluation import mixed

    days = mixed.mixed_days(clusters, k)
    if not days:
        print(f"summarise eval: error: --mixed {k}: only {len(clusters)} clusters", file=sys.stderr)
        return EXIT_USAGE
    print(mixed.report([mixed.evaluate_day(day, story_words) for day in days], k, story_words))
    return EXIT_OK


def eval_main(argv: list[str]) -> int:
    """`summarise eval`: score summarise and the baselines on a data set with ROUGE and print the tables;
    returns the exit code."""
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
    if args.mixed:
        return _eval_mixed(clusters, args.mixed, args.story_words or Settings().story_words)
    systems = args.systems or list(harness.SYSTEMS)
    if args.folds and args.folds > len(clusters):
        print(f"summarise eval: error: --folds {args.folds}: only {len(clusters)} clusters", file=sys.stderr)
        return EXIT_USAGE
    tuned = bool(args.folds) and harness.OURS in systems
    saved: list[str] = []
    results = harness.evaluate(
        clusters,
        systems,
        words=args.words,
        save=lambda cid, summary: saved.append(json.dumps({"id": cid, "summary": summary}, ensure_ascii=False)),
        grid=harness.TUNING_GRID if tuned else (),
    )
    peers = harness.score_peers(clusters, args.peers, words=args.words) if args.peers else None
    print(f"ROUGE recall x100, {args.words or 'length_limit'} words, jackknifed; {len(clusters)} clusters")
    if tuned:
        candidates = [r for r in results if r.name.startswith(harness.OURS)]
        held, rounds = harness.cross_validate(candidates, args.folds)
        for number, fold in enumerate(rounds, start=1):
            first, last = clusters[fold.start]["id"], clusters[fold.stop - 1]["id"]
            print(
                f"fold {number}: held out {first} to {last} ({fold.stop - fold.start} clusters); chosen on the rest "
                f"(ROUGE-2 {fold.tuned:.2f}): {fold.chosen}; held-out ROUGE-2 {fold.held_out:.2f}"
            )
        saved = [
            json.dumps({"id": c["id"], "summary": summary}, ensure_ascii=False)
            for c, summary in zip(clusters, held.summaries, strict=True)
        ]
        print()
        print(harness.table([held, *(r for r in results if not r.name.startswith(harness.OURS))], peers))
        print("\nevery setting on all the clusters (in sample, for reference):")
        print(harness.table(candidates))
    else:
        print(harness.table(results, peers))
    if args.save:
        from .write import write_atomic

        write_atomic(Path(args.save), ("\n".join(saved) + "\n").encode("utf-8"))
    if args.holdout and args.holdout < len(clusters):
        cut = len(clusters) - args.holdout
        for title, start, stop in (("tuning part", 0, cut), ("held-out part", cut, None)):
            ids = [c["id"] for c in clusters[start:stop]]
            print(f"\n{title}: {len(ids)} clusters, {ids[0]} to {ids[-1]}")
            part_peers = [p.part(start, stop) for p in peers] if peers else None
            if part_peers:
                part_peers.sort(key=lambda p: -p.mean(2))
            print(harness.table([r.part(start, stop) for r in results], part_peers))
    return EXIT_OK


def build_extract_parser() -> argparse.ArgumentParser:
    """The parser of `summarise extract`'s arguments."""
    parser = _Parser(
        prog="summarise extract",
        description="Read the inputs as a digest run would and write each article read as one JSON line: "
        '{"path", "url", "title", "source", "author", "date", "date_source", "language", "text"}, '
        "in input order; text is the article body, paragraphs separated by a blank line.",
    )
    parser.add_argument("inputs", nargs="*", metavar="INPUT", help="article files, folders, feeds or URLs to read")
    parser.add_argument("--out", metavar="FILE", help="write the JSON Lines here (default: standard output)")
    parser.add_argument("--inputs-from", metavar="FILE", help="also read the inputs listed in FILE, one a line")
    parser.add_argument("--config", metavar="FILE", help="read inputs, fetch, cache, timeout and jobs from TOML")
    _add_reading_options(parser)
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-v", "--verbose", action="store_true", help="report, per input, the lines dropped")
    loudness.add_argument("-q", "--quiet", action="store_true", help="report errors only")
    return parser


def extract_main(argv: list[str]) -> int:
    """`summarise extract`: read the inputs as a digest run would and write the articles read as JSON Lines;
    returns the exit code."""
    parser = build_extract_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"summarise extract: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as done:
        return EXIT_OK if done.code in (0, None) else EXIT_USAGE
    handler = _setup_logging(args.verbose, args.quiet)
    flags = {
        "inputs": tuple(args.inputs) or None,
        "inputs_from": args.inputs_from,
        "fetch": args.fetch,
        "cache": args.cache,
        "timeout": args.timeout,
        "fetch_deadline": args.fetch_deadline,
        "allow_private_addresses": args.allow_private_addresses,
        "jobs": args.jobs,
    }
    try:
        settings = build_settings(read_config(args.config) if args.config else {}, flags)
    except ConfigError as error:
        print(f"summarise extract: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    from .extract import json_lines
    from .pipeline import read_inputs, report_skipped

    try:
        read = read_inputs(settings)
        report_skipped(read.skipped)
    finally:
        handler.tell_folded()
    if not read.articles:
        import logging

        logging.getLogger("summarise").error("nothing extracted: no article read from %s", ", ".join(settings.inputs))
        return EXIT_FAILED
    data = json_lines(read.articles)
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    try:
        from .write import write_atomic

        write_atomic(Path(args.out), data)
    except OSError as error:
        print(f"summarise extract: error: {args.out}: cannot write: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


# Whether this process is the `summarise` command's own (see `command`).
_OWN_PROCESS = False


def command() -> int:
    """The console script (and `python -m summarise`): `main` in a process of its own, which lets a
    digest run load NLTK without the libraries it would pull in for nothing (`_import_nltk_lightly`)."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    return main()


def main(argv: list[str] | None = None) -> int:
    """The `summarise` command on `argv` (default: sys.argv[1:]): a subcommand when the first argument names one,
    else a digest run; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    subcommands = {"eval": eval_main, "extract": extract_main}
    if argv[:1] and argv[0] in subcommands:
        code = subcommands[argv[0]](argv[1:])
        if code == EXIT_USAGE and os.path.exists(argv[0]):
            # A folder of the day's articles may well be called "extract" or "eval".
            print(
                f"summarise: note: {argv[0]} is a subcommand; to read the input named {argv[0]}, write ./{argv[0]}",
                file=sys.stderr,
            )
        return code
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"summarise: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as done:  # --help and --version
        return EXIT_OK if done.code in (0, None) else EXIT_USAGE

    handler = _setup_logging(args.verbose, args.quiet)
    flags = {
        "inputs": tuple(args.inputs) or None,
        "inputs_from": args.inputs_from,
        "out": args.out,
        "formats": tuple(dict.fromkeys(f for group in args.formats for f in group)) if args.formats else None,
        "date": args.date,
        "days": args.days,
        "story_words": args.story_words,
        "max_stories": args.max_stories,
        "max_words": args.max_words,
        "languages": tuple(dict.fromkeys(c for group in args.languages for c in group)) if args.languages else None,
        "fetch": args.fetch,
        "cache": args.cache,
        "timeout": args.timeout,
        "fetch_deadline": args.fetch_deadline,
        "allow_private_addresses": args.allow_private_addresses,
        "jobs": args.jobs,
        "engine": args.engine,
        "scheduler": args.scheduler,
        "wait": args.wait,
        "base_url": args.base_url,
    }
    try:
        settings = build_settings(read_config(args.config) if args.config else {}, flags)
    except ConfigError as error:
        print(f"summarise: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    # SIGTERM (a service manager, `timeout`, a shutdown) ends the run as an exception does, so that
    # every temporary file is removed and the lock let go on the way out.
    previous = signal.signal(signal.SIGTERM, _terminate) if _main_thread() else None
    try:
        if _OWN_PROCESS:
            _import_nltk_lightly()
        from .pipeline import run  # loaded here, not for --help or a usage error

        return run(settings)
    except KeyboardInterrupt:
        print("summarise: interrupted", file=sys.stderr)
        return EXIT_FAILED
    except Terminated:
        handler.tell_folded()
        print("summarise: terminated (SIGTERM); no file was left half-written", file=sys.stderr)
        return EXIT_TERMINATED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        handler.tell_folded()
