"""Reading each kind of input into articles, in-process and with no network at all."""

import datetime as dt
import json
import logging
import os
import shutil
import socket
from pathlib import Path

import pytest

from summarise.models import Article
from summarise.pages import article_from_html
from summarise.readers import Skipped, read_articles
from summarise.urls import normalise_url, plain_url

WEB = Path(__file__).parent / "fixtures" / "web"
TODAY = dt.date(2024, 1, 20)

PORTS_TEXT = (
    "Port operators from six northern European countries agreed on Tuesday to fit a single type of shore power "
    "connection, so that ships can switch off their engines and plug into the grid at any of their quays.",
    "The agreement covers 14 ports in the Netherlands, Belgium, Germany, Denmark, Norway and Sweden, and follows "
    "two years of talks between harbour authorities, shipping lines and grid companies.",
    "Ships that burn fuel at berth to run their lights, cranes and cooling are a large source of air pollution in "
    "port cities, and the European Union will require container and passenger ships to use shore power at major "
    "ports from 2030.",
    '"A ship that can plug in at Gothenburg should be able to plug in at Antwerp without a new cable," said '
    "Marieke de Groot, who chaired the talks for the port of Rotterdam.",
    "Shipping lines have complained that different plugs and voltages at each port made refitting vessels costly, "
    "and that many berths fitted with shore power were rarely used.",
    "The ports said the first quays built to the common standard would open in 2025, and that they would publish "
    "a shared price list for electricity at berth later this year.",
)


def read(*inputs, **options):
    return read_articles([str(i) for i in inputs], today=TODAY, **options)


def fields(article: Article) -> tuple:
    return (article.title, article.source, article.date, article.date_source, article.url, article.author)


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a connection or look up a name fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network use: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_saved_pages_give_text_headline_site_author_date_and_canonical_url(offline):
    result = read(WEB / "ferries.html", WEB / "bridge.html")
    assert result.skipped == [] and result.found == 2
    ferries, bridge = result.articles
    assert fields(ferries) == (
        "Harbour council votes to switch to electric ferries",
        "The Coast Herald",
        dt.date(2024, 1, 16),
        "page",
        "https://coastherald.example/news/2024/01/16/harbour-electric-ferries",
        "Jane Marsh",
    )
    # Navigation, cookie banner, advert, share buttons, most-read list and comments are all gone.
    assert ferries.paragraphs == (
        "The harbour council voted on Tuesday to replace its three diesel ferries with electric boats by the summer of 2025.",
        "The plan will cost ten million pounds, and the council expects it to halve the fuel bill of the island crossing within five years.",
        "Councillor Ruth Penhale, who chairs the transport committee, said the vote was a turning point for the town and its island neighbours.",
        "The first electric ferry is due to sail in June next year, carrying up to 200 passengers and twelve cars on each crossing.",
        "Opponents on the council argued that the money would be better spent on repairing the harbour wall, which was damaged in last winter's storms.",
    )
    assert fields(bridge) == (
        "Old swing bridge to reopen after two years of repairs",
        "Valley Gazette",
        dt.date(2024, 1, 15),
        "page",
        "https://valleygazette.example/local/swing-bridge-reopens",
        "Tom Brennan",
    )
    # The byline is the author, not a paragraph; the promo inside the article is text of the page's
    # article and stays (the summariser never picks it); related stories and the comment are gone.
    assert bridge.paragraphs == (
        "The old swing bridge over the river will reopen to traffic on Saturday after two years of repairs, the county council said on Monday.",
        "Engineers replaced the rusted turning gear and strengthened the deck so that buses can use the bridge again for the first time since 2019.",
        "Sign up to our daily newsletter to get the latest local news in your inbox.",
        "The repairs cost four million pounds, a million more than planned, because the team found more corrosion once the paint was stripped.",
        "Shop owners on both banks said the closure had cost them trade and welcomed the news.",
    )


def test_a_wire_story_credits_the_agency_and_two_outlets_copies_stay_two_sources(offline):
    result = read(WEB / "ports-tidewater.html", WEB / "ports-estuary.html")
    assert result.skipped == []
    tidewater, estuary = result.articles
    assert fields(tidewater) == (
        "Northern European ports agree common shore power plug for ships",
        "Reuters",  # the byline and the "ROTTERDAM, Jan 16 (Reuters) -" dateline, over the site's name
        dt.date(2024, 1, 16),
        "page",
        "https://tidewatertimes.example/business/2024/01/16/ports-shore-power-standard",
        None,  # "By Reuters" credits the publisher: an agency is no author
    )
    assert fields(estuary) == (
        "Ports sign up to one shore power plug",
        "Reuters",
        dt.date(2024, 1, 16),
        "page",
        "https://estuarypost.example/news/ports-one-shore-power-plug?ref=homepage",
        None,  # trafilatura drops a one-word author that only a meta tag names
    )
    # The same words under different furniture: adverts, related stories and comments are gone from
    # both; what each site printed inside the article (the dateline, a credit, a promo) stays.
    dateline = "ROTTERDAM, Jan 16 (Reuters) - "
    assert tidewater.paragraphs == (dateline + PORTS_TEXT[0], *PORTS_TEXT[1:], "(Reporting by Anna Visser; Editing by Mark Holloway)")
    assert estuary.paragraphs == (
        dateline + PORTS_TEXT[0], PORTS_TEXT[1], "Subscribe to the Estuary Post for just 99p for your first month.", *PORTS_TEXT[2:]
    )


def test_the_same_page_saved_twice_is_read_once(tmp_path, caplog):
    # Both copies live in tmp_path so the rule is tested whatever folder the checkout is in.
    first = tmp_path / "a-ports (1).html"
    second = tmp_path / "b-ports.html"
    shutil.copyfile(WEB / "ports-tidewater.html", first)
    shutil.copyfile(WEB / "ports-tidewater.html", second)
    with caplog.at_level(logging.WARNING, logger="summarise.readers"):
        result = read(second, first)
    # The copy whose path sorts first is kept, whichever was named first.
    assert [a.path for a in result.articles] == [str(first)]
    assert result.skipped == [Skipped(str(second), "duplicate")]
    assert caplog.messages == [f"{second}: skipped: the same URL as {first}"]
    assert [a.path for a in read(first, second).articles] == [str(first)]


def test_an_undated_page_stays_undated_rather_than_dated_by_its_copyright_line(tmp_path):
    page = tmp_path / "undated.html"
    page.write_text(
        (WEB / "bridge.html").read_text(encoding="utf-8").replace('<meta name="date" content="2024-01-15">\n', ""),
        encoding="utf-8",
    )
    assert "© 2024" in page.read_text(encoding="utf-8")
    (article,) = read(page).articles
    assert (article.date, article.date_source) == (None, None)


def test_extracting_a_page_never_opens_a_connection(offline):
    article = article_from_html(
        (WEB / "ferries.html").read_text(encoding="utf-8"), "ferries.html", "https://coastherald.example/x"
    )
    assert article is not None and article.source == "The Coast Herald"


def test_a_text_file_holding_a_saved_page_is_read_as_a_page(tmp_path):
    saved = tmp_path / "saved page.txt"
    shutil.copyfile(WEB / "bridge.html", saved)
    (article,) = read(saved).articles
    assert (article.title, article.source, article.date_source) == (
        "Old swing bridge to reopen after two years of repairs", "Valley Gazette", "page",
    )


def test_plain_text_without_a_header_is_dated_by_its_modification_time(tmp_path, caplog):
    story = tmp_path / "notes.txt"
    story.write_text("\n\n".join(PORTS_TEXT) + "\n", encoding="utf-8")
    stamp = dt.datetime(2024, 1, 17, 9, 30).timestamp()
    os.utime(story, (stamp, stamp))
    with caplog.at_level(logging.WARNING, logger="summarise.readers"):
        (article,) = read(story).articles
    assert (article.date, article.date_source, article.paragraphs) == (dt.date(2024, 1, 17), "file", PORTS_TEXT)
    assert caplog.messages == [f"{story}: no date header; dated 2024-01-17 by the file's modification time"]


def test_rss_entries_give_headline_link_date_and_the_feeds_title_as_publisher():
    result = read(WEB / "coast.rss")
    assert result.skipped == []
    assert [fields(a) for a in result.articles] == [
        (
            "Electric ferries approved by harbour council", "Island Radio News", dt.date(2024, 1, 16), "feed",
            "https://islandradio.example/news/electric-ferries-approved", None,
        ),
        (
            "Lifeboat crew rescue two kayakers off the point", "Island Radio News", dt.date(2024, 1, 15), "feed",
            "https://islandradio.example/news/lifeboat-kayakers", None,
        ),
    ]
    # The entry's HTML is text paragraphs; its "Read more" link is not a sentence.
    assert result.articles[0].paragraphs == (
        "The harbour council voted on Tuesday to replace its three diesel ferries with electric boats by the summer of 2025.",
        "Island residents told Island Radio they hoped the new boats would run more often in winter, when crossings are often cancelled.",
    )
    assert [a.path for a in result.articles] == [a.url for a in result.articles]


def test_atom_entries_are_dated_by_published_else_updated():
    result = read(WEB / "county.atom")
    assert [(a.title, a.source, a.date, a.url) for a in result.articles] == [
        (
            "Ferry switch will halve fuel bill, council says", "County Chronicle", dt.date(2024, 1, 16),
            "https://countychronicle.example/2024/01/16/ferry-fuel-bill",
        ),
        (
            "Swing bridge reopening date confirmed", "County Chronicle", dt.date(2024, 1, 15),
            "https://countychronicle.example/2024/01/15/swing-bridge",
        ),
    ]


AGGREGATOR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Shipping Wire Roundup</title><link>https://roundup.example/</link>
<item>
<title>Ports agree shore power plug</title>
<link>https://roundup.example/r/8841?utm_source=rss</link>
<source url="https://tidewatertimes.example/rss">Tidewater Times</source>
<pubDate>Tue, 16 Jan 2024 14:30:00 +0000</pubDate>
<description>Port operators agreed a plug.</description>
<content:encoded><![CDATA[{paragraphs}<p><a href="https://tidewatertimes.example/business/2024/01/16/ports-shore-power-standard">Read the full story on Tidewater Times</a></p><p>The post Ports agree shore power plug appeared first on Shipping Wire Roundup.</p>]]></content:encoded>
</item>
<item>
<title>Dredger returns to the river mouth</title>
<link>https://roundup.example/r/8842</link>
<pubDate>Tue, 16 Jan 2099 09:00:00 +0000</pubDate>
<description><![CDATA[<p>The dredger Sea Mole returned to the river mouth on Tuesday to clear silt that has narrowed the shipping channel since the autumn storms.</p>]]></description>
</item>
</channel></rss>
"""


def test_entry_content_wins_over_its_summary_and_an_entry_source_names_the_publisher(tmp_path, caplog):
    feed = tmp_path / "roundup.xml"
    feed.write_text(AGGREGATOR.replace("{paragraphs}", "".join(f"<p>{p}</p>" for p in PORTS_TEXT)), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="summarise.readers"):
        ports, dredger = read(feed).articles
    assert (ports.title, ports.source, ports.date, ports.url) == (
        "Ports agree shore power plug", "Tidewater Times", dt.date(2024, 1, 16), "https://roundup.example/r/8841?utm_source=rss",
    )
    assert ports.paragraphs == PORTS_TEXT
    # An entry dated in the future is kept, undated, and said so.
    assert (dredger.source, dredger.date, dredger.date_source) == ("Shipping Wire Roundup", None, None)
    assert caplog.messages == ["https://roundup.example/r/8842: date 2099-01-16 is in the future; article has no date"]


def test_the_same_entry_in_two_feeds_of_one_site_is_read_once_and_by_url(tmp_path):
    body = "".join(f"<p>{p}</p>" for p in PORTS_TEXT)
    first = tmp_path / "a.rss"
    first.write_text(AGGREGATOR.replace("{paragraphs}", body), encoding="utf-8")
    # The same site's other feed: the same entry under another link, and the first entry's link with other tracking.
    second = tmp_path / "b.rss"
    second.write_text(
        AGGREGATOR.replace("{paragraphs}", body)
        .replace("https://roundup.example/r/8841?utm_source=rss", "https://roundup.example/top/8841")
        .replace("https://roundup.example/r/8842", "https://ROUNDUP.example/r/8842?utm_medium=feed#comments"),
        encoding="utf-8",
    )
    result = read(first, second)
    # Of two copies a plain link is kept, then the first in sorted order, whichever feed came first.
    assert [a.url for a in result.articles] == ["https://roundup.example/r/8842", "https://roundup.example/top/8841"]
    assert result.skipped == [
        Skipped("https://ROUNDUP.example/r/8842?utm_medium=feed#comments", "duplicate"),
        Skipped("https://roundup.example/r/8841?utm_source=rss", "duplicate"),
    ]
    backwards = read(second, first)
    assert sorted(a.url for a in backwards.articles) == sorted(a.url for a in result.articles)


def test_json_lines_reports_each_bad_line_by_number_and_reads_the_rest(caplog):
    path = WEB / "scraped.jsonl"
    with caplog.at_level(logging.WARNING, logger="summarise.readers"):
        result = read(path)
    assert [fields(a) for a in result.articles] == [
        (
            "Harbour to get electric ferries next year", "Coast FM", dt.date(2024, 1, 16), "data",
            "https://coastfm.example/news/electric-ferries", None,
        ),
        (None, None, None, None, None, None),
    ]
    assert [a.path for a in result.articles] == [f"{path}:1", f"{path}:2"]
    assert result.skipped == [Skipped(f"{path}:3", "bad JSON"), Skipped(f"{path}:4", "bad JSON")]
    assert caplog.messages == [
        f"{path}:3: skipped: not a JSON object: Expecting value: line 1 column 1 (char 0)",
        f'{path}:4: skipped: no "text" string',
    ]


def test_json_lines_with_odd_fields_keep_the_text_and_drop_what_is_not_usable(tmp_path):
    path = tmp_path / "odd.jsonl"
    record = {"text": PORTS_TEXT[0], "url": "http://[broken/story", "date": "16/01/2024", "title": 7, "source": ["x"]}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (article,) = read(path).articles
    assert fields(article) == (None, None, None, None, None, None)
    assert article.paragraphs == PORTS_TEXT[:1]


def test_malformed_urls_are_refused_before_any_fetch(caplog):
    with caplog.at_level(logging.WARNING, logger="summarise.readers"):
        result = read("http://[broken/feed", "https://", "gopher://example.org/1")
    assert result.articles == [] and result.found == 0
    assert [s.reason for s in result.skipped] == ["bad URL", "bad URL", "bad URL"]
    assert caplog.messages == [
        "http://[broken/feed: skipped: not a well-formed URL",
        "https://: skipped: not a well-formed URL",
        "gopher://example.org/1: skipped: only http and https URLs can be read",
    ]


def test_a_folder_of_mixed_inputs_is_read_in_name_order_every_time(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("ferries.html", "coast.rss", "county.atom", "scraped.jsonl", "ports-estuary.html"):
        shutil.copyfile(WEB / name, folder / name)
    (folder / "notes.md").write_text("not an input kind", encoding="utf-8")
    first = read(folder)
    assert first.found == 5
    assert [a.path for a in first.articles] == [
        "https://islandradio.example/news/electric-ferries-approved",
        "https://islandradio.example/news/lifeboat-kayakers",
        "https://countychronicle.example/2024/01/16/ferry-fuel-bill",
        "https://countychronicle.example/2024/01/15/swing-bridge",
        str(folder / "ferries.html"),
        str(folder / "ports-estuary.html"),
        f"{folder / 'scraped.jsonl'}:1",
        f"{folder / 'scraped.jsonl'}:2",
    ]
    assert read(folder) == first


def test_urls_are_checked_and_normalised():
    assert [plain_url(u) for u in ("https://a.example/x?y=1", "http://a.example:99999/", "https://a.example/x y")] == [
        "https://a.example/x?y=1", None, None,
    ]
    assert normalise_url("https://A.example/x?fbclid=1&page=2&utm_campaign=z#top") == "https://a.example/x?page=2"


def test_an_article_with_a_link_but_no_publisher_takes_its_sites_name(tmp_path):
    path = tmp_path / "day.jsonl"
    records = [
        {"text": PORTS_TEXT[0], "url": "https://www.bbc.co.uk/news/articles/c1"},
        {"text": PORTS_TEXT[1], "url": "https://news.example.org/a", "source": "Tidewater Times"},
        {"text": PORTS_TEXT[2]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert [a.source for a in read(path).articles] == ["bbc.co.uk", "Tidewater Times", None]


def test_a_new_input_kind_is_one_reader_and_one_registry_line(tmp_path, monkeypatch):
    """The registry decides which reader reads a file and which files a folder search finds."""
    from summarise.readers import registry

    def read_csv(path, context):
        date, title, text = Path(path).read_text(encoding="utf-8").strip().split(",", 2)
        return [Article(path=path, date=dt.date.fromisoformat(date), title=title, source=None, paragraphs=(text,))]

    (tmp_path / "ports.csv").write_text(
        "2024-01-16,Ports agree shore power plug,Northern European ports agreed on Tuesday to fit one common "
        "shore power plug for ships at every quay by 2027.\n",
        encoding="utf-8",
    )
    (tmp_path / "notes.md").write_text("not an input", encoding="utf-8")
    assert read(tmp_path).articles == []  # not yet a kind of input: the folder holds none
    monkeypatch.setitem(registry.READERS, ".csv", read_csv)  # the one line a new kind adds
    (article,) = read(tmp_path).articles
    assert (article.path, article.title, article.date, article.language) == (
        str(tmp_path / "ports.csv"), "Ports agree shore power plug", dt.date(2024, 1, 16), None,
    )
