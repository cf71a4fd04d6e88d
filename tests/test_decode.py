"""Bytes to text (encodings, binary files) and the English check, on made-up inputs with exact answers."""

import gzip
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarise.decode import BinaryInput, decode, sniff_binary
from summarise.language import language_code

TEXT = "Ministers met in Zürich on Tuesday – “a café summit”, said the agency’s résumé."


@pytest.mark.parametrize(
    ("data", "encoding", "note"),
    [
        (TEXT.encode("utf-8"), "utf-8", None),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8", None),
        (TEXT.encode("utf-16"), "utf-16-le", "read as UTF-16 (byte order mark)"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be", "read as UTF-16 (byte order mark)"),
        (TEXT.encode("utf-16-le"), "utf-16-le", "read as UTF-16 (no byte order mark)"),
        (TEXT.encode("cp1252"), "cp1252", "not UTF-8; read as Windows-1252 (Latin-1)"),
    ],
)
def test_each_encoding_is_read_back_exactly(data, encoding, note):
    decoded = decode(data)
    assert (decoded.text, decoded.encoding, decoded.note) == (TEXT, encoding, note)


def test_latin1_text_reads_as_windows_1252():
    assert decode("Le café est fermé à Genève.".encode("latin-1")).text == "Le café est fermé à Genève."


def test_broken_bytes_in_utf8_are_replaced_and_said():
    data = "Zürich – café".encode() + b"\xff" + " résumé".encode()
    decoded = decode(data)
    assert decoded.text == "Zürich – café\ufffd résumé"
    assert decoded.note == "not valid UTF-8 (first bad byte at 17); 1 undecodable byte replaced"


def test_bytes_no_encoding_explains_are_replaced():
    data = b"caf\x81 \x9d menu \x90"  # undefined in Windows-1252, invalid in UTF-8
    decoded = decode(data)
    assert decoded.text == "caf\ufffd \ufffd menu \ufffd"
    assert decoded.note == "not valid UTF-8 (first bad byte at 3); 3 undecodable bytes replaced"


def _gzip() -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as handle:
        handle.write(b"hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (_gzip(), "a gzip archive"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive (or an Office document)"),
        (bytes(range(256)) * 4, "binary data (control bytes in text)"),
    ],
)
def test_binary_files_are_refused_saying_what_they_look_like(data, kind):
    assert sniff_binary(data) == kind
    with pytest.raises(BinaryInput, match=f"^not text: looks like {kind.replace('(', '.').replace(')', '.')}$"):
        decode(data)


def test_text_with_tabs_and_form_feeds_is_not_binary():
    assert sniff_binary(b"col\tcol\r\n\x0cnext page") is None


@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_are_refused(data):
    try:
        decoded = decode(data)
    except BinaryInput as error:
        assert str(error).startswith("not text: looks like ")
    else:
        assert isinstance(decoded.text, str)


@given(st.text(max_size=500))
def test_any_utf8_text_comes_back_unchanged(text):
    try:
        assert decode(text.encode("utf-8")).text == text
    except BinaryInput:  # text made of control characters is refused, never garbled
        assert any(ord(ch) < 32 and ch not in "\t\n\x0b\x0c\r\x1b" for ch in text)


FRENCH = (
    "Le gouvernement a annoncé mardi une série de mesures pour soutenir les agriculteurs, qui manifestent "
    "depuis plusieurs semaines dans tout le pays. Selon le ministère, ces aides seront versées avant la fin "
    "du mois et concernent plus de cent mille exploitations."
)
GERMAN = (
    "Die Bundesregierung hat am Dienstag neue Maßnahmen zur Unterstützung der Landwirte beschlossen, die seit "
    "Wochen im ganzen Land protestieren. Nach Angaben des Ministeriums sollen die Hilfen noch in diesem Monat "
    "ausgezahlt werden und mehr als hunderttausend Betriebe erreichen."
)
ENGLISH = (
    "The government announced on Tuesday a series of measures to support farmers, who have been protesting "
    "for several weeks across the country. According to the ministry, the aid will be paid before the end of "
    "the month and will reach more than a hundred thousand farms."
)


RUSSIAN = (
    "Правительство во вторник объявило о ряде мер по поддержке фермеров, которые уже несколько недель "
    "протестуют по всей стране. По данным министерства, помощь будет выплачена до конца месяца."
)
UKRAINIAN = (
    "Уряд у вівторок оголосив про низку заходів для підтримки фермерів, які вже кілька тижнів протестують "
    "по всій країні. За даними міністерства, допомогу буде виплачено до кінця місяця."
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (ENGLISH, "en"),
        (FRENCH, "fr"),
        (GERMAN, "de"),
        (RUSSIAN, "ru"),
        (UKRAINIAN, "uk"),
        ("政府周二宣布了一系列支持农民的措施，农民们已经在全国各地抗议了数周。部长表示，援助将在月底前发放。", "zh"),
        ("政府は火曜日、農家を支援する一連の措置を発表した。農家は数週間にわたり全国で抗議を続けている。", "ja"),
        (ENGLISH + " Il a dit: « c'est la vie ».", "en"),  # a French quote inside English
        ("Le café. Die Bank.", None),  # too short to tell
    ],
)
def test_language_code(text, code):
    assert language_code(text) == code
