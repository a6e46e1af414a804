"""How much one file may cost to ingest, so one hostile file cannot exhaust a laptop.

Each budget is a setting (``PANYA_MAX_FILE_MB`` …); a file over one fails with a message
naming the file, what it measured and the setting, and the batch goes on. Budgets are
checked as early as the measure is known: the file's size before it is read, a .docx's
unzipped size from its ZIP directory before anything is extracted, a PDF's inflated streams
before pdfium opens it, paragraphs (and lines, cues, rows, pages) before a parser builds an
object for each (unstructured spends ≈ 5 KB apiece), text and chunks before the text is cut
and embedded. Time is a cooperative deadline, checked between stages and
inside the converters' loops: a library call already running is not interrupted.

>>> budget = Budgets(max_chars_per_source=100).start()
>>> budget.check_chars(len("ปลาร้าหมักไหดิน"))
>>> budget.check_chars(250)
Traceback (most recent call last):
...
ingest.errors.BudgetExceeded: 250 characters of text, over the budget of 100 (PANYA_MAX_CHARS_PER_SOURCE)
"""

from __future__ import annotations

import errno
import math
import os
import stat
import time
from dataclasses import dataclass, fields
from pathlib import Path

from ingest.errors import BudgetExceeded, NotARegularFile
from panya.settings import default

MIB = 1024 * 1024


@dataclass(frozen=True)
class Budgets:
    """The limits, as declared (with help text and defaults) in ``panya.settings.Settings``."""

    max_file_mb: float = default("max_file_mb")
    max_compression_ratio: float = default("max_compression_ratio")
    max_chars_per_source: int = default("max_chars_per_source")
    max_chunks_per_source: int = default("max_chunks_per_source")
    max_blocks_per_file: int = default("max_blocks_per_file")
    max_seconds_per_file: float = default("max_seconds_per_file")
    # how chunks are cut, to count them before cutting
    chunk_size: int = default("chunk_size")
    chunk_overlap: int = default("chunk_overlap")

    @classmethod
    def from_settings(cls, settings) -> Budgets:
        return cls(**{f.name: getattr(settings, f.name) for f in fields(cls)})

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * MIB)

    def start(self) -> FileBudget:
        """One file's budget; its clock starts now."""
        return FileBudget(self, time.monotonic() + self.max_seconds_per_file)


@dataclass(frozen=True)
class FileBudget:
    limits: Budgets
    deadline: float

    def check_time(self, stage: str) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(
                f"took longer than {self.limits.max_seconds_per_file:g} s (stopped {stage}); "
                "budget PANYA_MAX_SECONDS_PER_FILE"
            )

    def check_bytes(self, size: int, what: str = "the file is") -> None:
        if size > self.limits.max_bytes:
            raise BudgetExceeded(
                f"{what} {_mb(size)}, over the budget of {self.limits.max_file_mb:g} MB (PANYA_MAX_FILE_MB)"
            )

    def check_ratio(self, unpacked: int, packed: int) -> None:
        """Data that shrank more than any real document does (a ZIP part, a PDF stream) is a bomb."""
        ratio = unpacked / max(packed, 1)
        if unpacked > MIB and ratio > self.limits.max_compression_ratio:
            raise BudgetExceeded(
                f"compressed {ratio:.0f}:1 ({_mb(packed)} unpack to {_mb(unpacked)}), over the budget of "
                f"{self.limits.max_compression_ratio:g}:1 (PANYA_MAX_COMPRESSION_RATIO): a compression bomb?"
            )

    def check_blocks(self, count: int, what: str) -> None:
        if count > self.limits.max_blocks_per_file:
            raise BudgetExceeded(
                f"{count:,} {what}, over the budget of {self.limits.max_blocks_per_file:,} "
                "(PANYA_MAX_BLOCKS_PER_FILE)"
            )

    def check_chars(self, count: int) -> None:
        if count > self.limits.max_chars_per_source:
            raise BudgetExceeded(
                f"{count:,} characters of text, over the budget of {self.limits.max_chars_per_source:,} "
                "(PANYA_MAX_CHARS_PER_SOURCE)"
            )

    def check_chunks(self, chars: int) -> None:
        """Chunks a text of ``chars`` characters will be cut into, at most (each chunk moves on by
        at least ``chunk_size - chunk_overlap`` characters), before it is cut."""
        step = max(self.limits.chunk_size - self.limits.chunk_overlap, 1)
        chunks = math.ceil(chars / step)
        if chunks > self.limits.max_chunks_per_source:
            raise BudgetExceeded(
                f"about {chunks:,} chunks of text, over the budget of {self.limits.max_chunks_per_source:,} "
                "(PANYA_MAX_CHUNKS_PER_SOURCE)"
            )

    def read(self, path: Path) -> bytes:
        """The bytes of a regular file within the size budget (see :func:`read_regular_file`)."""
        return read_regular_file(path, self.limits.max_bytes, self.check_bytes)


def read_regular_file(path: Path, max_bytes: int, check_size=None) -> bytes:
    """Read ``path`` if it is a regular file of at most ``max_bytes``, without following a
    symbolic link (even one swapped in after discovery) and without blocking on a FIFO.

    The size is checked from ``fstat`` before a byte is read, so a 50 MB file costs nothing.
    """

    def too_big(size: int) -> None:
        if check_size:
            check_size(size)
        raise BudgetExceeded(f"{_mb(size)}, over the limit of {_mb(max_bytes)}")

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotARegularFile("a symbolic link, not a regular file: not read") from None
        raise
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotARegularFile(f"{file_kind(status.st_mode)}, not a regular file: not read")
        if status.st_size > max_bytes:
            too_big(status.st_size)
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew while we read it
        too_big(len(data))
    return data


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words, for a report."""
    kinds = [
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _mb(size: int) -> str:
    return f"{size / MIB:.1f} MB" if size >= MIB / 10 else f"{size} bytes"
