"""The output folder as an archive: an index of every digest, a stable link to the newest, an Atom feed.

Each run records what it wrote in ``archive.json`` (date, counts, topic labels,
formats); the pages are then made from that record and from the digest files
actually in the folder, so a digest deleted by hand drops out of the index, a
format an earlier run of the same day wrote and the latest did not is left out
(the file stays, unlinked: it no longer matches the day's digest), and a run
that fails leaves the archive as it was. Nothing here depends on the time of
the run: the same folder gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from .models import PastStory
from .rendering import render_page, safe_url

log = logging.getLogger(__name__)

MANIFEST = "archive.json"
INDEX, LATEST, FEED = "index.html", "latest.html", "digests.atom"
DIGEST_FILE = re.compile(r"^digest-(\d{4}-\d{2}-\d{2}|undated)\.(html|md|txt|json)$")
FORMAT_ORDER = ("html", "md", "txt", "json")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ATOM = "http://www.w3.org/2005/Atom"


@dataclass
class ArchivedDay:
    """One digest in the folder."""

    date: str  # YYYY-MM-DD, or "undated"
    files: dict[str, str] = field(default_factory=dict)  # format -> file name
    topics: int | None = None
    articles: int | None = None
    sources: int | None = None
    labels: list[str] = field(default_factory=list)

    @property
    def main_file(self) -> str:
        """The file links to the digest point at: its first format in FORMAT_ORDER (HTML when there is one)."""
        return next(self.files[f] for f in FORMAT_ORDER if f in self.files)


def record(data: dict) -> dict:
    """What the manifest keeps of one digest (its JSON data, as `render.digest_data` gives it): its
    counts and labels for the index, and each story's sentences for the next day's digest to tell
    what is new."""
    return {
        "topics": data["counts"]["topics"],
        "articles": data["counts"]["articles"],
        "sources": data["counts"]["sources"],
        "labels": [t["label"] for t in data["topics"]],
        "stories": [{"label": t["label"], "sentences": [s["text"] for s in t["sentences"]]} for t in data["topics"]],
    }


# A digest further back than this is not "the previous day's": its stories are not compared with.
PREVIOUS_WITHIN_DAYS = 7


def previous_stories(manifest: dict[str, dict], day: dt.date | None) -> tuple[PastStory, ...]:
    """The stories of the newest digest dated before `day`, and at most PREVIOUS_WITHIN_DAYS before
    it, in the record (none for an undated day, or when that digest's record holds no stories:
    made by an older version, or damaged)."""
    if day is None:
        return ()
    far_enough = day.toordinal() > PREVIOUS_WITHIN_DAYS  # dt.date.min has no week before it
    since = (day - dt.timedelta(days=PREVIOUS_WITHIN_DAYS)).isoformat() if far_enough else ""
    earlier = [key for key in manifest if _DAY.match(key) and since <= key < day.isoformat()]
    if not earlier or not isinstance(manifest[max(earlier)], dict):
        return ()
    stories = manifest[max(earlier)].get("stories")
    past = []
    for story in stories if isinstance(stories, list) else []:
        if isinstance(story, dict) and isinstance(story.get("label"), str) and isinstance(story.get("sentences"), list):
            past.append(PastStory(story["label"], tuple(str(text) for text in story["sentences"])))
    return tuple(past)


def read_manifest(folder: Path) -> dict[str, dict]:
    """The folder's record (archive.json), by date; empty when there is none yet, when it is not a JSON
    object, or when it cannot be read (with a warning: the index is then rebuilt from the digests present)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log.warning("%s: unreadable archive record, rebuilt from the digests present: %s", folder / MANIFEST, error)
        return {}
    return manifest if isinstance(manifest, dict) else {}


def written_formats(known: object) -> frozenset[str] | None:
    """The formats a day's record says its latest run wrote; None when the record does not say (made
    by an older version, or damaged), and then every format present counts."""
    formats = known.get("formats") if isinstance(known, dict) else None
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        return None
    return frozenset(formats)


def entries(folder: Path, manifest: dict[str, dict]) -> list[ArchivedDay]:
    """Every digest in the folder, newest first (undated last).

    A day lists only the formats its latest run wrote, when the record says which: a file left by an
    earlier run of that day in another format is stale and not linked (nor deleted: it is the user's).
    A day none of whose recorded formats is present (deleted by hand) is not listed."""
    found: dict[str, ArchivedDay] = {}
    for path in sorted(folder.iterdir()):
        match = DIGEST_FILE.match(path.name)
        # Only regular files count: a link planted in the folder would have its target copied and listed.
        if match and path.is_file() and not path.is_symlink():
            found.setdefault(match[1], ArchivedDay(date=match[1])).files[match[2]] = path.name
    for date, entry in list(found.items()):
        wrote = written_formats(manifest.get(date))
        if wrote is not None:
            entry.files = {fmt: name for fmt, name in entry.files.items() if fmt in wrote}
            if not entry.files:
                del found[date]
    for entry in found.values():
        known = manifest.get(entry.date)
        if not known and "json" in entry.files:  # a digest from before the record: read its counts
            try:
                known = record(json.loads((folder / entry.files["json"]).read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                known = None
        if isinstance(known, dict):
            entry.topics, entry.articles = known.get("topics"), known.get("articles")
            entry.sources = known.get("sources")
            entry.labels = [str(label) for label in known.get("labels", [])]
    return sorted(found.values(), key=lambda e: (e.date != "undated", e.date), reverse=True)


def archive_pages(folder: Path, listed: list[ArchivedDay], base_url: str | None = None) -> dict[str, bytes]:
    """index.html, latest.html and digests.atom for these entries."""
    files = {
        INDEX: render_page("index.html.j2", entries=listed, feed=FEED),
        FEED: atom_feed(listed, base_url),
    }
    if listed:
        newest = listed[0]
        if "html" in newest.files:
            # A copy, not a redirect: the stable link then works from any web server or straight from disk.
            files[LATEST] = (folder / newest.files["html"]).read_bytes()
        else:
            files[LATEST] = render_page("latest.html.j2", target=newest.main_file, date=newest.date)
    return files


def atom_feed(listed: list[ArchivedDay], base_url: str | None = None) -> bytes:
    """An Atom 1.0 feed (RFC 4287), one entry per digest; times are the digests' dates, not the run's."""
    base = safe_url(base_url.rstrip("/") + "/") if base_url else None

    def link(name: str) -> str:
        """The address of one of the folder's files: under the base URL when there is one, else relative."""
        return f"{base}{name}" if base else name

    def stamp(date: str) -> str:
        """An Atom date-time for a digest's date (the Unix epoch for the undated digest)."""
        return f"{date}T00:00:00Z" if date != "undated" else "1970-01-01T00:00:00Z"

    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")

    def add(parent: ElementTree.Element, tag: str, text: str | None = None, **attrs: str) -> ElementTree.Element:
        """Append an Atom element to `parent`, with this text and these attributes, and return it."""
        child = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        child.text = text
        return child

    add(feed, "title", "News digests")
    add(feed, "id", link(FEED) if base else f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'summarise:digests')}")
    dated = [e.date for e in listed if e.date != "undated"]
    add(feed, "updated", stamp(max(dated)) if dated else stamp("undated"))
    add(add(feed, "author"), "name", "summarise")
    add(feed, "generator", "summarise")
    if base:
        add(feed, "link", rel="self", type="application/atom+xml", href=link(FEED))
    add(feed, "link", rel="alternate", type="text/html", href=link(INDEX))
    for entry in listed:
        item = add(feed, "entry")
        add(item, "title", f"News digest for {entry.date}")
        target = link(entry.main_file)
        add(item, "id", target if base else f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'summarise:' + entry.date)}")
        add(item, "updated", stamp(entry.date))
        add(item, "link", rel="alternate", href=target)
        add(item, "summary", overview(entry), type="text")
    ElementTree.indent(feed)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def overview(entry: ArchivedDay) -> str:
    """'2 topics from 5 articles: label; label' (what is known of it)."""
    parts = []
    if entry.topics is not None and entry.articles is not None:
        parts.append(f"{_plural(entry.topics, 'topic')} from {_plural(entry.articles, 'article')}")
    if entry.labels:
        parts.append("; ".join(entry.labels))
    return ": ".join(parts) or f"News digest for {entry.date}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def updated_manifest(
    manifest: dict[str, dict], date: dt.date | None, data: dict, formats: Iterable[str] | None = None
) -> dict[str, dict]:
    """The record with this run's digest in it, in a stable (date) order.

    `formats` are the formats this run wrote for the day (kept in FORMAT_ORDER): the index then links
    only those. Without them the day's record does not say, and every format present is listed."""
    key = date.isoformat() if date else "undated"
    entry = record(data)
    if formats is not None:
        chosen = set(formats)
        unknown = sorted(chosen.difference(FORMAT_ORDER))
        if unknown:
            raise ValueError(f"unknown digest format {', '.join(map(repr, unknown))}")
        entry["formats"] = [f for f in FORMAT_ORDER if f in chosen]
    return dict(sorted({**manifest, key: entry}.items()))


def manifest_bytes(manifest: dict[str, dict]) -> bytes:
    """The record as archive.json holds it: indented JSON, keys sorted, UTF-8 (the same record, the same bytes)."""
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
