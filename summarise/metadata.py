"""What a page says about its article beyond the body: its title without the site's name, the site
itself, the author, and the host of its URL.

Sites print their name beside the headline in the page title ("Storm closes ports - The Coast
Herald", "Ferries cancelled | News | Island Radio | 19.01.2020"). The name is told apart from the
headline by its shape, not by a list of sites: a short run of capitalised words, a domain or a date,
at the end of the title (or a one- or two-word section label at its start, before a bar).
"""

from __future__ import annotations

import re
import urllib.parse

# Separators sites put between a headline and their name, with spaces around them: a hyphen or dash,
# a bar, a middle dot, a bullet, a guillemet, a double colon or a slash.
_SEPARATOR = re.compile(r"\s+(?:[-\u2013\u2014|\u00b7\u2022\u00bb/]|::)\s+")
_LAST_SEPARATOR = re.compile(_SEPARATOR.pattern + "$")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")
_DATE_LIKE = re.compile(r"^[\d./\s-]+$")
SITE_MAX_WORDS = 5
SITE_MAX_CHARS = 40
# A headline left after taking the site off keeps at least this much.
HEADLINE_MIN_WORDS = 3
HEADLINE_MIN_CHARS = 12

_BYLINE = re.compile(r"^(?:by|written\s+by|words\s+by)\s+(.+?)\s*$", re.IGNORECASE)
_COPYRIGHT_HOLDER = re.compile(r"^(?:\u00a9|copyright\b|\(c\))\s*", re.IGNORECASE)
_YEARS = re.compile(r"^(?:\d{4}(?:\s*[-\u2013]\s*\d{4})?[,.]?\s+)+|\s+\d{4}$|^by\s+", re.IGNORECASE)
_RESERVED = re.compile(r"[.,;]?\s*(?:all\s+rights\s+reserved|some\s+rights\s+reserved)\b.*$", re.IGNORECASE)


def site_like(segment: str) -> bool:
    """A piece of a title that reads as a site's or section's name, or a date, not as a headline.

    Short, and every word capitalised, a domain, a number, or a short joining word ("of", "de"); words
    in scripts without capitals count as capitalised. "BBC News", "oregonlive.com", "19.01.2020" are.
    """
    words = segment.split()
    if not words or len(words) > SITE_MAX_WORDS or len(segment) > SITE_MAX_CHARS:
        return False
    if _DATE_LIKE.match(segment) or (len(words) == 1 and _DOMAIN.match(segment)):
        return True
    if segment[-1] in ".!?:;,\u3002\uff01\uff1f":
        return False
    capitalised = 0
    for word in words:
        first = word.lstrip("\"'\u201c\u2018([")[:1]
        if not first or first.isupper() or first.isdigit() or first.lower() == first.upper():
            capitalised += 1
        elif not (len(word) <= 3 or _DOMAIN.match(word)):
            return False
    return capitalised > 0


def _big_enough(headline: str) -> bool:
    return len(headline.split()) >= HEADLINE_MIN_WORDS or len(headline) >= HEADLINE_MIN_CHARS


def split_title(title: str) -> tuple[str, str | None]:
    """(the headline, the site's name or None) of a page title.

    Trailing pieces that read as a site's name, a section or a date are taken off while a headline
    of a few words is left; the first piece taken off (the last of the title) is the site's name.
    A leading section label before a bar ("Opinion | ...") is taken off too.
    """
    parts = _SEPARATOR.split(title)
    separators = _SEPARATOR.findall(title)
    site = None
    while len(parts) > 1 and site_like(parts[-1]) and _big_enough(_join(parts[:-1], separators)):
        removed = parts.pop()
        separators.pop()
        site = site or removed
    if (
        len(parts) > 1
        and separators[0].strip() == "|"
        and len(parts[0].split()) <= 2
        and 2 * len(parts[0]) < len(title) - len(parts[0])
        and site_like(parts[0])
        and _big_enough(_join(parts[1:], separators[1:]))
    ):
        parts.pop(0)
        separators.pop(0)
    return _join(parts, separators), site


def _join(parts: list[str], separators: list[str]) -> str:
    joined = parts[0]
    for separator, part in zip(separators, parts[1:], strict=False):
        joined += separator + part
    return joined


def clean_title(title: str | None, site: str | None = None) -> str | None:
    """The headline of a page title, the site's name taken off: the name the page states for itself
    (`site`, however it is written) when the title ends with it, else a last piece that reads as one."""
    if not title:
        return None
    if site and title.endswith(site) and len(site) < len(title):
        separator = _LAST_SEPARATOR.search(title[: -len(site)])
        if separator and _big_enough(title[: separator.start()]):
            title = title[: separator.start()]
    return split_title(title)[0] or None


def site_of_title(title: str | None) -> str | None:
    """The site's name a page title gives ("... | BBC News" -> "BBC News"), or None."""
    return split_title(title)[1] if title else None


def find_author(lines: list[str]) -> str | None:
    """The author a byline names ("By Jane Doe and Ali Khan"), or None.

    A byline is a short line starting "By" whose words after it are a name: capitalised words, and
    "and" or commas between names. Agencies credited this way are the publisher, not an author.
    """
    for line in lines:
        match = _BYLINE.match(line)
        if not match:
            continue
        name = re.split(r"\s+[|\u2022\u00b7]\s+|\s+[-\u2013\u2014]\s+", match.group(1))[0].strip(" ,;:")
        words = name.replace(",", " ").split()
        if not 2 <= len(words) <= 8:
            continue
        names = [w for w in words if w.lower() not in ("and", "&")]
        if all(w[:1].isupper() for w in names) and not any(ch.isdigit() for ch in name) and not credits_agency(name):
            return name
    return None


def credits_agency(name: str) -> bool:
    """The name is a wire agency's ("The Associated Press", "AFP"): a publisher, not an author."""
    from .clean import find_publisher  # the agencies' names live with the publisher rules

    return find_publisher([name]) is not None


def copyright_holder(lines: list[str]) -> str | None:
    """Whom the page's copyright line names ("© 2019 Dow Jones & Company, Inc.").

    The last such line counts: the site's own notice is in its footer, below any credit in the story.
    """
    for line in reversed(lines):
        if not _COPYRIGHT_HOLDER.match(line):
            continue
        holder = _RESERVED.sub("", line)
        while _COPYRIGHT_HOLDER.match(holder):  # "© Copyright 2019 ..."
            holder = _COPYRIGHT_HOLDER.sub("", holder, count=1)
        holder = _YEARS.sub("", _YEARS.sub("", holder)).strip(" .,;:-\u2013\u2014")  # "2019 by ..."
        if (holder and len(holder.split()) <= 6 and site_like(holder.removesuffix("."))) or _DOMAIN.match(holder):
            return holder
    return None


def host_of(url: str | None) -> str | None:
    """The site a URL is on, without "www." ("https://www.bbc.co.uk/news/x" -> "bbc.co.uk")."""
    if not url:
        return None
    try:
        host = urllib.parse.urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None
