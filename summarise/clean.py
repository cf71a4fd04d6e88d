"""Turn a saved web page into an `Article`: date, headline, publisher, body.

A page saved as text is the article's paragraphs mixed with page furniture:
menus, icon descriptions, share buttons, ads, "ALSO READ" lines, lists of
other stories' headlines, newsletter prompts, photo captions and credits,
bylines and copyright lines. The body is kept line by line: a line is body
when it reads as prose (ends like a sentence, has a few words) and matches
none of the furniture patterns below. Everything else is furniture, but the
furniture still tells us things: the headline is the title-like line near
the top that the body talks about, and the publisher is named in bylines,
datelines, "Source:" and copyright lines.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections import Counter

from .body import body_lines
from .furniture import BYLINE, CAPTION_START, ICON, LABEL, is_caption, is_furniture
from .metadata import clean_title, copyright_holder, find_author, split_title
from .models import Article, Document
from .text import SENTENCE_END, content_stems

log = logging.getLogger(__name__)

# The seed format: the first line starts with " date YYYY-MM-DD" and runs on
# into whatever the page began with.
_HEADER = re.compile(r"^\ufeff?\s*date\s+(\S+)[ \t]*(.*)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_INNER_SENTENCE_END = re.compile(r"[a-z0-9][.!?][\"'\u201d\u2019)\]]*\s+[\"'\u201c\u2018(]?[A-Z]")

_BREADCRUMB = re.compile(r"[\u00bb|>\u203a]")

# Publishers: wire agencies by the names they go by, mapped to one spelling.
_AGENCIES = [
    (re.compile(r"\bAgence\s+France[\s-]Presse\b|\bAFP\b"), "AFP"),
    (re.compile(r"\bAssociated\s+Press\b|\bAP\b"), "Associated Press"),
    (re.compile(r"\bReuters\b", re.IGNORECASE), "Reuters"),
    (re.compile(r"\bPress\s+Association\b|\bPA\s+Media\b|\bPA\b"), "Press Association"),
    (re.compile(r"\bBloomberg\b"), "Bloomberg"),
    (re.compile(r"\bDeutsche\s+Presse-Agentur\b|\bdpa\b"), "dpa"),
    (re.compile(r"\bXinhua\b"), "Xinhua"),
    (re.compile(r"\bKyodo\b"), "Kyodo"),
    (re.compile(r"\bYonhap\b"), "Yonhap"),
    (re.compile(r"\bANSA\b"), "ANSA"),
    (re.compile(r"\bEFE\b"), "EFE"),
    (re.compile(r"\bUPI\b|\bUnited\s+Press\s+International\b"), "UPI"),
    (re.compile(r"\bPTI\b|\bPress\s+Trust\s+of\s+India\b"), "PTI"),
    (re.compile(r"\bAnadolu\b"), "Anadolu"),
]
_SOURCE_LINE = re.compile(r"^source\s*:\s*(.+?)\s*$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^(?:\u00a9|copyright\b|\(c\)\s)\s*(?:\d{4}\s*)?(.+?)\s*$", re.IGNORECASE)
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'\u2019-]+(?:[ ,]+[A-Z][A-Za-z.'\u2019-]+){0,3}"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*\(([^()]{1,40})\)\s*[-\u2013\u2014:]"
)
# A dateline opening a paragraph ("SEOUL: ", "MOSCOW (AP) — ", "DAYTON, Ohio _ "), shown without it.
_DATELINE_PREFIX = re.compile(
    r"^[A-Z][A-Z.'\u2019-]+(?:[ ,]+[A-Z][A-Z.'\u2019-]+){0,3}"
    r"(?:,\s*[A-Z][a-z]+\.?(?:\s[A-Z][a-z]+\.?)?)?"  # the state or country: "DAYTON, Ohio", "BETHLEHEM, West Bank"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^()]{1,40}\))?\s*(?:[-\u2013\u2014_]+|:)\s+(?=[\"'\u201c\u2018A-Z])"
)

NO_HEADER = "no ' date YYYY-MM-DD' header"
HEADLINE_MIN_WORDS = 4
HEADLINE_MAX_WORDS = 30
BODY_MIN_WORDS = 4
# A line this long is prose even when its last sentence is cut off.
PROSE_MIN_WORDS = 8


def normalise_line(line: str) -> str:
    """One line of text with Unicode in NFC, control characters dropped and spaces collapsed."""
    line = unicodedata.normalize("NFC", line)
    if not line.isprintable():  # rare: most lines need no character-by-character pass
        line = "".join(ch if ch.isprintable() else " " for ch in line)
    return " ".join(line.split())


def parse_header(text: str) -> tuple[dt.date | None, str, str | None]:
    """Split off the seed header: (date, the rest of the text, a problem or None)."""
    first, newline, rest = text.partition("\n")
    match = _HEADER.match(first)
    if not match:
        return None, text, NO_HEADER
    raw_date, tail = match.groups()
    remainder = tail + newline + rest
    if not _ISO_DATE.match(raw_date):
        return None, remainder, f"date header {raw_date!r} is not YYYY-MM-DD"
    try:
        return dt.date.fromisoformat(raw_date), remainder, None
    except ValueError:
        return None, remainder, f"date header {raw_date!r} is not a real date"


def reads_as_prose(paragraph: str) -> bool:
    """A paragraph for the summariser: a few words ending like a sentence, not a label, credit,
    caption or row of icons. Phrases inside a paragraph (prompts to subscribe and the like) do not
    count against it here: they only keep their own sentence out of the digest, at selection.
    """
    words = paragraph.split()
    if len(words) < BODY_MIN_WORDS:
        return False
    # A paragraph cut short ("..., 6th graf pvs") still holds the whole sentences before the cut.
    if not (SENTENCE_END.search(paragraph) or _INNER_SENTENCE_END.search(paragraph)):
        return False
    if not any(ch.islower() for ch in paragraph):
        return False
    if LABEL.match(paragraph) or CAPTION_START.match(paragraph) or is_caption(paragraph):
        return False
    if BYLINE.match(paragraph) and len(words) <= 8:
        return False
    return not ("icon" in paragraph.lower() and len(ICON.findall(paragraph)) >= 3)


def is_body(line: str) -> bool:
    """A paragraph of the article: prose, not furniture."""
    words = line.split()
    if len(words) < BODY_MIN_WORDS or not SENTENCE_END.search(line):
        return False
    if not any(ch.islower() for ch in line):
        return False
    return not is_furniture(line)


def strip_dateline(paragraph: str) -> str:
    """The paragraph without the dateline it opens with, if any ("MOSCOW (AP) — ", "DAYTON, Ohio — ")."""
    return _DATELINE_PREFIX.sub("", paragraph, count=1)


def find_headline(lines: list[str], body: list[str]) -> str | None:
    """The title-like line before the body that the body is most about.

    Candidates are lines near the top that are not prose and not furniture.
    Each is scored by how many of its content words the body uses, with a
    bonus when the page repeats it (sites often print the headline twice)
    and a small one for sitting close to where the body starts.
    """
    body_stems = set()
    for paragraph in body[:8]:
        body_stems.update(content_stems(paragraph))
    if not body_stems:
        return None
    counts = Counter(lines)
    first_body = next((i for i, line in enumerate(lines) if is_body(line)), len(lines))
    best, best_score = None, 0.0
    for index, line in enumerate(lines[: first_body + 1]):
        if not _is_headline_candidate(line):
            continue
        stems = content_stems(line)
        if len(stems) < 2:
            continue
        overlap = len(set(stems) & body_stems) / len(set(stems))
        repeated = 0.3 if counts[line] > 1 else 0.0
        nearness = 0.1 * (index + 1) / (first_body + 1)
        score = overlap + repeated + nearness
        if score > best_score:
            best, best_score = line, score
    return best if best_score >= 0.5 else None


def _is_headline_candidate(line: str) -> bool:
    words = line.split()
    if not HEADLINE_MIN_WORDS <= len(words) <= HEADLINE_MAX_WORDS:
        return False
    if line.endswith(".") or is_furniture(line) or _BREADCRUMB.search(line):
        return False
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and any(ch.islower() for ch in letters)


def find_publisher(lines: list[str]) -> str | None:
    """The agency or publisher the page credits for the article, if it says.

    Only places where pages credit the article count: a byline, a dateline
    such as "MOSCOW (AP) —", a "Source:" or copyright line, or a line that is
    nothing but an agency's name. Agencies named in the story itself or in
    photo credits ("via AP") do not.
    """
    votes: Counter[str] = Counter()
    first_seen: dict[str, int] = {}

    def vote(name: str | None, weight: int, index: int) -> None:
        """Count `weight` votes for the credited name, if there is one, and note the first line that credits it."""
        if name:
            votes[name] += weight
            first_seen.setdefault(name, index)

    for index, line in enumerate(lines):
        if is_caption(line):
            continue
        short = len(line.split()) <= 8
        if short and (m := BYLINE.match(line)):
            vote(_agency(m.group(1)), 3, index)
        elif m := _SOURCE_LINE.match(line):
            vote(_agency(m.group(1)) or _plain_name(m.group(1)), 3, index)
        elif m := _COPYRIGHT.match(line):
            credit = m.group(1)
            vote(_agency(credit), 1 if "/" in credit else 2, index)
        elif m := _DATELINE.match(line):
            vote(_agency(m.group(1)), 3, index)
        elif short and (agency := _agency(line)) and _is_only_name(line):
            vote(agency, 3, index)
    if not votes:
        return None
    return min(votes, key=lambda name: (-votes[name], first_seen[name]))


def _agency(text: str) -> str | None:
    for pattern, name in _AGENCIES:
        if pattern.search(text):
            return name
    return None


def _is_only_name(line: str) -> bool:
    """The line is an agency's name and little else ("AFP", "The Associated Press")."""
    stripped = re.sub(r"^the\s+", "", line.strip(" .-\u2013\u2014"), flags=re.IGNORECASE)
    return any(pattern.fullmatch(stripped) for pattern, _ in _AGENCIES)


def _plain_name(text: str) -> str | None:
    """A publisher named plainly in a "Source:" line, without staff initials ("Reuters/ga")."""
    name = text.split("/")[0].strip(" .,;")
    return name if 0 < len(name.split()) <= 5 else None


def body_paragraphs(lines: list[str]) -> list[str]:
    """The prose lines, each once."""
    body: list[str] = []
    seen: set[str] = set()
    for line in lines:
        if is_body(line) and line not in seen:
            seen.add(line)
            body.append(line)
    return body


def text_paragraphs(text: str) -> list[str]:
    """The paragraphs of text already taken out of its page (a data set's, a feed entry's), each once.

    A paragraph is a line that ends like a sentence, or runs long enough to be prose whose last
    sentence is unfinished: a paragraph cut short by the wire ("..., 6th graf pvs") or by a feed
    keeps the sentences before the cut, which are what the summariser picks. Short lines that end
    like no sentence are headings, slugs and codes ("(pfg-xx)"), not the article's sentences.
    """
    lines = (line for line in map(normalise_line, text.splitlines()) if line)
    return list(
        dict.fromkeys(
            line
            for line in lines
            if any(ch.isalnum() for ch in line) and (SENTENCE_END.search(line) or len(line.split()) >= PROSE_MIN_WORDS)
        )
    )


_ANY_SENTENCE_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u201d\u2019)\]\u300d\u300f]*(?:\s|$)")


def _is_article_sentence(line: str) -> bool:
    """A line that holds at least one sentence of an article, in any script: a page with none has no
    article, however its lines were chosen (a page of menus and prompts only)."""
    long_enough = len(line.split()) >= BODY_MIN_WORDS or (not line.isascii() and len(line) >= 12)
    return long_enough and bool(_ANY_SENTENCE_END.search(line)) and not is_furniture(line)


def describe_kept(lines: list[str], kept: list[int]) -> str:
    """How many of a page's lines were kept as the article, and the dropped ones by kind, for -v."""
    counts = Counter(lines)
    chosen = set(kept)
    kinds: Counter[str] = Counter()
    for index, line in enumerate(lines):
        if index in chosen:
            continue
        if counts[line] > 1:
            kinds["repeated"] += 1
        elif len(line.split()) < BODY_MIN_WORDS and len(line) < 20:
            kinds["short"] += 1
        elif not SENTENCE_END.search(line):
            kinds["not a sentence"] += 1
        else:
            kinds["prose outside the article"] += 1
    dropped = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"kept {len(kept)} of {len(lines)} lines" + (f"; dropped {dropped}" if dropped else "")


def clean_document(document: Document) -> Article | None:
    """The article in a saved page, or None (with a warning) if the page holds none."""
    article, problems = clean_page(document)
    for problem in problems:
        log.warning("%s: %s", document.path, problem)
    return article


def clean_page(document: Document) -> tuple[Article | None, list[str]]:
    """The article in a saved page (or None), and what was wrong with the page, for the reader to report."""
    date, text, problem = parse_header(document.text)
    problems = [f"{problem}; article has no date"] if problem else []
    lines = [line for line in map(normalise_line, text.splitlines()) if line]
    kept = body_lines(lines) or [i for i, line in enumerate(lines) if is_body(line)]  # never nothing for prose
    if log.isEnabledFor(logging.INFO):
        log.info("%s: %s", document.path, describe_kept(lines, kept))
    body = list(dict.fromkeys(lines[i] for i in kept))
    if not any(_is_article_sentence(line) for line in body):  # menus and prompts only
        return None, ["skipped: no article text left after removing page furniture"]
    # What runs on after the date header is whatever the page began with: often its <title>.
    page_title = normalise_line(text.partition("\n")[0]) if problem != NO_HEADER else ""
    headline, site = split_title(page_title) if page_title else ("", None)
    # A site's name split off the title shows it is the page's <title>, which names the story.
    title = headline if _names_the_story(headline, body, site is not None) else clean_title(find_headline(lines, body))
    # The title is the article's headline, not its text: the page title line, and the headline
    # printed above the article, leave the body.
    heading = {_plain_words(page_title), _plain_words(title or "")} - {""}
    body = [line for line in body if not _is_heading(line, heading)] or body
    article = Article(
        path=document.path,
        date=date,
        title=title,
        source=find_publisher(lines) or site or copyright_holder(lines),
        paragraphs=tuple(body),
        date_source="header" if date else None,
        author=find_author(lines),
    )
    return article, problems


def _plain_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _is_heading(line: str, heading: set[str]) -> bool:
    """The line's plain words are one of `heading`'s. Those words are pieces of the line in lower
    case, so a line without a heading's first and last word is not it: most are passed over unsplit."""
    lower = line.lower()
    if not any(h.partition(" ")[0] in lower and h.rpartition(" ")[2] in lower for h in heading):
        return False
    return _plain_words(line) in heading


def _names_the_story(headline: str, body: list[str], titled: bool) -> bool:
    """A page title that reads as a headline and, unless `titled` (a site's name was split off
    it), shares most of its words with the body's start."""
    if not headline or not _is_headline_candidate(headline.replace("|", " ")):
        return False
    if titled:
        return True
    stems = set(content_stems(headline))
    if len(stems) < 2:
        return False
    opening = set()
    for paragraph in body[:8]:
        opening.update(content_stems(paragraph))
    return len(stems & opening) >= 0.5 * len(stems)


def article_from_text(
    path: str, text: str, *, title: str | None, date: dt.date | None, source: str | None = None
) -> Article | None:
    """An article whose metadata is known already (a data set, a feed): only the body is cleaned."""
    body = text_paragraphs(text)
    if not body:
        return None
    return Article(path=path, date=date, title=title, source=source, paragraphs=tuple(body))
