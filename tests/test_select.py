import pytest

from summarise.merge import merge_near_duplicates
from summarise.models import Sentence
from summarise.select import CoverageSelector, concepts, is_whole_sentence
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
    chosen, words = select(STORM + BANK, [{"1", "2", "3"}, {"4"}], max_words=20)
    assert chosen == [["The storm closed every port along the northern coast on Monday morning."], []]
    assert words == 12
    # A story of one voice is sure of nothing, unless asked.
    chosen, words = select(STORM + BANK, [{"1", "2", "3"}, {"4"}], max_words=30, min_story_voices=1)
    assert [len(c) for c in chosen] == [1, 1]
    assert words == 25


def test_fill_budget_lets_the_last_statement_run_past_the_limit():
    _, words = select(STORM, [{"1", "2", "3"}], max_words=20, fill_budget=True)
    assert words == 24
    _, words = select(STORM, [{"1", "2", "3"}], max_words=20)
    assert words == 12
