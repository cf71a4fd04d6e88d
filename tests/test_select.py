import pytest

from summarise.merge import merge_near_duplicates
from summarise.models import Sentence
from summarise.select import CentralitySelector, is_whole_sentence
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


TEXTS = [
    ("1", 0, "The storm closed every port along the northern coast on Monday morning."),
    ("1", 1, "Fishing boats stayed in harbour as the storm closed the northern ports on Monday."),
    ("1", 2, "Officials expect the ports along the coast to reopen on Wednesday after the storm."),
    ("2", 0, "The storm closed every port along the northern coast on Monday morning."),
    ("2", 1, "A ferry carrying two hundred passengers was turned back to port by the storm."),
]


def test_selection_prefers_central_supported_statements_and_never_repeats():
    sentences, matrix, statements, statement_matrix = story(TEXTS)
    selector = CentralitySelector(max_words=40).fit(
        stories=[list(range(len(statements)))],
        statements=statements,
        statement_matrix=statement_matrix,
        sentence_matrix=matrix,
        sentences=sentences,
        story_sizes=[2],
    )
    chosen = [statements[i].text for i in selector.selected_[0]]
    # The wire sentence both articles carry comes first; its paraphrase in article 1
    # ("Fishing boats stayed in harbour ...") is a repeat and is left out.
    assert chosen == [
        "The storm closed every port along the northern coast on Monday morning.",
        "A ferry carrying two hundred passengers was turned back to port by the storm.",
        "Officials expect the ports along the coast to reopen on Wednesday after the storm.",
    ]
    assert selector.words_ == 40


def test_the_word_budget_is_never_exceeded_and_bigger_stories_get_more_room():
    texts = [
        *TEXTS,
        ("3", 0, "The central bank held interest rates steady for a third month in a row."),
        ("3", 1, "Economists had expected the bank to cut rates as inflation slowed in the spring."),
    ]
    sentences, matrix, statements, statement_matrix = story(texts)
    storm = [i for i, s in enumerate(statements) if s.sentence.article_id in "12"]
    bank = [i for i, s in enumerate(statements) if s.sentence.article_id == "3"]
    selector = CentralitySelector(max_words=45).fit(
        stories=[storm, bank],
        statements=statements,
        statement_matrix=statement_matrix,
        sentence_matrix=matrix,
        sentences=sentences,
        story_sizes=[2, 1],
    )
    assert [len(picks) for picks in selector.selected_] == [2, 1]
    assert selector.words_ <= 45
