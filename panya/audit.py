"""Who changed what: an append-only JSONL log of every add, update, delete, restore and purge.

``PANYA_DATA_DIR/audit.jsonl`` gets one line per source and operation, written by
``panya.ingestion`` itself, so the CLI, the API and the staff pages are logged alike:

    {"time": "2026-11-25T13:40:02+00:00", "action": "update", "source_id": "documents/pla-ra-ubon.md",
     "actor": "staff:somsri", "before": "3f1c…", "after": "9a0b…"}

``before``/``after`` are the source's fingerprints (content, metadata, chunking, model) before and
after the operation; ``None`` when there was no version on that side. ``actor`` names a staff
account or a key by its position (``write-key-1``), never the key itself. Who is acting comes from
:func:`acting_as`, set by the API for each request; the CLI acts as ``cli:<login name>``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import fcntl
import getpass
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ACTIONS = ("add", "update", "delete", "restore", "purge")

_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar("panya_actor", default=None)
_renamed: contextvars.ContextVar[str | None] = contextvars.ContextVar("panya_operation", default=None)


def set_actor(actor: str) -> None:
    """Who the rest of this request (or task) acts as; the API sets it once the caller is known."""
    _actor.set(actor)


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> str:
    actor = _actor.get()
    if actor:
        return actor
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):  # no login name (a container's uid without a passwd entry)
        return f"cli:uid-{os.getuid()}"


@contextmanager
def recorded_as(action: str) -> Iterator[None]:
    """Log the sources ingested inside this block as ``action`` (a restore re-ingests its original,
    which is one restore, not an add)."""
    token = _renamed.set(action)
    try:
        yield
    finally:
        _renamed.reset(token)


class AuditLog:
    """``PANYA_DATA_DIR/audit.jsonl``: appended to, never rewritten.

    >>> import tempfile
    >>> log = AuditLog(Path(tempfile.mkdtemp()))
    >>> log.record("add", "documents/pla-ra-ubon.md", before=None, after="ab12")
    >>> [(e["action"], e["source_id"], e["after"]) for e in log.entries("documents/pla-ra-ubon.md")]
    [('add', 'documents/pla-ra-ubon.md', 'ab12')]
    """

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / "audit.jsonl"

    def record(self, action: str, source_id: str, *, before: str | None, after: str | None) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}; one of {', '.join(ACTIONS)}")
        entry = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "action": _renamed.get() if action == "add" and _renamed.get() else action,
            "source_id": source_id,
            "actor": current_actor(),
            "before": before,
            "after": after,
        }
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # O_APPEND and one write per line: lines of two processes never interleave; flock for NFS-less
        # local disks keeps even a large line whole
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def entries(self, source_id: str | None = None) -> list[dict]:
        """Every entry (of one source, or of a catalogue and its rows), oldest first."""
        if not self.path.exists():
            return []
        found = []
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:  # a line cut by a crash: the others still count
                    continue
                sid = entry.get("source_id", "")
                if source_id is None or sid == source_id or sid.startswith(source_id + "#"):
                    found.append(entry)
        return found
