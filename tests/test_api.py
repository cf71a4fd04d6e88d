"""The library's front door: what `from summarise import ...` gives and how it behaves."""

import datetime as dt
import json
import subprocess
import sys

import pytest
from conftest import SEEDS

import summarise
from summarise import Article, Digest, Summariser, read_articles, render
from summarise.cli import main
from summarise.text import words


def test_the_public_names_are_the_documented_ones():
    assert summarise.__all__ == [
        "Article", "Digest", "PastStory", "ReadResult", "Settings", "Statement", "Summariser", "Topic",
        "__version__", "read_articles", "render",
    ]  # fmt: skip
    assert all(getattr(summarise, name) is not None for name in summarise.__all__)
    assert callable(render) and render.__module__ == "summarise.rendering"
    with pytest.raises(AttributeError, match="module 'summarise' has no attribute 'Summarizer'"):
        summarise.Summarizer  # noqa: B018


def test_importing_the_package_or_asking_for_help_loads_nothing_heavy():
    probe = (
        "import sys, contextlib, io\n"
        "import summarise\n"
        "light = not any(m in sys.modules for m in ('numpy', 'sklearn', 'scipy', 'nltk'))\n"
        "from summarise.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['--help'])\n"
        "print(light, code, sorted(m for m in ('numpy', 'sklearn', 'scipy', 'nltk', 'jinja2') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout == "True 0 []\n"


def test_the_constructor_only_stores_its_parameters():
    summariser = Summariser(story_words=40, merge_threshold=0.8, solver="greedy")
    params = summariser.get_params()
    assert (params["story_words"], params["merge_threshold"], params["solver"]) == (40, 0.8, "greedy")
    assert params == {**Summariser().get_params(), "story_words": 40, "merge_threshold": 0.8, "solver": "greedy"}
    assert repr(summariser) == "Summariser(story_words=40, merge_threshold=0.8, solver='greedy')"
    assert not hasattr(summariser, "n_stories_")  # fitted attributes come from summarise() only
    from sklearn.base import clone

    copy = clone(summariser)
    assert copy is not summariser and copy.get_params() == summariser.get_params()
    assert summariser.set_params(story_words=60) is summariser and summariser.story_words == 60
    with pytest.raises(ValueError, match=r"^unknown parameter: storywords$"):
        summariser.set_params(storywords=60)


def test_the_library_gives_the_commands_digest_byte_for_byte(tmp_path):
    out = tmp_path / "out"
    assert main([str(SEEDS), "--out", str(out), "--format", "json,html", "-q"]) == 0
    digest = Summariser().summarise(read_articles([str(SEEDS)]).articles)
    assert isinstance(digest, Digest) and digest.date == dt.date(2024, 1, 16)
    assert render(digest, "json") == (out / "digest-2024-01-16.json").read_bytes()
    assert render(digest, "html") == (out / "digest-2024-01-16.html").read_bytes()


def test_parameters_change_what_is_told_and_the_result_is_deterministic():
    articles = read_articles([str(SEEDS)]).articles
    short = Summariser(story_words=30)
    first, second = short.summarise(articles), short.summarise(articles)
    assert render(first, "json") == render(second, "json")
    assert all(sum(len(words(s.text)) for s in topic.statements) <= 30 for topic in first.topics)
    assert (short.n_stories_, len(first.topics)) == (2, 2)
    one = Summariser(max_stories=1).summarise(articles)
    assert [t.label for t in one.topics] == [first.topics[0].label]
    assert [t.label for t in one.also_reported] == [first.topics[1].label]


def test_articles_made_in_python_are_summarised_and_cited():
    paragraphs = (
        "The harbour council voted on Tuesday to replace its two diesel ferries with electric boats by 2026.",
        "The new ferries will charge at both quays during the ten minutes they spend loading cars.",
    )
    articles = [
        Article(path="herald", date=dt.date(2024, 1, 16), title="Electric ferries approved", source="Coast Herald",
                paragraphs=paragraphs),
        Article(path="radio", date=dt.date(2024, 1, 16), title="Council backs battery ferries", source="Island Radio",
                paragraphs=paragraphs[:1]),
    ]  # fmt: skip
    digest = Summariser().summarise(articles)
    data = json.loads(render(digest, "json"))
    assert [s["text"] for t in data["topics"] for s in t["sentences"]] == list(paragraphs)
    assert [s["citations"] for t in data["topics"] for s in t["sentences"]] == [["1", "2"], ["1"]]


def test_a_sentence_two_stories_carry_is_told_in_each_and_cites_only_that_storys_articles():
    # Near-duplicates merge within a story: the wire sentence becomes a statement of each story,
    # citing that story's articles, never an article of the other.
    wire = "Forecasters warned that gales would close every harbour on the coast until Thursday evening."
    ferries = (
        "The harbour council voted to replace its two diesel ferries with electric ferries by 2026.",
        "The electric ferries will charge their batteries at both ferry quays while cars are loaded.",
        "Ferry crews will train on the battery ferries at the shipyard in Portmellon next spring.",
    )
    hospital = (
        "The county hospital opened a children's ward after three years of building work.",
        "The hospital ward has twenty beds, a playroom and a garden for children and their parents.",
        "Nurses at the hospital said the children's ward would end long journeys to the city hospital.",
    )
    day = dt.date(2024, 1, 16)
    articles = [
        Article(path="a", date=day, title="Electric ferries approved", source="Coast Herald", paragraphs=(*ferries, wire)),
        Article(path="b", date=day, title="Council backs battery ferries", source="Island Radio", paragraphs=ferries[:2]),
        Article(path="c", date=day, title="Children's ward opens", source="County Chronicle", paragraphs=(*hospital, wire)),
        Article(path="d", date=day, title="New ward for the hospital", source="Valley Gazette", paragraphs=hospital[:2]),
    ]  # fmt: skip
    digest = Summariser(story_words=80).summarise(articles)
    assert [sorted(topic.article_ids) for topic in digest.topics] == [["1", "2"], ["3", "4"]]
    told = {topic.label: [(s.text, s.citations) for s in topic.statements] for topic in digest.topics}
    assert told == {
        "Electric ferries approved": [(ferries[0], ("1", "2")), (ferries[1], ("1", "2")), (ferries[2], ("1",)), (wire, ("1",))],
        "Children's ward opens": [(hospital[0], ("3", "4")), (hospital[1], ("3", "4")), (hospital[2], ("3",)), (wire, ("3",))],
    }  # fmt: skip
