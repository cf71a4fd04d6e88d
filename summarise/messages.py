"""What the command says on stderr: one line per message ("summarise: warning: PATH: ..."), with the
warnings about single inputs folded into a line per kind of trouble, so a cron mail stays short.

Loaded once the arguments are parsed: `--help` and a usage error do not pay for `logging`.
"""

from __future__ import annotations

import logging
import re
import sys


class LineFormatter(logging.Formatter):
    """One line per message: "summarise: warning: seeds/x.txt: skipped: ..."."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line: "summarise: LEVEL: message", the level in lower case."""
        return f"summarise: {record.levelname.lower()}: {record.getMessage()}"


# A warning about one input: its name (a path with a folder or an extension, or a URL, perhaps with a line
# number), then what happened.
_ABOUT_INPUT = re.compile(r"^(?P<name>(?:https?://\S+?|[^:]*[/\\.][^:]*?)(?::\d+)?): (?P<what>.+)$", re.DOTALL)
FOLD_NAMES = 3  # names shown in a folded warning


class FoldingHandler(logging.StreamHandler):
    """Prints log lines, but holds back warnings about single inputs and, at the end of the run,
    tells each kind once: the first in full, then how many more inputs had the same and a few of
    their names. A kind is the warning with its input's name left out and its numbers blanked, so
    "dated 2024-01-16" and "dated 2024-01-17" are one kind. A morning's cron mail then holds a line
    per kind of trouble, not a line per file. With `fold` off (-v), every warning prints as it comes."""

    def __init__(self, fold: bool) -> None:
        super().__init__(sys.stderr)
        self.fold = fold
        self.held: dict[str, list[tuple[str, logging.LogRecord]]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        """Hold back a warning when folding, to be told by `tell_folded`; else print the record (an error after
        the warnings held back)."""
        if self.fold and record.levelno == logging.WARNING:
            # Other warnings are held too (each its own kind), so that the lines keep their order.
            message = record.getMessage()
            about = _ABOUT_INPUT.match(message)
            kind = "input: " + re.sub(r"\d+", "#", about["what"]) if about else "run: " + message
            self.held.setdefault(kind, []).append((about["name"] if about else "", record))
            return
        if record.levelno > logging.WARNING:
            self.tell_folded()  # what came before an error is told before it
        super().emit(record)

    def tell_folded(self) -> None:
        """Print the held-back warnings, a line per kind, in the order the kinds first came."""
        for held in self.held.values():
            first = held[0][1]
            others = [name for name, _ in held[1:]]
            if others:
                shown = ", ".join(others[:FOLD_NAMES])
                if len(others) > FOLD_NAMES:
                    shown += f" and {len(others) - FOLD_NAMES:,} more"
                line = f"{first.getMessage()} (the same for {len(others):,} more: {shown}; -v lists each)"
                first = logging.makeLogRecord({"msg": line, "levelno": first.levelno, "levelname": first.levelname})
            super().emit(first)
        self.held.clear()


def setup_logging(verbose: bool, quiet: bool = False) -> FoldingHandler:
    """Send the run's log to stderr, a line per message, folded unless `verbose`; errors only if `quiet`."""
    handler = FoldingHandler(fold=not verbose)
    handler.setFormatter(LineFormatter())
    level = logging.INFO if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, handlers=[handler], force=True)
    return handler
