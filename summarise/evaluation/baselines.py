"""Baselines to measure against: lead, and sumy's classic extractive summarisers.

- Lead: the newest article's first whole sentences, as NIST's DUC baseline.
- LexRank (Erkan and Radev, "LexRank: Graph-based lexical centrality as
  salience in text summarization", JAIR 22, 2004).
- TextRank (Mihalcea and Tarau, "TextRank: Bringing order into texts",
  EMNLP 2004).
- LSA (Steinberger and Ježek, "Using latent semantic analysis in text
  summarization and summary evaluation", ISIM 2004).
- Luhn ("The automatic creation of literature abstracts", IBM Journal of
  Research and Development 2(2), 1958).

The sumy ones need the optional `eval` extra. sumy's own tokenizer needs
NLTK's downloaded punkt data, so we hand it ours (`OfflineTokenizer`).
Each summary is made of whole sentences, best-rated first until it has at
least the wanted number of words, then shown in document order as sumy does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..models import Article
from ..select import is_whole_sentence
from ..split import SentenceSplitter
from ..text import words

SUMY_METHODS = ("lexrank", "textrank", "lsa", "luhn")


def lead(articles: list[Article], splitter: SentenceSplitter, min_words: int) -> list[str]:
    """The newest article's first whole sentences, until there are `min_words` words."""
    newest = max(articles, key=lambda a: (a.date or dt.date.min, a.path))
    chosen: list[str] = []
    count = 0
    for paragraph in newest.paragraphs:
        for sentence in splitter.split(paragraph):
            if count >= min_words:
                return chosen
            if is_whole_sentence(sentence):
                chosen.append(sentence)
                count += len(sentence.split())
    return chosen


class OfflineTokenizer:
    """The sumy tokenizer interface over our Punkt splitter: no downloaded data."""

    language = "english"

    def __init__(self, splitter: SentenceSplitter):
        self._splitter = splitter

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """The sentences of a paragraph, by our Punkt splitter."""
        return tuple(self._splitter.split(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """The words of a sentence, as `text.words` finds them."""
        return tuple(words(sentence))


def _enough_words(min_words: int) -> Callable[[list], list]:
    """A sumy "sentences count": best-rated sentences until `min_words` words."""

    def take(infos: list) -> list:
        """Sentences from the front of `infos` (sumy's best-rated first) until they hold at least `min_words` words."""
        chosen, count = [], 0
        for info in infos:
            if count >= min_words:
                break
            chosen.append(info)
            count += len(str(info.sentence).split())
        return chosen

    return take


def sumy_summary(method: str, articles: list[Article], splitter: SentenceSplitter, min_words: int) -> list[str]:
    """A summary by one of sumy's summarisers, in document order."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    classes = {
        "lexrank": LexRankSummarizer,
        "textrank": TextRankSummarizer,
        "lsa": LsaSummarizer,
        "luhn": LuhnSummarizer,
    }
    text = "\n\n".join("\n\n".join(a.paragraphs) for a in articles)
    document = PlaintextParser.from_string(text, OfflineTokenizer(splitter)).document
    summarizer = classes[method](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return [str(s) for s in summarizer(document, _enough_words(min_words))]
