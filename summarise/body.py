"""Pick the article body out of a web page saved as its visible text.

DRAFT
"""

from __future__ import annotations

import math
import re

# Sentence-final punctuation, Latin and CJK, optionally followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f\u203c\u2047-\u2049][\"'\u201d\u2019\u00bb)\]\u300d\u300f\uff09*]*$")
# A sentence break inside a line: final punctuation, then a space (or, in CJK, nothing).
_SENTENCE_BREAK = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*\s|[\u3002\uff01\uff1f]")
# Scripts written without spaces between words: count their characters instead of words.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Characters that separate the items of menus, breadcrumbs and share rows.
_SEPARATORS = frozenset("|\u00bb\u203a\u2022\u00b7>/\u25b8\u25ba\u2192")
_BULLET = re.compile(r"^(?:[-\u2013\u2014*\u2022\u25aa\u25cf\u25ba\u25b8\u2192]|\d{1,3}[.)])\s")
_WEB = re.compile(r"https?:|www\.|@\w|#\w|\.com\b", re.IGNORECASE)
_COMMAS = re.compile(r"[,;\uff0c\u3001\uff1b]")

LINE_FEATURES = (
    "bias", "log_words", "short", "long", "end_sentence", "end_colon", "breaks", "commas",
    "letters", "digits", "upper", "title_case", "lower_start", "separators", "bullet", "web",
    "repeated", "position", "no_word",
)  # fmt: skip


def _line_features(line: str, repeated: bool, position: float) -> list[float]:
    words = line.split()
    n_chars = len(line)
    cjk = len(_CJK.findall(line)) if not line.isascii() else 0
    # Chinese and Japanese words average under two characters.
    n_words = len(words) + cjk / 2.0
    non_space = n_chars - len(words) + 1
    letters = sum(map(str.isalpha, line))
    digits = sum(map(str.isdigit, line))
    upper = sum(map(str.isupper, line))
    cased_words = [w for w in words if w[0].isalpha() and w[0].lower() != w[0].upper()]
    title = sum(1 for w in cased_words if w[0].isupper()) / len(cased_words) if cased_words else 0.0
    first = line[0]
    return [
        1.0,
        math.log1p(n_words),
        1.0 if n_words < 4 else 0.0,
        1.0 if n_words >= 15 else 0.0,
        1.0 if _SENTENCE_END.search(line) else 0.0,
        1.0 if line[-1] in ":\uff1a" else 0.0,
        min(len(_SENTENCE_BREAK.findall(line)), 5) / 5.0,
        min(len(_COMMAS.findall(line)) / max(n_words, 1.0), 0.5) * 2.0,
        letters / non_space,
        digits / non_space,
        upper / letters if letters else 0.0,
        title,
        1.0 if first.islower() else 0.0,
        1.0 if any(ch in _SEPARATORS for ch in line) else 0.0,
        1.0 if _BULLET.match(line) else 0.0,
        1.0 if _WEB.search(line) else 0.0,
        1.0 if repeated else 0.0,
        position,
        0.0 if letters + digits else 1.0,
    ]


def page_line_features(lines: list[str]) -> list[list[float]]:
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    n = len(lines)
    return [_line_features(line, counts[line] > 1, i / max(n - 1, 1)) for i, line in enumerate(lines)]


def _dot(w, x) -> float:
    return sum(a * b for a, b in zip(w, x))


def _window_means(values: list[float], radius: int) -> list[float]:
    """Mean of values[i-radius .. i+radius] without values[i] itself (pages' edges count as absent)."""
    n = len(values)
    prefix = [0.0]
    for v in values:
        prefix.append(prefix[-1] + v)
    out = []
    for i in range(n):
        lo, hi = max(0, i - radius), min(n, i + radius + 1)
        k = hi - lo - 1
        out.append((prefix[hi] - prefix[lo] - values[i]) / k if k else 0.0)
    return out


def _best_block(gains: list[float]) -> tuple[int, int]:
    """Finn et al.'s maximum subarray (Kadane): the run of lines whose gains sum highest."""
    best, best_lo, best_hi = -math.inf, 0, -1
    total, lo = 0.0, 0
    for i, g in enumerate(gains):
        if total <= 0:
            total, lo = 0.0, i
        total += g
        if total > best:
            best, best_lo, best_hi = total, lo, i
    return best_lo, best_hi


CONTEXT_FEATURES = ("bias", "score", "prev", "next", "mean2", "mean5", "mean12", "in_block", "block_dist", "log_words")


def context_features(scores: list[float], line_feats: list[list[float]]) -> list[list[float]]:
    n = len(scores)
    clipped = [max(-6.0, min(6.0, s)) for s in scores]
    m2 = _window_means(clipped, 2)
    m5 = _window_means(clipped, 5)
    m12 = _window_means(clipped, 12)
    gains = [(1.0 / (1.0 + math.exp(-s)) - 0.5) * f[1] for s, f in zip(clipped, line_feats)]
    lo, hi = _best_block(gains)
    out = []
    for i in range(n):
        dist = 0 if lo <= i <= hi else (lo - i if i < lo else i - hi)
        out.append([
            1.0,
            clipped[i],
            clipped[i - 1] if i > 0 else -6.0,
            clipped[i + 1] if i + 1 < n else -6.0,
            m2[i], m5[i], m12[i],
            1.0 if dist == 0 else 0.0,
            math.log1p(dist),
            line_feats[i][1],
        ])
    return out


LINE_WEIGHTS = [0.0] * len(LINE_FEATURES)
CONTEXT_WEIGHTS = [0.0] * len(CONTEXT_FEATURES)
THRESHOLD = 0.0


def body_lines(lines: list[str]) -> list[int]:
    """Indices (ascending) of the lines that make up the article body. `lines` are the page's non-empty lines after the date header, already normalised (NFC, spaces collapsed)."""
    if not lines:
        return []
    feats = page_line_features(lines)
    s1 = [_dot(LINE_WEIGHTS, f) for f in feats]
    ctx = context_features(s1, feats)
    s2 = [_dot(CONTEXT_WEIGHTS, c) for c in ctx]
    keep = [i for i, s in enumerate(s2) if s > THRESHOLD]
    return keep
