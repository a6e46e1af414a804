"""What every converter shares: its result, Thai-aware text decoding, and content sniffing.

A converter module offers ``convert(data, budget=None) -> list[Converted]`` (the file's bytes,
read once by the caller within the size budget) and a content check ``looks_like_…(data)``
that says whether the bytes are what the file's name claims.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ingest.errors import ConversionError

if TYPE_CHECKING:
    from ingest.budgets import FileBudget

__all__ = ["ConversionError", "Converted", "read_rows", "read_text", "sniff_text"]

#: How much of a file the content checks look at.
SNIFF_BYTES = 8192


@dataclass
class Converted:
    """What a converter found in a file: text, metadata, and for transcripts the timed cues.

    ``found`` is metadata found in the file (merged under front matter and sidecar);
    ``fields`` are set on the source as they are (a product's price, unit …);
    ``key`` names one row of a catalogue (``NNE-001``); ``error`` marks a row that is broken
    while the rest of its catalogue is fine; ``notes`` go to the report (a cue skipped …).
    """

    content: str
    found: dict[str, Any] = field(default_factory=dict)
    front_matter: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    cues: list[dict[str, Any]] | None = None
    key: str | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def read_rows(
    rows: Iterable[tuple[Any, str]],
    budget: FileBudget,
    read: Callable[[Any, str], Converted],
    errors: tuple[type[Exception], ...] = (ConversionError,),
) -> list[Converted]:
    """A table's rows (each with where it sits: ``line 4``), each read into a source or, when broken
    or repeating an id, into its error: one bad row never fails the others. The blocks budget counts
    rows (each becomes a source)."""
    items: list[Converted] = []
    seen: set[str | None] = set()
    for count, (row, where) in enumerate(rows, start=1):
        budget.check_blocks(count, "rows")
        budget.check_time(f"at {where}")
        try:
            if isinstance(row, ConversionError):  # a row the reader could not parse
                raise row
            item = read(row, where)
        except errors as error:
            items.append(Converted(content="", key=where, error=str(error)))
            continue
        if item.key in seen:
            items.append(Converted(content="", key=where, error=f"{where}: duplicate id {item.key!r}"))
            continue
        seen.add(item.key)
        items.append(item)
    return items


def read_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else TIS-620/Windows-874, the older Thai encodings.

    >>> read_text("ผ้าไหม".encode("cp874"))
    'ผ้าไหม'
    """
    if b"\x00" in data:
        raise ConversionError("the file holds NUL bytes: binary data, not text")
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


def sniff_text(data: bytes) -> str | None:
    """The text of ``data`` if it reads as text (UTF-8 or TIS-620, no NUL bytes), else None."""
    try:
        return read_text(data)
    except ConversionError:
        return None
