"""Pick the article body out of a web page saved as its visible text.

A page's visible text is its article among menus, teasers, share rows, captions, comments and
footers, one line per block. No phrase of any language is looked for: every signal is a shape
(length, punctuation, letters and digits, capitals, place on the page, the company a line keeps),
so it carries over to sites and languages the weights were not fitted on. Each line is scored in
two stages, both logistic regressions whose weights are written below:

1. what the line is: its length in words (a CJK character counted as half a word), whether it ends
   like a sentence (Latin or CJK punctuation) or a colon, sentence breaks inside it, its shares of
   letters and digits, how many of its words are capitalised, bullets and web addresses, whether
   the page repeats it, its place on the page, and whether it comes after (and how soon after) a
   line that repeats the page's first line, which is usually the <title>: the headline printed
   over the article;
2. where it stands: its neighbours' first-stage scores over windows of 1, 2, 5 and 12 lines
   (jusText, Pomikalek 2011: a line's class follows its neighbours'), whether it lies in the densest
   run of good lines (the maximum-subarray "body text extraction" of Finn, Kushmerick and Smyth
   2001) and how much furniture separates it from that run, how strong the run holding it is next
   to the best one (all maximal scoring subsequences, Ruzzo and Tompa 1999: an article cut by a
   photo gallery is several strong runs close together, other stories' teasers and comments are
   weaker runs further off), and the page's best scores (so the cut adapts to the page).

The body is the lines of the densest run (by second-stage scores) that score above a threshold
tied to the page's best lines. Linear in the number of lines; standard library only.
"""

from __future__ import annotations

import math
import operator
import re
from functools import lru_cache

# Sentence-final punctuation, Latin and CJK, optionally followed by closing quotes or brackets.
_SENTENCE_END = re.compile(
    r"[.!?\u2026\u3002\uff01\uff1f\u203c\u2047-\u2049][\"'\u201d\u2019\u00bb)\]\u300d\u300f\uff09*]*$"
)
# A sentence break inside a line: final punctuation and a space (in CJK, the full-width stop alone).
_SENTENCE_BREAK = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*\s|[\u3002\uff01\uff1f]")
# Scripts written without spaces between words: their characters are counted instead of words.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A list item's mark: live blogs and lists of points are body when they sit in the article.
_BULLET = re.compile(r"^(?:[-\u2013\u2014*\u2022\u25aa\u25cf\u25ba\u25b8\u2192]|\d{1,3}[.)])\s")
_WEB = re.compile(r"https?:|www\.|@\w|#\w|\.com\b", re.IGNORECASE)
_TOKEN = re.compile(r"\w+")

LINE_FEATURES = (
    "bias", "log_words", "end_sentence", "end_colon", "breaks", "letters", "digits", "title_case",
    "lower_start", "bullet", "web", "repeated", "position", "no_word", "after_title", "title_near",
    "no_title",
)  # fmt: skip
CONTEXT_FEATURES = (
    "bias", "score", "prev", "next", "mean2", "mean5", "mean12", "in_block", "block_dist", "log_words",
    "before_block", "after_block", "bad_between", "top5", "seg_ratio", "seg_gap", "seg_after",
)  # fmt: skip
_LOG_WORDS = LINE_FEATURES.index("log_words")
_POSITION = LINE_FEATURES.index("position")
_REPEATED = LINE_FEATURES.index("repeated")
_CLIP = 6.0  # first-stage scores are clipped so one extreme line cannot swamp its window

# Fitted by logistic regression (scikit-learn, C=0.1, every page weighing the same, features
# standardised and the scaling folded back in) on the 92 pages of the extraction benchmark; of the
# selection settings only THRESHOLD is tuned (on the benchmark's own F1), the others fixed. F1 fitted on
# all 92: 0.930. Fitted on one half of the pages by sorted ID and scored on the other, both ways round:
# 0.887 and 0.941 (mean 0.914); over 8 random splits in halves 0.919. No page empty.
LINE_WEIGHTS = [
    -0.399565,  # bias
    0.986232,  # log_words
    1.418188,  # end_sentence
    0.405035,  # end_colon
    0.159994,  # breaks
    -5.515998,  # letters
    -6.176447,  # digits
    -0.847359,  # title_case
    0.425966,  # lower_start
    3.580495,  # bullet
    0.760772,  # web
    -1.143510,  # repeated
    -2.872204,  # position
    -3.862008,  # no_word
    3.896992,  # after_title
    0.535279,  # title_near
    4.057473,  # no_title
]
CONTEXT_WEIGHTS = [
    0.947639,  # bias
    0.308913,  # score
    0.145816,  # prev
    0.116863,  # next
    0.090009,  # mean2
    0.243298,  # mean5
    0.324736,  # mean12
    -0.138434,  # in_block
    0.052348,  # block_dist
    0.399364,  # log_words
    -0.423707,  # before_block
    0.489846,  # after_block
    -0.095004,  # bad_between
    -0.846479,  # top5
    2.179343,  # seg_ratio
    -0.353939,  # seg_gap
    0.007555,  # seg_after
]
THRESHOLD = -0.5  # second-stage score a line needs ...
REL_THRESHOLD = 0.1  # ... plus this share of the mean of the page's five best scores
BLOCK_CENTRE = 0.3  # probability above which a line adds to the densest run (0: the whole page)
# Fixed, not tuned: how run gains grow with a line's length, and the least a bad line costs.
LEN_POWER = 0.5
NEG_FLOOR = 1.0
# When nothing passes (a page of one fragment, say), the best line and the neighbours within this
# many logits of it are kept: a text with prose in it never comes back empty.
FALLBACK_MARGIN = 3.0


def body_lines(lines: list[str]) -> list[int]:
    """Indices (ascending) of the lines that make up the article body. `lines` are the page's non-empty lines after the date header, already normalised (NFC, spaces collapsed)."""  # noqa: E501
    if not lines:
        return []
    feats, scores = page_scores(lines)
    keep = select(lines, feats, scores)
    return _run_to_the_end(lines, keep) if keep else _fallback(lines, scores)


def page_scores(lines: list[str]) -> tuple[list[list[float]], list[float]]:
    """Each line's features and its second-stage score (a logit)."""
    feats = page_line_features(lines)
    first = [_dot(LINE_WEIGHTS, f) for f in feats]
    return feats, [_dot(CONTEXT_WEIGHTS, c) for c in context_features(first, feats)]


def select(lines: list[str], feats: list[list[float]], scores: list[float]) -> list[int]:
    """The lines of the densest run that score above the page's threshold."""
    lo, hi = _best_block(_gains(scores, feats, BLOCK_CENTRE)) if BLOCK_CENTRE > 0 else (0, len(lines) - 1)
    top = sorted(scores, reverse=True)[:5]
    threshold = THRESHOLD + REL_THRESHOLD * sum(top) / len(top)
    return [i for i in range(lo, hi + 1) if scores[i] > threshold]


def _is_prose(line: str) -> bool:
    """Reads as a paragraph: ends like a sentence, or runs to eight words."""
    words = len(line.split()) + len(_CJK.findall(line)) / 2.0 if not line.isascii() else len(line.split())
    return _SENTENCE_END.search(line) is not None or words >= 8


def _run_to_the_end(lines: list[str], keep: list[int]) -> list[int]:
    """Clean text (a feed's or a corpus's article) is prose to its end, bar perhaps a closing mark ("X X X",
    "END OF STORY"); a web page ends in furniture. Place on the page, a web signal, would cut clean
    text's closing paragraphs: when all that follows the body is prose, it is body too."""
    n = len(lines)
    end = n - 1 if n - keep[-1] > 2 and len(lines[-1].split()) <= 4 else n  # a closing mark may follow
    tail = range(keep[-1] + 1, end)
    if tail and all(_is_prose(lines[i]) for i in tail):
        keep = keep + list(tail)
    return keep


def _fallback(lines: list[str], scores: list[float]) -> list[int]:
    candidates = {i for i, line in enumerate(lines) if any(ch.isalnum() for ch in line)}
    if not candidates:
        return []
    best = max(candidates, key=lambda i: (scores[i], -i))
    floor = scores[best] - FALLBACK_MARGIN
    lo = hi = best
    while lo > 0 and scores[lo - 1] >= floor:
        lo -= 1
    while hi + 1 < len(lines) and scores[hi + 1] >= floor:
        hi += 1
    return [i for i in range(lo, hi + 1) if i in candidates]


# ---- first stage: what a line is ----------------------------------------------------------------


def page_line_features(lines: list[str]) -> list[list[float]]:
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    n = len(lines)
    feats = [_line_features(line, counts[line] > 1, i / max(n - 1, 1)) for i, line in enumerate(lines)]
    # The headline repeats the page title and the article follows it within a few lines; menus and
    # the site's banner come before it, so "after the headline" is among the strongest signals.
    matches = _title_matches(lines)
    last = None
    m = 0
    for i, f in enumerate(feats):
        while m < len(matches) and matches[m] < i:
            last = matches[m]
            m += 1
        f.append(1.0 if last is not None else 0.0)
        f.append(math.exp(-(i - last) / 8.0) if last is not None else 0.0)
        f.append(0.0 if matches else 1.0)  # no headline found (clean text, say): neither for nor against
    return feats


def _line_features(line: str, repeated: bool, position: float) -> list[float]:
    shape = list(_shape(line))
    shape[_REPEATED] = 1.0 if repeated else 0.0
    shape[_POSITION] = position
    return shape


# A day's pages repeat their sites' menus, share rows and footers line for line: each distinct
# line's shape is worked out once.
@lru_cache(maxsize=1 << 16)
def _shape(line: str) -> tuple[float, ...]:
    """The features that depend on the line alone (its repeat and place are filled in afterwards)."""
    words = line.split()
    cjk = len(_CJK.findall(line)) if not line.isascii() else 0
    # Chinese and Japanese words average under two characters.
    n_words = len(words) + cjk / 2.0
    non_space = len(line) - len(words) + 1
    letters = sum(map(str.isalpha, line))
    digits = sum(map(str.isdigit, line))
    # Capitalised words: menus, headlines and teasers are in title case, prose mostly is not.
    # Only scripts with case count (the first letter differs from its lower case).
    cased = [w for w in words if w[0].isalpha() and w[0].lower() != w[0].upper()]
    title_case = sum(1 for w in cased if w[0].isupper()) / len(cased) if cased else 0.0
    return (
        1.0,
        math.log1p(n_words),
        1.0 if _SENTENCE_END.search(line) else 0.0,
        1.0 if line[-1] in ":\uff1a" else 0.0,  # a line introducing a list or a quote
        min(len(_SENTENCE_BREAK.findall(line)), 5) / 5.0,  # prose cut short still has sentences in it
        letters / non_space,
        digits / non_space,  # dates, scores, prices, counters
        title_case,
        1.0 if line[0].islower() else 0.0,
        1.0 if _BULLET.match(line) else 0.0,
        1.0 if _WEB.search(line) else 0.0,
        0.0,  # repeated on the page: menus printed twice, captions shown with their gallery
        0.0,  # place on the page: footers and comments fill its end
        0.0 if letters + digits else 1.0,
    )


def _title_matches(lines: list[str]) -> list[int]:
    """Lines that repeat the page's first line (usually its <title>, site name and all): the headline."""
    title = {t.lower() for t in _TOKEN.findall(lines[0])}
    if len(title) < 2:
        return []
    out = []
    for j in range(1, len(lines)):
        tokens = [t.lower() for t in _TOKEN.findall(lines[j])]
        if len(tokens) < 2 or len(tokens) > 3 * len(title):
            continue
        inside = sum(1 for t in tokens if t in title)
        if inside >= 0.8 * len(tokens) and len(title.intersection(tokens)) >= 0.5 * len(title):
            out.append(j)
    return out


# ---- second stage: where a line stands ----------------------------------------------------------


def context_features(scores: list[float], feats: list[list[float]]) -> list[list[float]]:
    n = len(scores)
    clipped = [max(-_CLIP, min(_CLIP, s)) for s in scores]
    m2 = _window_means(clipped, 2)
    m5 = _window_means(clipped, 5)
    m12 = _window_means(clipped, 12)
    # Run values for this stage: probability over a half, times the line's log length.
    gains = [(1.0 / (1.0 + math.exp(-s)) - 0.5) * f[_LOG_WORDS] for s, f in zip(clipped, feats, strict=True)]
    lo, hi = _best_block(gains)
    # Bad lines counted outward from the densest run: how much furniture parts a line from the body
    # (comments and "more stories" sit behind share rows and headings, a paragraph after a photo does not).
    bad = [0] * n
    for i in range(lo - 1, -1, -1):
        bad[i] = bad[i + 1] + (clipped[i + 1] < 0 if i + 1 < lo else 0)
    for i in range(hi + 1, n):
        bad[i] = bad[i - 1] + (clipped[i - 1] < 0 if i - 1 > hi else 0)
    top = sorted(clipped, reverse=True)[:5]
    top5 = sum(top) / len(top)
    seg_ratio, seg_gap, seg_after = [0.0] * n, [0.0] * n, [0.0] * n
    segments = _maximal_segments(gains)
    if segments:
        main = max(segments, key=lambda seg: seg[2])
        for a, b, v in segments:
            gap = 0 if (a, b) == main[:2] else (main[0] - b - 1 if b < main[0] else a - main[1] - 1)
            for i in range(a, b + 1):
                seg_ratio[i] = v / main[2]
                seg_gap[i] = math.log1p(gap)
                seg_after[i] = 1.0 if a > main[1] else 0.0
    out = []
    for i in range(n):
        dist = 0 if lo <= i <= hi else (lo - i if i < lo else i - hi)
        out.append([
            1.0,
            clipped[i],
            clipped[i - 1] if i > 0 else -_CLIP,
            clipped[i + 1] if i + 1 < n else -_CLIP,
            m2[i],
            m5[i],
            m12[i],
            1.0 if dist == 0 else 0.0,
            math.log1p(dist),
            feats[i][_LOG_WORDS],
            1.0 if i < lo else 0.0,
            1.0 if i > hi else 0.0,
            math.log1p(bad[i]),
            top5,
            seg_ratio[i],
            seg_gap[i],
            seg_after[i],
        ])  # fmt: skip
    return out


def _gains(scores: list[float], feats: list[list[float]], centre: float) -> list[float]:
    """Finn et al.'s +/- line values, from probabilities: a long good line adds more than a short one,
    and every bad line costs at least NEG_FLOOR however short (menus are many short lines)."""
    out = []
    for f, s in zip(feats, scores, strict=True):
        g = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s)))) - centre
        w = math.expm1(f[_LOG_WORDS]) ** LEN_POWER
        out.append(g * (w if g > 0 else max(w, NEG_FLOOR)))
    return out


def _best_block(gains: list[float]) -> tuple[int, int]:
    """The maximum-sum run of lines (Kadane's algorithm), as (first, last); (0, -1) if no gain is positive."""
    best, best_lo, best_hi = 0.0, 0, -1
    total, lo = 0.0, 0
    for i, g in enumerate(gains):
        if total <= 0:
            total, lo = 0.0, i
        total += g
        if total > best:
            best, best_lo, best_hi = total, lo, i
    return best_lo, best_hi


def _maximal_segments(gains: list[float]) -> list[tuple[int, int, float]]:
    """All maximal scoring subsequences (Ruzzo and Tompa 1999), as (first, last, sum), in page order."""
    segs: list[list[float]] = []  # [first, last, cumulative sum before it, cumulative sum at its end]
    cum = 0.0
    for i, g in enumerate(gains):
        before, cum = cum, cum + g
        if g <= 0:
            continue
        new = [i, i, before, cum]
        while True:
            j = len(segs) - 1
            while j >= 0 and segs[j][2] >= new[2]:
                j -= 1
            if j < 0 or segs[j][3] >= new[3]:
                segs.append(new)
                break
            new = [segs[j][0], new[1], segs[j][2], new[3]]
            del segs[j:]
    return [(int(a), int(b), d - c) for a, b, c, d in segs]


def _window_means(values: list[float], radius: int) -> list[float]:
    """Mean of values[i-radius .. i+radius] without values[i] itself (beyond the page's edges: nothing)."""
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


def _dot(weights: list[float], values: list[float]) -> float:
    return sum(map(operator.mul, weights, values))
