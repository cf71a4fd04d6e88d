"""The article body of a page saved as its visible text, picked by the shape and place of its lines."""

from summarise import body
from summarise.body import body_lines

NEWS_PAGE = """Home
News
Sport
Weather
Search
Storm closes ports along the coast - The Coast Herald
Storm closes ports along the coast
By Jane Marsh
A storm closed every port along the northern coast on Tuesday, stranding hundreds of travellers overnight.
Ferry operators said crossings would resume on Wednesday morning if the wind dropped as forecast.
The coastguard said two fishing boats had been towed to safety and no one had been hurt in the storm.
Harbour masters warned that the clean-up of damaged quays could take several weeks to finish.
Share this article
Facebook
Twitter
Most read
Council votes on new parking charges
Schools to reopen after half term
Copyright 2024 The Coast Herald""".splitlines()


def test_the_article_is_kept_and_the_menu_teasers_and_footer_are_not():
    assert body_lines(NEWS_PAGE) == [8, 9, 10, 11]


def test_a_clean_wire_story_cut_short_is_kept_whole():
    story = (
        "BERLIN (AP) _ Two medical experts testified on Wednesday in the doping trial of a former East German "
        "sports doctor. They said the swimmers they examined showed damage linked to drugs, 6th graf pvs"
    )
    assert body_lines([story]) == [0]


def test_a_live_blog_keeps_its_news_in_bullet_lines():
    page = [
        "Live: Storm updates",
        "Latest",
        "- 10:02 Ferries to the islands are cancelled for the rest of the day, the operator says.",
        "- 09:40 The coastguard has towed two fishing boats to safety off the northern headland.",
        "- 09:15 Winds of up to 90 mph have been recorded at the harbour mouth this morning.",
        "- 08:50 Schools along the coast will open late, the county council has announced.",
        "Related",
        "Weather warnings explained",
    ]
    assert body_lines(page) == [2, 3, 4, 5]


def test_a_chinese_page_is_read_by_the_same_signals():
    page = [
        "暴风雨关闭沿海港口 - 海岸日报",
        "首页",
        "新闻",
        "体育",
        "财经",
        "天气",
        "登录",
        "暴风雨关闭沿海港口",
        "2024年3月5日 08:30 来源：海岸日报",
        "周二，一场暴风雨关闭了北部沿海的所有港口，数百名旅客滞留过夜。",
        "渡轮运营商表示，如果风力按预报减弱，渡轮将于周三上午恢复运行。",
        "海岸警卫队表示，两艘渔船已被拖到安全地带，暴风雨中无人受伤。",
        "港务局警告说，清理受损码头可能需要几周时间。",
        "相关新闻",
        "市议会讨论新的停车收费",
        "学校假期后重新开放",
        "版权所有 © 2024 海岸日报",
    ]
    # Menu, headline, related stories and footer out; the four paragraphs in (by CJK sentence marks and
    # length in characters, no words looked up). The dateline right over the article comes along.
    assert body_lines(page) == [8, 9, 10, 11, 12]


def test_nothing_in_nothing_out_and_a_lone_fragment_is_still_kept():
    assert body_lines([]) == []
    assert body_lines(["the talks would continue, 6th graf pvs"]) == [0]


# The scoring is worked out by shortcuts (byte counts for ASCII lines, cached per-line sums, the
# second stage's terms added column by column); they must give the model's own numbers, bit for bit.
AWKWARD_LINES = [
    "Storm closes ports along the coast - The Coast Herald",
    'He said: "We are ready." Then he left.  Twice\tover',
    "\tleading tab and trailing space ",
    "snake_case_words and __dunder__ 42_000 (see [1]) 'quoted'!) next",
    "Visit WWW.EXAMPLE.COM or HTTPS://x.org, mail @desk, tag #news",
    "ALL CAPS HEADLINE: 3 OF 4",
    "...",
    '?!" ) ] * end',
    "- bullet item with trailing quote.'",
    "line\x1cwith\x1funit separators\x0bvertical tab.",
    "ends with a newline.\n",
    "£ non-ASCII Ärger über die Brücke. Zwei Sätze!",
]


def test_an_ascii_line_is_shaped_as_any_other_line():
    for line in AWKWARD_LINES + NEWS_PAGE:
        if line.isascii():
            assert body._ascii_shape(line) == body._shape(line), line


def test_the_scores_are_the_model_s_own():
    pages = [NEWS_PAGE, AWKWARD_LINES, NEWS_PAGE[5:] + AWKWARD_LINES + NEWS_PAGE, [NEWS_PAGE[0]] * 3]
    for lines in pages:
        feats = body.page_line_features(lines)
        first = [body._dot(body.LINE_WEIGHTS, f) for f in feats]
        second = [body._dot(body.CONTEXT_WEIGHTS, c) for c in body.context_features(first, feats)]
        facts = [body._line_facts(line) for line in lines]
        assert body._first_stage(lines, facts) == first
        assert body.page_scores(lines) == (feats, second)
