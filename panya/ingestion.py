"""``panya ingest``: files → the archive, idempotently, one broken file never stopping the batch.

For each file: keep a copy of the original (and its sidecar) under the data directory, read
it, and for each source in it compare its fingerprint with the store: unchanged sources
write nothing, changed ones get their new chunks written and the old ones removed.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from tqdm import tqdm

from ingest.converters.archive_files import ARCHIVED, PROVENANCE
from ingest.discovery import SourceFile, discover
from ingest.failures import Notice
from ingest.mapping import mapping_path
from ingest.metadata import SIDECAR_SUFFIX, sidecar_path
from ingest.source_converter import Failure, SourceConverter
from panya.archive import Archive
from panya.audit import AuditLog


class IngestReport(BaseModel):
    """What an ingest did, source by source; ``panya ingest --json`` prints it, the API returns it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"added": ["documents/pla-ra-ubon.md"], "updated": [], "unchanged": [], "removed": [],
                 "skipped": [], "failed": [{"source_id": "documents/x.pdf", "reason": "not a PDF"}],
                 "chunks": 8, "seconds": 2.4}
            ]
        }
    )  # fmt: skip

    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list, description="catalogues that dropped rows")
    skipped: list[str] = Field(
        default_factory=list, description="deleted earlier and unchanged since: not brought back"
    )
    failed: list[Failure] = Field(default_factory=list)
    warnings: list[Notice] = Field(
        default_factory=list,
        description="ingested, but worth a look: unknown metadata keys kept, cues skipped …",
    )
    chunks: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        skipped = f", {len(self.skipped)} deleted earlier (skipped)" if self.skipped else ""
        skipped += f", {len(self.warnings)} warnings" if self.warnings else ""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.failed)} failed{skipped}; {self.chunks} chunks written in {self.seconds:.1f} s"
        )

    def merge(self, other: IngestReport) -> None:
        for name in ("added", "updated", "unchanged", "removed", "skipped", "failed", "warnings"):
            getattr(self, name).extend(getattr(other, name))
        self.chunks += other.chunks


#: What each chunk stores beyond its text and vectors; a new recipe indexes every source again on
#: its next ingest (unchanged text keeps its dense vectors). 2: transcripts' cue-pair vectors.
INDEX_RECIPE = 2


def fingerprint(content_hash: str, archive: Archive) -> str:
    """A source version as indexed: its content and metadata, and how it was cut and embedded."""
    settings = archive.settings
    recipe = (
        f"{content_hash}|{settings.chunk_size}|{settings.chunk_overlap}|{archive.info.model}|{archive.info.sparse}"
        f"|{INDEX_RECIPE}"
    )
    return hashlib.sha256(recipe.encode()).hexdigest()[:32]


def ingest_path(
    archive: Archive, target: Path, progress: bool | None = None, added_by: str = "cli"
) -> IngestReport:
    """Ingest a folder (recursively) or one file into ``archive``; ``added_by`` names who gave it
    (an API key's name, never the key), kept in each source's provenance.

    ``progress``: ``None`` shows a bar on a terminal and, when stderr is not one (logs, ``make run``),
    a plain line at least every ``PROGRESS_SECONDS``; ``False`` shows nothing.
    """
    started = time.perf_counter()
    report = IngestReport()
    # `panya ingest .` must not ingest the archive's own state; re-ingesting the kept originals
    # (`panya ingest data/originals`, `panya rebuild`) or staged uploads must still work
    target = Path(target)
    files = [
        f for f in discover(target, report.failed) if not _is_own_state(archive.settings, target, f.path)
    ]
    shown = IngestProgress(len(files), report, progress)
    for source_file, converted in _converted(archive, files):
        shown.at(source_file)
        ingest_file(archive, source_file, report, added_by, converted)
    if report.added or report.updated or report.removed:
        archive.optimize()
    report.seconds = time.perf_counter() - started
    shown.close()
    return report


PROGRESS_SECONDS = 10.0
PREFETCH = 2  # files converted ahead of the one being embedded


def _converted(archive: Archive, files: list[SourceFile]):
    """Each file with its conversion, done on a worker thread ``PREFETCH`` files ahead: reading,
    cleaning and Thai segmentation (Python) overlap the model (native code that releases the GIL)."""
    converter = SourceConverter.from_settings(archive.settings)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="panya-convert") as pool:
        ahead: deque = deque()
        pending = iter(files)
        for source_file in pending:
            ahead.append((source_file, pool.submit(converter.run, [source_file])))
            if len(ahead) > PREFETCH:
                break
        while ahead:
            source_file, future = ahead.popleft()
            following = next(pending, None)
            if following is not None:
                ahead.append((following, pool.submit(converter.run, [following])))
            yield source_file, future.result()


class IngestProgress:
    """A bar on a terminal; elsewhere a line a log keeps, at least every ``PROGRESS_SECONDS``."""

    def __init__(self, total: int, report: IngestReport, enabled: bool | None):
        self.total, self.report, self.done = total, report, 0
        self.started = self.last = time.monotonic()
        terminal = sys.stderr.isatty()
        self.bar = (
            tqdm(total=total, unit="file", file=sys.stderr) if enabled is not False and terminal else None
        )
        self.lines = enabled is not False and not terminal

    def at(self, source_file: SourceFile) -> None:
        """Called as each file starts: what came before it is done."""
        if self.bar is not None:
            if self.done:
                self.bar.update(1)
            self.bar.set_postfix_str(source_file.source_id[-40:], refresh=False)
        self.done += 1
        now = time.monotonic()
        if self.lines and now - self.last >= PROGRESS_SECONDS:
            self.last = now
            print(self.line(self.done - 1, source_file.source_id), file=sys.stderr, flush=True)

    def line(self, done: int, current: str = "") -> str:
        elapsed = time.monotonic() - self.started
        rate = self.report.chunks / elapsed if elapsed else 0.0
        return (
            f"ingest: {done}/{self.total} files, {self.report.chunks} chunks ({rate:.1f}/s), "
            f"{len(self.report.failed)} failed, {elapsed:.0f} s" + (f"; now {current}" if current else "")
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(1 if self.done else 0)
            self.bar.close()
        if self.lines and self.total:
            print(self.line(self.total), file=sys.stderr, flush=True)


def rebuild(settings, progress: bool | None = None) -> tuple[IngestReport, Path | None]:
    """A fresh index from the kept originals, with the current settings (e.g. a new model).

    The old embedded store is moved aside, never deleted: returns where it went.
    """
    from panya.archive import Archive

    originals = settings.originals_dir
    if not originals.exists():
        raise FileNotFoundError(f"no originals under {originals}: nothing to rebuild from")
    previous = None
    if not settings.qdrant_url and settings.store_dir.exists():
        previous = settings.store_dir.with_name(f"store.previous-{time.strftime('%Y%m%d-%H%M%S')}")
        settings.store_dir.rename(previous)
    with Archive(settings) as archive:
        return ingest_path(archive, originals, progress), previous


def ingest_file(
    archive: Archive,
    source_file: SourceFile,
    report: IngestReport,
    added_by: str = "cli",
    converted: dict | None = None,
) -> None:
    """One file into the archive (``converted``: its conversion, when already done ahead)."""
    if converted is None:
        converted = SourceConverter.from_settings(archive.settings).run([source_file])
    report.failed += converted["failures"]
    report.warnings += converted["warnings"]
    documents = converted["documents"]
    if not documents:
        return
    archived = [restore_archived(document) for document in documents]
    tombstones = Tombstones(archive.settings.data_dir)
    deleted = tombstones.load()
    changed, skipped = [], []
    for document in documents:
        document.meta["fingerprint"] = fingerprint(document.meta["content_hash"], archive)
        state = archive.source_state(document.meta["source_id"], document.meta["fingerprint"])
        if state == "new" and deleted.get(document.meta["source_id"]) == document.meta["content_hash"]:
            skipped.append(document.meta["source_id"])
        elif state == "unchanged":
            report.unchanged.append(document.meta["source_id"])
        else:
            changed.append(document)
            (report.added if state == "new" else report.updated).append(document.meta["source_id"])
    report.skipped += skipped
    before = _fingerprints(
        archive, [d.meta["source_id"] for d in changed if d.meta["source_id"] in report.updated]
    )
    if len(skipped) < len(documents):  # kept before indexing: an indexed source always has its original
        keep_original(archive.settings.originals_dir, source_file, documents[0].meta.get("audio"))
    stamp_provenance(archive, source_file, changed, added_by)
    try:
        report.chunks += archive.index_sources(changed)
        tombstones.forget([document.meta["source_id"] for document in changed])
        for document in changed:
            sid = document.meta["source_id"]
            action = "update" if sid in before else "add"
            AuditLog(archive.settings.data_dir).record(
                action, sid, before=before.get(sid), after=document.meta["fingerprint"]
            )
    except Exception as error:  # the store refused these sources; the others go on
        for document in changed:
            sid = document.meta["source_id"]
            (report.added if sid in report.added else report.updated).remove(sid)
            report.failed.append(Failure(sid, f"could not be indexed: {error}"))
        return
    catalogue = documents[0].meta.get("catalogue")
    # a broken row must not delete its stored product; an archive export's rows are no catalogue
    if catalogue and not converted["failures"] and not any(archived):
        present = [d.meta["source_id"] for d in documents]
        dropped = _fingerprints(archive, [], catalogue=catalogue, keeping=present)
        if archive.delete_missing_rows(catalogue, present):
            report.removed.append(catalogue)
            for sid, previous in dropped.items():
                AuditLog(archive.settings.data_dir).record("delete", sid, before=previous, after=None)


def _fingerprints(
    archive: Archive, source_ids: list[str], catalogue: str | None = None, keeping: list[str] | None = None
) -> dict[str, str]:
    """The indexed version of these sources (or of a catalogue's rows not in ``keeping``), for the audit log."""
    if catalogue:
        which = [{"field": "meta.catalogue", "operator": "==", "value": catalogue},
                 {"field": "meta.source_id", "operator": "not in", "value": keeping or []}]  # fmt: skip
    elif source_ids:
        which = [{"field": "meta.source_id", "operator": "in", "value": source_ids}]
    else:
        return {}
    firsts = archive.store.filter_documents(
        {
            "operator": "AND",
            "conditions": [*which, {"field": "meta.chunk_index", "operator": "==", "value": 0}],
        }
    )
    return {doc.meta["source_id"]: doc.meta.get("fingerprint", "") for doc in firsts}


def keep_original(originals_dir: Path, source_file: SourceFile, audio: str | None = None) -> None:
    """Copy the file, its sidecar, its mapping (a foreign table's) and its recording under the data directory, so the index can
    always be rebuilt and the UI can play the recording."""
    attachments = [source_file.path, sidecar_path(source_file.path), mapping_path(source_file.path)]
    if audio and "://" not in audio and not Path(audio).is_absolute() and ".." not in Path(audio).parts:
        attachments.append(source_file.path.parent / audio)
    for original in attachments:
        if not original.is_file():
            continue
        relative = Path(source_file.source_id).parent / original.relative_to(source_file.path.parent)
        destination = originals_dir / relative
        if destination.resolve() == original.resolve():
            continue
        if destination.exists() and destination.read_bytes() == original.read_bytes():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(original, destination)


def utc_now() -> str:
    """ISO 8601 UTC to the second, as OAI-PMH datestamps want it (``2026-11-25T13:27:05Z``)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def restore_archived(document) -> bool:
    """A row of a Panya archive export takes back its own source_id, file and provenance."""
    archived = document.meta.pop(ARCHIVED, None)
    if not isinstance(archived, dict):
        return False
    for key in ("source_id", "file", "format", "catalogue", *PROVENANCE):
        if archived.get(key) is not None:
            document.meta[key] = archived[key]
        elif key == "catalogue":
            document.meta.pop(key, None)
    return True


def stamp_provenance(archive: Archive, source_file: SourceFile, documents: list, added_by: str) -> None:
    """Set when and by whom each changed source came, keeping ``added_at``/``added_by`` of the
    version already stored, and the kept original's name and SHA-256."""
    if not documents:
        return
    now = utc_now()
    checksum = hashlib.sha256(source_file.path.read_bytes()).hexdigest()
    for document in documents:
        meta = document.meta
        if meta.get("added_at"):  # an archive export's row brings its own history
            continue
        stored = archive.store.filter_documents(
            {"operator": "AND", "conditions": [
                {"field": "meta.source_id", "operator": "==", "value": meta["source_id"]},
                {"field": "meta.chunk_index", "operator": "==", "value": 0},
            ]}
        )  # fmt: skip
        before = stored[0].meta if stored else {}
        meta["added_at"] = before.get("added_at") or now
        meta["added_by"] = before.get("added_by") or added_by
        meta |= {"updated_at": now, "updated_by": added_by}
        meta |= {"original_name": source_file.path.name, "original_sha256": checksum}


def _is_own_state(settings, target: Path, path: Path) -> bool:
    """A file under the data directory that is not what the caller asked to ingest."""
    data_dir, target, path = settings.data_dir.resolve(), target.resolve(), path.resolve()
    if not target.is_relative_to(data_dir):
        return path.is_relative_to(data_dir)
    state = (settings.store_dir, settings.trash_dir, settings.uploads_dir)
    return any(path.is_relative_to(d.resolve()) and not target.is_relative_to(d.resolve()) for d in state)


class Tombstones:
    """Sources deleted on purpose, with the content they had: ingesting that same content again
    (a folder re-ingested, ``panya rebuild``) does not bring them back; a new version does.

    Each entry keeps when the source was deleted and what OAI-PMH needs to report it
    (``deleted_at``, ``access``, its sets); files written before that held only the content
    hash per source (``{"documents/x.md": "<hash>"}``) and still load, without a time.
    """

    def __init__(self, data_dir: Path):
        self.path = data_dir / "deleted.json"

    def records(self) -> dict[str, dict]:
        """Every tombstone as ``{"content_hash", "deleted_at" (None when not recorded), ...}``."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {
            sid: dict(entry) if isinstance(entry, dict) else {"content_hash": entry, "deleted_at": None}
            for sid, entry in raw.items()
        }

    def load(self) -> dict[str, str]:
        """The content hash each deleted source had."""
        return {sid: entry.get("content_hash", "") for sid, entry in self.records().items()}

    def add(self, entries: dict[str, str | dict]) -> None:
        """``{source_id: content hash}`` or ``{source_id: {"content_hash": …, "access": …, …}}``."""
        now = utc_now()
        stamped = {
            sid: {"deleted_at": now} | (entry if isinstance(entry, dict) else {"content_hash": entry})
            for sid, entry in entries.items()
        }
        self._save(self.records() | stamped)

    def forget(self, source_ids: list[str]) -> None:
        if self.path.exists():
            current = self.records()
            if any(sid in current for sid in source_ids):
                self._save({sid: e for sid, e in current.items() if sid not in source_ids})

    def _save(self, entries: dict[str, dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".tmp")
        scratch.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(scratch, self.path)


def delete_source(archive: Archive, source_id: str) -> int:
    """Remove a source (or a whole catalogue) for good, the same from the CLI and the API.

    Its chunks leave the index; its original (with a sidecar no other file shares) moves to
    ``data/trash/`` so nothing a user gave is destroyed, and a tombstone keeps ``panya rebuild``
    and re-ingesting the same folder from bringing it back. Returns chunks removed (0: no such source).
    """
    firsts = archive.store.filter_documents(
        {"operator": "AND", "conditions": [
            {"operator": "OR", "conditions": [
                {"field": "meta.source_id", "operator": "==", "value": source_id},
                {"field": "meta.catalogue", "operator": "==", "value": source_id},
            ]},
            {"field": "meta.chunk_index", "operator": "==", "value": 0},
        ]}
    )  # fmt: skip
    removed = archive.delete_source(source_id)
    if not removed:
        return 0
    for doc in firsts:
        AuditLog(archive.settings.data_dir).record(
            "delete", doc.meta["source_id"], before=doc.meta.get("fingerprint"), after=None
        )
    Tombstones(archive.settings.data_dir).add(
        {
            doc.meta["source_id"]: {
                "content_hash": doc.meta.get("content_hash", doc.meta.get("fingerprint", "")),
                # OAI-PMH reports a deletion only for what a harvester could see, in its sets
                **{key: doc.meta.get(key) for key in ("access", "type", "category", "province")},
            }
            for doc in firsts
        }
    )
    if "#" not in source_id:
        _retire_original(archive.settings, source_id)
    return removed


def _retire_original(settings, source_id: str) -> None:
    originals = settings.originals_dir.resolve()
    original = (originals / source_id).resolve()
    if not original.is_relative_to(originals) or not original.is_file():
        return
    trash = settings.trash_dir / time.strftime("%Y%m%d-%H%M%S") / source_id
    moving = [original]
    sidecar = sidecar_path(original)
    sharing = [
        p for p in original.parent.glob(glob.escape(original.stem) + ".*") if p not in (original, sidecar)
    ]
    if sidecar.is_file() and not sharing:  # X.md and X.pdf share X.meta.json: keep it for the other
        moving.append(sidecar)
    for path in moving:
        destination = trash.parent / path.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, destination)


def stage_uploads(settings, files: list[tuple[str, bytes]], meta: dict | None = None) -> Path:
    """Write uploaded files (``relative path, bytes``) under a fresh folder of ``data/uploads/`` and
    return it, ready for :func:`ingest_path`; ``meta`` becomes the sidecar of files that have none."""
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="upload-", dir=settings.uploads_dir))
    for relative, data in files:
        path = scratch / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if meta:
        for relative, _ in files:
            path = scratch / relative
            if not path.name.endswith(SIDECAR_SUFFIX) and not sidecar_path(path).exists():
                sidecar_path(path).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return scratch


def ingest_uploads(
    archive: Archive, files: list[tuple[str, bytes]], meta: dict | None = None, added_by: str = "api"
) -> IngestReport:
    """Uploaded files go through the same entry point as ``panya ingest``."""
    scratch = stage_uploads(archive.settings, files, meta)
    try:
        with archive.write_lock:  # one upload at a time; searches go on beside it
            return ingest_path(archive, scratch, progress=False, added_by=added_by)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def clear_stale_uploads(settings) -> int:
    """Remove upload folders a crash left behind (at start-up, before any upload runs)."""
    stale = list(settings.uploads_dir.glob("upload-*")) if settings.uploads_dir.is_dir() else []
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return len(stale)
