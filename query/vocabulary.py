"""The archive's own words: what autocomplete offers and what "did you mean" corrects towards.

Built from the public sources' first chunks only (titles, sages, places, product names,
categories, tags), so a restricted source never feeds a suggestion.

>>> vocabulary = Vocabulary([Entry("ผ้าไหมมัดหมี่สุรินทร์", "title"), Entry("สุรินทร์", "place")])
>>> [entry.text for entry in vocabulary.complete("ผ้าไหม")], [e.text for e in vocabulary.complete("ผ้า ไหม")]
(['ผ้าไหมมัดหมี่สุรินทร์'], ['ผ้าไหมมัดหมี่สุรินทร์'])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from index.thai_text import typing_key

#: Source fields that name something a person might type, and what kind of thing it is.
FIELDS = {
    "title": "title",
    "sage": "sage",
    "interviewee": "sage",
    "producer": "producer",
    "province": "place",
    "district": "place",
    "village": "place",
    "category": "category",
    "tags": "tag",
}


@dataclass(frozen=True)
class Entry:
    text: str
    kind: str


class Suggestion(BaseModel):
    text: str
    kind: str = Field(description="title, sage, producer, place, category or tag")


class SuggestResponse(BaseModel):
    query: str
    suggestions: list[Suggestion]


class Vocabulary:
    def __init__(self, entries: Iterable[Entry]):
        self.entries = sorted(set(entries), key=lambda e: (len(e.text), e.text))
        self._folded = [(typing_key(entry.text), entry) for entry in self.entries]

    @classmethod
    def of_sources(cls, metas: Iterable[dict], labels: dict[str, str] | None = None) -> Vocabulary:
        """From each public source's first-chunk metadata (``FIELDS`` and ``access`` are enough;
        ``labels`` maps category codes to Thai names)."""
        entries = []
        for meta in metas:
            if meta.get("access") == "restricted":
                continue
            for field, kind in FIELDS.items():
                values = meta.get(field)
                for value in values if isinstance(values, list) else [values]:
                    if isinstance(value, str) and value.strip():
                        entries.append(Entry(value.strip(), kind))
                        if kind == "category" and labels and value in labels:
                            entries.append(Entry(labels[value], kind))
        return cls(entries)

    def words(self) -> list[str]:
        return [entry.text for entry in self.entries]

    def complete(self, prefix: str, limit: int = 8) -> list[Entry]:
        """Entries that start with what was typed, then those that contain it; shorter first.
        Spaces and marks are not compared (``typing_key``): ``ผ้า ไหม`` completes to ``ผ้าไหม…``."""
        typed = typing_key(prefix)
        if not typed:
            return []
        starts = [entry for folded, entry in self._folded if folded.startswith(typed)]
        inside = [entry for folded, entry in self._folded if typed in folded and not folded.startswith(typed)]
        seen, found = set(), []
        for entry in starts + inside:
            if entry.text not in seen:
                seen.add(entry.text)
                found.append(entry)
        return found[:limit]
