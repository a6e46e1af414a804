"""The shape of a search result, shared by the CLI, the JSON API and the HTML pages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Chunk-level fields that describe a position, not the source.
CHUNK_FIELDS = {"chunk_index", "chunk_count", "start_char", "end_char", "start", "end", "speakers", "cues"}


@dataclass
class SourceResult:
    source_id: str
    title: str
    type: str
    score: float
    content: str
    snippet: str = ""
    start: float | None = None
    end: float | None = None
    chunk_index: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("content")
        return data
