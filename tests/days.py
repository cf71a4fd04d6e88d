"""Made-up days of news for tests: many stories, each told by a few outlets in their own words.

Every story has its own names (a town, a person, an organisation and a thing, made from syllables)
and its own nouns, so that stories are told apart by what they are about, as real ones are; the
sentences around them come from a shared stock, as news sentences share their frame.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SYLLABLES = "bar cel dor fen gal hin kor lum mar nev or pal quin ros sul tav ul ven wil yor zan".split()
OUTLETS = ["Coast Herald", "Island Radio", "County Chronicle", "Valley Gazette", "Harbour Post", "Metro Wire"]
NOUNS = (
    "bridge ferry school hospital stadium museum library factory railway airport orchestra vineyard "
    "reservoir lighthouse brewery cathedral tramline marina theatre observatory bakery quarry canal "
    "greenhouse shipyard festival census election strike drought harvest wildfire flood exhibition "
    "merger lawsuit vaccine satellite telescope glacier volcano tunnel pipeline"
).split()
FRAMES = [
    "{person} said on {day} that the {noun} in {town} would {verb} before the end of the year.",
    "Officials at {org} confirmed that the {thing} plan for the {town} {noun} had been approved.",
    "The {noun} at {town} drew {count} people on {day}, according to {org}.",
    "{person}, who leads {org}, told reporters the {thing} would cost {count} thousand pounds.",
    "Residents of {town} have long argued that the {noun} needs a new {thing}.",
    "A spokesperson for {org} said work on the {thing} at the {town} {noun} starts in spring.",
    "{org} expects the {town} {noun} to {verb} once the {thing} is finished.",
    "Critics in {town} say {person} has not explained how the {thing} will be paid for.",
]
VERBS = ["reopen", "expand", "close", "double in size", "be rebuilt", "change hands"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _name(rng: random.Random, parts: int, used: set[str]) -> str:
    """A made-up name no other story of the day has."""
    while True:
        name = "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()
        if name not in used:
            used.add(name)
            return name


def many_stories_day(folder: Path, stories: int = 40, date: str = "2024-03-05", seed: int = 11) -> Path:
    """A JSON Lines day of `stories` stories, one to four articles each, with headlines, outlets and links."""
    rng = random.Random(seed)
    used: set[str] = set()
    lines = []
    for k in range(stories):
        facts = {
            "town": _name(rng, 2, used) + "ton",
            "person": f"{_name(rng, 2, used)} {_name(rng, 3, used)}",
            "org": f"the {_name(rng, 2, used)} Trust",
            "thing": _name(rng, 2, used).lower() + "work",
            "noun": NOUNS[k % len(NOUNS)],
            "verb": rng.choice(VERBS),
        }
        headline = f"{facts['town']} {facts['noun']} plan backed by {facts['org'][4:]}"
        for n in range(1 + k % 4):
            frames = rng.sample(FRAMES, 5)
            text = " ".join(
                f.format(**facts, day=rng.choice(DAYS), count=rng.randint(2, 90)) for f in frames
            )
            outlet = OUTLETS[(k + n) % len(OUTLETS)]
            lines.append(
                json.dumps(
                    {
                        "title": headline if n == 0 else f"{headline} ({outlet})",
                        "source": outlet,
                        "date": date,
                        "url": f"https://{outlet.lower().replace(' ', '')}.example/{k}/{n}",
                        "text": text,
                    }
                )
            )
    path = folder / "many-stories.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
