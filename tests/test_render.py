import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from summarise.models import Article, Digest, Sentence, Statement, Topic
from summarise.rendering import long_date, markdown_escape, render, safe_url

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
            "language": None,
        }
    ]
    assert data["topics"][0]["label"] == "Storm closes ports"
    assert data["topics"][0]["sentences"] == [
        {"text": "The storm closed every port along the coast on Monday.", "citations": ["1"]}
    ]


def test_html_cites_with_links_to_the_sources_list():
    html = render(digest(), "html").decode()
    assert '<html lang="en">' in html
    assert "<title>News digest, Tuesday 5 March 2024</title>" in html
    assert (
        '<h1><span class="kicker">News digest</span> <time datetime="2024-03-05">Tuesday 5 March 2024</time></h1>'
        in html
    )
    assert '<p class="overview">1 article from 1 source, in 1 topic.</p>' in html
    assert '<p class="meta">Reported by 1 outlet: Reuters · 1 article</p>' in html
    assert (
        '<p class="statement">The storm closed every port along the coast on Monday.<sup class="cite">'
        '<a href="#source-1" title="Reuters: Storm closes ports"><span class="visually-hidden">source </span>1</a></sup></p>'
    ) in html
    assert (
        '<li id="source-1"><cite class="source-title">Storm closes ports</cite>\n'
        '<span class="source-meta">Reuters · <time datetime="2024-03-05">5 March 2024</time> · <code>a.txt</code></span></li>'
    ) in html
    assert "<nav" not in html  # one topic: no table of contents
    assert "<script" not in html and "http" not in html.split("<body>")[1]  # self-contained
    assert render(digest(), "html") == render(digest(), "html")


def test_html_inlines_the_shared_style():
    html = render(digest(), "html").decode()
    style = (Path(__file__).resolve().parent.parent / "templates" / "_style.css").read_text(encoding="utf-8")
    assert f"<style>\n{style}</style>" in html
    assert "@media (prefers-color-scheme: dark)" in style and "@media print" in style
    assert "@import" not in style and "url(" not in style  # nothing fetched


def test_html_lists_topics_with_their_publishers_and_a_table_of_contents():
    one = digest()
    article = replace(one.articles[0], id="2", source="AFP", path="b.txt", date=None)
    unknown = replace(one.articles[0], id="3", source=None, path="c.txt")
    statement = replace(one.topics[0].statements[0], citations=("2", "3"))
    second = replace(one.topics[0], label="Ferries return", article_ids=("1", "2", "3"), statements=(statement,))
    html = render(
        replace(one, articles=(*one.articles, article, unknown), topics=(*one.topics, second)), "html"
    ).decode()
    assert '<p class="overview">3 articles from 2 sources, in 2 topics.</p>' in html
    # Outlets with the most articles first, then by name; an article with no publisher is not an outlet.
    assert '<p class="meta">Reported by 2 outlets: AFP and Reuters · 3 articles</p>' in html
    assert (
        '<nav class="contents" aria-labelledby="contents-heading">\n<h2 id="contents-heading">Topics</h2>\n<ol>\n'
        '<li><a href="#topic-1">Storm closes ports</a></li>\n<li><a href="#topic-2">Ferries return</a></li>\n</ol>\n</nav>'
    ) in html
    assert '<section class="topic" id="topic-2" aria-labelledby="topic-2-heading">' in html
    assert '<span class="source-meta">AFP · undated · <code>b.txt</code></span>' in html
    assert '<span class="source-meta">Unknown publisher · <time datetime="2024-03-05">5 March 2024</time>' in html


def test_each_story_lists_its_articles_and_the_day_s_other_stories_are_also_reported():
    one = digest()
    linked = replace(one.articles[0], id="2", source="AFP", path="b.html", url="https://afp.example/ports")
    outlets = [replace(one.articles[0], id=str(n), source=f"Outlet {n}", path=f"{n}.txt") for n in range(3, 10)]
    also = (
        Topic(label="Ferries return", keywords=(), article_ids=("2",), headline_id="2"),
        Topic(label="Bridge reopens", keywords=(), article_ids=tuple(a.id for a in outlets), headline_id=None),
    )
    day = replace(one, articles=(*one.articles, linked, *outlets), also_reported=also)
    html = render(day, "html").decode()
    assert '<p class="overview">9 articles from 9 sources, in 1 topic, and 2 more stories <a href="#also-reported">also reported</a>.</p>' in html
    assert '<p class="archive-link"><a href="index.html">All digests</a></p>' in html
    assert '<p class="more"><a href="#also-reported">Also reported: 2 more stories</a></p>' in html
    assert (
        '<details class="articles">\n<summary>The article</summary>\n<ul>\n<li>Storm closes ports <span class="source-meta">'
        'Reuters · <time datetime="2024-03-05">5 March 2024</time></span></li>\n</ul>\n</details>'
    ) in html
    assert (
        '<li><a href="https://afp.example/ports">Ferries return</a> <span class="source-meta">AFP · 1 article</span></li>\n'
        '<li>Bridge reopens <span class="source-meta">Outlet 3, Outlet 4, Outlet 5, Outlet 6, Outlet 7 and 2 more · 7 articles</span></li>'
    ) in html
    markdown = render(day, "md").decode()
    assert "## Also reported\n\n- [Ferries return](https://afp.example/ports) (AFP, 1 article)\n" in markdown
    assert "*Reported by 1 outlet: Reuters · 1 article*" in markdown
    data = json.loads(render(day, "json"))
    assert data["also_reported"][1] == {
        "label": "Bridge reopens",
        "articles": ["3", "4", "5", "6", "7", "8", "9"],
        "headline_article": None,
        "outlets": [f"Outlet {n}" for n in range(3, 10)],
        "language": None,
    }
    assert data["counts"]["also_reported"] == 2


def test_the_sources_are_the_cited_articles_numbered_in_order_of_first_citation():
    one = digest()
    others = [replace(one.articles[0], id=str(n), path=f"{n}.txt", title=f"Story {n}") for n in (2, 10, 11)]
    first = replace(one.topics[0].statements[0], citations=("11", "2"))
    second = replace(one.topics[0].statements[0], citations=("2", "1"))
    topic = replace(one.topics[0], article_ids=("1", "2", "10", "11"), statements=(first, second))
    both = replace(one, articles=(*one.articles, *others), topics=(topic,))
    html = render(both, "html").decode()
    assert re.findall(r'<li id="source-(\d+)"><cite class="source-title">([^<]+)</cite>', html) == [
        ("1", "Story 11"),
        ("2", "Story 2"),
        ("3", "Storm closes ports"),
    ]  # article 10 is read but never cited: not listed
    assert re.findall(r'<a href="#source-(\d+)"', html) == ["1", "2", "2", "3"]
    text = render(both, "txt").decode()
    assert "Monday. [1, 2]\n" in text and "Monday. [2, 3]\n" in text
    assert re.findall(r"^\[(\d+)\] ([^.]+)\.", text, re.M) == [("1", "Story 11"), ("2", "Story 2"), ("3", "Storm closes ports")]
    markdown = render(both, "md").decode()
    assert "[\\[1\\]](#source-1)[\\[2\\]](#source-2)" in markdown
    assert re.findall(r'^(\d+)\. <a id="source-(\d+)"></a>\*\*([^*]+)\*\*', markdown, re.M) == [
        ("1", "1", "Story 11"),
        ("2", "2", "Story 2"),
        ("3", "3", "Storm closes ports"),
    ]
    # The JSON keeps every article read, with its own id.
    assert [a["id"] for a in json.loads(render(both, "json"))["articles"]] == ["1", "2", "10", "11"]


def test_long_dates_are_english_whatever_the_locale():
    assert long_date("2024-01-16", weekday=True) == "Tuesday 16 January 2024"
    assert long_date("2023-10-09") == "9 October 2023"
    assert long_date(None) is None


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
    assert (
        '<cite class="source-title"><a href="https://example.org/story">Storm closes ports</a></cite>\n'
        '<span class="source-meta">Reuters · <time datetime="2024-03-05">5 March 2024</time></span>'
    ) in html


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


def test_with_no_publisher_known_the_counts_speak_of_articles_only():
    nameless = digest(source=None)
    assert '<p class="overview">1 article, in 1 topic.</p>' in render(nameless, "html").decode()
    assert "\n1 article, in 1 topic.\n" in render(nameless, "md").decode()
    assert "\n1 article, in 1 topic.\n" in render(nameless, "txt").decode()
    assert "source" not in render(nameless, "txt").decode().splitlines()[1]


MARKDOWN_ATTACKS = [
    HOSTILE,
    "line one\n\n# a heading from the data\n\n<script>alert(4)</script>\n- a list item",
    "*emphasis* __strong__ `code` ~~struck~~ | a | table |\n|---|---|",
    "1. numbered\n> quoted\n    indented code\n***",
    "[link](https://evil.example) ![image](https://evil.example/x.png) <https://evil.example>",
    "&lt;b&gt; &amp; \\*escaped\\* \u202eoverride",
]


def test_markdown_from_hostile_text_parses_to_plain_text_only():
    """Every value the data puts in the Markdown digest, rendered by a CommonMark parser (markdown-it),
    is text: no HTML, heading, list, quote, code, emphasis, table, image or link comes from it."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    for attack in MARKDOWN_ATTACKS:
        one = digest(text=f"The storm closed every port {attack} on Monday.", title=f"Storm {attack}", source=attack)
        article = replace(one.articles[0], path=f"a{attack}.txt", url="https://news.example/ports")
        also = Topic(label=f"Bridge {attack}", keywords=(), article_ids=("1",), headline_id="1")
        hostile = replace(one, articles=(article,), also_reported=(also,))
        tokens = parser.parse(render(hostile, "md").decode("utf-8"))
        kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
        # What the template itself makes: the title, the story's and sections' headings, list items,
        # the link to its source and its anchor, and the story's line in emphasis.
        assert kinds <= {
            "heading_open", "heading_close", "inline", "text", "paragraph_open", "paragraph_close",
            "bullet_list_open", "bullet_list_close", "list_item_open", "list_item_close",
            "ordered_list_open", "ordered_list_close", "link_open", "link_close", "html_inline",
            "em_open", "em_close", "code_inline", "softbreak",
        }, (attack, kinds)
        headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
        assert len(headings) == 4  # the digest, the story, "Also reported", "Sources"
        children = [c for t in tokens for c in (t.children or [])]
        assert {c.attrs["href"] for c in children if c.type == "link_open"} <= {
            "#source-1", "https://news.example/ports"
        }
        assert {c.content for c in children if c.type == "html_inline"} <= {'<a id="source-1">', "</a>"}
        assert len([c for c in children if c.type == "em_open"]) == 1  # the story's line
        assert len([c for c in children if c.type == "code_inline"]) == 1  # the source's path


def test_one_url_check_serves_reading_printing_and_configuration():
    from summarise.config import ConfigError, http_url
    from summarise.urls import plain_url

    for url in ("https://example.org/a?b=1", "http://news.example:8080/x", "HTTPS://Example.org/"):
        assert plain_url(url) == safe_url(url) == http_url(url) == url
    for bad in ("javascript:alert(1)", "https://", "https://x.org/a b", "https://x.org/\\evil", "https://x.org:99999/",
                "ftp://x.org/f", 'https://x.org/"q"'):
        assert plain_url(bad) is None and safe_url(bad) is None
        with pytest.raises(ConfigError):
            http_url(bad)
