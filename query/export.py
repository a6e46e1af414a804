"""Search results, or the whole archive, as CSV or JSON lines that ``panya ingest`` reads back.

One row per source. JSONL rows are ``{"panya_export": 1, "source_id", "type", "title", "url",
"meta", "text", "cues"}``: ``meta`` is every metadata field as stored (provenance included),
``cues`` a transcript's timed lines. CSV rows carry the fields a spreadsheet user wants as
columns (place, date, sage, price, provenance …) and the same ``meta`` and ``cues`` as JSON in
``panya_meta`` / ``panya_cues``, so nothing is lost on the way back in
(:mod:`ingest.converters.archive_files`). Restricted sources are left out unless the caller
may see them.

>>> row = {"source_id": "documents/pla-ra-ubon.md", "type": "document", "title": "ปลาร้าอุบล", "url": "",
...        "meta": {"province": "อุบลราชธานี", "tags": ["ปลาร้า", "หมัก"]}, "text": "ปลาร้า…", "cues": []}
>>> next(csv_lines([row])).split(",")[:3]
['source_id', 'type', 'title']
>>> csv_row(row)["tags"]
'ปลาร้า|หมัก'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from query.filters import all_of, equals, search_filters
from query.models import SourceResponse
from query.request import SearchRequest
from query.sources import source_response

FORMAT_VERSION = 1
MARK = "panya_export"
FORMATS = ("csv", "jsonl")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}
#: Spreadsheet columns, after source_id, type and title; the full record follows as JSON.
META_COLUMNS = ("category", "village", "district", "subdistrict", "province", "region", "date", "date_original",
                "sage", "author", "interviewee", "interviewer", "producer", "price", "unit", "contact", "language",
                "license", "access", "tags", "added_at", "updated_at", "added_by", "original_name",
                "original_sha256")  # fmt: skip
CSV_COLUMNS = ("source_id", "type", "title", *META_COLUMNS, "url", "text", "panya_meta", "panya_cues")
BATCH = 200  # sources fetched from the store at once


def export_rows(
    archive,
    request: SearchRequest | None,
    include_restricted: bool,
    permalink: Callable[[str], str] = lambda source_id: "",
) -> Iterator[dict[str, Any]]:
    """One row per source a search finds (in its order), or per source of the archive (no query)."""
    request = request or SearchRequest()
    if request.query:
        found = archive.search(request, include_restricted=include_restricted, answers=False).ranked
        source_ids = [result.source_id for result in found]
    else:  # every source the facets allow, in a stable order (a browse reads one page only)
        firsts = archive.store.filter_documents(
            all_of(search_filters(request, include_restricted), equals("chunk_index", 0))
        )
        source_ids = sorted(chunk.meta["source_id"] for chunk in firsts)
    for start in range(0, len(source_ids), BATCH):
        batch = source_ids[start : start + BATCH]
        chunks = archive.store.filter_documents(
            all_of(
                {"field": "meta.source_id", "operator": "in", "value": batch},
                search_filters(include_restricted=include_restricted),  # the access rule, again
            )
        )
        by_source: dict[str, list] = {}
        for chunk in sorted(chunks, key=lambda c: c.meta.get("chunk_index", 0)):
            by_source.setdefault(chunk.meta["source_id"], []).append(chunk)
        for source_id in batch:
            if source_id in by_source:
                view = source_response(source_id, by_source[source_id], archive.settings.originals_dir)
                yield row_of(view, permalink(source_id))


def row_of(view: SourceResponse, url: str = "") -> dict[str, Any]:
    return {
        MARK: FORMAT_VERSION,
        "source_id": view.source_id,
        "type": view.meta.get("type", "document"),
        "title": view.meta.get("title", ""),
        "url": url,
        "meta": view.meta,
        "text": view.text,
        "cues": [cue.model_dump(exclude_none=True) for cue in view.cues],
    }


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def csv_row(row: dict[str, Any]) -> dict[str, str]:
    meta = row["meta"]

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return "|".join(str(item) for item in value)
        return f"{value:g}" if isinstance(value, float) else str(value)

    values = {column: cell(meta.get(column)) for column in META_COLUMNS}
    values |= {key: cell(row.get(key)) for key in ("source_id", "type", "title", "url", "text")}
    values["panya_meta"] = json.dumps(meta, ensure_ascii=False)
    values["panya_cues"] = json.dumps(row.get("cues") or [], ensure_ascii=False) if row.get("cues") else ""
    return values


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV text, header first, a row at a time (UTF-8; spreadsheet apps want the BOM the route adds)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    yield _drain(buffer)
    for row in rows:
        writer.writerow(csv_row(row))
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def lines(rows: Iterable[dict[str, Any]], form: str) -> Iterator[str]:
    if form not in FORMATS:
        raise ValueError(f"unknown export format {form!r}; use {' or '.join(FORMATS)}")
    return csv_lines(rows) if form == "csv" else jsonl_lines(rows)
