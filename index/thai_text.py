"""The Thai text rules, in one place, applied identically to documents and queries.

If indexing and querying disagreed on any rule here (a digit, a tone mark, a token
boundary), the sparse side would silently stop matching and hybrid search would
degrade to vector-only; so every caller goes through these functions.

>>> normalize("ม้ัง ทํา ๒๕๖๖")
'มั้ง ทำ 2566'
>>> words("ปลาร้ากรุงเทพฯ อร่อยมาก!")
['ปลาร้า', 'กรุงเทพ', 'อร่อย', 'มาก']
"""

from __future__ import annotations

import base64
import re
import unicodedata
import zlib
from functools import lru_cache

DEFAULT_WORD_ENGINE = "nlpo3"
#: A chunk's meta keys for the ``WordEdges`` of its text and of its names, made when it is indexed.
WORD_EDGES, NAME_EDGES = "word_edges", "name_edges"
WORD_ENGINES = ("nlpo3", "newmm")

_THAI = "\u0e00-\u0e7f"
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Thai fonts in PDFs (Microsoft's private-use layout) draw shifted marks and descender-less
# letters as private-use code points; text extraction hands them to us as such.
_PDF_PRIVATE_USE = str.maketrans(
    {
        "\uf700": "ฐ", "\uf701": "ิ", "\uf702": "ี", "\uf703": "ึ", "\uf704": "ื",
        "\uf705": "่", "\uf706": "้", "\uf707": "๊", "\uf708": "๋", "\uf709": "์",
        "\uf70a": "่", "\uf70b": "้", "\uf70c": "๊", "\uf70d": "๋", "\uf70e": "์",
        "\uf70f": "ญ", "\uf710": "ั", "\uf711": "ํ", "\uf712": "็", "\uf713": "่",
        "\uf714": "้", "\uf715": "๊", "\uf716": "๋", "\uf717": "์", "\uf718": "ุ",
        "\uf719": "ู", "\uf71a": "ฺ",
    }
)  # fmt: skip
_NIKHAHIT_AA = re.compile("\u0e4d\u0e32")  # ํ + า, as PDFs and old keyboards write ำ
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# Thai marks a phrase or sentence end with a space; Latin text with . ! ? and a space.
_UNIT_BREAK = re.compile(rf"\n+|(?<=[{_THAI}])[ \t]+|[ \t]+(?=[{_THAI}])|(?<=[.!?…])[ \t]+")
_WORD_CHARS = re.compile(rf"[{_THAI}\w]")


def normalize(text: str) -> str:
    """Canonical form of Thai text: the same bytes for what looks the same.

    >>> normalize("เเม่ น้ํา ๑๒")  # doubled เ, ํ+า, Thai digits
    'แม่ น้ำ 12'
    """
    from pythainlp.util import normalize as thai_normalize

    text = unicodedata.normalize("NFC", text)
    text = text.translate(_ZERO_WIDTH).translate(_PDF_PRIVATE_USE).translate(_THAI_DIGITS)
    text = _NIKHAHIT_AA.sub("ำ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [thai_normalize(_HORIZONTAL_SPACE.sub(" ", line)).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


@lru_cache(maxsize=4)
def _tokenizer(engine: str):
    if engine not in WORD_ENGINES:
        raise ValueError(f"unknown Thai word tokenizer {engine!r}; choose one of {', '.join(WORD_ENGINES)}")
    from pythainlp.tokenize import word_tokenize

    def tokenize(text: str) -> list[str]:
        return word_tokenize(text, engine=engine, keep_whitespace=False)

    return tokenize


def words(text: str, engine: str = DEFAULT_WORD_ENGINE) -> list[str]:
    """Search terms of already-normalised text: lower-cased words, no spaces or punctuation.

    >>> words("Silk ผ้าไหม, มัดหมี่")
    ['silk', 'ผ้าไหม', 'มัดหมี่']
    """
    terms = (token.strip("ฯ").lower() for token in _tokenizer(engine)(text))
    return [term for term in terms if _WORD_CHARS.search(term) and term != "ๆ"]


def unit_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the phrases and sentences of ``text``, in order.

    Thai writes no full stop: a space ends a phrase or sentence, a newline a paragraph.

    >>> t = "ปลาร้าหมักนานสามเดือน กลิ่นจะหอม\\nSalt it well. Then wait."
    >>> [t[a:b] for a, b in unit_spans(t)]
    ['ปลาร้าหมักนานสามเดือน', 'กลิ่นจะหอม', 'Salt it well.', 'Then wait.']
    """
    spans, start = [], 0
    for brk in _UNIT_BREAK.finditer(text):
        if brk.start() > start:
            spans.append((start, brk.start()))
        start = brk.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@lru_cache(maxsize=65_536)
def normalize_name(text: str) -> str:
    """``normalize`` of a short text (a title, a place, a word), kept: the archive's vocabulary is
    built again after every write from the same names."""
    return normalize(text)


def word_spans(text: str, engine: str = DEFAULT_WORD_ENGINE) -> list[tuple[int, int]]:
    """(start, end) offsets of every word of ``text`` (spaces excluded), for cutting and marking."""
    spans, position = [], 0
    for token in _tokenizer(engine)(text):
        start = text.find(token, position)
        if start < 0:  # the tokenizer altered the token; resynchronise on the next one
            continue
        position = start + len(token)
        if token.strip():
            spans.append((start, position))
    return spans


@lru_cache(maxsize=4096)
def chunk_word_spans(text: str, engine: str = DEFAULT_WORD_ENGINE) -> tuple[tuple[int, int], ...]:
    """``word_spans`` of a stored chunk's text, kept: snippets mark the same chunks query after
    query (a chunk is bounded in size; never pass it a whole file)."""
    return tuple(word_spans(text, engine))


class WordEdges:
    """Where the words of a text begin and end (``word_spans``), as two bit sets: made once when a
    chunk is indexed and kept with it (``pack``), so a search checks that a query word it finds in
    the chunk is a whole word of it without segmenting the chunk again.

    >>> text = "ปลาร้าหมักนาน ข้าวซอย"
    >>> edges = WordEdges.kept(WordEdges.of(text).pack(), text)
    >>> [text[a:b] for a, b in (edges.word_at(0), edges.word_at(15))]
    ['ปลาร้า', 'ข้าวซอย']
    >>> edges.word_at(13) is None  # the space
    True
    >>> WordEdges.kept(WordEdges.of(text).pack(), "ข้าวซอย ปลาร้าหมักนาน") is None  # another text's
    True
    """

    __slots__ = ("checksum", "ends", "length", "starts")

    def __init__(self, starts: int, ends: int, length: int, checksum: int = 0):
        self.starts, self.ends, self.length, self.checksum = starts, ends, length, checksum

    @classmethod
    def of(cls, text: str, engine: str = DEFAULT_WORD_ENGINE) -> WordEdges:
        starts = ends = 0
        for start, end in word_spans(text, engine):
            starts |= 1 << start
            ends |= 1 << end
        return cls(starts, ends, len(text), _checksum(text))

    def pack(self) -> str:
        """``length:checksum:starts:ends``, the bit sets in base 64: ~180 characters for a
        500-character chunk."""
        size = self.length // 8 + 1
        starts, ends = (
            base64.b64encode(bits.to_bytes(size, "little")).decode() for bits in (self.starts, self.ends)
        )
        return f"{self.length}:{self.checksum}:{starts}:{ends}"

    @classmethod
    def kept(cls, packed: object, text: str) -> WordEdges | None:
        """The edges ``pack`` made of ``text``; None for anything else: none kept (a chunk indexed
        before they were), or those of another text (its metadata edited since)."""
        try:
            length, checksum, starts, ends = str(packed).split(":")
            if int(length) != len(text) or int(checksum) != _checksum(text):
                return None
            first, last = (int.from_bytes(base64.b64decode(part), "little") for part in (starts, ends))
            return cls(first, last, len(text), int(checksum))
        except ValueError:
            return None

    def word_at(self, position: int) -> tuple[int, int] | None:
        """(start, end) of the word holding ``position``; None between words."""
        before = self.starts & ((2 << position) - 1)
        if not before:
            return None
        start = before.bit_length() - 1
        after = self.ends >> (start + 1)
        if not after:
            return None
        end = start + (after & -after).bit_length()
        return (start, end) if position < end else None


def _checksum(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


_TONE_MARKS = re.compile("[\u0e47-\u0e4c]")
_LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")
ORDER_CHARS = 7  # characters an order number holds: 8 bits each, under 2**63


def sort_key(text: str) -> str:
    """Thai dictionary order (as pythainlp's ``collate``): tone marks are compared last and a
    leading vowel (เ แ โ ใ ไ) after its consonant; Latin ignores case.

    >>> sorted(["ไก่", "เกิด", "กาล", "เป็ด", "หมู"], key=sort_key)
    ['กาล', 'เกิด', 'ไก่', 'เป็ด', 'หมู']
    """
    text = normalize(text).strip().casefold()
    tones = "".join(_TONE_MARKS.findall(text))
    return _LEADING_VOWEL.sub(r"\2\1", _TONE_MARKS.sub("", text)) + tones


def _rank(char: str) -> int:
    """An order-keeping byte per character: control < ASCII < other < Thai < the rest."""
    code = ord(char)
    if code < 0x20:
        return 1
    if code < 0x80:
        return 2 + code - 0x20  # 2..97
    if code < 0x0E00:
        return 98
    if code < 0x0E80:
        return 99 + code - 0x0E00  # 99..226
    return 227


def order_number(text: str) -> int:
    """``sort_key``'s first characters as an integer, so a store can order by an integer index.

    Order numbers agree with ``sort_key`` order; titles alike in their first ``ORDER_CHARS``
    characters tie (the caller breaks ties on the full key).

    >>> titles = ["หมอลำ", "ไก่ย่าง", "กาละแม", "Bo Sang", "เกิด"]
    >>> sorted(titles, key=order_number) == sorted(titles, key=sort_key)
    True
    """
    key = sort_key(text)[:ORDER_CHARS].ljust(ORDER_CHARS, "\0")
    number = 0
    for char in key:
        number = number * 256 + (0 if char == "\0" else _rank(char))
    return number


#: Spellings that sound alike in the ways Thai names are written in Latin letters: aspirated or
#: not (Phuket, Puket), ch or j, ee or i, and so on.
_LATIN_SOUNDS = (("ph", "p"), ("th", "t"), ("kh", "k"), ("ch", "c"), ("sh", "s"), ("j", "c"),
                 ("ee", "i"), ("oo", "u"), ("ue", "u"), ("w", "u"), ("y", "i"))  # fmt: skip
#: A consonant cluster's r, often silent in speech (สร้าง "sang") and kept by the Royal Institute
#: romanization ("srang"), or dropped in everyday spelling (Bo Sang).
_CLUSTER_R = re.compile(r"([bcdfgkpst])r")
_REPEATS = re.compile(r"(.)\1+")


def latin_key(text: str) -> str:
    """A key under which Latin spellings of the same Thai sounds meet.

    >>> latin_key("Bo Sang") == latin_key("bosrang"), latin_key("Chiang Mai") == latin_key("Jiangmai")
    (True, True)
    """
    key = re.sub(r"[^a-z]", "", text.lower())
    for spelled, sound in _LATIN_SOUNDS:
        key = key.replace(spelled, sound)
    return _REPEATS.sub(r"\1", _CLUSTER_R.sub(r"\1", key))


@lru_cache(maxsize=65_536)
def romanized(word: str) -> str:
    """A Thai word in Latin letters, by the Royal Institute's rules (PyThaiNLP ``royin``, rule based:
    nothing to download).

    >>> romanized("บูดู"), romanized("แม่แจ่ม")
    ('budu', 'maechaem')
    """
    from pythainlp.transliterate import romanize

    return romanize(word, engine="royin")
