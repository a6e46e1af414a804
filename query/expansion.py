"""Query expansion: Isan, Lanna and southern words searched together with central Thai, and
English words of the archive's subjects together with their Thai.

A sage's transcript says ปลาแดก and เฮ็ด; a teacher searching in central Thai types ปลาร้า and
ทำ, and the other way round. ``expand_query`` keeps the query as typed and appends the
central words of the dialect words it contains, so both spellings are searched; its
``notice`` tells the user ("ค้นหารวมถึง: …"). A researcher who types ``how to weave silk`` meets
a Thai archive whose BM25 side shares no word with the question and whose e5 cosines across
languages are faint: the English glossary (``query/data/english_glossary.csv``, header
``english,thai``) adds ``ทอ``, ``ผ้าไหม`` the same way.

The lexicon (``query/data/dialect_lexicon.csv``, header ``dialect,word,central``; a word may
have several rows, one per dialect or meaning) is matched against the PyThaiNLP words of
the normalised query: a dialect word matches one word or several consecutive ones, since the
segmenter splits words it does not know (จั่งใด๋ may come out as จั่ง + ใด๋). A dialect word
of two or more Thai character clusters also matches across the edge of a segment the
segmenter could not read (no dictionary word: ดนปานใด๋จั่งนัว gives ... ปาน | ใด๋จั่ง ...),
on cluster boundaries, but never inside a real word (ดน is not in ดนตรี). The longest
match wins.

>>> lexicon = DialectLexicon({"เฮ็ด": {"isan": ("ทำ",)}, "จั่งใด๋": {"isan": ("อย่างไร",)}})
>>> expanded = expand_query("ปลาแดกเฮ็ดจั่งใด๋", lexicon)
>>> expanded.text, expanded.notice
('ปลาแดกเฮ็ดจั่งใด๋ ทำ อย่างไร', 'ค้นหารวมถึง: ทำ, อย่างไร')
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index.thai_text import normalize, words

DEFAULT_LEXICON = Path(__file__).parent / "data" / "dialect_lexicon.csv"
#: English words and phrases of the archive's subjects → the Thai a document on them says
#: (header ``english,thai``): a question typed in English is searched in Thai too.
ENGLISH_GLOSSARY = Path(__file__).parent / "data" / "english_glossary.csv"
DIALECTS = ("isan", "lanna", "southern")
ENGLISH = "english"
SOURCES = (*DIALECTS, ENGLISH)  # in the order their central words are added
NOTICE_PREFIX = "ค้นหารวมถึง: "
MAX_WORDS_PER_MATCH = 6
MIN_CLUSTERS_INSIDE_A_WORD = 2  # one-cluster dialect words (บ่, ไส) only as whole words


@dataclass(frozen=True)
class Expansion:
    """A dialect word found in a query and the central Thai it stands for."""

    word: str
    central: tuple[str, ...]
    dialects: tuple[str, ...]
    parts: tuple[str, ...] = ()  # the query's words it was found as (ปลา + แดก, fermented + fish)


@dataclass(frozen=True)
class ExpandedQuery:
    query: str
    text: str  # the query as typed, then the central words it did not already contain
    expansions: tuple[Expansion, ...]
    added: tuple[str, ...]

    @property
    def notice(self) -> str | None:
        """What to show the user, or ``None`` when nothing was added."""
        return NOTICE_PREFIX + ", ".join(self.added) if self.added else None


class DialectLexicon:
    """Dialect words → {dialect: central words}, all normalised."""

    def __init__(self, entries: Mapping[str, Mapping[str, tuple[str, ...]]]) -> None:
        self._entries: dict[str, dict[str, tuple[str, ...]]] = {}
        for word, by_dialect in entries.items():
            for dialect, central in by_dialect.items():
                _add(self._entries, _key(word), dialect, tuple(map(normalize, central)))
        self._long_words = tuple(
            word
            for word in self._entries
            if not _LATIN.search(word) and len(_cluster_edges(word)) - 1 >= MIN_CLUSTERS_INSIDE_A_WORD
        )

    @classmethod
    def with_glossary(
        cls, path: Path | str = DEFAULT_LEXICON, glossary: Path | str = ENGLISH_GLOSSARY
    ) -> DialectLexicon:
        """The dialect lexicon and the English glossary (``english,thai``; ``thai`` may list several
        as ``a|b``) as one: an English word is matched like a dialect word of the "english" dialect."""
        entries = _read_lexicon(path)
        for line, row in _rows(glossary, ("english", "thai")):
            english, thai = row["english"].lower(), _alternatives(row["thai"])
            if _LATIN.search("".join(thai)) or (english and not _LATIN.search(english)):
                raise ValueError(f"{glossary}:{line}: an English word and its Thai, got {english!r} → {thai}")
            if english and thai:
                _add(entries, english, ENGLISH, thai)
        return cls(entries)

    @classmethod
    def load(cls, path: Path | str = DEFAULT_LEXICON) -> DialectLexicon:
        """Read a ``dialect,word,central`` CSV; ``central`` may list several words as ``a|b``."""
        return cls(_read_lexicon(path))

    def __len__(self) -> int:
        return len(self._entries)

    def central_forms(self) -> dict[str, tuple[str, ...]]:
        """Each Thai dialect word → the central Thai it stands for (the English glossary left out).

        >>> DialectLexicon({"หยัง": {"isan": ("อะไร",)}}).central_forms()
        {'หยัง': ('อะไร',)}
        """
        return {
            word: tuple(dict.fromkeys(c for dialect in DIALECTS for c in by_dialect.get(dialect, ())))
            for word, by_dialect in self._entries.items()
            if not _LATIN.search(word) and any(dialect in by_dialect for dialect in DIALECTS)
        }

    def words(self) -> list[str]:
        """Every dialect word (e.g. for the spelling suggester's vocabulary, so they stay as typed)."""
        return sorted(word for word in self._entries if not _LATIN.search(word))

    def expand(self, query_words: list[str]) -> list[Expansion]:
        """The dialect words among ``query_words`` (PyThaiNLP words of a normalised query).

        >>> DialectLexicon({"จั่งใด๋": {"isan": ("อย่างไร",)}}).expand(["ปลาแดก", "จั่ง", "ใด๋"])
        [Expansion(word='จั่งใด๋', central=('อย่างไร',), dialects=('isan',), parts=('จั่ง', 'ใด๋'))]
        """
        text = "".join(query_words)
        edges = _word_edges(query_words)
        clusters = _cluster_edges(text)
        found: list[tuple[int, int, str]] = []
        for start, end, word in sorted(
            self._matches(text, edges, clusters), key=lambda m: (m[0] - m[1], m[0])
        ):
            if all(end <= other_start or start >= other_end for other_start, other_end, _ in found):
                found.append((start, end, word))
        expansions, seen = [], set()
        for start, end, word in sorted(found):
            if word in seen:
                continue
            seen.add(word)
            by_dialect = self._entries[word]
            central = tuple(dict.fromkeys(c for dialect in SOURCES for c in by_dialect.get(dialect, ())))
            parts = tuple(w for w, at in zip(query_words, edges, strict=False) if start <= at < end)
            expansions.append(Expansion(word, central, tuple(d for d in SOURCES if d in by_dialect), parts))
        return expansions

    def _matches(self, text: str, edges: list[int], clusters: frozenset[int]):
        for i, start in enumerate(edges[:-1]):  # whole words, alone or joined with the next few
            for end in edges[i + 1 : i + 1 + MAX_WORDS_PER_MATCH]:
                if text[start:end] in self._entries:
                    yield start, end, text[start:end]
        for word in self._long_words:  # inside a segment the segmenter could not read
            position = text.find(word)
            while position >= 0:
                end = position + len(word)
                if (
                    position in clusters
                    and end in clusters
                    and self._cuts_only_unknown(text, edges, position, end)
                ):
                    yield position, end, word
                position = text.find(word, position + 1)

    def _cuts_only_unknown(self, text: str, edges: list[int], start: int, end: int) -> bool:
        """Whether the words cut by [start, end) are no dictionary words: ดน is not inside ดนตรี."""
        from pythainlp.corpus import thai_words

        cut = [
            text[left:right]
            for left, right in zip(edges, edges[1:])
            if left < start < right or left < end < right
        ]
        return bool(cut) and not any(word in thai_words() or word in self._entries for word in cut)


@lru_cache(maxsize=4)
def default_lexicon(path: Path = DEFAULT_LEXICON, glossary: Path = ENGLISH_GLOSSARY) -> DialectLexicon:
    """The bundled lexicon and English glossary, read once."""
    return DialectLexicon.with_glossary(path, glossary)


def expand(query_words: list[str], lexicon: DialectLexicon | None = None) -> list[Expansion]:
    """Dialect words among the words of a normalised query, with their central Thai."""
    return (lexicon or default_lexicon()).expand(query_words)


def expand_query(query: str, lexicon: DialectLexicon | None = None) -> ExpandedQuery:
    """The query to search with (as typed, plus central words) and what was added."""
    query_words = words(normalize(query))
    expansions = expand(query_words, lexicon)
    present = set(query_words)
    added = tuple(dict.fromkeys(c for expansion in expansions for c in expansion.central if c not in present))
    text = " ".join([query.strip(), *added]) if added else query
    return ExpandedQuery(query=query, text=text, expansions=tuple(expansions), added=added)


def _read_lexicon(path: Path | str) -> dict[str, dict[str, tuple[str, ...]]]:
    entries: dict[str, dict[str, tuple[str, ...]]] = {}
    for line, row in _rows(path, ("dialect", "word", "central")):
        if row["dialect"] not in DIALECTS:
            raise ValueError(f"{path}:{line}: dialect {row['dialect']!r} is not one of {', '.join(DIALECTS)}")
        central = _alternatives(row["central"])
        if row["word"] and central:
            _add(entries, row["word"], row["dialect"], central)
    return entries


def _rows(path: Path | str, columns: tuple[str, ...]):
    """(line number, the row's stripped ``columns``) of a CSV whose header has them."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(columns) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: the header lacks {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            yield line, {column: (row[column] or "").strip() for column in columns}


def _alternatives(cell: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in cell.split("|") if c.strip())


def _add(
    entries: dict[str, dict[str, tuple[str, ...]]], word: str, dialect: str, central: tuple[str, ...]
) -> None:
    """Merge ``central`` into ``entries[word][dialect]`` (a word may have several rows)."""
    known = entries.setdefault(word, {}).get(dialect, ())
    entries[word][dialect] = known + tuple(c for c in central if c not in known)


def _key(word: str) -> str:
    """How a lexicon word is matched: normalised; an English one as its words run together, the
    way ``expand`` joins a query's words (``sun-dried fish`` → ``sun-driedfish``)."""
    word = normalize(word)
    return "".join(words(word.lower())) if _LATIN.search(word) else word


_LATIN = re.compile("[A-Za-z]")


def _word_edges(query_words: list[str]) -> list[int]:
    edges, position = [0], 0
    for word in query_words:
        position += len(word)
        edges.append(position)
    return edges


def _cluster_edges(text: str) -> frozenset[int]:
    from pythainlp.tokenize.tcc import tcc_pos

    return frozenset(tcc_pos(text) | {0})
