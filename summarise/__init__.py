"""summarise: an automatic multi-article news summariser that writes a cited daily digest.

As a library::

    from summarise import Summariser, read_articles, render

    read = read_articles(["seeds/"])
    digest = Summariser(story_words=80).summarise(read.articles)
    html = render(digest, "html")  # or "md", "txt", "json"; bytes

The names below are loaded when first used, so that `import summarise` (and the
command's start, and `--help`) does not pay for NumPy, SciPy and scikit-learn.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs the command's start
__version__ = "0.1.0"

# Each public name and the module that defines it.
_EXPORTS = {
    "Summariser": "summariser",
    "read_articles": "readers",
    "ReadResult": "readers",
    "render": "rendering",
    "Article": "models",
    "Digest": "models",
    "Topic": "models",
    "Statement": "models",
    "PastStory": "models",
    "Settings": "settings",
}

__all__ = [
    "Article",
    "Digest",
    "PastStory",
    "ReadResult",
    "Settings",
    "Statement",
    "Summariser",
    "Topic",
    "__version__",
    "read_articles",
    "render",
]

if TYPE_CHECKING:  # for type checkers and editors; at run time the names load lazily
    from .models import Article, Digest, PastStory, Statement, Topic
    from .readers import ReadResult, read_articles
    from .rendering import render
    from .settings import Settings
    from .summariser import Summariser


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value  # once loaded, an ordinary attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
