"""Source files → one clean Haystack Document per source (a catalogue gives one per row)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from haystack import Document, component

from index.thai_text import normalize
from ingest.converters import CONVERTERS, SUPPORTED_SUFFIXES
from ingest.converters.base import ConversionError, Converted
from ingest.discovery import SourceFile
from ingest.metadata import MetadataError, merge_metadata, read_sidecar

DEFAULT_TYPES = {".vtt": "oral_history", ".srt": "oral_history", ".csv": "product", ".jsonl": "product"}


@dataclass(frozen=True)
class Failure:
    """A file (or a catalogue row) that was not ingested, and why."""

    source_id: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source_id}: {self.reason}"


@component
class SourceConverter:
    """Reads each file with the converter for its format and cleans its Thai text and metadata.

    Broken files and rows become ``failures`` naming the file and the problem; the rest go on.
    """

    @component.output_types(documents=list[Document], failures=list[Failure])
    def run(self, sources: list[SourceFile]) -> dict:
        documents, failures = [], []
        for source in sources:
            try:
                converted = self._convert(source)
            except (ConversionError, MetadataError, OSError) as error:
                failures.append(Failure(source.source_id, str(error)))
                continue
            except Exception as error:  # a library choking on a damaged file must not stop the batch
                failures.append(
                    Failure(source.source_id, f"cannot read this {source.suffix} file: {error!r}")
                )
                continue
            for item in converted:
                if isinstance(item, Failure):
                    failures.append(item)
                else:
                    documents.append(item)
        return {"documents": documents, "failures": failures}

    def _convert(self, source: SourceFile) -> list[Document | Failure]:
        if source.suffix not in CONVERTERS:
            raise ConversionError(
                f"unsupported file type {source.suffix or '(none)'}; Panya reads {', '.join(SUPPORTED_SUFFIXES)}"
            )
        sidecar = read_sidecar(source.path)
        results: list[Document | Failure] = []
        for item in CONVERTERS[source.suffix](source.path):
            source_id = f"{source.source_id}#{item.key}" if item.key else source.source_id
            if item.error:
                results.append(Failure(f"{source.source_id} ({item.key})", item.error))
                continue
            try:
                results.append(_document(source, source_id, item, sidecar))
            except (ConversionError, MetadataError) as error:
                results.append(Failure(source_id, str(error)))
        return results


def _document(source: SourceFile, source_id: str, item: Converted, sidecar: dict) -> Document:
    found = {"type": DEFAULT_TYPES.get(source.suffix, "document"), **item.found}
    # a catalogue's sidecar describes the whole catalogue: it must not rename every product
    layers = [found, item.front_matter, _without(sidecar, "title") if item.key else sidecar]
    meta = merge_metadata(*layers)
    content = normalize(item.content)
    if not content:
        raise ConversionError("no text found in the file")
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
    return Document(content=content, meta=meta)


def _without(data: dict, key: str) -> dict:
    return {k: v for k, v in data.items() if k != key}


def _hash(content: str, meta: dict) -> str:
    payload = json.dumps([content, meta], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()
