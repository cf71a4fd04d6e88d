import pytest

from summarise.merge import merge_near_duplicates
from summarise.models import Sentence
from summarise.select import CoverageSelector, concepts, is_glued, is_list, is_whole_sentence, leans_back, stands_alone
from summarise.vectorise import sentence_vectorizer


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("Putin has accepted an invitation to visit North Korea.", True),
        ("“We will take every effort to develop our relations,” Choe said.", True),
        ("Putin hosts North Korean FM in Kremlin visit", False),  # no full stop
        ("He left early.", False),  # too short to stand alone
        ("and then the minister left the hall after the talks.", False),  # starts mid-sentence
        ("“We are fully aware that many countries share similar viewpoints.", False),  # cut from a quotation
        ("Click here to subscribe to our daily newsletter today.", False),  # furniture
    ],
)
def test_is_whole_sentence(text, whole):
    assert is_whole_sentence(text) is whole


def story(texts):
    sentences = [Sentence(text=t, article_id=a, position=p, paragraph=p, relative_position=p / 4) for a, p, t in texts]
    matrix = sentence_vectorizer().fit_transform([s.text for s in sentences]).tocsr()
    statements = merge_near_duplicates(sentences, matrix)
    statement_matrix = matrix[[s.shown for s in statements]]
    return sentences, matrix, statements, statement_matrix


STORM = [
    ("1", 0, "The storm closed every port along the northern coast on Monday morning."),
    ("1", 1, "Fishing boats stayed in harbour after the storm closed every port along the northern coast."),
    ("1", 2, "Officials expect the ports along the northern coast to reopen on Wednesday."),
    ("2", 0, "The storm closed every port along the northern coast on Monday morning."),
    ("2", 1, "A ferry carrying two hundred passengers was turned back to port by the storm."),
    ("3", 0, "Officials said the ports along the northern coast could reopen on Wednesday."),
]
BANK = [
    ("4", 0, "The central bank held interest rates steady for a third month in a row."),
    ("4", 1, "Economists had expected the central bank to cut interest rates as inflation slowed."),
]


def test_concepts_are_word_pairs_not_both_stop_words_each_once_in_order_of_first_use():
    # "and the" is two stop words; the second "the storm" is already there.
    assert concepts("The storm closed the port and the storm passed.") == (
        ("the", "storm"),
        ("storm", "close"),
        ("close", "the"),
        ("the", "port"),
        ("port", "and"),
        ("storm", "pass"),
    )


def select(texts, stories_of, max_words, **options):
    sentences, _, statements, statement_matrix = story(texts)
    stories = [[i for i, s in enumerate(statements) if s.sentence.article_id in ids] for ids in stories_of]
    selector = CoverageSelector(max_words=max_words, min_words=8, **options).fit(
        stories=stories, statements=statements, statement_matrix=statement_matrix, sentences=sentences
    )
    return [[statements[i].text for i in picks] for picks in selector.selected_], selector.words_


def test_selection_covers_what_articles_share_and_never_repeats():
    chosen, words = select(STORM, [{"1", "2", "3"}], max_words=40)
    # The wire sentence two articles carry covers most shared pairs; the one sentence
    # that says what article 3 says too comes next. "Fishing boats ... closed every
    # port along the northern coast" repeats the first and is never chosen.
    assert chosen == [
        [
            "The storm closed every port along the northern coast on Monday morning.",
            "Officials expect the ports along the northern coast to reopen on Wednesday.",
            "A ferry carrying two hundred passengers was turned back to port by the storm.",
        ]
    ]
    assert words == 38


def test_the_budget_is_never_exceeded_and_every_story_with_two_voices_is_heard():
    chosen, words = select(STORM + BANK, [{"1", "2", "3"}, {"4"}], max_words=20, story_share=1.0)
    assert chosen == [["The storm closed every port along the northern coast on Monday morning."], []]
    assert words == 12
    # A story of one voice is sure of nothing, unless asked.
    chosen, words = select(STORM + BANK, [{"1", "2", "3"}, {"4"}], max_words=30, min_story_voices=1, story_share=1.0)
    assert [len(c) for c in chosen] == [1, 1]
    assert words == 25


def test_fill_budget_lets_the_last_statement_run_past_the_limit():
    _, words = select(STORM, [{"1", "2", "3"}], max_words=20, fill_budget=True)
    assert words == 24
    _, words = select(STORM, [{"1", "2", "3"}], max_words=20)
    assert words == 12


@pytest.mark.parametrize(
    "text",
    [
        # Each read in a real digest or DUC 2006 selection, out of its article.
        "Such status would give the tribe the right to negotiate gambling deals with the state.",
        "He also isn't sure that the federal government is ready to pay the price.",
        "It received the National Highway Traffic Safety Administration's five-star award in crash test ratings.",
        "However, forecasters have warned that the El Nino weather phenomenon will continue raging through late spring.",
        "But once the final numbers are in, Chicago is expected to again have the highest violent crime rate.",
        "Godal has also been involved in trying to persuade pharmaceutical companies to invest in anti-malarial drugs.",
        "In addition, the board voted to keep the old rules for another year.",
        "\u201cThey were never told,\u201d the lawyer said of the families.",
    ],
)
def test_a_sentence_that_leans_on_the_one_before_it_does_not_stand_alone(text):
    assert leans_back(text)
    assert not stands_alone(text)


@pytest.mark.parametrize(
    "text",
    [
        "G Thomas (Toulouse, capt); K Morgan (Newport-Gwent), T Shanklin (Cardiff), M Taylor (Llanelli), S Jones (Ospreys).",
        "Countries attending the meeting include Angola, Lesotho, Malawi, Mauritius, Mozambique, Namibia and Zambia.",
        "Major competitors: BMW 5-series, Mercedes-Benz E-class, Lexus GS 300, Saab 9-5, Acura 3.5 TL.",
        "Results: Arsenal 2, Chelsea 1; Everton 0, Leeds 3; Fulham 1, Wigan 1; Spurs 4, Hull 0.",
    ],
)
def test_line_ups_and_lists_of_names_or_scores_are_not_sentences(text):
    assert is_list(text)
    assert not stands_alone(text)


@pytest.mark.parametrize(
    "text",
    [
        "The Bureau of Indian Affairs estimates that at least half the American Indian population lives in poverty.",
        "Symptoms include fever, chills, headache, muscle ache and malaise.",
        "Autism undermines many aspects of behavior, including movement, attention, learning, memory and mood.",
        "There are too many reports of motorists being struck while changing a tyre on the hard shoulder.",
        "The theory of evolution was described as a unifying concept, officials said on Thursday.",
        "Thousands of people marched through Madrid, Barcelona, Seville and Valencia on Sunday, police said.",
    ],
)
def test_plain_news_sentences_stand_alone(text):
    assert stands_alone(text)


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("By Mark Shaffer PHOENIX - The tribe voted on Tuesday to open a second casino.", False),
        ("By Ann Lee and Tom Hart The council voted on Tuesday to close the library.", False),
        ("By Friday, the river had risen two metres above its normal level.", True),
        ("By the end of the year the company expects to hire 2,000 workers.", True),
    ],
)
def test_a_byline_never_starts_a_sentence(text, alone):
    assert stands_alone(text) is alone


def test_two_sentences_run_together_are_glued():
    glued = "Stopping to repair a flat tire can be one of the most dangerous things a motorist can do There are too many reports of deaths."
    assert is_glued(glued)
    assert not stands_alone(glued)
    assert not is_glued("She read The Times and the Guardian before the meeting.")


def test_exact_selection_finds_the_best_set_where_greedy_does_not():
    # Every word pair counts once (min_support=1). Greedy takes the sentence with the most pairs per
    # (scaled) word, the long one, and then nothing else fits in 24 words; the two shorter ones together
    # cover more pairs within the same budget, and the integer program finds them.
    texts = [
        ("1", 0, "Rescue teams searched flooded valley villages for missing residents through cold windy nights."),
        ("2", 0, "Bank regulators approved the merger of the two rival lenders despite complaints."),
        ("3", 0, "Wheat prices climbed sharply after the drought of the summer damaged harvests."),
    ]
    options = {"min_support": 1, "min_story_voices": 99}
    greedy, _ = select(texts, [{"1", "2", "3"}], max_words=24, solver="greedy", **options)
    exact, words = select(texts, [{"1", "2", "3"}], max_words=24, solver="exact", **options)
    assert greedy == [[texts[0][2]]]
    assert sorted(exact[0]) == [texts[1][2], texts[2][2]]
    assert words == 24
