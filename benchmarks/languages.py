"""Offline language detectors compared: how often each is right on our pages, how fast, what it costs to load.

Issue 20, step 1. Every detector runs in a fresh Python of its own, so that its import time,
model-load time and resident memory are its own. Each reads three sets:

- pages: the 92 article bodies a person marked in ../shared/extraction/ground-truth.json, labelled
  by hand in tests/fixtures/extraction_languages.json (84 English, 8 in seven other languages);
- short: the same bodies cut to their first 200 characters, as a feed item's summary would be;
- duc: English news articles of DUC 2006 (the first --duc-per-topic documents of each of its 50
  topics), read from ../shared/eval/duc2006.jsonl where it lies.

Detectors: the project's own `summarise.language.language_code` ("summarise": plainly English text
told by its function words, anything else by py3langid, which is loaded only then; before issue 20
it was a home-made detector of function words and scripts, which named one page wrong: the Italian
one); py3langid with its 140 languages and restricted to RESTRICTED (`set_languages`); lingua with
all its 75 languages and restricted, each in its default (high-accuracy) and low-accuracy mode, plus
all languages with every model loaded up front. Lingua is not a dependency of summarise: its
detectors are left out, with a note, unless `pip install lingua-language-detector` has been run.
Lingua loads a language's models the first time a text could be in it, and in its high-accuracy mode
a text of under about 120 letters (a short feed item) also needs its 1-, 2-, 4- and 5-gram models,
loaded on first need: with all languages the first such text costs about 17 s and 850 MiB. So a
first pass over all three sets (the warm-up) carries the loading, reported apart; the per-article
times are of later passes.

For each: errors per set (and which), mean time per article (fastest of --repeat passes), import
time, build time, lazy loading (the warm-up pass's time beyond a steady pass),
and resident memory (peak RSS, ru_maxrss) added by import, build and detection together.
summarise's figures start after `summarise.text` (NumPy, scikit-learn, PyStemmer), which its
module imports and the pipeline loads anyway.

    .venv/bin/python benchmarks/languages.py [--duc-per-topic 5] [--only py3langid,lingua-all]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GROUND_TRUTH = SHARED / "extraction" / "ground-truth.json"
DUC = SHARED / "eval" / "duc2006.jsonl"
LABELS = ROOT / "tests" / "fixtures" / "extraction_languages.json"
SHORT_CHARS = 200

# A restricted set a news summariser might be told to expect: the languages PyStemmer has a Snowball
# stemmer for, plus the no-space scripts the issue names (zh, ja, ko, th) and Ukrainian (which must not
# be taken for Russian). Intersected with what each detector knows.
RESTRICTED = sorted(
    "ar hy eu ca cs da nl en eo et fi fr de el hi hu id ga it lt ne no nb fa pl pt ro ru sr st es sv ta tr yi "
    "zh ja ko th uk".split()
)

DETECTORS = [
    "summarise",
    "py3langid",
    "py3langid-restricted",
    "lingua-all",
    "lingua-all-low",
    "lingua-restricted",
    "lingua-restricted-low",
    "lingua-all-preloaded",
]


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def load_sets(duc_per_topic: int) -> dict[str, list[tuple[str, str, str]]]:
    """{set name: [(id, text, expected code)]}."""
    truth = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    if set(truth) != set(labels):
        raise SystemExit(f"{LABELS} does not label exactly the pages of {GROUND_TRUTH}")
    pages = [(page_id[:12], truth[page_id]["articleBody"], labels[page_id]) for page_id in sorted(truth)]
    short = [(page_id, text[:SHORT_CHARS], code) for page_id, text, code in pages]
    duc = []
    with DUC.open(encoding="utf-8") as lines:
        for line in lines:
            topic = json.loads(line)
            duc += [(doc["id"], doc["text"], "en") for doc in topic["docs"][:duc_per_topic]]
    return {"pages": pages, "short": short, "duc": duc}


def build(name: str):
    """Import and build one detector: a function text -> ISO 639-1 code or None."""
    if name == "summarise":
        from summarise.language import language_code

        return language_code
    if name.startswith("py3langid"):
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
        if name.endswith("restricted"):
            identifier.set_languages([code for code in RESTRICTED if code in identifier.labels])
        return lambda text: identifier.classify(text)[0]
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    if "restricted" in name:
        known = {language.iso_code_639_1.name.lower(): language for language in Language.all()}
        builder = LanguageDetectorBuilder.from_languages(*(known[code] for code in RESTRICTED if code in known))
    else:
        builder = LanguageDetectorBuilder.from_all_languages()
    if name.endswith("-low"):
        builder = builder.with_low_accuracy_mode()
    if name.endswith("-preloaded"):
        builder = builder.with_preloaded_language_models()
    detector = builder.build()
    assert IsoCode639_1  # imported with the rest, for the import time

    def detect(text: str) -> str | None:
        language = detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language is not None else None

    return detect


def worker(name: str, duc_per_topic: int, repeat: int) -> dict:
    """Everything measured for one detector, in this (fresh) process."""
    sets = load_sets(duc_per_topic)
    if name == "summarise":  # what summarise.language imports from the package, loaded by the pipeline anyway
        import summarise.text
    rss_before = maxrss_mib()
    started = time.perf_counter()
    if name == "summarise":
        import summarise.language  # noqa: F401
    elif name.startswith("py3langid"):
        import py3langid  # noqa: F401
    else:
        import lingua  # noqa: F401
    imported = time.perf_counter()
    rss_imported = maxrss_mib()
    detect = build(name)
    built = time.perf_counter()
    rss_built = maxrss_mib()
    for items in sets.values():  # warm-up: lingua loads each language's (and n-gram size's) models on first need
        for _, text, _ in items:
            detect(text)
    warmed = time.perf_counter()
    result: dict = {
        "name": name,
        "import_s": imported - started,
        "build_s": built - imported,
        "warmup_s": warmed - built,
        "sets": {},
    }
    steady = 0.0
    for set_name, items in sets.items():
        passes = []
        for _ in range(repeat):
            wrong = []
            began = time.perf_counter()
            for item_id, text, expected in items:
                found = detect(text)
                if found != expected:
                    wrong.append([item_id, expected, found])
            passes.append(time.perf_counter() - began)
        steady += min(passes)
        result["sets"][set_name] = {"n": len(items), "wrong": wrong, "ms_per_article": 1000 * min(passes) / len(items)}
    result["lazy_load_s"] = max(0.0, result["warmup_s"] - steady)
    rss_after = maxrss_mib()
    result |= {
        "rss_base_mib": rss_before,
        "rss_import_mib": rss_imported - rss_before,
        "rss_build_mib": rss_built - rss_imported,
        "rss_added_mib": rss_after - rss_before,
    }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duc-per-topic", type=int, default=5, help="DUC documents per topic (default: 5, so 250)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per set; the fastest counts (default: 3)")
    parser.add_argument("--only", help="comma-separated detectors, of: " + ", ".join(DETECTORS))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        json.dump(worker(args.worker, args.duc_per_topic, args.repeat), sys.stdout)
        return 0

    names = args.only.split(",") if args.only else DETECTORS
    try:
        import lingua  # noqa: F401
    except ImportError:
        if any(name.startswith("lingua") for name in names):
            note = "lingua is not installed (pip install lingua-language-detector): its detectors left out"
            print(note, file=sys.stderr)
        names = [name for name in names if not name.startswith("lingua")]
    results = []
    for name in names:
        command = [sys.executable, __file__, "--worker", name, "--duc-per-topic", str(args.duc_per_topic)]
        command += ["--repeat", str(args.repeat)]
        done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        results.append(json.loads(done.stdout))
        print(f"  {name} measured", file=sys.stderr)

    sets = results[0]["sets"]
    heads = "  ".join(f"{s + ' wrong/' + str(v['n']):>14} {'ms/art':>7}" for s, v in sets.items())
    print(f"{'detector':<22} {heads}  {'import s':>8} {'build s':>8} {'lazy load s':>11} {'RSS+ MiB':>8}")
    for r in results:
        cells = "  ".join(f"{len(v['wrong']):>14} {v['ms_per_article']:>7.2f}" for v in r["sets"].values())
        print(
            f"{r['name']:<22} {cells}  {r['import_s']:>8.3f} {r['build_s']:>8.3f} {r['lazy_load_s']:>11.2f} "
            f"{r['rss_added_mib']:>8.1f}"
        )
    base = ", ".join(f"{r['name']} {r['rss_base_mib']:.0f}" for r in results if r["name"] in ("summarise", "py3langid"))
    print(
        f"\nms/art: fastest of {args.repeat} passes, after a warm-up pass over all three sets. Lazy load: the warm-up"
        " pass's time beyond a steady pass (models loaded on first need). RSS+: peak resident memory added by"
        f" import, build and all detection, over a base of (MiB) {base}, summarise's base including"
        " summarise.text."
    )
    print("\nWrong (id, expected, found):")
    for r in results:
        for set_name, v in r["sets"].items():
            if v["wrong"]:
                listed = ", ".join(f"{i} {e}->{f}" for i, e, f in v["wrong"])
                print(f"  {r['name']} / {set_name}: {listed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
