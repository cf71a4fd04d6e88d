"""Arbitrary text never crashes a stage, and what comes out keeps its promises."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarise.clean import clean_document, parse_header
from summarise.fetch import Fetcher
from summarise.models import Article, Document
from summarise.readers import ReadContext
from summarise.readers.text import read_text_file
from summarise.rendering import markdown_escape, render
from summarise.split import SentenceSplitter
from summarise.summariser import Summariser

WORDS = st.sampled_from(
    "the storm port coast closed Monday Mr. U.S. Lavrov said “quote” (AP) — . , ? ! \n \n\n Jan. 16 ALSO READ: "
    "Advertisement © By AFP 2024 <script> {{ x }} *".split(" ")
)
NEWSY = st.lists(WORDS, max_size=300).map(" ".join)
ANY_TEXT = st.one_of(st.text(max_size=2000), NEWSY)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_cleaning_never_crashes_and_keeps_only_lines_of_the_input(text):
    article = clean_document(Document(path="x.txt", text=" date 2024-01-16 " + text))
    if article is not None:
        assert article.paragraphs
        assert article.date == dt.date(2024, 1, 16)
        for paragraph in article.paragraphs:
            assert paragraph.strip() == paragraph and paragraph


@given(st.text(max_size=300))
def test_header_parsing_never_crashes(text):
    date, _rest, problem = parse_header(text)
    assert (date is None) == (problem is not None)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000).map(lambda t: (" date 2024-01-16 " + t).encode())))
def test_reading_arbitrary_bytes_never_crashes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "x.txt"
    path.write_bytes(data)
    context = ReadContext(dt.date(2024, 1, 16), Fetcher())
    articles = read_text_file(str(path), context)
    assert (articles == []) == (len(context.skipped) == 1) and len(articles) <= 1
    for article in articles:
        assert article.paragraphs and all(isinstance(p, str) and p for p in article.paragraphs)


@settings(max_examples=100, deadline=None)
@given(st.lists(ANY_TEXT, min_size=1, max_size=5))
def test_splitting_never_crashes_and_loses_no_text(paragraphs):
    splitter = SentenceSplitter().fit(paragraphs)
    for paragraph in paragraphs:
        sentences = splitter.split(paragraph)
        assert "".join("".join(sentences).split()) == "".join(paragraph.split())
        assert all(s and s == s.strip() for s in sentences)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(NEWSY, min_size=1, max_size=4), min_size=1, max_size=4), st.integers(10, 200))
def test_the_whole_core_never_crashes_and_respects_the_budget(bodies, max_words):
    articles = [
        Article(path=f"{i}.txt", date=dt.date(2024, 1, 16), title=None, source=None, paragraphs=tuple(body))
        for i, body in enumerate(bodies)
    ]
    digest = Summariser(max_words=max_words).summarise(articles)
    ids = {a.id for a in digest.articles}
    words = 0
    for topic in digest.topics:
        for statement in topic.statements:
            assert set(statement.citations) <= ids
            words += len(statement.text.split())
    assert words <= max_words
    for fmt in ("html", "md", "txt", "json"):
        assert render(digest, fmt)


@given(st.text(max_size=200))
def test_markdown_escape_leaves_no_live_syntax(text):
    escaped = markdown_escape(text)
    for char in "*_[]<>`":
        assert escaped.count(char) == escaped.count("\\" + char)
