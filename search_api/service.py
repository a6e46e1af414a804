"""What the JSON API and the HTML pages both do; they differ only in how they render it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Query

from panya.archive import Archive, SearchPage
from search_api.deps import Caller
from search_api.errors import PanyaError
from search_api.results import CHUNK_FIELDS, rebuild_text

MAX_QUERY_CHARS = 500
SourceType = Literal["document", "oral_history", "product"]
Mode = Literal["hybrid", "dense", "keyword"]

QueryText = Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="คำค้น / the query")]
Limit = Annotated[int, Query(ge=1, le=50)]
Offset = Annotated[int, Query(ge=0, le=1000)]


def clean_query(q: str | None) -> str:
    q = (q or "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise PanyaError(
            422,
            "invalid_query",
            f"the query is longer than {MAX_QUERY_CHARS} characters",
            f"คำค้นยาวเกิน {MAX_QUERY_CHARS} ตัวอักษร",
        )
    return q


def find(
    archive: Archive,
    caller: Caller,
    q: str,
    *,
    type=None,
    province=None,
    category=None,
    limit: int = 10,
    offset: int = 0,
    mode: Mode = "hybrid",
) -> SearchPage:
    """Search when there is a query, browse by facet when there is none."""
    options = {
        "type": type,
        "province": province,
        "category": category,
        "include_restricted": caller.sees_restricted,
    }
    if q:
        return archive.search(q, limit=limit, offset=offset, mode=mode, **options)
    return archive.browse(limit=limit, offset=offset, **options)


@dataclass
class SourceView:
    source_id: str
    meta: dict
    text: str = ""
    cues: list[dict] = field(default_factory=list)
    chunks: list[dict] = field(default_factory=list)
    audio_url: str | None = None

    def as_json(self) -> dict:
        return {
            "source_id": self.source_id,
            "meta": self.meta,
            "text": self.text,
            "cues": self.cues,
            "chunks": self.chunks,
            "audio_url": self.audio_url,
        }


def source_view(archive: Archive, caller: Caller, source_id: str) -> SourceView:
    chunks = archive.source_chunks(source_id, include_restricted=caller.sees_restricted)
    if not chunks:  # absent and hidden look the same: a restricted source's existence is not leaked
        raise PanyaError(404, "source_not_found", f"no source {source_id!r}", "ไม่พบแหล่งข้อมูลนี้")
    meta = {key: value for key, value in chunks[0].meta.items() if key not in CHUNK_FIELDS}
    cues = [cue for chunk in chunks for cue in chunk.meta.get("cues", [])]
    spans = [
        {key: chunk.meta.get(key) for key in ("chunk_index", "start_char", "end_char", "start", "end")}
        for chunk in chunks
    ]
    text = "\n".join(cue["text"] for cue in cues) if cues else rebuild_text(chunks)
    return SourceView(source_id, meta, text, cues, spans, audio_url(archive, meta))


def audio_url(archive: Archive, meta: dict) -> str | None:
    """A recording we can actually play: a web address, or a file kept beside the transcript."""
    audio = meta.get("audio")
    if not audio:
        return None
    if audio.startswith(("http://", "https://")):
        return audio
    relative = (Path(meta.get("file", "")).parent / audio).as_posix()
    kept = archive.settings.originals_dir / relative
    return f"/media/{relative}" if kept.is_file() else None
