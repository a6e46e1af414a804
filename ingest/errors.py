"""Why a file is not ingested. Every message says what was wrong and, where it helps, what to do.

All are ``ValueError``s: the file is wrong, not the program. ``ContentMismatch`` and
``UnsupportedFormat`` also carry the file's name, so a caller without a report (an upload
form) can show them as they are.
"""

from __future__ import annotations


class ConversionError(ValueError):
    """A file that cannot be read as what its name says; the message says why."""


class NotARegularFile(ConversionError):
    """A symbolic link, FIFO, socket or device where a file was expected."""


class BudgetExceeded(ConversionError):
    """A file bigger, longer or slower than the ingest budgets allow (the message names the setting)."""


class NamedFileError(ConversionError):
    """An error about one named file: ``str()`` is ``"name: reason"``, ``reason`` the rest."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class UnsupportedFormat(NamedFileError):
    """A file type Panya does not read (``photo.jpg``)."""


class ContentMismatch(NamedFileError):
    """A file whose bytes are not what its name says (``report.pdf`` holding HTML)."""
