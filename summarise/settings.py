"""One settings object for a run, with the defaults in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FORMATS = ("html", "md", "txt", "json")


@dataclass(frozen=True)
class Settings:
    inputs: tuple[str, ...] = ("seeds",)
    out: str = "out"
    formats: tuple[str, ...] = ("html",)
    date: dt.date | None = None  # keep only the articles of this day, and name the digest by it
    max_words: int = 300  # words in the digest's sentences, at most
    # Evaluation wants at least max_words: the last sentence may then run past it.
    fill_budget: bool = False
