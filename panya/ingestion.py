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
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from tqdm import tqdm

from ingest.discovery import SourceFile, discover
from ingest.failures import Notice
from ingest.metadata import SIDECAR_SUFFIX, sidecar_path
from ingest.source_converter import Failure, SourceConverter
from panya.archive import Archive


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


def fingerprint(content_hash: str, archive: Archive) -> str:
    """A source version as indexed: its content and metadata, and how it was cut and embedded."""
    settings = archive.settings
    recipe = f"{content_hash}|{settings.chunk_size}|{settings.chunk_overlap}|{archive.info.model}|{archive.info.sparse}"
    return hashlib.sha256(recipe.encode()).hexdigest()[:32]


def ingest_path(archive: Archive, target: Path, progress: bool | None = None) -> IngestReport:
    """Ingest a folder (recursively) or one file into ``archive``."""
    started = time.perf_counter()
    report = IngestReport()
    # `panya ingest .` must not ingest the archive's own state; re-ingesting the kept originals
    # (`panya ingest data/originals`, `panya rebuild`) or staged uploads must still work
    target = Path(target)
    files = [
        f for f in discover(target, report.failed) if not _is_own_state(archive.settings, target, f.path)
    ]
    bar = tqdm(files, unit="file", file=sys.stderr, disable=(not progress) if progress is not None else None)
    for source_file in bar:
        bar.set_postfix_str(source_file.source_id[-40:], refresh=False)
        ingest_file(archive, source_file, report)
    if report.added or report.updated or report.removed:
        archive.optimize()
    report.seconds = time.perf_counter() - started
    return report


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


def ingest_file(archive: Archive, source_file: SourceFile, report: IngestReport) -> None:
    converted = SourceConverter.from_settings(archive.settings).run([source_file])
    report.failed += converted["failures"]
    report.warnings += converted["warnings"]
    documents = converted["documents"]
    if not documents:
        return
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
    if len(skipped) < len(documents):  # kept before indexing: an indexed source always has its original
        keep_original(archive.settings.originals_dir, source_file, documents[0].meta.get("audio"))
    try:
        report.chunks += archive.index_sources(changed)
        tombstones.forget([document.meta["source_id"] for document in changed])
    except Exception as error:  # the store refused these sources; the others go on
        for document in changed:
            sid = document.meta["source_id"]
            (report.added if sid in report.added else report.updated).remove(sid)
            report.failed.append(Failure(sid, f"could not be indexed: {error}"))
        return
    catalogue = documents[0].meta.get("catalogue")
    if catalogue and not converted["failures"]:  # a broken row must not delete its stored product
        if archive.delete_missing_rows(catalogue, [d.meta["source_id"] for d in documents]):
            report.removed.append(catalogue)


def keep_original(originals_dir: Path, source_file: SourceFile, audio: str | None = None) -> None:
    """Copy the file, its sidecar and its recording under the data directory, so the index can
    always be rebuilt and the UI can play the recording."""
    attachments = [source_file.path, sidecar_path(source_file.path)]
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


def _is_own_state(settings, target: Path, path: Path) -> bool:
    """A file under the data directory that is not what the caller asked to ingest."""
    data_dir, target, path = settings.data_dir.resolve(), target.resolve(), path.resolve()
    if not target.is_relative_to(data_dir):
        return path.is_relative_to(data_dir)
    state = (settings.store_dir, settings.trash_dir, settings.uploads_dir)
    return any(path.is_relative_to(d.resolve()) and not target.is_relative_to(d.resolve()) for d in state)


class Tombstones:
    """Sources deleted on purpose, with the content they had: ingesting that same content again
    (a folder re-ingested, ``panya rebuild``) does not bring them back; a new version does."""

    def __init__(self, data_dir: Path):
        self.path = data_dir / "deleted.json"

    def load(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def add(self, entries: dict[str, str]) -> None:
        self._save(self.load() | entries)

    def forget(self, source_ids: list[str]) -> None:
        if self.path.exists():
            current = self.load()
            if any(sid in current for sid in source_ids):
                self._save({sid: h for sid, h in current.items() if sid not in source_ids})

    def _save(self, entries: dict[str, str]) -> None:
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
    Tombstones(archive.settings.data_dir).add(
        {
            doc.meta["source_id"]: doc.meta.get("content_hash", doc.meta.get("fingerprint", ""))
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
    archive: Archive, files: list[tuple[str, bytes]], meta: dict | None = None
) -> IngestReport:
    """Uploaded files go through the same entry point as ``panya ingest``."""
    scratch = stage_uploads(archive.settings, files, meta)
    try:
        with archive.write_lock:  # one upload at a time; searches go on beside it
            return ingest_path(archive, scratch, progress=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def clear_stale_uploads(settings) -> int:
    """Remove upload folders a crash left behind (at start-up, before any upload runs)."""
    stale = list(settings.uploads_dir.glob("upload-*")) if settings.uploads_dir.is_dir() else []
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return len(stale)
