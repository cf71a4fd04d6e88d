"""Is an article in English? A small, offline, deterministic answer.

The pipeline's sentence splitter, stop words and stemmer are English; an
article in another language would only add noise topics. Two signals settle
nearly every news article: the script its letters are written in, and, for
the Latin script, which language's commonest function words it uses most
(the "stop word" method; Grefenstette 1995 compared it with trigram models
and found short common words work as well on texts of a sentence or more).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

MIN_WORDS = 25  # below this, too little to tell: the article is kept
SAMPLE_CHARS = 5000  # the start of an article says its language as well as the whole

# Frequent, short words that are distinctive for each language (own selection).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "English": frozenset(
        "the of and to in is that for it was on with as by at from his her they this have has had be "
        "are were which an or but not been their who would will said its after also than".split()
    ),
    "French": frozenset(
        "le la les des du un une et est dans pour que qui sur pas par au aux avec ce cette sont ont il "
        "elle ils leur mais plus été être fait selon lors".split()
    ),
    "German": frozenset(
        "der die das und ist nicht ein eine den dem des zu mit sich auf für von im auch es wird wurde "
        "sind hat haben bei nach aus wie oder aber noch".split()
    ),
    "Spanish": frozenset(
        "el la los las de del y en que es por para con un una se su sus al como más pero fue ha han "
        "este esta son lo entre según".split()
    ),
    "Italian": frozenset(
        "il lo la gli le di del della dei delle che è per con un una non sono nel nella si da alla "
        "anche come più ma ha hanno questo".split()
    ),
    "Portuguese": frozenset(
        "o a os as de do da dos das e em no na que é para com um uma não por se ao mais foi são "
        "como mas pelo pela seu sua".split()
    ),
    "Dutch": frozenset(
        "de het een en van in is dat op te zijn voor met niet aan er ook als bij door maar om nog "
        "heeft werd wordt naar uit".split()
    ),
    "Swedish": frozenset(
        "och att det som en på är av för med till den har de inte om ett han var men också från "
        "efter vid kan".split()
    ),
    "Indonesian": frozenset(
        "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena oleh ada mereka "
        "adalah sebagai telah".split()
    ),
    "Turkish": frozenset("ve bir bu da de için ile olarak çok daha gibi ama olan sonra kadar ise".split()),
    "Polish": frozenset("i w na z że się nie do to jest o jak ale po co od przez dla są jego".split()),
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_A-Za-z]")
# Scripts used by one language, or by a family whose commonest member names it, with its ISO 639-1 code.
_SCRIPTS = {
    "CYRILLIC": ("ru", "a Cyrillic-script language (Russian, Ukrainian...)"),
    "ARABIC": ("ar", "an Arabic-script language"),
    "CJK": ("zh", "Chinese"),
    "HIRAGANA": ("ja", "Japanese"),
    "KATAKANA": ("ja", "Japanese"),
    "HANGUL": ("ko", "Korean"),
    "GREEK": ("el", "Greek"),
    "HEBREW": ("he", "Hebrew"),
    "DEVANAGARI": ("hi", "a Devanagari-script language (Hindi...)"),
    "THAI": ("th", "Thai"),
    "BENGALI": ("bn", "Bengali"),
    "TAMIL": ("ta", "Tamil"),
    "GEORGIAN": ("ka", "Georgian"),
    "ARMENIAN": ("hy", "Armenian"),
}
# ISO 639-1 codes of the languages told apart by their function words.
CODES = {
    "English": "en", "French": "fr", "German": "de", "Spanish": "es", "Italian": "it", "Portuguese": "pt",
    "Dutch": "nl", "Swedish": "sv", "Indonesian": "id", "Turkish": "tr", "Polish": "pl",
}  # fmt: skip
# Letters only Ukrainian writes among the Cyrillic-script languages of the news.
_UKRAINIAN = frozenset("іїєґІЇЄҐ")


def script_of(ch: str) -> str:
    """The script a character's Unicode name starts with ("LATIN", "CYRILLIC"...); "CJK" for ideographs."""
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    return "CJK" if first in ("CJK", "IDEOGRAPHIC") else first


def language_name(code: str) -> str:
    """The name a message gives a language code ("fr" -> "French")."""
    names = {c: name for name, c in CODES.items()} | {c: name for c, name in _SCRIPTS.values()}
    return names.get(code, {"ja": "Japanese", "uk": "Ukrainian"}.get(code, code))


def detect_language(text: str) -> str | None:
    """The article's language when it is clearly not English, else None (English, or too short to tell)."""
    found = identify(text)
    return None if found is None or found[0] == "en" else found[1]


def language_code(text: str) -> str | None:
    """The ISO 639-1 code of the text's language ("en", "fr", "ru"...), or None when too short to tell."""
    found = identify(text)
    return found[0] if found else None


def identify(text: str) -> tuple[str, str] | None:
    """(ISO 639-1 code, name) of the text's language, or None when there is too little text to tell.

    Latin-script text in none of the known languages is taken for English, as before: the
    summariser's stop words and stemmer then do what they can with it.
    """
    sample = text[:SAMPLE_CHARS]
    # Letters beyond ASCII are few in English: only when they are many is their script looked up.
    others = _NON_ASCII_LETTER.findall(sample)
    if others:
        plain = len(_ASCII_LETTER.findall(sample))
        if plain < len(others):  # mostly letters beyond ASCII
            scripts = Counter(script_of(ch) for ch in others)
            script, count = scripts.most_common(1)[0]
            if script != "LATIN" and count > (plain + len(others)) / 2:
                if script == "CJK" and scripts["HIRAGANA"] + scripts["KATAKANA"]:
                    return "ja", "Japanese"  # Japanese writes kanji beside its own syllabaries
                if script == "CYRILLIC" and _UKRAINIAN.intersection(sample):
                    return "uk", "Ukrainian"
                return _SCRIPTS.get(script, ("und", f"a language in the {script.title()} script"))
    counts = Counter(_WORD.findall(sample.lower()))
    total = sum(counts.values())
    if total < MIN_WORDS:
        return None
    hits = {lang: sum(counts[w] for w in vocabulary if w in counts) for lang, vocabulary in FUNCTION_WORDS.items()}
    english = hits.pop("English")
    best = max(sorted(hits), key=lambda lang: hits[lang])
    # Clearly another language: its function words outnumber English ones two to one and are common.
    if hits[best] > 2 * english and hits[best] >= 0.1 * total:
        return CODES[best], best
    return "en", "English"
