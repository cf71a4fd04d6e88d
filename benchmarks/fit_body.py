"""Fit the weights of summarise/body.py on the extraction benchmark's text pages, and measure them held out.

Each page of ../shared/extraction/text/ is read as `summarise extract` reads it (decoded, the date
header parsed, lines normalised, empty lines dropped) and every line is labelled: a line is body when
each of its word tokens lies inside a 4-token shingle of the page (its tokens taken in a row, across
line ends) that is also a shingle of the human-marked articleBody. So a short subheading or a one-word
line between two paragraphs of the article is body, and the same word in a menu is not.

Both stages are scikit-learn LogisticRegression (L2, C), every page weighing the same (each line
1/lines-on-its-page, scaled so the weights average 1), on standardised features with the scaling
folded back into the weights afterwards; the second stage is fitted on context features worked out
from the first stage's in-sample scores. Of the selection settings only THRESHOLD is fitted, on the
benchmark's own F1; the others stay as body.py has them.

Held out, everything that is chosen (C and THRESHOLD) is chosen inside the training half alone, by
cross-validation over its pages (--inner folds), and the F1 is that of the other half: the two halves
by sorted ID, both ways round, then --splits random splits in halves (fixed --seed), both ways round.
Each F1 is the benchmark's own measure (../shared/tools/extraction_score.py, loaded from where it
lies) on the text `summarise extract` would write: the page goes through the reader's own cleaner
(summarise.clean.clean_page), given the lines the candidate weights pick.

    .venv/bin/python benchmarks/fit_body.py                  # fit on all 92, then held out (~5 min)
    .venv/bin/python benchmarks/fit_body.py --C 0.1 --no-inner   # the old procedure: C fixed, THRESHOLD in-sample
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import random
import re
import statistics
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarise import body, clean  # noqa: E402
from summarise.decode import decode  # noqa: E402
from summarise.models import Document  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "extraction"
DEFAULT_SCORER = ROOT.parent / "shared" / "tools" / "extraction_score.py"
TOKEN = re.compile(r"\w+")  # the scorer's tokens
C_GRID = (0.03, 0.1, 0.3, 1.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(-2.0, 1.01, 0.25))


@dataclass
class Page:
    id: str
    text: str  # the decoded file, as clean_page is given it
    lines: list[str]  # what body_lines is given
    feats: np.ndarray  # body.page_line_features, one row a line
    labels: np.ndarray  # 1: body, 0: not
    truth: dict


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("extraction_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_lines(text: str) -> list[str]:
    """The lines clean_page hands to body_lines."""
    _, rest, _ = clean.parse_header(text)
    return [line for line in map(clean.normalise_line, rest.splitlines()) if line]


def line_labels(lines: list[str], article: str) -> np.ndarray:
    """1 for a line all of whose tokens are covered by shingles the page shares with the article."""
    tokens, owner = [], []
    for j, line in enumerate(lines):
        found = TOKEN.findall(line)
        tokens += found
        owner += [j] * len(found)
    wanted = TOKEN.findall(article)
    shingles = {tuple(wanted[i : i + 4]) for i in range(len(wanted) - 3)}
    covered = [False] * len(tokens)
    for i in range(len(tokens) - 3):
        if tuple(tokens[i : i + 4]) in shingles:
            covered[i : i + 4] = [True] * 4
    total, hit = [0] * len(lines), [0] * len(lines)
    for j, c in zip(owner, covered, strict=True):
        total[j] += 1
        hit[j] += c
    return np.array([1 if t and h == t else 0 for t, h in zip(total, hit, strict=True)])


def load_pages(data: Path) -> list[Page]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for pid in sorted(truth):
        text = decode((data / "text" / f"{pid}.txt").read_bytes()).text
        lines = page_lines(text)
        feats = np.array(body.page_line_features(lines))
        pages.append(Page(pid, text, lines, feats, line_labels(lines, truth[pid]["articleBody"]), truth[pid]))
    return pages


def fit_logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray, c: float) -> np.ndarray:
    """Weights (bias first) of a logistic regression on standardised x, the scaling folded back in."""
    mean, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    model = LogisticRegression(C=c, solver="newton-cholesky", max_iter=1000, tol=1e-7)
    model.fit((x - mean) / sd, y, sample_weight=weight)
    coef = model.coef_[0] / sd
    return np.concatenate([[model.intercept_[0] - coef @ mean], coef])


def page_weights(pages: list[Page]) -> np.ndarray:
    """Every page weighing the same, the weights averaging 1 a line."""
    w = np.concatenate([np.full(len(p.lines), 1.0 / len(p.lines)) for p in pages])
    return w * len(w) / w.sum()


def context_matrix(page: Page, w1: np.ndarray) -> np.ndarray:
    first = (page.feats @ w1).tolist()
    return np.array(body.context_features(first, page.feats.tolist()))


def fit_stages(pages: list[Page], c: float) -> tuple[np.ndarray, np.ndarray]:
    """The two stages' weights (bias first), fitted on these pages."""
    y = np.concatenate([p.labels for p in pages])
    weight = page_weights(pages)
    # Column 0 of both feature sets is the bias: the intercept stands for it.
    w1 = fit_logistic(np.vstack([p.feats[:, 1:] for p in pages]), y, weight, c)
    w2 = fit_logistic(np.vstack([context_matrix(p, w1)[:, 1:] for p in pages]), y, weight, c)
    return w1, w2


def second_scores(page: Page, w1: np.ndarray, w2: np.ndarray) -> list[float]:
    return (context_matrix(page, w1) @ w2).tolist()


@contextlib.contextmanager
def threshold_set(value: float) -> Iterator[None]:
    saved = body.THRESHOLD
    body.THRESHOLD = value
    try:
        yield
    finally:
        body.THRESHOLD = saved


_TEXTS: dict[tuple[str, tuple[int, ...]], str] = {}  # (page, lines chosen): the text written
_COUNTS: dict[tuple[str, str], tuple[float, float, float]] = {}  # (page, text): the scorer's counts


def extract(pages: list[Page], scores: dict[str, list[float]], threshold: float) -> dict[str, str]:
    """The text `summarise extract` writes for each page, had body.py these scores and THRESHOLD."""
    out = {}
    with threshold_set(threshold):
        for p in pages:
            chosen = tuple(body.choose(p.lines, p.feats.tolist(), scores[p.id]))
            if (p.id, chosen) not in _TEXTS:
                _TEXTS[p.id, chosen] = cleaned(p, list(chosen))
            out[p.id] = _TEXTS[p.id, chosen]
    return out


def cleaned(page: Page, chosen: list[int]) -> str:
    """The page through the reader's cleaner, body_lines giving these lines."""
    saved = clean.body_lines
    clean.body_lines = lambda lines: chosen
    try:
        article, _ = clean.clean_page(Document(path=page.id, text=page.text))
    finally:
        clean.body_lines = saved
    return "\n\n".join(article.paragraphs) if article else ""


def score(scorer, pages: list[Page], bodies: dict[str, str]) -> dict:
    """scorer.score (the benchmark's measure) over these pages, each page's counts worked out once."""
    counts = []
    for p in pages:
        key = (p.id, bodies.get(p.id, ""))
        if key not in _COUNTS:
            _COUNTS[key] = scorer.page_counts(p.truth["articleBody"], key[1])
        counts.append(_COUNTS[key])
    # As extraction_score.score aggregates them (checked against it in main).
    def prec(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def rec(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    predicted = [c for c in counts if c[0] + c[1] > 0]
    precision = statistics.mean(prec(*c) for c in predicted) if predicted else 0.0
    recall = statistics.mean(rec(*c) for c in counts if c[0] + c[2] > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    empty = sum(1 for p in pages if not bodies.get(p.id))
    return {"f1": f1, "precision": precision, "recall": recall, "pages": len(counts), "empty": empty}


def best_threshold(scorer, pages: list[Page], scores: dict[str, list[float]]) -> tuple[float, float]:
    """The THRESHOLD with the highest F1 on these pages (the lowest of equals), and that F1."""
    results = [(score(scorer, pages, extract(pages, scores, t))["f1"], -t) for t in THRESHOLDS]
    f1, neg = max(results)
    return -neg, f1


def choose_settings(scorer, pages: list[Page], grid: tuple[float, ...], folds: int) -> tuple[float, float, float]:
    """C and THRESHOLD by cross-validation over these pages: the pair whose held-out F1 (over all
    the folds' pages at once) is highest. Returns C, THRESHOLD and that F1."""
    best = None
    for c in grid:
        scores = {}
        for k in range(folds):
            test = pages[k::folds]
            w1, w2 = fit_stages([p for i, p in enumerate(pages) if i % folds != k], c)
            scores.update({p.id: second_scores(p, w1, w2) for p in test})
        threshold, f1 = best_threshold(scorer, pages, scores)
        if best is None or f1 > best[2]:
            best = (c, threshold, f1)
    return best


@dataclass
class Fit:
    c: float
    threshold: float
    w1: np.ndarray
    w2: np.ndarray
    inner_f1: float | None = None  # the inner cross-validation's F1 of the settings chosen


def fit(scorer, pages: list[Page], args) -> Fit:
    """The whole procedure on these pages: settings (by inner CV, or fixed), then both stages, then
    (unless fixed or chosen) THRESHOLD in-sample."""
    if args.no_inner:
        c = args.C if args.C is not None else 0.1
        w1, w2 = fit_stages(pages, c)
        if args.threshold is not None:
            return Fit(c, args.threshold, w1, w2)
        threshold, _ = best_threshold(scorer, pages, {p.id: second_scores(p, w1, w2) for p in pages})
        return Fit(c, threshold, w1, w2)
    grid = (args.C,) if args.C is not None else C_GRID
    c, threshold, inner_f1 = choose_settings(scorer, pages, grid, args.inner)
    if args.threshold is not None:
        threshold = args.threshold
    w1, w2 = fit_stages(pages, c)
    return Fit(c, threshold, w1, w2, inner_f1)


def held_out(scorer, train: list[Page], test: list[Page], args) -> tuple[dict, Fit]:
    model = fit(scorer, train, args)
    scores = {p.id: second_scores(p, model.w1, model.w2) for p in test}
    return score(scorer, test, extract(test, scores, model.threshold)), model


def weights_text(name: str, features: tuple[str, ...], weights: np.ndarray) -> str:
    rows = "\n".join(f"    {w:.6f},  # {f}" for f, w in zip(features, weights, strict=True))
    return f"{name} = [\n{rows}\n]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the extraction benchmark's folder")
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help="extraction_score.py")
    parser.add_argument("--C", type=float, default=None, help="fix C (default: chosen by inner CV)")
    parser.add_argument("--threshold", type=float, default=None, help="fix THRESHOLD (default: chosen)")
    parser.add_argument("--no-inner", action="store_true", help="no inner CV: C fixed (0.1), THRESHOLD in-sample")
    parser.add_argument("--inner", type=int, default=4, help="folds of the inner cross-validation (default 4)")
    parser.add_argument("--splits", type=int, default=8, help="random splits in halves (default 8)")
    parser.add_argument("--seed", type=int, default=14, help="seed of the random splits (default 14)")
    args = parser.parse_args()
    scorer = load_scorer(args.scorer)
    pages = load_pages(args.data)
    labelled = sum(int(p.labels.sum()) for p in pages)
    print(f"{len(pages)} pages, {sum(len(p.lines) for p in pages)} lines, {labelled} labelled body")

    model = fit(scorer, pages, args)
    inner = f" (inner {args.inner}-fold CV F1 {model.inner_f1:.4f})" if model.inner_f1 is not None else ""
    print(f"\nFitted on all {len(pages)} pages: C={model.c}, THRESHOLD={model.threshold}{inner}\n")
    print(weights_text("LINE_WEIGHTS", body.LINE_FEATURES, model.w1))
    print(weights_text("CONTEXT_WEIGHTS", body.CONTEXT_FEATURES, model.w2))
    scores = {p.id: second_scores(p, model.w1, model.w2) for p in pages}
    bodies = extract(pages, scores, model.threshold)
    whole = score(scorer, pages, bodies)
    assert whole == scorer.score({p.id: p.truth for p in pages}, bodies), "the measure differs from the scorer's"
    print(f"F1 fitted on all: {whole['f1']:.4f} (precision {whole['precision']:.3f}, recall "
          f"{whole['recall']:.3f}, {whole['empty']} empty)")  # fmt: skip

    half = len(pages) // 2
    first, second = pages[:half], pages[half:]
    print("\nHeld out, halves by sorted ID:")
    sorted_f1 = []
    for name, train, test in (("fit on 1st, score 2nd", first, second), ("fit on 2nd, score 1st", second, first)):
        result, m = held_out(scorer, train, test, args)
        sorted_f1.append(result["f1"])
        print(f"  {name}: F1 {result['f1']:.4f} (P {result['precision']:.3f}, R {result['recall']:.3f}, "
              f"{result['empty']} empty; C={m.c}, THRESHOLD={m.threshold}"
              + (f", inner CV F1 {m.inner_f1:.4f})" if m.inner_f1 is not None else ")"))  # fmt: skip
    print(f"  mean {statistics.mean(sorted_f1):.4f}")

    rng = random.Random(args.seed)
    random_f1 = []
    for _ in range(args.splits):
        order = pages[:]
        rng.shuffle(order)
        a, b = order[:half], order[half:]
        for train, test in ((a, b), (b, a)):
            random_f1.append(held_out(scorer, train, test, args)[0]["f1"])
    if random_f1:
        print(f"\nHeld out, {args.splits} random splits in halves (seed {args.seed}), both ways round: "
              f"mean {statistics.mean(random_f1):.4f} +- {statistics.stdev(random_f1):.4f} "
              f"(min {min(random_f1):.4f}, max {max(random_f1):.4f})")  # fmt: skip


if __name__ == "__main__":
    main()
