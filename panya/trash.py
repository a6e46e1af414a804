"""Nothing is lost: what ``delete_source`` put in ``data/trash/`` comes back with :func:`restore`,
and leaves for good only through :func:`purge`, after ``PANYA_TRASH_RETENTION_DAYS``.

The trash holds ``trash/<YYYYmmdd-HHMMSS>/<source_id>`` (with its sidecar). A product row deleted on
its own has nothing in the trash (its catalogue stays among the originals): its tombstone is
what marks it deleted, and restoring it re-reads that row from the kept catalogue.
"""

from __future__ import annotations

import glob
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ingest.discovery import MEDIA_SUFFIXES
from ingest.metadata import SIDECAR_SUFFIX, sidecar_path
from panya.archive import Archive
from panya.audit import AuditLog, current_actor, recorded_as
from panya.ingestion import IngestReport, Tombstones, ingest_uploads

STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Trashed:
    source_id: str
    deleted_at: float  # seconds since the epoch
    path: Path | None  # the original in the trash; None for a catalogue row (its catalogue is kept)


class NothingToRestore(LookupError):
    pass


class RestoreConflict(RuntimeError):
    """A source of that id is in the archive again (a newer version was ingested after the delete)."""


def trashed(settings) -> list[Trashed]:
    """What can be restored, newest first."""
    found: list[Trashed] = []
    if settings.trash_dir.is_dir():
        for folder in settings.trash_dir.iterdir():
            if not folder.is_dir():
                continue
            when = _stamp_time(folder)
            for path in folder.rglob("*"):
                if (
                    path.is_file()
                    and not path.name.endswith(SIDECAR_SUFFIX)
                    and path.suffix not in MEDIA_SUFFIXES
                ):
                    found.append(Trashed(path.relative_to(folder).as_posix(), when, path))
    tombstones = Tombstones(settings.data_dir)
    for source_id in tombstones.load():
        catalogue = source_id.partition("#")[0]
        if "#" in source_id and (settings.originals_dir / catalogue).is_file():
            found.append(Trashed(source_id, _tombstone_time(tombstones.path), None))
    return sorted(found, key=lambda entry: (-entry.deleted_at, entry.source_id))


def restore(archive: Archive, source_id: str) -> IngestReport:
    """Bring a deleted source back: its original out of the trash, its tombstone lifted, indexed again.

    The audit log gets one ``restore`` line (not an ``add``) per source that comes back.
    """
    settings = archive.settings
    entry = next((e for e in trashed(settings) if e.source_id == source_id), None)
    if entry is None:
        raise NothingToRestore(f"nothing in the trash for {source_id!r}")
    if archive.store.count_documents_by_filter(
        {"field": "meta.source_id", "operator": "==", "value": source_id}
    ):
        raise RestoreConflict(f"{source_id!r} is in the archive again: a newer version was ingested")
    file_id = source_id.partition("#")[0]
    original = settings.originals_dir / file_id
    if entry.path is not None:
        original.parent.mkdir(parents=True, exist_ok=True)
        for path in (entry.path, sidecar_path(entry.path)):
            if path.is_file():
                shutil.move(path, original.parent / path.name)
        _remove_empty(entry.path.parent, settings.trash_dir)
    tombstones = Tombstones(settings.data_dir)
    tombstones.forget([sid for sid in tombstones.load() if sid == source_id or sid.startswith(file_id + "#")])
    files = [(file_id, original.read_bytes())]
    sidecar = sidecar_path(original)
    if sidecar.is_file():
        files.append((str(Path(file_id).parent / sidecar.name), sidecar.read_bytes()))
    with recorded_as("restore"):
        return ingest_uploads(archive, files, None, current_actor())


def purge(settings, older_than_days: float | None = None, now: float | None = None) -> list[str]:
    """Remove for good what was trashed more than ``older_than_days`` ago (default: the setting).

    Tombstones stay, so re-ingesting the old folder still does not bring a purged source back.
    """
    days = settings.trash_retention_days if older_than_days is None else older_than_days
    cutoff = (now if now is not None else time.time()) - days * 86400
    log = AuditLog(settings.data_dir)
    purged = []
    for entry in trashed(settings):
        if entry.path is None or entry.deleted_at > cutoff:
            continue
        deletes = [e for e in log.entries(entry.source_id) if e["action"] == "delete"]
        log.record("purge", entry.source_id, before=deletes[-1]["before"] if deletes else None, after=None)
        for path in (entry.path, sidecar_path(entry.path)):
            if path.is_file() and (path == entry.path or not _shared(path)):
                path.unlink()
        _remove_empty(entry.path.parent, settings.trash_dir)
        purged.append(entry.source_id)
    return purged


def _shared(sidecar: Path) -> bool:
    stem = sidecar.name.removesuffix(SIDECAR_SUFFIX)
    return any(p for p in sidecar.parent.glob(glob.escape(stem) + ".*") if p != sidecar)


def _stamp_time(folder: Path) -> float:
    try:
        return time.mktime(time.strptime(folder.name[:15], STAMP))
    except ValueError:  # a folder someone named by hand
        return folder.stat().st_mtime


def _tombstone_time(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


def _remove_empty(folder: Path, root: Path) -> None:
    folder, root = folder.resolve(), root.resolve()
    while folder != root and folder.is_relative_to(root) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
