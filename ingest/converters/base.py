from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ConversionError(ValueError):
    """A file that cannot be read as what its name says; the message says why."""


@dataclass
class Converted:
    """What a converter found in a file: text, metadata, and for transcripts the timed cues.

    ``key`` names one row of a catalogue (``NNE-001``); ``error`` marks a row that is broken
    while the rest of its catalogue is fine.
    """

    content: str
    found: dict[str, Any] = field(default_factory=dict)
    front_matter: dict[str, Any] = field(default_factory=dict)
    cues: list[dict[str, Any]] | None = None
    key: str | None = None
    error: str | None = None


def read_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else TIS-620/Windows-874, the older Thai encodings."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            decoded = data.decode("cp874")
        except UnicodeDecodeError:
            raise ConversionError(f"not UTF-8 or Thai (TIS-620) text: {utf8_error}") from None
        if not any("\u0e00" <= ch <= "\u0e7f" for ch in decoded):
            raise ConversionError(f"not UTF-8 text: {utf8_error}") from None
        return decoded
