"""Oral-history transcripts: WebVTT (speaker from ``<v Name>``) and SubRip (speaker from ``Name: ``).

webvtt-py skips a cue whose timing it cannot read without a word, so the timing lines are
read here too: a cue with a negative or unreadable timestamp is skipped *and reported* (a
notice naming its line). A cue that ends before it starts refuses the whole file: its times
are wrong, the times of its neighbours are suspect, and a player would jump to the wrong place.
WebVTT text keeps its character references (``&amp;``) after webvtt-py strips the tags;
they are decoded once here, so the stored text says ``&``.
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

from ingest.budgets import Budgets, FileBudget
from ingest.converters.base import SNIFF_BYTES, ConversionError, Converted, read_text, sniff_text

_SPEAKER_PREFIX = re.compile(r"^\s*([^:：\n]{1,40}?)\s*[:：]\s+")
_SRT_TIMING = re.compile(r"\d\d:\d\d:\d\d[,.]\d{3}\s*-->")
_TIMING_LINE = re.compile(r"^\s*(\S+)\s*-->\s*(\S+)")
#: Timestamps as webvtt-py reads them (it skips a cue when either does not match).
_TIMESTAMPS = {
    "vtt": re.compile(r"(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}"),
    "srt": re.compile(r"\d+:\d{1,2}:\d{1,2}[,.]\d+"),
}


def looks_like_vtt(data: bytes) -> bool:
    text = sniff_text(data)
    return text is not None and text.lstrip().startswith("WEBVTT")


def looks_like_srt(data: bytes) -> bool:
    text = sniff_text(data)
    return text is not None and bool(_SRT_TIMING.search(text[:SNIFF_BYTES]))


def seconds(timestamp: str) -> float:
    """``01:02:03.500`` or ``02:03,5`` → seconds.

    >>> seconds("00:01:05.500"), seconds("01:05,250")
    (65.5, 65.25)
    """
    parts = timestamp.replace(",", ".").split(":")
    return round(sum(float(part) * 60**power for power, part in enumerate(reversed(parts))), 3)


def skipped_cues(text: str, format: str = "vtt") -> list[str]:
    """Notes for the timing lines webvtt-py will skip: negative or unreadable timestamps.

    >>> skipped_cues("WEBVTT\\n\\n-00:00:01.000 --> 00:00:02.000\\nลบ\\n")
    ['line 3: cue skipped, its timestamp -00:00:01.000 is negative']
    """
    notes = []
    for number, line in enumerate(text.splitlines(), start=1):
        timing = _TIMING_LINE.match(line)
        if not timing:
            continue
        for stamp in timing.groups():
            if "-" in stamp:
                notes.append(f"line {number}: cue skipped, its timestamp {stamp} is negative")
                break
            if not _TIMESTAMPS[format].match(stamp):
                notes.append(f"line {number}: cue skipped, its timestamp {stamp!r} cannot be read")
                break
    return notes


def _read(data: bytes, format: str, budget: FileBudget) -> tuple[list, list[str]]:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    text = read_text(data)
    budget.check_blocks(text.count("-->"), "cues")  # before webvtt-py makes an object of each
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format=format).captions
    except (MalformedFileError, MalformedCaptionError) as error:
        raise ConversionError(f"malformed .{format} transcript: {error}") from error
    budget.check_time("reading the cues")
    return captions, skipped_cues(text, format)


def _transcript(cues: list[dict], notes: list[str]) -> list[Converted]:
    if not cues:
        raise ConversionError("the transcript has no cues" + (f" ({notes[0]})" if notes else ""))
    for number, cue in enumerate(cues, start=1):
        if cue["end"] < cue["start"]:
            raise ConversionError(
                f"cue {number} ({cue['text'][:30]!r}) ends at {cue['end']} s, before it starts at "
                f"{cue['start']} s: correct its timing"
            )
    found = {"type": "oral_history"}
    return [Converted(content="\n".join(cue["text"] for cue in cues), cues=cues, found=found, notes=notes)]


def convert_vtt(data: bytes, budget: FileBudget | None = None) -> list[Converted]:
    captions, notes = _read(data, "vtt", budget or Budgets().start())
    cues = [
        {
            "start": seconds(c.start),
            "end": seconds(c.end),
            "speaker": html.unescape(c.voice) if c.voice else None,
            "text": " ".join(html.unescape(c.text).split()),
        }
        for c in captions
        if c.text.strip()
    ]
    return _transcript(cues, notes)


def convert_srt(data: bytes, budget: FileBudget | None = None) -> list[Converted]:
    captions, notes = _read(data, "srt", budget or Budgets().start())
    cues: list[dict[str, Any]] = []
    for caption in captions:
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
    return _transcript(cues, notes)
