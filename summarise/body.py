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
tied to the page's best lines. Linear in the number of lines; standard library only. Each distinct
line's shape is worked out once (an ASCII line's by byte counts in C), and the scores are added up
term by term in the features' order, as `_dot` adds them: the same numbers, bit for bit, faster.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate
from typing import Final

from .text import SENTENCE_END

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
_NO_WORD = LINE_FEATURES.index("no_word")
_CLIP = 6.0  # first-stage scores are clipped so one extreme line cannot swamp its window

# Fitted by logistic regression (scikit-learn, C=0.1, every page weighing the same, features
# standardised and the scaling folded back in) on the 92 pages of the extraction benchmark; of the
# selection settings only THRESHOLD is tuned (on the benchmark's own F1), the others fixed. F1 fitted on
# all 92: 0.930. Fitted on one half of the pages by sorted ID and scored on the other, both ways round:
# 0.887 and 0.941 (mean 0.914); over 8 random splits in halves 0.919. No page empty.
# benchmarks/fit_body.py reproduces the procedure (lines labelled body when all their tokens lie in
# shingles the page shares with the marked article: weights off by 0.03 (first stage) and 0.09 RMS in
# standardised units, THRESHOLD -0.5 again). With C and THRESHOLD chosen by 4-fold CV inside each training
# half, `.venv/bin/python benchmarks/fit_body.py` holds out 0.913 and 0.942 (mean 0.928) by sorted
# halves and 0.922 over 8 random splits, the same as without that CV (0.919, 0.923): these weights kept.
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
    facts = [_line_facts(line) for line in lines]
    scores = _second_stage(_first_stage(lines, facts), facts)
    keep = _select(scores, [f[_RUN_WEIGHT] for f in facts])
    return _run_to_the_end(lines, keep) if keep else _fallback(lines, scores)


def page_scores(lines: list[str]) -> tuple[list[list[float]], list[float]]:
    """Each line's features and its second-stage score (a logit)."""
    facts = [_line_facts(line) for line in lines]
    return page_line_features(lines), _second_stage(_first_stage(lines, facts), facts)


def select(lines: list[str], feats: list[list[float]], scores: list[float]) -> list[int]:
    """The lines of the densest run that score above the page's threshold."""
    return _select(scores, [_run_weight(f[_LOG_WORDS]) for f in feats])


def choose(lines: list[str], feats: list[list[float]], scores: list[float]) -> list[int]:
    """What body_lines gives for these second-stage scores (benchmarks/fit_body.py tries weights by it)."""
    keep = select(lines, feats, scores)
    return _run_to_the_end(lines, keep) if keep else _fallback(lines, scores)


def _select(scores: list[float], run_weights: list[float]) -> list[int]:
    lo, hi = _best_block(_gains(scores, run_weights, BLOCK_CENTRE)) if BLOCK_CENTRE > 0 else (0, len(scores) - 1)
    top = sorted(scores, reverse=True)[:5]
    threshold = THRESHOLD + REL_THRESHOLD * sum(top) / len(top)
    return [i for i in range(lo, hi + 1) if scores[i] > threshold]


def _is_prose(line: str) -> bool:
    """Reads as a paragraph: ends like a sentence, or runs to eight words."""
    words = len(line.split()) + len(_CJK.findall(line)) / 2.0 if not line.isascii() else len(line.split())
    return SENTENCE_END.search(line) is not None or words >= 8


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
    """Each line's LINE_FEATURES, in order (what the weights were fitted on)."""
    facts = [_line_facts(line) for line in lines]
    repeated, position, after, near, no_title = _page_columns(lines, facts)
    feats = []
    for i, f in enumerate(facts):
        shape = list(f[_SHAPE])
        shape[_REPEATED] = repeated[i]
        shape[_POSITION] = position[i]
        feats.append([*shape, after[i], near[i], no_title])
    return feats


def _first_stage(lines: list[str], facts: list[tuple]) -> list[float]:
    """Each line's first-stage score: LINE_WEIGHTS times page_line_features, summed term by term in
    the features' order (as _dot sums them) from the line's cached sum of the terms before `repeated`."""
    repeated, position, after, near, no_title = _page_columns(lines, facts)
    w_rep, w_pos, w_none, w_after, w_near, w_no_title = LINE_WEIGHTS[_REPEATED:]
    return [
        f[_HEAD]
        + w_rep * r
        + w_pos * p
        + w_none * f[_SHAPE][_NO_WORD]
        + w_after * a
        + w_near * m
        + w_no_title * no_title
        for f, r, p, a, m in zip(facts, repeated, position, after, near, strict=True)
    ]


_Column = list[float]


def _page_columns(lines: list[str], facts: list[tuple]) -> tuple[_Column, _Column, _Column, _Column, float]:
    """The features that depend on the page: repeated, position, after_title, title_near (one value a
    line) and no_title (one for the page)."""
    n = len(lines)
    counts = Counter(lines)
    repeated = [1.0 if counts[line] > 1 else 0.0 for line in lines] if len(counts) < n else [0.0] * n
    scale = max(n - 1, 1)
    position = [i / scale for i in range(n)]
    # The headline repeats the page title and the article follows it within a few lines; menus and
    # the site's banner come before it, so "after the headline" is among the strongest signals.
    matches = _title_matches(lines, facts)
    after, near = [0.0] * n, [0.0] * n
    if matches:
        m, last = 0, matches[0]
        for i in range(matches[0] + 1, n):
            while m < len(matches) and matches[m] < i:
                last = matches[m]
                m += 1
            after[i] = 1.0
            near[i] = math.exp(-(i - last) / 8.0)
    no_title = 0.0 if matches else 1.0  # no headline found (clean text, say): neither for nor against
    return repeated, position, after, near, no_title


# What is cached for each distinct line (a day's pages repeat their sites' menus, share rows and
# footers line for line): its shape, the first-stage sum of the shape's terms before `repeated`,
# its weight in the densest run, and how many word tokens it has.
# Where each fact sits in _line_facts' tuple (Final, so a type checker knows each item's type).
_SHAPE: Final = 0
_HEAD: Final = 1
_RUN_WEIGHT: Final = 2
_N_TOKENS: Final = 3
_HEAD_WEIGHTS = LINE_WEIGHTS[:_REPEATED]


@lru_cache(maxsize=1 << 16)
def _line_facts(line: str) -> tuple[tuple[float, ...], float, float, int]:
    shape, n_tokens = _ascii_shape(line) if line.isascii() else _shape(line)
    return shape, _dot(_HEAD_WEIGHTS, shape), _run_weight(shape[_LOG_WORDS]), n_tokens


def _run_weight(log_words: float) -> float:
    """How much a good line adds to its run: its length in words to the power LEN_POWER."""
    return math.expm1(log_words) ** LEN_POWER


def _shape(line: str) -> tuple[tuple[float, ...], int]:
    """The features that depend on the line alone (its repeat and place are filled in afterwards),
    and how many word tokens it has."""
    words = line.split()
    cjk = len(_CJK.findall(line)) if not line.isascii() else 0
    # Chinese and Japanese words average under two characters.
    n_words = len(words) + cjk / 2.0
    letters = sum(map(str.isalpha, line))
    digits = sum(map(str.isdigit, line))
    # Capitalised words: menus, headlines and teasers are in title case, prose mostly is not.
    # Only scripts with case count (the first letter differs from its lower case).
    cased = [w for w in words if w[0].isalpha() and w[0].lower() != w[0].upper()]
    title_case = sum(1 for w in cased if w[0].isupper()) / len(cased) if cased else 0.0
    end_sentence = SENTENCE_END.search(line) is not None
    breaks = len(_SENTENCE_BREAK.findall(line))
    web = _WEB.search(line) is not None
    shape = _shape_of(line, n_words, len(words), letters, digits, title_case, end_sentence, breaks, web)
    return shape, len(_TOKEN.findall(line))


# An ASCII line's bytes by class, for counting in C: "U" and "l" letters in upper and lower case,
# "d" digits, "w" the underscore, " " white space, "p" sentence-final punctuation, "c" the closing
# quotes and brackets that may follow it, "x" the rest.
_CLASSES = bytes(
    ord(
        "U" if ch.isupper() else "l" if ch.islower() else "d" if ch.isdigit() else "w" if ch == "_"
        else " " if ch.isspace() else "p" if ch in ".!?" else "c" if ch in "\"')]" else "x"
    )
    for ch in map(chr, range(128))
) + b"x" * 128  # fmt: skip
_SPACE_OR_NOT = bytes.maketrans(b"Uldwpcx", b"xxxxxxx")  # a word starts at each " x"
_WORD_OR_NOT = bytes.maketrans(b"Uldwpcx", b"aaaa   ")  # a token (\w+) starts at each " a"


def _ascii_shape(line: str) -> tuple[tuple[float, ...], int]:
    """What _shape gives for an ASCII line, by byte counts (a word is split off at white space as
    by str.split, a letter is A-Z or a-z, a digit 0-9, no character is CJK): a few times faster."""
    classes = (b" " + line.encode("ascii")).translate(_CLASSES)  # the space: a word may start at 0
    n_words = classes.translate(_SPACE_OR_NOT).count(b" x")
    letters = classes.count(b"U") + classes.count(b"l")
    upper = classes.count(b" U")
    cased = upper + classes.count(b" l")
    if line.endswith("\n"):  # $ would match before it
        end_sentence = SENTENCE_END.search(line) is not None
    else:
        end_sentence = line.rstrip("\"')]*")[-1:] in (".", "!", "?")
    # _SENTENCE_BREAK: punctuation, closing marks, white space; with the closing marks taken out, "p ".
    breaks = classes.translate(None, b"c").count(b"p ")
    lower = line.lower()
    # Only a line holding one of these (in any case) can match _WEB: most lines are spared the search.
    hinted = "@" in line or "#" in line or "http" in lower or "www." in lower or ".com" in lower
    web = hinted and _WEB.search(line) is not None
    digits = classes.count(b"d")
    title_case = upper / cased if cased else 0.0
    shape = _shape_of(line, n_words + 0 / 2.0, n_words, letters, digits, title_case, end_sentence, breaks, web)
    return shape, classes.translate(_WORD_OR_NOT).count(b" a")


def _shape_of(
    line: str,
    n_words: float,
    split_words: int,
    letters: int,
    digits: int,
    title_case: float,
    end_sentence: bool,
    breaks: int,
    web: bool,
) -> tuple[float, ...]:
    """The shape from what was counted in the line (split_words: how many str.split gives)."""
    non_space = len(line) - split_words + 1
    return (
        1.0,
        math.log1p(n_words),
        1.0 if end_sentence else 0.0,
        1.0 if line[-1] in ":\uff1a" else 0.0,  # a line introducing a list or a quote
        min(breaks, 5) / 5.0,  # prose cut short still has sentences in it
        letters / non_space,
        digits / non_space,  # dates, scores, prices, counters
        title_case,
        1.0 if line[0].islower() else 0.0,
        1.0 if _BULLET.match(line) else 0.0,
        1.0 if web else 0.0,
        0.0,  # repeated on the page: menus printed twice, captions shown with their gallery
        0.0,  # place on the page: footers and comments fill its end
        0.0 if letters + digits else 1.0,
    )


def _title_matches(lines: list[str], facts: list[tuple] | None = None) -> list[int]:
    """Lines that repeat the page's first line (usually its <title>, site name and all): the headline."""
    title = set(_tokens(lines[0]))
    if len(title) < 2:
        return []
    longest = 3 * len(title)
    out = []
    for j in range(1, len(lines)):
        count = facts[j][_N_TOKENS] if facts is not None else len(_tokens(lines[j]))
        if count < 2 or count > longest:
            continue
        tokens = _tokens(lines[j])
        inside = sum(1 for t in tokens if t in title)
        if inside >= 0.8 * len(tokens) and len(title.intersection(tokens)) >= 0.5 * len(title):
            out.append(j)
    return out


@lru_cache(maxsize=1 << 14)
def _tokens(line: str) -> tuple[str, ...]:
    """The line's word tokens in lower case (only short lines are asked for theirs)."""
    return tuple(t.lower() for t in _TOKEN.findall(line))


# ---- second stage: where a line stands ----------------------------------------------------------


def context_features(scores: list[float], feats: list[list[float]]) -> list[list[float]]:
    """Each line's CONTEXT_FEATURES, in order, from its first-stage score and features."""
    columns = _context_columns(scores, [f[_LOG_WORDS] for f in feats])
    return [list(row) for row in zip(*columns, strict=True)]


def _second_stage(first: list[float], facts: list[tuple]) -> list[float]:
    """Each line's second-stage score: CONTEXT_WEIGHTS times context_features, the terms added up in
    the features' order, as _dot adds them."""
    w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13, w14, w15, w16 = CONTEXT_WEIGHTS
    return [
        0.0 + w0 * c0 + w1 * c1 + w2 * c2 + w3 * c3 + w4 * c4 + w5 * c5 + w6 * c6 + w7 * c7 + w8 * c8 + w9 * c9
        + w10 * c10 + w11 * c11 + w12 * c12 + w13 * c13 + w14 * c14 + w15 * c15 + w16 * c16
        for c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16 in zip(
            *_context_columns(first, [f[_SHAPE][_LOG_WORDS] for f in facts]), strict=True
        )
    ]  # fmt: skip


def _context_columns(scores: list[float], log_words: list[float]) -> list[list[float]]:
    """CONTEXT_FEATURES as columns, one value a line in each."""
    n = len(scores)
    clipped = [s if -_CLIP < s < _CLIP else _CLIP if s > 0 else -_CLIP for s in scores]
    # Run values for this stage: probability over a half, times the line's log length.
    gains = [(1.0 / (1.0 + math.exp(-s)) - 0.5) * w for s, w in zip(clipped, log_words, strict=True)]
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
    dist = [lo - i if i < lo else i - hi if i > hi else 0 for i in range(n)]
    return [
        [1.0] * n,
        clipped,
        [-_CLIP, *clipped[:-1]],
        [*clipped[1:], -_CLIP],
        _window_means(clipped, 2),
        _window_means(clipped, 5),
        _window_means(clipped, 12),
        [0.0 if d else 1.0 for d in dist],
        [math.log1p(d) for d in dist],
        log_words,
        [1.0 if i < lo else 0.0 for i in range(n)],
        [1.0 if i > hi else 0.0 for i in range(n)],
        [math.log1p(b) for b in bad],
        [top5] * n,
        seg_ratio,
        seg_gap,
        seg_after,
    ]


def _gains(scores: list[float], run_weights: list[float], centre: float) -> list[float]:
    """Finn et al.'s +/- line values, from probabilities: a long good line adds more than a short one,
    and every bad line costs at least NEG_FLOOR however short (menus are many short lines)."""
    out = []
    for w, s in zip(run_weights, scores, strict=True):
        g = 1.0 / (1.0 + math.exp(-(s if -30.0 < s < 30.0 else 30.0 if s > 0 else -30.0))) - centre
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
    prefix = list(accumulate(values, initial=0.0))
    ends, starts, sizes = _windows(len(values), radius)
    return [
        (prefix[e] - prefix[s] - v) / k if k else 0.0 for e, s, k, v in zip(ends, starts, sizes, values, strict=True)
    ]


@lru_cache(maxsize=1024)
def _windows(n: int, radius: int) -> tuple[list[int], list[int], list[int]]:
    """For each of n lines, where its window of `radius` lines either side ends and starts in the
    prefix sums, and how many lines it holds besides the line itself."""
    ends = [min(n, i + radius + 1) for i in range(n)]
    starts = [max(0, i - radius) for i in range(n)]
    return ends, starts, [e - s - 1 for e, s in zip(ends, starts, strict=True)]


def _dot(weights: Sequence[float], values: Sequence[float]) -> float:
    return sum(map(operator.mul, weights, values))
