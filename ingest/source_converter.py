"""Source files → one clean Haystack Document per source (a catalogue gives one per row).

For each file, within its budgets (:mod:`ingest.budgets`): read it once (a regular file, never
through a link, refused before reading when too big), check its content is what its name
says, read its sidecar, convert it, then merge and validate its metadata
(:mod:`ingest.metadata`) and check its text and chunk budgets before it is cut.

Three outputs: ``documents``; ``failures``, files and rows not ingested and why; ``warnings``,
:class:`Notice` s about files that were ingested (unknown metadata keys kept under ``extra``, a
misspelt ``access`` key read as ``access``, a cue skipped), at most one per file and topic.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from haystack import Document, component

from index.thai_text import normalize
from ingest.budgets import Budgets, FileBudget
from ingest.converters import FORMATS, SUPPORTED_SUFFIXES, check_content
from ingest.converters.base import Converted
from ingest.converters.unstructured_setup import load_unstructured
from ingest.discovery import SourceFile
from ingest.errors import ConversionError, NamedFileError, NotARegularFile
from ingest.failures import Failure, Notice
from ingest.mapping import find_mapping
from ingest.metadata import Layer, MetadataError, read_sidecar, resolve_metadata, sidecar_path
from query.places import region_of

__all__ = ["Failure", "Notice", "SourceConverter"]

DEFAULT_TYPES = {".vtt": "oral_history", ".srt": "oral_history", ".csv": "product", ".jsonl": "product"}


@component
class SourceConverter:
    """Reads each file with the converter for its format and cleans its Thai text and metadata.

    Broken files and rows, and files over a budget, become ``failures`` naming the file and the
    problem; the rest go on.

    >>> corpora = Path(__file__).resolve().parents[1] / "corpora"
    >>> source = SourceFile(corpora / "documents/jin-som-phrae.txt", "documents/jin-som-phrae.txt")
    >>> out = SourceConverter().run([source])
    >>> out["documents"][0].meta["province"], out["failures"], out["warnings"]
    ('แพร่', [], [])
    """

    def __init__(self, budgets: Budgets | None = None):
        self.budgets = budgets or Budgets()

    @classmethod
    def from_settings(cls, settings) -> SourceConverter:
        """With the budgets of ``panya.settings.Settings`` (``PANYA_MAX_FILE_MB`` …)."""
        return cls(Budgets.from_settings(settings))

    def warm_up(self) -> None:
        """Load the document converters' libraries now rather than on the first file."""
        load_unstructured()

    @component.output_types(documents=list[Document], failures=list[Failure], warnings=list[Notice])
    def run(self, sources: list[SourceFile]) -> dict:
        documents: list[Document] = []
        failures: list[Failure] = []
        warnings: list[Notice] = []
        for source in sources:
            try:
                converted, notes = self._convert(source)
            except NamedFileError as error:
                failures.append(Failure(source.source_id, error.reason))
                continue
            except (ConversionError, MetadataError, OSError) as error:
                failures.append(Failure(source.source_id, _reason(error)))
                continue
            except Exception as error:  # a library choking on a damaged file must not stop the batch
                failures.append(
                    Failure(source.source_id, f"cannot read this {source.suffix} file: {error!r}"[:500])
                )
                continue
            for item in converted:
                if isinstance(item, Failure):
                    failures.append(item)
                else:
                    documents.append(item)
            warnings += [Notice(source.source_id, note) for note in dict.fromkeys(notes)]
        return {"documents": documents, "failures": failures, "warnings": warnings}

    def _convert(self, source: SourceFile) -> tuple[list[Document | Failure], list[str]]:
        if source.suffix not in FORMATS:
            raise ConversionError(
                f"unsupported file type {source.suffix or '(none)'}; Panya reads {', '.join(SUPPORTED_SUFFIXES)}"
            )
        budget = self.budgets.start()
        data = budget.read(source.path)
        check_content(source.path.name, data)
        sidecar = Layer.of(read_sidecar(source.path), f"the sidecar {sidecar_path(source.path).name}")
        mapping = find_mapping(source.path)  # another agency's table, read through its mapping
        items = (
            mapping.convert(data, source.suffix, budget)
            if mapping
            else FORMATS[source.suffix].convert(data, budget)
        )
        del data
        budget.check_time("converting")
        results: list[Document | Failure] = []
        notes: list[str] = []
        for item in items:
            notes += item.notes
            if item.error:
                results.append(Failure(source.source_id, item.error))
                continue
            source_id = f"{source.source_id}#{item.key}" if item.key else source.source_id
            try:
                document, item_notes = _document(source, source_id, item, sidecar, budget)
            except (ConversionError, MetadataError) as error:
                results.append(Failure(source_id, _reason(error)))
                continue
            results.append(document)
            notes += item_notes
        return results, notes


def _document(
    source: SourceFile, source_id: str, item: Converted, sidecar: Layer, budget: FileBudget
) -> tuple[Document, list[str]]:
    budget.check_chars(len(item.content))
    found = Layer.of(
        {"type": DEFAULT_TYPES.get(source.suffix, "document"), **item.found}, "the file's own metadata"
    )
    front_matter = Layer.of(item.front_matter, "the front matter")
    # a catalogue's sidecar describes the whole catalogue: it must not rename every product
    meta, notes = resolve_metadata(found, front_matter, sidecar.without("title") if item.key else sidecar)
    region = region_of(meta["province"]) if meta.get("province") and not meta.get("region") else None
    if region:  # a region facet must find every source of its provinces, products included
        meta["region"] = region
    _check_audio(source, meta.get("audio"))
    content = normalize(item.content)
    if not content:
        raise ConversionError("no text found in the file")
    budget.check_chars(len(content))
    budget.check_chunks(len(content))
    meta |= item.fields
    meta |= {
        "source_id": source_id,
        "file": source.source_id,
        "format": source.suffix.lstrip("."),
        "title": meta.get("title") or Path(source.source_id).stem,
    }
    if item.key:
        meta["catalogue"] = source.source_id
    if item.cues:
        meta["cues"] = [{**cue, "text": normalize(cue["text"])} for cue in item.cues]
    meta["content_hash"] = _hash(content, meta)
    budget.check_time("cleaning the text")
    return Document(content=content, meta=meta), notes


def _check_audio(source: SourceFile, audio: str | None) -> None:
    """A local recording is copied with its transcript: never through a link, never from outside."""
    if not audio or "://" in audio or Path(audio).is_absolute() or ".." in Path(audio).parts:
        return  # a URL, or a path that is never copied
    folder = source.path.parent
    recording = folder / audio
    if not (recording.is_symlink() or recording.exists()):
        return
    inside = Path(os.path.realpath(recording)).is_relative_to(os.path.realpath(folder))
    if recording.is_symlink() or not recording.is_file() or not inside:
        raise NotARegularFile(f"the recording {audio!r} is a link or not a regular file: not read")


def _reason(error: Exception) -> str:
    return str(error) or type(error).__name__


def _hash(content: str, meta: dict) -> str:
    payload = json.dumps([content, meta], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()
