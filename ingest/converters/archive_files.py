"""A Panya archive export (``panya export``, ``/api/export``) read back: one source per row.

Exports are ``.jsonl`` (rows marked ``"panya_export": 1``) or ``.csv`` (a ``panya_meta`` column);
any other JSONL or CSV is a product catalogue (:mod:`ingest.converters.catalogue_files`), so
the two suffixes are routed here first. Each row keeps its source's identity: its ``source_id``,
original file name and provenance travel under ``archived`` and are restored by ingest, so an
exported archive ingests into a fresh data directory as the same sources. Its metadata goes
through the same checks as a sidecar's (a bad date or access level fails that row only).

>>> row = {"panya_export": 1, "source_id": "documents/pla-ra-ubon.md", "type": "document",
...        "meta": {"title": "ปลาร้าอุบล", "province": "อุบลราชธานี", "access": "public"}, "text": "ปลาร้าหมัก"}
>>> item = convert_jsonl(json.dumps(row, ensure_ascii=False).encode())[0]
>>> item.key, item.found["title"], item.fields["archived"]["source_id"]
('documents/pla-ra-ubon.md', 'ปลาร้าอุบล', 'documents/pla-ra-ubon.md')
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
from typing import Any

from ingest.budgets import Budgets, FileBudget
from ingest.converters import catalogue_files
from ingest.converters.base import ConversionError, Converted, read_rows, read_text, sniff_text
from ingest.metadata import METADATA_KEYS

MARK = "panya_export"
META_COLUMN = "panya_meta"
CUES_COLUMN = "panya_cues"
#: Where a row's identity travels to ingest (``panya.ingestion.restore_archived``).
ARCHIVED = "archived"
IDENTITY = ("source_id", "file", "format", "catalogue")
PROVENANCE = ("added_at", "updated_at", "added_by", "updated_by", "original_name", "original_sha256")
#: Set on the source as they are (as a catalogue row's are); the rest is checked metadata.
FIELDS = ("product_id", "unit", "producer", "contact")


def is_export_jsonl(data: bytes) -> bool:
    # the whole first row, not a prefix: a cut may split a Thai character and fail to decode
    first = data.removeprefix(b"\xef\xbb\xbf").lstrip().split(b"\n", 1)[0]
    with contextlib.suppress(ValueError, RecursionError):
        row = json.loads(first)
        return isinstance(row, dict) and MARK in row
    return False


def is_export_csv(data: bytes) -> bool:
    text = sniff_text(data.split(b"\n", 1)[0]) or ""  # the header line, whole (see is_export_jsonl)
    header = next(csv.reader(io.StringIO(text)), [])
    return META_COLUMN in header and "source_id" in header


def convert_jsonl(data: bytes, budget: FileBudget | None = None) -> list[Converted]:
    if not is_export_jsonl(data):
        return catalogue_files.convert_jsonl(data, budget)
    budget = budget or Budgets().start()
    rows: list[tuple[Any, str]] = []
    for number, line in enumerate(read_text(data).splitlines(), start=1):
        if line.strip():
            try:
                rows.append((json.loads(line), f"line {number}"))
            except (json.JSONDecodeError, RecursionError):
                rows.append((None, f"line {number}"))
    return _sources(rows, budget)


def convert_csv(data: bytes, budget: FileBudget | None = None) -> list[Converted]:
    if not is_export_csv(data):
        return catalogue_files.convert_csv(data, budget)
    budget = budget or Budgets().start()
    text = read_text(data)
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text)))  # a transcript's cues are one long cell
    try:
        rows = [
            (_from_csv(row), f"row {number}")
            for number, row in enumerate(csv.DictReader(io.StringIO(text)), 2)
        ]
    finally:
        csv.field_size_limit(limit)
    return _sources(rows, budget)


def _from_csv(row: dict[str, str]) -> dict[str, Any] | None:
    try:
        meta = json.loads(row.get(META_COLUMN) or "{}")
        cues = json.loads(row.get(CUES_COLUMN) or "[]")
    except (json.JSONDecodeError, RecursionError):
        return None
    return {
        MARK: 1,
        "source_id": row.get("source_id"),
        "meta": meta,
        "text": row.get("text", ""),
        "cues": cues,
    }


def _sources(rows: list[tuple[Any, str]], budget: FileBudget) -> list[Converted]:
    if not rows:
        raise ConversionError("the export is empty")
    return read_rows(rows, budget, _source)


def _source(row: Any, where: str) -> Converted:
    if not isinstance(row, dict) or not isinstance(row.get("meta", {}), dict):
        raise ConversionError(f"{where}: not a Panya export row (broken JSON or no metadata object)")
    source_id = str(row.get("source_id") or "").strip()
    text = row.get("text")
    if not source_id or "\x00" in source_id or not isinstance(text, str) or not text.strip():
        raise ConversionError(f"{where}: a row needs a source_id and its text")
    meta: dict[str, Any] = row.get("meta") or {}
    found = {key: meta[key] for key in METADATA_KEYS if meta.get(key) not in (None, "", [])}
    found.setdefault("type", row.get("type") or "document")
    fields: dict[str, Any] = {key: str(meta[key]) for key in FIELDS if meta.get(key) is not None}
    if meta.get("date") and meta.get("date_original"):  # the ISO date is read; the date as first
        fields["date_original"] = str(meta["date_original"])  # given (B.E., an agency's form) is kept
    if meta.get("type") == "product" or "price" in meta:
        fields["price"] = _price(meta.get("price"), where)
    if isinstance(meta.get("extra"), dict) and meta["extra"]:
        fields["extra"] = meta["extra"]
    identity = {key: meta.get(key) for key in (*IDENTITY, *PROVENANCE)} | {"source_id": source_id}
    fields[ARCHIVED] = {key: str(value) for key, value in identity.items() if value not in (None, "")}
    cues = row.get("cues") or None
    if cues is not None and not (
        isinstance(cues, list)
        and all(isinstance(c, dict) and {"start", "end", "text"} <= set(c) for c in cues)
    ):
        raise ConversionError(f"{where}: cues must be a list of {{start, end, text}}")
    return Converted(content=text, found=found, fields=fields, cues=cues, key=source_id)


def _price(value: Any, where: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        price = float(value)
    except (TypeError, ValueError):
        price = math.nan
    if not math.isfinite(price):
        raise ConversionError(f"{where}: price {value!r} is not a number")
    return price
