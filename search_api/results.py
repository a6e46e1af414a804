"""The shape of a search result, shared by the CLI, the JSON API and the HTML pages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Chunk-level fields that describe a position, not the source.
CHUNK_FIELDS = {
    "chunk_index", "chunk_count", "start_char", "end_char", "gap_before", "start", "end", "speakers", "cues",
    "fingerprint",
}  # fmt: skip


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


def rebuild_text(chunks: list) -> str:
    """A document's full text from its chunks (in order), overlaps removed, separators restored.

    >>> from haystack import Document
    >>> text = "ปลาร้าหมัก\\nนานสามเดือน กลิ่นหอม"
    >>> parts = [Document(content=text[0:22], meta={"start_char": 0, "end_char": 22, "gap_before": ""}),
    ...          Document(content=text[11:], meta={"start_char": 11, "end_char": 33, "gap_before": ""})]
    >>> rebuild_text(parts) == text
    True
    """
    text, end = "", 0
    for chunk in chunks:
        start = chunk.meta.get("start_char", end)
        if start >= end:
            text += chunk.meta.get("gap_before", "") + chunk.content
        else:
            text += chunk.content[end - start :]
        end = chunk.meta.get("end_char", start + len(chunk.content))
    return text


def clock(seconds: float | None) -> str:
    """A position in a recording, as people read it.

    >>> clock(65.5), clock(3725)
    ('1:05', '1:02:05')
    """
    seconds = int(seconds or 0)
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours}:{minutes:02d}:{seconds % 60:02d}" if hours else f"{minutes}:{seconds % 60:02d}"
