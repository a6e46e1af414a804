"""``/api/export``: search results, or the whole archive (no query), as CSV or JSON lines.

The same parameters as ``/api/search`` (paging ignored: every source found is exported); what
comes out, ``panya ingest`` reads back (:mod:`query.export`). Restricted sources only with a key
that grants them.
"""

from __future__ import annotations

import time
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from query.export import MEDIA_TYPES, export_rows, lines
from query.request import SearchRequest
from search_api.deps import ArchiveDep, CallerDep
from search_api.errors import ERROR_RESPONSES
from search_api.routes.pages import source_url

router = APIRouter(prefix="/api", tags=["export"], responses=ERROR_RESPONSES)


@router.get(
    "/export",
    summary="Export search results or the whole archive as CSV or JSONL (readable by `panya ingest`)",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                "text/csv": {
                    "schema": {"type": "string", "description": "one row per source, a header first"}
                },
                "application/jsonl": {
                    "schema": {"type": "string", "description": "one JSON object per line"}
                },
            }
        }
    },
)
def export(
    request: Request,
    archive: ArchiveDep,
    caller: CallerDep,
    search: Annotated[SearchRequest, Query()],
    format: Annotated[Literal["csv", "jsonl"], Query(description="csv or jsonl")] = "jsonl",
) -> StreamingResponse:
    base = str(request.base_url).rstrip("/")
    rows = export_rows(
        archive, search, caller.sees_restricted, permalink=lambda source_id: base + source_url(source_id)
    )
    body = lines(rows, format)
    if format == "csv":  # the BOM makes spreadsheet apps read the Thai as UTF-8
        body = _prefixed("\ufeff", body)
    name = f"panya-export-{time.strftime('%Y%m%d')}" + (".csv" if format == "csv" else ".panya.jsonl")
    return StreamingResponse(
        body,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _prefixed(prefix: str, body):
    yield prefix
    yield from body
