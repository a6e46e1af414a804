"""Oral-history transcripts: WebVTT (speaker from ``<v Name>``) and SubRip (speaker from ``Name: ``)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from ingest.converters.base import ConversionError, Converted, read_text

_SPEAKER_PREFIX = re.compile(r"^\s*([^:：\n]{1,40}?)\s*[:：]\s+")


def seconds(timestamp: str) -> float:
    """``01:02:03.500`` or ``02:03,5`` → seconds.

    >>> seconds("00:01:05.500"), seconds("01:05,250")
    (65.5, 65.25)
    """
    parts = timestamp.replace(",", ".").split(":")
    return round(sum(float(part) * 60**power for power, part in enumerate(reversed(parts))), 3)


def _read(path: Path, format: str) -> list:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        return list(webvtt.from_buffer(io.StringIO(read_text(path.read_bytes())), format=format))
    except (MalformedFileError, MalformedCaptionError) as error:
        raise ConversionError(f"malformed {path.suffix} transcript: {error}") from error


def _transcript(cues: list[dict]) -> list[Converted]:
    if not cues:
        raise ConversionError("the transcript has no cues")
    return [
        Converted(content="\n".join(cue["text"] for cue in cues), cues=cues, found={"type": "oral_history"})
    ]


def convert_vtt(path: Path) -> list[Converted]:
    cues = [
        {
            "start": seconds(c.start),
            "end": seconds(c.end),
            "speaker": c.voice,
            "text": " ".join(c.text.split()),
        }
        for c in _read(path, "vtt")
        if c.text.strip()
    ]
    return _transcript(cues)


def convert_srt(path: Path) -> list[Converted]:
    cues = []
    for caption in _read(path, "srt"):
        text = " ".join(caption.text.split())
        match = _SPEAKER_PREFIX.match(text)
        speaker = match.group(1) if match else (cues[-1]["speaker"] if cues else None)
        if match:
            text = text[match.end() :]
        if text:
            cues.append(
                {
                    "start": seconds(caption.start),
                    "end": seconds(caption.end),
                    "speaker": speaker,
                    "text": text,
                }
            )
    return _transcript(cues)
