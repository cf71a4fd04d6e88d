"""Bytes from disk or the web into text: the encoding found where it can be known, binary files refused.

Scrapers leave behind whatever the site sent: UTF-8 with or without a byte
order mark, UTF-16, Windows-1252 from older sites, the odd broken byte, and
now and then an image or an archive saved under a ``.txt`` name. Nothing here
guesses silently: every decoding other than plain UTF-8 comes with a note the
reader passes on as a warning.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# File signatures of the binary formats most often found under a wrong name.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image, WAV or AVI)"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"OggS", "an Ogg audio file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# Bytes that Windows-1252 leaves undefined: text holding them is not Windows-1252 either.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
# Control characters that never occur in text (tab, newlines, form feed and escape aside).
_CONTROL = bytes(sorted(frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}))


class BinaryInput(ValueError):
    """The bytes are not text; the message says what they look like."""


@dataclass(frozen=True)
class Decoded:
    """Bytes read as text: the text, the codec that read it, and what to warn about when it was not plain UTF-8."""

    text: str
    encoding: str  # the codec used
    note: str | None = None  # set when the text was not plain UTF-8, to warn about


def sniff_binary(data: bytes) -> str | None:
    """What the bytes look like when they are not text (a PNG image, a gzip archive...), else None."""
    head = data[:8192]
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if not head or _utf16_order(head) or any(head.startswith(bom) for bom, _, _ in _BOMS):
        return None
    controls = len(head) - len(head.translate(None, _CONTROL))  # counted in C
    if b"\x00" in head or controls > len(head) // 100 + 2:
        return "binary data (control bytes in text)"
    return None


def decode(data: bytes) -> Decoded:
    """The text in `data`; raises BinaryInput when it is not text at all."""
    kind = sniff_binary(data)
    if kind is not None:
        raise BinaryInput(f"not text: looks like {kind}")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            text, bad = _lenient(data[len(bom) :], codec)
            note = None if name == "UTF-8" else f"read as {name} (byte order mark)"
            return Decoded(text, codec, _with_bad(note, bad))
    order = _utf16_order(data[:8192])
    if order:
        text, bad = _lenient(data, order)
        return Decoded(text, order, _with_bad("read as UTF-16 (no byte order mark)", bad))
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    if not _looks_like_utf8_with_errors(data) and not _CP1252_UNDEFINED.intersection(data):
        return Decoded(data.decode("cp1252"), "cp1252", "not UTF-8; read as Windows-1252 (Latin-1)")
    text, bad = _lenient(data, "utf-8")
    return Decoded(text, "utf-8", _with_bad(f"not valid UTF-8 (first bad byte at {first_bad})", bad))


def _lenient(data: bytes, codec: str) -> tuple[str, int]:
    text = data.decode(codec, errors="replace")
    return text, text.count("\ufffd")


def _with_bad(note: str | None, bad: int) -> str | None:
    if not bad:
        return note
    return f"{note + '; ' if note else ''}{bad} undecodable byte{'' if bad == 1 else 's'} replaced"


def _utf16_order(head: bytes) -> str | None:
    """UTF-16 without a byte order mark: mostly-ASCII text has a zero in every other byte."""
    sample = head[: len(head) // 2 * 2]
    if len(sample) < 8:
        return None
    even_zeros = sample[0::2].count(0) / (len(sample) / 2)
    odd_zeros = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zeros > 0.6 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.6 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _looks_like_utf8_with_errors(data: bytes) -> bool:
    """Mostly valid multi-byte UTF-8 with a few broken bytes (rather than a single-byte encoding)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if "\u0080" <= ch != "\ufffd")
    return multibyte > 2 * bad
