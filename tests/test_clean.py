import datetime as dt
import logging

import pytest

from summarise import clean, furniture
from summarise.clean import (
    clean_document,
    find_headline,
    find_publisher,
    is_body,
    parse_header,
    reads_as_prose,
    strip_dateline,
)
from summarise.furniture import is_furniture
from summarise.models import Document

PAGE = """\
 date 2024-03-05 Skip to content
Home » News » World
Advertisement
Flood waters rise across the northern valley towns
By Reuters
5 min read
Flood waters rise across the northern valley towns
Residents wade through a flooded street in Riverton on March 4, 2024. (Photo: John Doe/Reuters)
RIVERTON (Reuters) - Flood waters rose across the northern valley on Tuesday, forcing thousands of residents from their homes.
ALSO READ: Markets slip as oil prices climb
Officials said the river would crest on Wednesday, two days earlier than forecast.
Share on Facebook
Sign up for our morning newsletter to get the news first.
"We have never seen the water this high," said Mayor Ann Lee.
Most read
Oil prices climb for a third day
Council approves new bus routes
© 2024 Reuters. All rights reserved.
"""


def test_parse_header_reads_the_date_and_keeps_the_rest_of_the_line():
    assert parse_header(" date 2024-01-16 World\nText") == (dt.date(2024, 1, 16), "World\nText", None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no header here\n", "no ' date YYYY-MM-DD' header"),
        (" date 2024-13-45 x", "date header '2024-13-45' is not a real date"),
        (" date yesterday x", "date header 'yesterday' is not YYYY-MM-DD"),
    ],
)
def test_parse_header_reports_missing_and_bad_dates(text, problem):
    date, _, got = parse_header(text)
    assert date is None
    assert got == problem


@pytest.mark.parametrize(
    "line",
    [
        "ALSO READ: Russia says sentenced more than 200 Ukrainian POWs",
        "Related Topics",
        "Related:",
        "Advertisement",
        "© Agence France-Presse",
        "Copyright FAMILY ALBUM/AFP/File -",
        "Source: Reuters/ga",
        "By AFP",
        "3 minute read",
        "Posted January 16, 2024 5:40 am.",
        "Catch up with the latest news from The Citizen on WhatsApp by following our channel. Click here to join.",
        "Pressed for time? Stay informed with CNA's newsletters",
        "Content is loading...",
        "Chinese President Xi Jinping and Mr Putin in Beijing, China (Sergei Guneyev, Sputnik, Kremlin Pool Photo via AP)",
        "n this handout picture provided by the Russian Foreign Ministry, Russian Foreign Minister Sergei Lavrov "
        "meets with his North Korean counterpart Choe Son Hui in Moscow on January 16, 2024.",
        "Calendar An icon of a desk calendar. Cancel An icon of a circle with a diagonal line across. "
        "Caret An icon of a block arrow pointing to the right.",
    ],
)
def test_furniture_lines_are_recognised(line):
    assert is_furniture(line)
    assert not is_body(line)


def test_wire_copy_ending_in_the_editors_initials_is_prose_not_a_caption():
    # The shape of a credited caption, "(rn/sl)", closes wire copy too; a paragraph of several
    # sentences is not a caption, so the article keeps its text (11 DUC 2006 articles were lost).
    wire = (
        "DAR ES SALAAM, Tanzania (AP) _ Two men were charged on Monday in the bombing of the U.S. "
        "Embassy. Police said both had helped to build the bomb in a rented house near the port. "
        "The magistrate ordered them held until a hearing next month, when prosecutors will set out "
        "the evidence gathered by investigators from Tanzania and the FBI over the past six weeks. "
        "Embassy officials have denied having any prior knowledge of the attack. (rn/sl)"
    )
    assert reads_as_prose(wire)
    assert not is_furniture(wire)
    caption = "Police outside the embassy in Dar es Salaam on Monday. (AP Photo/Jeffrey T. Barnes)"
    assert is_furniture(caption)
    assert not reads_as_prose(caption)


# One line for each kind of prompt the cleaner knows, as pages write them (case and spacing vary).
PROMPTS = [
    "Get our Morning Briefing NEWSLETTER in your inbox.",
    "Subscribe to read the full story.",
    "Unlimited access with a digital subscription.",
    "Sign  up for free alerts.",
    "Sign in to save this article.",
    "Log in or register to comment.",
    "Click here for the full coverage.",
    "Tap here to add us to your home screen.",
    "Follow us on social media.",
    "Follow our live coverage.",
    "Join our community of readers.",
    "Download our app for the latest updates.",
    "Download the app to listen.",
    "2024 The Daily Compass. All Rights Reserved.",
    "This website is not intended for persons in the EU.",
    "This is promotional material.",
    "By using this site you agree to our Terms of Use.",
    "Read the terms and conditions.",
    "See our Terms of Service.",
    "Read our Privacy Policy.",
    "Our cookie policy has changed.",
    "Content is loading...",
    "Access Premium features today.",
    "This is a member-only story.",
    "Join the Herald's WhatsApp channel.",
    "Reporting by Jane Doe in Kyiv.",
    "Editing by John Smith.",
    "Writing by Jane Doe.",
    "Additional reporting from Moscow.",
    "Two staff writers contributed to this report.",
    "Recommended for you.",
    "Skip to main content.",
    "Listen to this article.",
    "Comments are closed.",
    "Comments have been closed.",
]


@pytest.mark.parametrize("line", PROMPTS)
def test_every_prompt_is_furniture_and_is_found_through_a_hint_word(line):
    # The plain substring test that spares most lines the slow search must never hide a prompt.
    assert furniture.PROMPT.search(line)
    assert any(hint in line.lower() for hint in furniture.PROMPT_HINTS)
    assert is_furniture(line)
    assert not is_body(line)


@pytest.mark.parametrize(
    "line",
    [
        "Putin has accepted an invitation to visit North Korea but has not said when he will go.",
        "“We will take every effort to develop our relations,” Choe said.",
        "Lavrov arrived in Pyongyang on Wednesday (Oct 18) for meetings seen as setting the stage for a visit.",
        "He said the Korean Central News Agency (KCNA) reported the talks.",
    ],
)
def test_prose_is_body(line):
    assert is_body(line)


def test_headlines_and_lists_of_headlines_are_not_body():
    assert not is_body("Putin hosts North Korean FM in Kremlin visit")
    assert not is_body("News Dlamini-Zuma to retire from parliament")


def test_strip_dateline():
    assert strip_dateline("SEOUL: Russian Foreign Minister Sergei Lavrov thanked") == (
        "Russian Foreign Minister Sergei Lavrov thanked"
    )
    assert strip_dateline("MOSCOW (AP) — Russia’s top diplomat") == "Russia’s top diplomat"
    assert strip_dateline("WASHINGTON, Jan 16 (Reuters) - The U.S. said") == "The U.S. said"
    assert strip_dateline("NATO said on Monday it would act.") == "NATO said on Monday it would act."
    # The New York Times wire's underscore, and the state or country after the city.
    assert strip_dateline("JAKARTA _ Jimmy Carter has monitored more than 20 elections") == (
        "Jimmy Carter has monitored more than 20 elections"
    )
    assert strip_dateline("DAYTON, Ohio _ General Motors Corp. and the union") == "General Motors Corp. and the union"
    assert strip_dateline("BETHLEHEM, West Bank _ Palestinian Jihad Mubarak") == "Palestinian Jihad Mubarak"
    assert strip_dateline("BATTLE CREEK, Mich. (AP) -- George W. Bush called") == "George W. Bush called"
    assert strip_dateline("Washington, the capital, said no - twice.") == "Washington, the capital, said no - twice."


def test_headline_prefers_the_title_the_body_is_about():
    lines = [
        "Best News Website or Mobile Service",
        "Best News Website or Mobile Service",
        "Storm closes ports along the coast",
        "Storm closes ports along the coast",
        "A storm closed ports along the coast on Monday, officials said.",
    ]
    assert find_headline(lines, lines[-1:]) == "Storm closes ports along the coast"


@pytest.mark.parametrize(
    ("lines", "publisher"),
    [
        (["By AFP", "© Agence France-Presse"], "AFP"),
        (["Source: Reuters/ga"], "Reuters"),
        (["MOSCOW (AP) — Russia’s top diplomat on Tuesday hosted talks.", "The Associated Press"], "Associated Press"),
        (
            [
                "By Press Association",
                "A caption of the minister (Korean Central News Agency/Korea News Service via AP)",
            ],
            "Press Association",
        ),
        (["Russia's TASS news agency earlier said Lavrov may also brief North Koreans."], None),
        (["By Jane Smith"], None),
    ],
)
def test_publisher_comes_from_credit_lines_only(lines, publisher):
    assert find_publisher(lines) == publisher


def test_clean_document_keeps_the_body_and_reads_the_metadata():
    article = clean_document(Document(path="x.txt", text=PAGE))
    assert article.date == dt.date(2024, 3, 5)
    assert article.title == "Flood waters rise across the northern valley towns"
    assert article.source == "Reuters"
    # The article's run of lines, from its photo caption to its last paragraph: the menu, the
    # repeated headline, the byline and the most-read list are gone. What sits inside the run stays
    # for the reader; the summariser reads only the prose and never picks a prompt (next test).
    assert article.paragraphs == (
        "Residents wade through a flooded street in Riverton on March 4, 2024. (Photo: John Doe/Reuters)",
        "RIVERTON (Reuters) - Flood waters rose across the northern valley on Tuesday, forcing thousands of residents from their homes.",
        "ALSO READ: Markets slip as oil prices climb",
        "Officials said the river would crest on Wednesday, two days earlier than forecast.",
        "Share on Facebook",
        "Sign up for our morning newsletter to get the news first.",
        '"We have never seen the water this high," said Mayor Ann Lee.',
    )


def test_the_summariser_reads_only_the_prose_of_an_article():
    from summarise.summariser import prose_only

    (article,) = prose_only([clean_document(Document(path="x.txt", text=PAGE))])
    assert article.paragraphs == (
        "RIVERTON (Reuters) - Flood waters rose across the northern valley on Tuesday, forcing thousands of residents from their homes.",
        "Officials said the river would crest on Wednesday, two days earlier than forecast.",
        "Sign up for our morning newsletter to get the news first.",  # a whole sentence, left to selection
        '"We have never seen the water this high," said Mayor Ann Lee.',
    )


def test_a_page_of_furniture_only_gives_no_article(caplog):
    text = " date 2024-03-05 Home\nAdvertisement\nSubscribe to our newsletter.\nMost read\n"
    with caplog.at_level(logging.WARNING):  # whatever level an earlier in-process run left
        assert clean_document(Document(path="menu.txt", text=text)) is None
    assert "menu.txt: skipped: no article text left after removing page furniture" in caplog.text


def test_a_heading_is_known_by_its_plain_words_without_splitting_every_line():
    heading = {clean._plain_words("Storm closes ports - The Coast Herald"), clean._plain_words("Storm closes ports")}
    lines = [
        "STORM closes ports!",
        "Storm, closes: ports",
        "Storm closes ports along the coast.",
        "Ports closed by the storm.",
        "The Coast Herald",
        "storm closes ports the coast herald",
        "İstanbul storm closes ports",
        "",
    ]
    for line in lines:
        assert clean._is_heading(line, heading) == (clean._plain_words(line) in heading), line
