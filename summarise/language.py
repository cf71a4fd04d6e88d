"""Each article's language, and the words of the languages the summariser tells.

An article's language is told from its text, offline and deterministically. Most news a user of
ours reads is plainly English, and for that a cheap test settles it: English function words make a
good share of the text and outnumber any other language's several times over (the "stop word"
method; Grefenstette 1995 found short common words tell languages apart as well as trigram models
on texts of a sentence or more). Everything else goes to py3langid (a maintained fork of Lui and
Baldwin's langid.py, ACL 2012: a naive Bayes model over byte n-grams, 97 languages), whose model
takes about a second and 80 MB to load: a day of English news never loads it. On the 92 pages of
the extraction benchmark and 250 DUC 2006 articles, it named every language right
(benchmarks/languages.py, where lingua and our former home-made detector are compared).

Each supported language (`SUPPORTED`: a Snowball stemmer and a stop-word list exist for it) has a
`Lexicon` (text.py), built once per process by `lexicon_for`.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .text import Lexicon

MIN_WORDS = 15  # below this, too little to tell: the article goes with the day's main language
SAMPLE_CHARS = 5000  # the start of an article says its language as well as the whole

# English function words: when they are a good share of the text (ENGLISH_SHARE) and outnumber each
# other language's own (OTHERS) ENGLISH_MARGIN times over, the text is English without the model.
_ENGLISH = frozenset(
    "the of and to in is that for it was on with as by at from his her they this have has had be are were which "
    "an or but not been their who would will said its after also than".split()
)
_OTHERS = {
    "fr": "le la les des du un une et est dans pour que qui sur pas par au aux avec ce cette sont ont il elle",
    "de": "der die das und ist nicht ein eine den dem des zu mit sich auf für von im auch es wird wurde sind",
    "es": "el la los las de del y en que es por para con un una se su sus al como más pero fue ha han",
    "it": "il lo la gli le di del della dei delle che è per con un una non sono nel nella si da alla anche",
    "pt": "o a os as de do da dos das e em no na que é para com um uma não por se ao mais foi são",
    "nl": "de het een en van in is dat op te zijn voor met niet aan er ook als bij door maar om nog",
    "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena oleh ada mereka",
}
_OTHER_WORDS = {code: frozenset(words.split()) for code, words in _OTHERS.items()}
ENGLISH_SHARE = 0.15
FUNCTION_SHARE = 0.1
ENGLISH_MARGIN = 3
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Codes the model writes otherwise than the rest of the program: Norwegian is one language here.
ALIASES = {"no": "nb", "nn": "nb"}

# English names of the languages a message or a page may name (ISO 639-1 codes).
NAMES = {
    "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian",
    "bg": "Bulgarian", "bn": "Bengali", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish",
    "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish",
    "gl": "Galician", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "hy": "Armenian", "id": "Indonesian", "is": "Icelandic", "it": "Italian", "ja": "Japanese",
    "ka": "Georgian", "kk": "Kazakh", "km": "Khmer", "kn": "Kannada", "ko": "Korean", "ku": "Kurdish",
    "lo": "Lao", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam",
    "mn": "Mongolian", "mr": "Marathi", "ms": "Malay", "mt": "Maltese", "my": "Burmese", "nb": "Norwegian",
    "ne": "Nepali", "nl": "Dutch", "pa": "Punjabi", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "so": "Somali",
    "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu",
    "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek",
    "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip


def language_name(code: str) -> str:
    """The English name of a language code ("fr" -> "French"); the code itself when it has none here."""
    return NAMES.get(code, code)


def language_code(text: str) -> str | None:
    """The ISO 639-1 code of the text's language ("en", "fr", "ru"...), or None when too short to tell."""
    sample = text[:SAMPLE_CHARS]
    words = _WORD.findall(sample.lower())
    if len(words) < MIN_WORDS and not _unspaced(sample):
        return None
    if _plainly_english(words):
        return "en"
    code, _score = _identifier().classify(sample)
    code = ALIASES.get(code, code)
    if code != "en" and code in SUPPORTED and not _speaks(sample, code):
        return None  # a list, a table of scores: too few of any language's own words to tell
    return code


def _speaks(sample: str, code: str) -> bool:
    """Whether the text uses the language's function words as running text does (a tenth of its words
    at least; news prose has a third or more), so a line-up or a table of results, which the model
    takes for whatever language its names suggest, is not moved out of the day's main language.
    English is not asked: the model's English is right even on such lists, and they are the day's
    main language's most often."""
    lexicon = lexicon_for(code)
    words = lexicon.words(sample)
    return sum(1 for word in words if word in lexicon.stop_words) >= FUNCTION_SHARE * len(words)


def _plainly_english(words: list[str]) -> bool:
    counts = Counter(words)
    english = sum(counts[w] for w in _ENGLISH if w in counts)
    if english < ENGLISH_SHARE * len(words):
        return False
    return all(english >= ENGLISH_MARGIN * sum(counts[w] for w in vocabulary if w in counts)
               for vocabulary in _OTHER_WORDS.values())  # fmt: skip


# Chinese, Japanese and Thai write no spaces between words: a short text is still many characters.
_UNSPACED_CHARS = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def _unspaced(sample: str) -> bool:
    return len(_UNSPACED_CHARS.findall(sample)) >= 2 * MIN_WORDS


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's model, loaded the first time a text is not plainly English (about a second), and kept
    to the languages named in `NAMES`: the model also knows regional and historical languages (Aragonese,
    Nigerian Pidgin, Ancient Greek...) that news in a major language, a list of names above all, is
    sometimes taken for."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    known = set(identifier.nb_classes)
    identifier.set_languages(sorted(code for code in (*NAMES, *ALIASES) if code in known))
    return identifier


# The languages the summariser tells, by ISO 639-1 code: each has a Snowball stemmer (PyStemmer, named
# by the language's English name in lower case) and a stop-word list (the `stop-words` package, which
# takes the code).
SUPPORTED = frozenset("ar ca cs da de el en es fa fi fr hi hu id it nb nl pl pt ro ru sv tr".split())
# Languages that elide articles and prepositions onto the next word ("l'Italia", "d'un", "dell'anno").
_ELIDING = frozenset({"ca", "fr", "it"})
# Not supported: languages with no Snowball stemmer or no stop-word list (Ukrainian, Korean...), and those
# written without spaces between words (Chinese, Japanese, Thai), which would need a word segmenter first.

_LEXICONS: dict[str, Lexicon] = {}


def is_supported(code: str | None) -> bool:
    """Whether the summariser tells articles in this language."""
    return code in SUPPORTED


def lexicon_for(code: str) -> Lexicon:
    """The stop words and stemmer of a supported language (KeyError for another), built once per process.

    English keeps the summariser's own list (scikit-learn's and the words of reported speech), with
    which every English figure was measured; the others come from the `stop-words` package.
    """
    found = _LEXICONS.get(code)
    if found is None:
        from .text import ENGLISH, Lexicon, fold

        if code not in SUPPORTED:
            raise KeyError(code)
        if code == ENGLISH.code:
            found = ENGLISH
        else:
            from stop_words import get_stop_words  # loaded only on a day with another language

            name = NAMES[code]
            stop_words = frozenset(fold(w) for w in get_stop_words(code))
            found = Lexicon(code, name, name.lower(), stop_words, elision=code in _ELIDING)
        _LEXICONS[code] = found
    return found
