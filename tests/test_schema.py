"""The JSON digest is a contract: every digest written validates against summarise/schema/digest.schema.json."""

import json
import random
from pathlib import Path

import jsonschema
import pytest

import summarise
from summarise.cli import main

SCHEMA = json.loads((Path(summarise.__file__).parent / "schema" / "digest.schema.json").read_text(encoding="utf-8"))

PLACES = ["Harbour", "Valley", "Northfield", "Eastport", "Millbrook", "Westbay", "Lakeside", "Oldtown", "Riverside",
          "Hillcrest", "Stonebridge", "Fairhaven"]  # fmt: skip
OUTLETS = ["Coast Herald", "Valley Gazette", "County Chronicle", "Island Radio", "Metro Daily", "Northern Post", None]


def story_sentences(place: str, k: int) -> list[str]:
    return [
        f"The {place} council voted on Tuesday to spend {k + 2} million pounds on a new flood barrier along the river.",
        f"Residents of {place} have asked for the barrier since floods damaged more than {k * 40 + 100} homes two years ago.",
        f"Work on the {place} barrier is due to start in the spring and should take about {k % 3 + 2} years, officials said.",
        f"Opponents in {place} say the money would be better spent on moving homes away from the river banks.",
        f"The council leader in {place} said the vote was the most important decision of her time in office.",
    ]


def large_day(folder: Path, stories: int = 12, per_story: int = 12) -> Path:
    """A day of `stories` x `per_story` articles as JSON Lines, each outlet telling a story its own way."""
    rng = random.Random(7)
    lines = []
    for k, place in enumerate(PLACES[:stories]):
        sentences = story_sentences(place, k)
        for n in range(per_story):
            chosen = sentences[:2] + rng.sample(sentences[2:], 2)
            outlet = OUTLETS[(k + n) % len(OUTLETS)]
            record = {
                "title": f"{place} votes for flood barrier ({n + 1})",
                "date": "2024-03-05",
                "url": f"https://news{n}.example/{place.lower()}/{n}",
                "text": "\n\n".join(chosen),
            }
            if outlet:
                record["source"] = outlet
            lines.append(json.dumps(record))
    path = folder / "day.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def digest_of(inputs: list[str], out: Path) -> dict:
    assert main([*inputs, "--out", str(out), "--format", "json", "-q"]) == 0
    (written,) = out.glob("digest-*.json")
    return json.loads(written.read_text(encoding="utf-8"))


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_seeds_digest_matches_the_schema(seeds, tmp_path):
    data = digest_of([str(seeds)], tmp_path / "out")
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert data["version"] == 1


def test_a_large_days_digest_matches_the_schema(tmp_path):
    data = digest_of([str(large_day(tmp_path))], tmp_path / "out")
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert len(data["articles"]) == 144
    # Outlets that name no publisher are known by their site.
    assert {a["source"] for a in data["articles"]} >= {"news6.example", "Coast Herald"}


@pytest.mark.parametrize(
    "break_it",
    [
        lambda d: d.pop("version"),
        lambda d: d["articles"][0].update(id="one"),
        lambda d: d["topics"][0]["sentences"][0].update(citations=[]),
        lambda d: d["counts"].update(words=-1),
        lambda d: d.update(extra=True),
    ],
)
def test_the_schema_refuses_a_digest_out_of_shape(seeds, tmp_path, break_it):
    data = digest_of([str(seeds)], tmp_path / "out")
    break_it(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
