"""Titles without the site's name, the site from the title or copyright line, the author from the byline."""

import pytest

from summarise.metadata import clean_title, copyright_holder, find_author, host_of, split_title


@pytest.mark.parametrize(
    ("title", "headline", "site"),
    [
        ("Julian Assange: Sweden drops rape investigation - BBC News", "Julian Assange: Sweden drops rape investigation", "BBC News"),
        ("Ferry fares frozen for a year | News | DW | 19.01.2020", "Ferry fares frozen for a year", "19.01.2020"),
        ("Opinion | Why the ferries matter - The Coast Herald", "Why the ferries matter", "The Coast Herald"),
        ("Dear Abby: Husband flies business class - oregonlive.com", "Dear Abby: Husband flies business class", "oregonlive.com"),
        # A dash inside the headline, before words that are not a name, stays.
        ("Star Wars review - shoots for the moon, lands among the stars - VG247", "Star Wars review - shoots for the moon, lands among the stars", "VG247"),
        # Nothing is taken off when too little headline would be left.
        ("Coronavirus - Live", "Coronavirus - Live", None),
        ("Harbour council votes to switch to electric ferries", "Harbour council votes to switch to electric ferries", None),
        ("商品の改造が商標法違反に！？ | 特許業務法人ライトハウス国際特許事務所", "商品の改造が商標法違反に！？", "特許業務法人ライトハウス国際特許事務所"),
    ],
)
def test_split_title(title, headline, site):
    assert split_title(title) == (headline, site)


def test_the_last_copyright_line_names_the_site():
    lines = ["Photo © Reuters", "Some story text.", "© 2019 Dow Jones & Company, Inc. All Rights Reserved."]
    assert copyright_holder(lines) == "Dow Jones & Company, Inc"
    assert copyright_holder(["© Copyright 2018 by Valley Gazette Media"]) == "Valley Gazette Media"
    assert copyright_holder(["Copyright law was changed in 2018, the minister said on Tuesday in a long speech."]) is None


def test_a_byline_names_the_author_but_an_agency_is_no_author():
    assert find_author(["Home", "By Jane Marsh and Ali Khan", "Text."]) == "Jane Marsh and Ali Khan"
    assert find_author(["By Tom Brennan | Published 5 March"]) == "Tom Brennan"
    assert find_author(["By The Associated Press"]) is None
    assert find_author(["By then the river had crested and the town was quiet."]) is None


def test_host_of():
    assert host_of("https://www.bbc.co.uk/news/x") == "bbc.co.uk"
    assert host_of(None) is None and host_of("http://[::1") is None


@pytest.mark.parametrize(
    ("title", "site", "headline"),
    [
        # The name the page gives itself is taken off however it is written (a real Italian page's title) ...
        (
            "Black Friday per nostalgici: le occasioni da non perdere - Remember 80/90 - Memorabilia anni 80/90",
            "Remember 80/90 - Memorabilia anni 80/90",
            "Black Friday per nostalgici: le occasioni da non perdere",
        ),
        ("Storm closes ports | BBC News", "BBC News", "Storm closes ports"),
        # ... but never leaves less than a headline, and a title that only names the site stays.
        ("Storm - Weather Today", "Weather Today", "Storm - Weather Today"),
        ("BBC News", "BBC News", "BBC News"),
        # Without a stated name, the last piece goes only when it reads as a site's name.
        ("Black Friday per nostalgici: le occasioni - Memorabilia anni 80/90", None, "Black Friday per nostalgici: le occasioni - Memorabilia anni 80/90"),
    ],
)
def test_clean_title_takes_off_the_site_name_the_page_states(title, site, headline):
    assert clean_title(title, site) == headline
