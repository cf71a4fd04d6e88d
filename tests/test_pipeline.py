"""Steps of the core that sit between the stages: the order a story's statements are told in."""

from summarise.models import Sentence, Statement
from summarise.summariser import _lead_with_label


def statement(text: str, position: int) -> Statement:
    sentence = Sentence(text=text, article_id="1", position=position, paragraph=position, relative_position=0.0)
    return Statement(text=text, citations=("1",), variants=(position,), shown=position, sentence=sentence)


def test_a_story_opens_with_the_statement_that_tells_what_its_label_says():
    told = [
        statement("The match drew a crowd of 70,000 to the stadium on Saturday afternoon.", 0),
        statement("Wales beat England 24-18 in the Six Nations after a late try.", 1),
        statement("England had won the last four meetings between the sides.", 2),
    ]
    label = "Wales beat England in Six Nations thriller"
    assert [s.sentence.position for s in _lead_with_label(told, label)] == [1, 0, 2]
    # Nothing shared with the label: reading order stays.
    assert [s.sentence.position for s in _lead_with_label(told, "Weekend sport")] == [0, 1, 2]
    assert _lead_with_label([], label) == []
