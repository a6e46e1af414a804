"""A whole source as people read it: its text rebuilt from chunks, or its transcript's cues."""

from __future__ import annotations

from pathlib import Path

from haystack import Document

from query.models import CHUNK_FIELDS, ChunkSpan, Cue, SourceResponse


def source_response(source_id: str, chunks: list[Document], originals_dir: Path) -> SourceResponse:
    """``chunks`` in reading order (non-empty)."""
    meta = {key: value for key, value in chunks[0].meta.items() if key not in CHUNK_FIELDS}
    cues = [Cue(**cue) for chunk in chunks for cue in chunk.meta.get("cues", [])]
    spans = [
        ChunkSpan(**{key: chunk.meta.get(key) for key in ("start_char", "end_char", "start", "end")},
                  chunk_index=chunk.meta.get("chunk_index", 0))
        for chunk in chunks
    ]  # fmt: skip
    text = "\n".join(cue.text for cue in cues) if cues else rebuild_text(chunks)
    return SourceResponse(
        source_id=source_id,
        meta=meta,
        text=text,
        cues=cues,
        chunks=spans,
        audio_url=audio_url(meta, originals_dir),
    )


def audio_url(meta: dict, originals_dir: Path) -> str | None:
    """A recording we can actually play: a web address, or a file kept beside the transcript."""
    audio = meta.get("audio")
    if not audio:
        return None
    if audio.startswith(("http://", "https://")):
        return audio
    relative = (Path(meta.get("file", "")).parent / audio).as_posix()
    kept = originals_dir / relative
    return f"/media/{relative}" if kept.is_file() else None


def rebuild_text(chunks: list[Document]) -> str:
    """A document's full text from its chunks (in order), overlaps removed, separators restored.

    >>> text = "ปลาร้าหมัก\\nนานสามเดือน กลิ่นหอม"
    >>> parts = [Document(content=text[0:22], meta={"start_char": 0, "end_char": 22, "gap_before": ""}),
    ...          Document(content=text[11:], meta={"start_char": 11, "end_char": 33, "gap_before": ""})]
    >>> rebuild_text(parts) == text
    True
    """
    text, end = "", 0
    for chunk in chunks:
        content = chunk.content or ""
        start = chunk.meta.get("start_char", end)
        if start >= end:
            text += chunk.meta.get("gap_before", "") + content
        else:
            text += content[end - start :]
        end = chunk.meta.get("end_char", start + len(content))
    return text


def clock(seconds: float | None) -> str:
    """A position in a recording, as people read it.

    >>> clock(65.5), clock(3725)
    ('1:05', '1:02:05')
    """
    seconds = int(seconds or 0)
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours}:{minutes:02d}:{seconds % 60:02d}" if hours else f"{minutes}:{seconds % 60:02d}"
