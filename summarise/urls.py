"""What counts as a link: one check for every URL the project reads, fetches or prints.

A link from a feed, a page, a JSON record or the command line is used only when it is a plain,
well-formed http(s) URL: it then can neither be a `javascript:` or `data:` link in the digest nor
break out of a Markdown or HTML attribute, and every part of the project agrees on it.
"""

from __future__ import annotations

import re
import urllib.parse

__all__ = ["is_url", "normalise_url", "plain_url"]


def is_url(text: str) -> bool:
    """Whether the text is meant as a web address (http or https), well-formed or not."""
    return text.lower().startswith(("http://", "https://"))


_PLAIN_URL = re.compile(r"^https?://[^\s\"'<>`\\]+\Z", re.IGNORECASE)  # \Z: no newline after it either


def plain_url(value: object) -> str | None:
    """The value if it is a well-formed http(s) URL (a host; no spaces, quotes or angle brackets), else None."""
    if not isinstance(value, str) or not _PLAIN_URL.match(value):
        return None
    try:
        parts = urllib.parse.urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError when out of range
    except ValueError:
        return None
    return value if parts.hostname else None


def normalise_url(url: str) -> str:
    """One spelling per page: lower-case scheme and host, no fragment, no tracking parameters. A link
    too broken to take apart ("http://[broken/") is its own spelling: it is one input's trouble."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:
        return url.strip()
    query = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(("utm_", "fbclid", "gclid", "mc_"))
    ]
    path = parts.path or "/"
    return urllib.parse.urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), path, urllib.parse.urlencode(query), "")
    )
