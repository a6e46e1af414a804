"""Dialect query expansion: Isan, Lanna and southern words searched together with central Thai.

A sage's transcript says ปลาแดก and เฮ็ด; a teacher searching in central Thai types ปลาร้า and
ทำ, and the other way round. ``expand_query`` keeps the query as typed and appends the
central words of the dialect words it contains, so both spellings are searched; its
``notice`` tells the user ("ค้นหารวมถึง: …").

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
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index.thai_text import normalize, words

DEFAULT_LEXICON = Path(__file__).parent / "data" / "dialect_lexicon.csv"
DIALECTS = ("isan", "lanna", "southern")
NOTICE_PREFIX = "ค้นหารวมถึง: "
MAX_WORDS_PER_MATCH = 6
MIN_CLUSTERS_INSIDE_A_WORD = 2  # one-cluster dialect words (บ่, ไส) only as whole words


@dataclass(frozen=True)
class Expansion:
    """A dialect word found in a query and the central Thai it stands for."""

    word: str
    central: tuple[str, ...]
    dialects: tuple[str, ...]


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
        self._entries = {
            normalize(word): {
                dialect: tuple(normalize(c) for c in central) for dialect, central in by_dialect.items()
            }
            for word, by_dialect in entries.items()
        }
        self._long_words = tuple(
            word for word in self._entries if len(_cluster_edges(word)) - 1 >= MIN_CLUSTERS_INSIDE_A_WORD
        )

    @classmethod
    def load(cls, path: Path | str = DEFAULT_LEXICON) -> DialectLexicon:
        """Read a ``dialect,word,central`` CSV; ``central`` may list several words as ``a|b``."""
        entries: dict[str, dict[str, tuple[str, ...]]] = {}
        with Path(path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"dialect", "word", "central"} - set(reader.fieldnames or ())
            if missing:
                raise ValueError(f"{path}: the header lacks {', '.join(sorted(missing))}")
            for line, row in enumerate(reader, start=2):
                dialect, word = (row["dialect"] or "").strip(), (row["word"] or "").strip()
                central = tuple(c.strip() for c in (row["central"] or "").split("|") if c.strip())
                if dialect not in DIALECTS:
                    raise ValueError(
                        f"{path}:{line}: dialect {dialect!r} is not one of {', '.join(DIALECTS)}"
                    )
                if word and central:
                    known = entries.setdefault(word, {}).get(dialect, ())
                    entries[word][dialect] = known + tuple(c for c in central if c not in known)
        return cls(entries)

    def __len__(self) -> int:
        return len(self._entries)

    def words(self) -> list[str]:
        """Every dialect word (e.g. for the spelling suggester's vocabulary, so they stay as typed)."""
        return sorted(self._entries)

    def expand(self, query_words: list[str]) -> list[Expansion]:
        """The dialect words among ``query_words`` (PyThaiNLP words of a normalised query).

        >>> DialectLexicon({"จั่งใด๋": {"isan": ("อย่างไร",)}}).expand(["ปลาแดก", "จั่ง", "ใด๋"])
        [Expansion(word='จั่งใด๋', central=('อย่างไร',), dialects=('isan',))]
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
        expansions = []
        for word in dict.fromkeys(word for _, _, word in sorted(found)):
            by_dialect = self._entries[word]
            central = tuple(dict.fromkeys(c for dialect in DIALECTS for c in by_dialect.get(dialect, ())))
            expansions.append(Expansion(word, central, tuple(d for d in DIALECTS if d in by_dialect)))
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
def default_lexicon(path: Path = DEFAULT_LEXICON) -> DialectLexicon:
    """The bundled lexicon, read once."""
    return DialectLexicon.load(path)


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


def _word_edges(query_words: list[str]) -> list[int]:
    edges, position = [0], 0
    for word in query_words:
        position += len(word)
        edges.append(position)
    return edges


def _cluster_edges(text: str) -> frozenset[int]:
    from pythainlp.tokenize.tcc import tcc_pos

    return frozenset(tcc_pos(text) | {0})
