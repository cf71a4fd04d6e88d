"""Merge the defaults, a TOML config file and the command line into one `Settings`.

A config file holds any option the command line takes, under the same names
(with ``_`` for ``-``); flags given on the command line win over it. Paths in
the file are relative to the file's own folder, so a cron job finds the same
files whatever its working directory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from .settings import FORMATS, Settings

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs `--help` its start
if TYPE_CHECKING:
    from typing import Any


class ConfigError(Exception):
    """A bad option value or config file: the message names the file or option and the reason."""


def parse_date(value: object, today: dt.date | None = None) -> dt.date:
    """``today``, ``yesterday`` or ``YYYY-MM-DD`` as a date (today is the local calendar day)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = str(value).strip().lower()
    today = today or dt.date.today()
    if text == "today":
        return today
    if text == "yesterday":
        if today == dt.date.min:
            raise ConfigError("yesterday is before the calendar's first day")
        return today - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{value!r} is not a date: use today, yesterday or YYYY-MM-DD") from None


def parse_formats(value: object) -> tuple[str, ...]:
    """The digest formats in a list or a comma-separated string, each once, in the order given; an unknown
    format, or none at all, is a ConfigError."""
    parts = value if isinstance(value, list | tuple) else str(value).split(",")
    chosen = [str(p).strip().lower() for p in parts if str(p).strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ConfigError(f"unknown format {', '.join(unknown) or repr(value)}; choose from {', '.join(FORMATS)}")
    return tuple(dict.fromkeys(chosen))


def parse_languages(value: object) -> tuple[str, ...]:
    """ISO 639-1 codes in a list or a comma-separated string ("en,it"), each once, in the order given; a
    language the summariser does not tell, or none at all, is a ConfigError."""
    from .language import ALIASES, SUPPORTED

    parts = value if isinstance(value, list | tuple) else str(value).split(",")
    chosen = [ALIASES.get(code, code) for code in (str(p).strip().lower() for p in parts) if code]
    unknown = [code for code in chosen if code not in SUPPORTED]
    if unknown or not chosen:
        raise ConfigError(
            f"unknown language {', '.join(unknown) or repr(value)}; choose from {', '.join(sorted(SUPPORTED))}"
        )
    return tuple(dict.fromkeys(chosen))


def positive_int(value: object) -> int:
    """A whole number above zero, given as a number or a string (true and false are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ConfigError(f"{value!r} is not a positive whole number")
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise ConfigError(f"{value!r} is not a positive whole number")
    return number


def non_negative_int(value: object) -> int:
    """A whole number of zero or more, given as a number or a string (--jobs 0: one worker per core)."""
    return 0 if value in (0, "0") else positive_int(value)


def seconds(value: object) -> float:
    """A finite number of seconds, zero or more, given as a number or a string."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = -1.0
    if isinstance(value, bool) or not number >= 0 or number == float("inf"):
        raise ConfigError(f"{value!r} is not a number of seconds")
    return number


def positive_seconds(value: object) -> float:
    """Seconds more than zero (a timeout of 0 would fail every request)."""
    number = seconds(value)
    if number <= 0:
        raise ConfigError(f"{value!r} is not a positive number of seconds")
    return number


def http_url(value: object) -> str:
    """An http(s) URL with a host, such as where the output folder is served (urls.plain_url)."""
    from .urls import plain_url

    url = plain_url(text(value))
    if url is None:
        raise ConfigError(f"{value!r} is not an http(s) URL")
    return url


def boolean(value: object) -> bool:
    """A TOML true or false (no string stands for one)."""
    if not isinstance(value, bool):
        raise ConfigError(f"{value!r} is not true or false")
    return value


def text(value: object) -> str:
    """A string with more than spaces in it."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{value!r} is not a non-empty string")
    return value


def text_list(value: object) -> tuple[str, ...]:
    """A list of non-empty strings; a single string is a list of one."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) and i.strip() for i in items):
        raise ConfigError(f"{value!r} is not a list of strings")
    return tuple(items)


def engine_name(value: Any) -> str:
    """One of the engines (`summarise.engines.ENGINES`)."""
    from .engines import ENGINES

    if not isinstance(value, str) or value not in ENGINES:
        raise ConfigError(f"{value!r} is not an engine; known: {', '.join(ENGINES)}")
    return value


# Every option a config file may hold, and how its value is checked.
OPTIONS: dict[str, Callable[[Any], Any]] = {
    "inputs": text_list,
    "inputs_from": text,
    "out": text,
    "formats": parse_formats,
    "date": parse_date,
    "days": positive_int,
    "story_words": positive_int,
    "max_stories": positive_int,
    "max_words": positive_int,
    "languages": parse_languages,
    "fetch": boolean,
    "cache": text,
    "timeout": positive_seconds,
    "fetch_deadline": positive_seconds,
    "allow_private_addresses": boolean,
    "jobs": non_negative_int,
    "engine": engine_name,
    "scheduler": text,
    "wait": seconds,
    "base_url": http_url,
}
ALIASES = {"format": "formats", "input": "inputs", "max-words": "max_words", "inputs-from": "inputs_from"}
_PATH_OPTIONS = ("inputs", "inputs_from", "out", "cache")


def read_config(path: str) -> dict[str, Any]:
    """The options in a TOML config file, checked, with relative paths made relative to its folder."""
    import tomllib  # here: `--help` and runs without a config file do not pay for it

    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    raw = raw.get("summarise", raw) if isinstance(raw.get("summarise"), dict) else raw
    folder = Path(path).resolve().parent
    options: dict[str, Any] = {}
    for key, value in raw.items():
        name = ALIASES.get(key, key.replace("-", "_"))
        if name not in OPTIONS:
            raise ConfigError(f"{path}: unknown option {key!r}; known: {', '.join(sorted(OPTIONS))}")
        try:
            checked = OPTIONS[name](value)
        except ConfigError as error:
            raise ConfigError(f"{path}: {key}: {error}") from None
        if name in _PATH_OPTIONS:
            checked = _relative_to(folder, checked)
        options[name] = checked
    return options


def _relative_to(folder: Path, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
    if isinstance(value, tuple):
        return tuple(_relative_to(folder, v) for v in value)  # type: ignore[misc]
    if "://" in value or os.path.isabs(value):
        return value
    return str(folder / os.path.expanduser(value)) if not value.startswith("~") else os.path.expanduser(value)


def read_inputs_file(path: str) -> tuple[str, ...]:
    """Inputs listed one a line (blank lines and ``#`` comments ignored), relative to the list's folder."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            lines = [line.strip() for line in handle]
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the inputs file: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the inputs file is not UTF-8 text") from None
    folder = Path(path).resolve().parent
    return tuple(_relative_to(folder, line) for line in lines if line and not line.startswith("#"))  # type: ignore[misc]


def build_settings(file_options: dict[str, Any], flag_options: dict[str, Any]) -> Settings:
    """Defaults, then the config file, then the flags; returns the one Settings for the run."""
    flags = {k: v for k, v in flag_options.items() if v is not None}
    if flags.get("engine") == "local" and "scheduler" not in flags:
        file_options = {k: v for k, v in file_options.items() if k != "scheduler"}  # --engine local wins
    merged = {**file_options, **flags}
    inputs = tuple(merged.pop("inputs", ()) or ())
    inputs_from = merged.pop("inputs_from", None)
    if inputs_from:
        inputs += read_inputs_file(inputs_from)
    if "wait" in merged:
        merged["lock_wait"] = merged.pop("wait")
    fields = {f.name for f in dataclasses.fields(Settings)}
    unknown = set(merged) - fields
    if unknown:  # a programming error: every option must map onto a Settings field
        raise ConfigError(f"no setting for {', '.join(sorted(unknown))}")
    if not inputs and not inputs_from:
        inputs = Settings().inputs
    check_window(merged.get("date"), merged.get("days", Settings().days))
    if merged.get("scheduler") and merged.get("engine", Settings().engine) != "dask":
        raise ConfigError("scheduler: a scheduler is for the dask engine (--engine dask)")
    return Settings(inputs=inputs, **merged)


def check_window(end: dt.date | None, days: int) -> None:
    """A window of `days` days ending at `end` must lie in the calendar (0001-01-01 to 9999-12-31)."""
    if days > dt.date.max.toordinal():
        raise ConfigError(f"days: {days} is more days than the calendar holds")
    if end is not None and end.toordinal() - (days - 1) < 1:
        raise ConfigError(f"days: {days} days ending {end.isoformat()} would start before 0001-01-01")
