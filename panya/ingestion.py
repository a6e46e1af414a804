"""``panya ingest``: files → the archive, idempotently, one broken file never stopping the batch.

For each file: keep a copy of the original (and its sidecar) under the data directory, read
it, and for each source in it compare its fingerprint with the store: unchanged sources
write nothing, changed ones get their new chunks written and the old ones removed.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ingest.discovery import SourceFile, discover
from ingest.metadata import sidecar_path
from ingest.source_converter import Failure, SourceConverter
from panya.archive import Archive


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.failed)} failed; {self.chunks} chunks written in {self.seconds:.1f} s"
        )

    def as_json(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
            "removed": self.removed, "failed": [{"source_id": f.source_id, "reason": f.reason} for f in self.failed],
            "chunks": self.chunks, "seconds": round(self.seconds, 2),
        }  # fmt: skip


def fingerprint(content_hash: str, archive: Archive) -> str:
    """A source version as indexed: its content and metadata, and how it was cut and embedded."""
    settings = archive.settings
    recipe = f"{content_hash}|{settings.chunk_size}|{settings.chunk_overlap}|{archive.info.model}|{archive.info.sparse}"
    return hashlib.sha256(recipe.encode()).hexdigest()[:32]


def ingest_path(archive: Archive, target: Path, progress: bool | None = None) -> IngestReport:
    """Ingest a folder (recursively) or one file into ``archive``."""
    started = time.perf_counter()
    report = IngestReport()
    # `panya ingest .` must not ingest the archive's own store and copies; re-ingesting the kept
    # originals (`panya ingest data/originals`, `panya rebuild`) must still work
    data_dir, store_dir = archive.settings.data_dir.resolve(), archive.settings.store_dir.resolve()
    excluded = store_dir if Path(target).resolve().is_relative_to(data_dir) else data_dir
    files = [f for f in discover(Path(target)) if not f.path.resolve().is_relative_to(excluded)]
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
    converted = SourceConverter().run([source_file])
    report.failed += converted["failures"]
    documents = converted["documents"]
    if not documents:
        return
    keep_original(archive.settings.originals_dir, source_file, documents[0].meta.get("audio"))
    changed = []
    for document in documents:
        document.meta["fingerprint"] = fingerprint(document.meta.pop("content_hash"), archive)
        state = archive.source_state(document.meta["source_id"], document.meta["fingerprint"])
        if state == "unchanged":
            report.unchanged.append(document.meta["source_id"])
        else:
            changed.append(document)
            (report.added if state == "new" else report.updated).append(document.meta["source_id"])
    try:
        report.chunks += archive.index_sources(changed)
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
