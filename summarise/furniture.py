"""Page furniture: the lines and sentences that belong to the page rather than the article.

Prompts to subscribe or share, section labels, bylines, photo captions, rows of icons. The
readers (clean.py) leave such lines out of an article, and the selection (select.py) keeps such
sentences out of a digest: both ask this one module, so the two never disagree on what is news.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import SENTENCE_END

# Furniture wherever it appears in a line: prompts to subscribe, share, log in.
PROMPT = re.compile(
    r"""\b(?:newsletters?|subscribe|subscription|sign\s+up|sign\s+in|log\s+in|click\s+here
    |tap\s+here|follow\s+(?:us|our)|join\s+our|download\s+(?:our|the)\s+app
    |all\s+rights\s+reserved|not\s+intended\s+for\s+persons|promotional\s+material
    |terms\s+(?:of|and)\s+(?:use|service|conditions)|privacy\s+policy|cookies?\s+policy
    |content\s+is\s+loading|access\s+premium|member[\s-]only|whatsapp\s+channel
    |reporting\s+by|editing\s+by|writing\s+by|additional\s+reporting|contributed\s+to\s+this\s+report
    |recommended\s+for\s+you|skip\s+to\s+(?:main\s+)?content|listen\s+to\s+this\s+article
    |comments?\s+(?:are|have\s+been)\s+closed)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A word of every one of PROMPT's phrases, lower-case. A line holding none of them cannot match, and
# these plain substring tests cost a fraction of the case-blind search: most lines are spared it.
PROMPT_HINTS = (
    "newsletter", "subscri", "sign", "log", "click", "tap", "follow", "join", "download", "rights", "intended",
    "promotional", "terms", "privacy", "cookie", "loading", "premium", "member", "whatsapp", "reporting",
    "editing", "writing", "contributed", "recommended", "skip", "listen", "comment",
)  # fmt: skip

# Furniture at the start of a line: section markers, labels and credits.
LABEL = re.compile(
    r"""^(?:also\s+read|read\s+(?:more|next|also)\b|related\b.{0,20}$|related\s*:|more\s+(?:from|on)\b
    |recommended\b|editor['\u2019]?s\s+(?:choice|picks?)|most\s+(?:read|popular|viewed)|trending\b
    |top\s+stories|latest\s+news|you\s+(?:may|might)\s+also|see\s+also|don['\u2019]?t\s+miss
    |advertisement|sponsored|promoted|posted\b|published\b|updated\b|last\s+updated|first\s+published
    |source\s*:|photo\s*:|image\s*:|picture\s*:|credits?\s*:|file\s+photo|watch\s*:|listen\s*:
    |\u00a9|copyright\b|\(c\)\s|\d+\s+min(?:ute)?s?\s+read)""",
    re.IGNORECASE | re.VERBOSE,
)

# Photo captions run to a sentence or two (the longest on the 92 dev pages has 39 words).
CAPTION_MAX_WORDS = 60
# Photo captions: a trailing parenthesis that credits a photographer or agency,
# or a line that introduces a picture.
_TRAILING_PAREN = re.compile(r"\(([^()]{2,160})\)\s*\.?\s*$")
_CREDIT_WORD = re.compile(
    r"/|\b(?:photo|photograph|pic|picture|image|via|pool|handout|getty|file|credit|courtesy"
    r"|shutterstock|afp|reuters|ap|epa|efe|anadolu|sputnik|xinhua|bloomberg)\b",
    re.IGNORECASE,
)
CAPTION_START = re.compile(
    r"^i?n\s+this\b.{0,60}\b(?:photo|picture|image|handout|video|still|file)\b"
    r"|^(?:pictured|above|top|main\s+image|left|right)\s*:",
    re.IGNORECASE,
)
ICON = re.compile(r"\bicons?\b", re.IGNORECASE)
BYLINE = re.compile(r"^by\s+(?:the\s+)?(.+?)\s*$", re.IGNORECASE)


@lru_cache(maxsize=1 << 16)  # the same menus, share rows and credits recur on every page of a site
def is_furniture(line: str) -> bool:
    """True for lines that belong to the page rather than the article."""
    lower = line.lower()
    if any(hint in lower for hint in PROMPT_HINTS) and PROMPT.search(line):
        return True
    if LABEL.match(line) or CAPTION_START.match(line):
        return True
    if "icon" in lower and len(ICON.findall(line)) >= 3:
        return True
    if BYLINE.match(line) and len(line.split()) <= 8 and not SENTENCE_END.search(line):
        return True
    return is_caption(line)


def is_caption(line: str) -> bool:
    """A photo caption: a short text that ends with a parenthesis crediting the picture.

    Length matters: wire copy ends its last paragraph with the editors' initials in the same
    shape ("... the investigation. (rn/sl)"), and a paragraph of several sentences is not a caption.
    """
    if len(line.split()) > CAPTION_MAX_WORDS:
        return False
    match = _TRAILING_PAREN.search(line)
    return bool(match and _CREDIT_WORD.search(match.group(1)))
