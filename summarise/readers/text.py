"""Text pages (``.txt``): the seeds' format (a ` date YYYY-MM-DD ` line, then the page's visible
text) or plain text; the article's lines are picked from the page furniture by clean.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os

from ..clean import NO_HEADER, clean_page
from ..decode import BinaryInput, decode
from ..feeds import looks_like_feed
from ..models import Article, Document
from ..pages import looks_like_html
from .base import MAX_ARTICLE_BYTES, ReadContext, cut, is_future, with_language
from .markup import read_markup

log = logging.getLogger(__name__)

SUFFIXES = (".txt",)


def read_text_file(path: str, context: ReadContext) -> list[Article]:
    """The text file's article (one, or none with the reason said). A ``.txt`` file that holds a
    saved HTML page or a feed is read as one."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)
            # In UTC, so the day does not depend on the time zone the run happens to have.
            modified = dt.datetime.fromtimestamp(os.fstat(handle.fileno()).st_mtime, dt.UTC).date()
    except OSError as error:
        return context.skip(path, "unreadable", f"cannot read: {error.strerror or error}")
    notes = []
    if len(data) > MAX_ARTICLE_BYTES:
        data = cut(data, MAX_ARTICLE_BYTES)
        notes.append(f"larger than {MAX_ARTICLE_BYTES:,} bytes; only the first {len(data):,} read")
    if not data.strip():
        return context.skip(path, "empty", "empty file" if not data else "only white space")
    try:
        decoded = decode(data)
    except BinaryInput as error:
        return context.skip(path, "binary", str(error))
    if looks_like_feed(decoded.text) or looks_like_html(decoded.text):
        return read_markup(path, None, data, context)
    if decoded.note:
        notes.append(decoded.note)
    article, problems = clean_page(Document(path=path, text=decoded.text))
    if article is None:
        return context.skip(path, "no article text", "no article text left after removing page furniture")
    if is_future(article.date, context.today):
        problems = [f"date header {article.date} is in the future; article has no date"]
        article = dataclasses.replace(article, date=None, date_source=None)
    if problems and problems[0].startswith(NO_HEADER):  # plain text: no header at all
        article = dataclasses.replace(article, date=modified, date_source="file")
        problems = [f"no date header; dated {modified} by the file's modification time"]
    notes.extend(problems)
    if notes:
        log.warning("%s: %s", path, "; ".join(notes))
    return [with_language(article)]
