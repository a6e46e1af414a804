"""What an ingest reports about a file besides its Documents.

A ``Failure`` is a file (or catalogue row) that was not ingested; a ``Notice`` is one that was,
with something its owner should look at (unknown metadata keys kept, a cue skipped …).
Both name the source, so a report line reads ``documents/ya.md: …``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    """A file (or a catalogue row) that was not ingested, and why."""

    source_id: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source_id}: {self.reason}"


@dataclass(frozen=True)
class Notice:
    """A file that was ingested, and what its owner should know about it (one per file and topic)."""

    source_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.source_id}: {self.message}"


def printable(name: str) -> str:
    """A file name safe to print on one line: control characters and undecodable bytes escaped.

    >>> printable("ปลาร้า\\nอุบล.md"), printable("ผ้าไหม สุรินทร์.txt")
    ('ปลาร้า\\\\nอุบล.md', 'ผ้าไหม สุรินทร์.txt')
    """
    if name.isprintable():
        return name
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in name)
