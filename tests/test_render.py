import datetime as dt
import json
import re

from summarise.models import Article, Digest, Sentence, Statement, Topic
from summarise.render import markdown_escape, render, safe_url

HOSTILE = "<script>alert(1)</script> {{ 7*7 }} {% raw %} <img src=x onerror=alert(2)> [x](javascript:alert(3))"


def digest(
    text="The storm closed every port along the coast on Monday.",
    title="Storm closes ports",
    source="Reuters",
    url=None,
):
    article = Article(
        path="a.txt",
        date=dt.date(2024, 3, 5),
        title=title,
        source=source,
        paragraphs=(text,),
        url=url,
        id="1",
        date_source="header",
    )
    sentence = Sentence(text=text, article_id="1", position=0, paragraph=0, relative_position=0.0)
    statement = Statement(text=text, citations=("1",), variants=(0,), shown=0, sentence=sentence)
    topic = Topic(label=title, keywords=("storm", "ports"), article_ids=("1",), statements=(statement,))
    return Digest(date=dt.date(2024, 3, 5), articles=(article,), topics=(topic,))


def test_json_has_the_documented_shape():
    data = json.loads(render(digest(), "json"))
    assert data["date"] == "2024-03-05"
    assert data["articles"] == [
        {
            "id": "1",
            "title": "Storm closes ports",
            "source": "Reuters",
            "date": "2024-03-05",
            "date_source": "header",
            "path": "a.txt",
            "url": None,
            "author": None,
        }
    ]
    assert data["topics"][0]["label"] == "Storm closes ports"
    assert data["topics"][0]["sentences"] == [
        {"text": "The storm closed every port along the coast on Monday.", "citations": ["1"]}
    ]


def test_html_cites_with_links_to_the_sources_list():
    html = render(digest(), "html").decode()
    assert '<html lang="en">' in html
    assert '<a href="#source-1" aria-label="Source 1: Storm closes ports">1</a>' in html
    assert '<li id="source-1">' in html
    assert "Reuters · 2024-03-05 · <code>a.txt</code>" in html
    assert "<script" not in html and "http" not in html.split("<body>")[1]  # self-contained


def test_html_shows_hostile_text_as_text():
    html = render(
        digest(text="A sentence " + HOSTILE + ".", title=HOSTILE, source=HOSTILE, url="javascript:alert(4)"), "html"
    ).decode()
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html
    assert 'href="javascript' not in html


def test_only_http_urls_become_links():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,hi") is None
    assert safe_url('https://x.org/"onmouseover="alert(1)') is None
    html = render(digest(url="https://example.org/story"), "html").decode()
    assert '<a href="https://example.org/story">Storm closes ports</a>' in html


def test_markdown_escapes_syntax_and_strips_direction_overrides():
    assert markdown_escape("*bold* [x](javascript:y) <b>") == r"\*bold\* \[x\](javascript:y) \<b\>"
    assert markdown_escape('Russia\'s "war" (2024)') == 'Russia\'s "war" (2024)'
    assert markdown_escape("1984. A year") == r"1984\. A year"
    assert markdown_escape("# not a heading") == r"\# not a heading"
    assert markdown_escape("- not a list") == r"\- not a list"
    assert markdown_escape("evil\u202etxt.exe") == "eviltxt.exe"
    md = render(digest(text="A sentence " + HOSTILE + ".", title=HOSTILE), "md").decode()
    assert "<script>" not in md
    assert not re.search(r"(?<!\\)\]\(javascript", md)  # no live link: every "]" is escaped


def test_plain_text_lists_sentences_with_citation_numbers():
    txt = render(digest(), "txt").decode()
    assert "  * The storm closed every port along the coast on Monday. [1]" in txt
    assert "[1] Storm closes ports. Reuters, 2024-03-05. a.txt" in txt
