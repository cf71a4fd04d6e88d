"""Articles in other languages: detected, split, stemmed and told in their own language.

The real pages are in tests/fixtures/languages (see its README): one Italian, one Indonesian, two
Portuguese and two Russian, summarised beside the five English seeds.
"""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS

from summarise.language import SUPPORTED, language_code, language_name, lexicon_for
from summarise.select import is_whole_sentence
from summarise.split import SentenceSplitter
from summarise.text import ENGLISH, words

PAGES = Path(__file__).parent / "fixtures" / "languages"
BODIES = json.loads((PAGES / "bodies.json").read_text(encoding="utf-8"))
# Languages so close that one sentence alone may be taken for the other (an article as a whole is not).
KIN = {"id": ("ms",)}


@pytest.fixture
def mixed_day(tmp_path: Path) -> Path:
    """The English seeds and the six pages in other languages, in one folder."""
    folder = tmp_path / "day"
    shutil.copytree(SEEDS, folder)
    for page in PAGES.glob("*.html"):
        shutil.copy(page, folder / page.name)
    return folder


def test_every_page_is_read_with_its_language(run_cli, mixed_day, tmp_path):
    result = run_cli("extract", *sorted(str(p) for p in mixed_day.glob("*.html")))
    assert result.returncode == 0, result.stderr
    found = {Path(r["path"]).stem: r["language"] for r in map(json.loads, result.stdout.splitlines())}
    assert found == {name: name.split("-")[0] for name in BODIES}


def test_a_day_in_four_languages_tells_each_story_in_its_own_language(run_cli, mixed_day, tmp_path):
    out = tmp_path / "out"
    result = run_cli(str(mixed_day), "--out", str(out), "--format", "json,html,md,txt")
    assert (result.returncode, result.stderr) == (0, "")
    digest = json.loads(next(out.glob("digest-*.json")).read_text(encoding="utf-8"))
    # Most articles first (English 5, then Portuguese and Russian 2 each, by code; then Indonesian and Italian).
    assert [(lang["code"], lang["articles"]) for lang in digest["languages"]] == [
        ("en", 5), ("pt", 2), ("ru", 2), ("id", 1), ("it", 1)
    ]  # fmt: skip
    assert [lang["name"] for lang in digest["languages"]] == ["English", "Portuguese", "Russian", "Indonesian", "Italian"]
    by_id = {a["id"]: a for a in digest["articles"]}
    stories = [*digest["topics"], *digest["also_reported"]]
    # Stories never mix languages, and the digest groups them in the languages' order.
    for story in stories:
        assert {by_id[i]["language"] for i in story["articles"]} == {story["language"]}
    order = [lang["code"] for lang in digest["languages"]]
    told = [order.index(t["language"]) for t in digest["topics"]]
    assert told == sorted(told)
    assert {t["language"] for t in digest["topics"]} == {"en", "pt", "ru", "id", "it"}
    for topic in digest["topics"]:
        for sentence in topic["sentences"]:
            # Told in the story's language, cited to articles in it whose text carries it word for word ...
            assert language_code(sentence["text"] * 3) in {topic["language"], *KIN.get(topic["language"], ())}
            assert sentence["citations"]
            for cited in sentence["citations"]:
                assert by_id[cited]["language"] == topic["language"]
                assert cited in topic["articles"]
            # ... and taken from the article a person marked on the page, not from its furniture.
            if topic["language"] != "en":
                page = Path(by_id[sentence["citations"][0]]["path"]).stem
                marked = " ".join(words(BODIES[page]["articleBody"]))
                assert " ".join(words(sentence["text"])) in marked, sentence["text"]
    html = next(out.glob("digest-*.html")).read_text(encoding="utf-8")
    for code in ("pt", "ru", "id", "it"):
        assert f'<h2 class="language-heading" id="language-{code}-heading">{language_name(code)}</h2>' in html
    assert html.count('lang="ru"') >= 2  # the Russian topics and their entry in the contents
    text = next(out.glob("digest-*.txt")).read_text(encoding="utf-8")
    assert "\nRUSSIAN\n" in text and "\nITALIAN\n" in text
    markdown = next(out.glob("digest-*.md")).read_text(encoding="utf-8")
    assert "\n## Portuguese\n" in markdown and "\n### " in markdown


def test_languages_option_keeps_only_those(run_cli, mixed_day, tmp_path):
    out = tmp_path / "out"
    result = run_cli(str(mixed_day), "--out", str(out), "--format", "json", "--languages", "it,ru")
    assert (result.returncode, result.stderr) == (0, "")
    digest = json.loads(next(out.glob("digest-*.json")).read_text(encoding="utf-8"))
    assert [lang["code"] for lang in digest["languages"]] == ["ru", "it"]
    assert sorted(a["language"] for a in digest["articles"]) == ["it", "ru", "ru"]


def test_the_languages_of_a_config_file_and_a_flag_over_it(run_cli, mixed_day, tmp_path):
    config = tmp_path / "summarise.toml"
    config.write_text('languages = ["pt"]\nformats = ["json"]\n', encoding="utf-8")
    for flags, told in (((), ["pt"]), (("--languages", "id"), ["id"])):
        out = tmp_path / f"out-{len(flags)}"
        result = run_cli(str(mixed_day), "--config", str(config), "--out", str(out), *flags)
        assert (result.returncode, result.stderr) == (0, "")
        digest = json.loads(next(out.glob("digest-*.json")).read_text(encoding="utf-8"))
        assert [lang["code"] for lang in digest["languages"]] == told


def test_an_unsupported_language_is_refused_by_the_option(run_cli, tmp_path):
    result = run_cli("seeds", "--out", str(tmp_path / "out"), "--languages", "en,ko")
    assert result.returncode == 2
    assert "unknown language ko; choose from" in result.stderr


def test_one_story_in_english_is_told_as_before_when_other_languages_are_beside_it(run_cli, seeds, mixed_day, tmp_path):
    alone, mixed = tmp_path / "alone", tmp_path / "mixed"
    assert run_cli(str(seeds), "--out", str(alone), "--format", "json").returncode == 0
    assert run_cli(str(mixed_day), "--out", str(mixed), "--format", "json").returncode == 0
    english = [
        [s["text"] for s in t["sentences"]]
        for t in json.loads(next(mixed.glob("digest-*.json")).read_text(encoding="utf-8"))["topics"]
        if t["language"] == "en"
    ]
    assert english == [
        [s["text"] for s in t["sentences"]] for t in json.loads(next(alone.glob("digest-*.json")).read_text())["topics"]
    ]


def test_italian_words_lose_their_elided_articles_and_are_stemmed():
    italian = lexicon_for("it")
    assert italian.content_stems("L'Italia e dell'anno: il governo ha rinviato le elezioni.") == [
        "ital", "anno", "govern", "rinv", "elezion"
    ]  # fmt: skip
    assert italian.content_stems("Italia, anno") == italian.content_stems("l'Italia, quell'anno")


def test_russian_stop_words_are_dropped_and_words_stemmed():
    assert lexicon_for("ru").content_stems("Правительство во вторник объявило о ряде мер") == [
        "правительств", "вторник", "объяв", "ряд", "мер"
    ]  # fmt: skip


def test_english_keeps_its_own_stop_words_and_a_lexicon_travels_by_its_code():
    assert lexicon_for("en") is ENGLISH
    assert pickle.loads(pickle.dumps(lexicon_for("pt"))) is lexicon_for("pt")
    assert "said" in ENGLISH.stop_words
    assert {"de", "que", "não"} <= lexicon_for("pt").stop_words


@pytest.mark.parametrize("code", sorted(SUPPORTED))
def test_every_supported_language_has_a_stemmer_and_stop_words(code):
    lexicon = lexicon_for(code)
    assert len(lexicon.stop_words) >= 50
    assert lexicon.stem("a") is not None


def test_punkt_in_russian_splits_at_sentence_ends_and_keeps_initials():
    text = "Премьер-министр А. Б. Иванов приехал во вторник. Он встретился с фермерами! Что будет дальше?"
    splitter = SentenceSplitter.for_language(lexicon_for("ru")).fit([text])
    assert splitter.split(text) == [
        "Премьер-министр А. Б. Иванов приехал во вторник.", "Он встретился с фермерами!", "Что будет дальше?"
    ]  # fmt: skip


def test_hindi_sentences_end_at_the_danda():
    text = "सरकार ने मंगलवार को किसानों के लिए नई योजना की घोषणा की। मंत्री ने कहा कि सहायता जल्द मिलेगी।"
    splitter = SentenceSplitter.for_language(lexicon_for("hi")).fit([text])
    assert splitter.split(text) == [
        "सरकार ने मंगलवार को किसानों के लिए नई योजना की घोषणा की।", "मंत्री ने कहा कि सहायता जल्द मिलेगी।"
    ]  # fmt: skip


def test_a_table_of_results_in_english_stays_with_the_day_not_in_a_language_of_its_names():
    # The model alone takes such a line for Aragonese or Nigerian Pidgin; too few function words of
    # any language to tell, it goes with the day's main language.
    scores = (
        "Results: Barcelona 3 Real Madrid 1; Juventus 2 Inter Milan 2; Bayern Munich 4 Dortmund 0; Ajax 1 PSV 1; "
        "Porto 2 Benfica 2; Celtic 3 Rangers 0; Lyon 1 Marseille 1; Napoli 2 Roma 1."
    )
    assert language_code(scores) is None
    italian = "Il governo ha annunciato martedì una serie di misure per sostenere gli agricoltori, che protestano."
    assert language_code(italian * 2) == "it"


@pytest.mark.parametrize(
    "sentence",
    [
        "Der Minister sagte am Dienstag, die Lage sei „sehr ernst“ und forderte rasche Hilfe.",
        "Der Minister sagte: „Die Lage ist sehr ernst und wir brauchen jetzt Hilfe.“",
        "Minister powiedział we wtorek, że sytuacja jest „bardzo poważna” i poprosił o pomoc.",
        "Le ministre a déclaré mardi que la situation était « très grave » et a demandé de l'aide.",
    ],
)
def test_sentences_quoting_in_german_polish_and_french_style_are_whole(sentence):
    assert is_whole_sentence(sentence)


def test_an_unclosed_quote_still_marks_a_cut_sentence():
    assert not is_whole_sentence("Der Minister sagte am Dienstag, die Lage sei „sehr ernst und forderte Hilfe.")
    assert not is_whole_sentence("He said “the talks went well and would go on next week, officials added.")


def test_words_keep_their_marks_in_hindi_persian_and_arabic_and_turkish_capitals_fold():
    assert lexicon_for("hi").words("भारत सरकार ने कहा") == ["भारत", "सरकार", "ने", "कहा"]
    # "ने" and "कहा" ("said") are Hindi stop words; the others are stemmed whole.
    assert lexicon_for("hi").content_stems("भारत सरकार ने कहा") == [
        lexicon_for("hi").stem("भारत"), lexicon_for("hi").stem("सरकार")
    ]  # fmt: skip
    assert lexicon_for("fa").words("می\u200cخواهم بروم") == ["می\u200cخواهم", "بروم"]
    assert lexicon_for("ar").words("مُحَمَّد قال") == ["مُحَمَّد", "قال"]
    assert lexicon_for("tr").words("İstanbul ve Ankara") == ["istanbul", "ve", "ankara"]


def test_asking_for_a_language_the_day_lacks_leaves_out_what_is_too_short_to_tell(run_cli, tmp_path):
    folder = tmp_path / "day"
    folder.mkdir()
    (folder / "short.txt").write_text(" date 2024-01-16 Ferries\n\nThe harbour ferries run again on Monday, the port said.\n")
    result = run_cli(str(folder), "--out", str(tmp_path / "out"), "--languages", "it")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "summarise: warning: left out 1 article in languages not asked for (--languages it)",
        f"summarise: error: nothing to summarise: no readable articles in {folder}",
    ]


def test_a_sentences_words_are_kept_for_the_next_ask_and_a_whole_articles_are_not():
    from summarise import text

    text._kept_words.cache_clear()
    sentence = "The port's gates closed at dawn."
    article = " ".join([sentence] * 40)  # 1,319 characters: past what is kept
    assert text.words(article) == ["the", "port", "gates", "closed", "at", "dawn"] * 40
    assert text.words(sentence) == ["the", "port", "gates", "closed", "at", "dawn"]
    assert text.ENGLISH.content_stems(article) == ["port", "gate", "close", "dawn"] * 40
    # Only the sentence is kept, however often the article is asked for.
    assert text._kept_words.cache_info().currsize == 1
