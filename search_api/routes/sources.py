from __future__ import annotations

import hmac
import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from panya.ingestion import IngestReport, delete_source, ingest_uploads
from query.models import SourceResponse
from search_api.deps import ArchiveDep, CallerDep, WriterDep
from search_api.errors import ERROR_RESPONSES, PanyaError
from search_api.uploads import check_upload, in_background, safe_relative

router = APIRouter(prefix="/api/sources", tags=["sources"], responses=ERROR_RESPONSES)

MAX_FILES = 200

#: The multipart body, declared by hand: the route reads it itself, after the key is checked.
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "documents, transcripts, catalogues and X.meta.json sidecars",
                        },
                        "folder": {
                            "type": "string",
                            "description": "folder the files belong to, e.g. documents",
                        },
                        "meta": {
                            "type": "string",
                            "description": "sidecar JSON applied to files that have none",
                        },
                    },
                }
            }
        },
    }
}


class Deleted(BaseModel):
    deleted: str
    chunks: int


@router.get(
    "/{source_id:path}/original",
    summary="The original file a source was ingested from, as given (a catalogue row: its whole catalogue)",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
    },
)
def get_original(source_id: str, archive: ArchiveDep, caller: CallerDep) -> FileResponse:
    view = archive.source(source_id, include_restricted=caller.sees_restricted)
    original = original_available(archive, view, caller.sees_restricted)
    if original is None:
        raise PanyaError(404, "original_not_found", f"no original kept for {source_id!r}", "ไม่มีไฟล์ต้นฉบับ")
    name = str(view.meta.get("original_name") or original.name)
    return FileResponse(original, filename=name)


def original_available(archive, view: SourceResponse, sees_restricted: bool = False) -> Path | None:
    """The kept original of a source the caller sees, if it may have it: a catalogue holding a
    restricted row is not handed out whole to the public."""
    root = archive.settings.originals_dir.resolve()
    original = (root / str(view.meta.get("file", ""))).resolve()
    catalogue = view.meta.get("catalogue")
    if catalogue and not sees_restricted and _has_restricted_rows(archive, catalogue):
        return None
    return (
        original if original.is_relative_to(root) and original.is_file() and view.meta.get("file") else None
    )


def _has_restricted_rows(archive, catalogue: str) -> bool:
    restricted = {"operator": "AND", "conditions": [
        {"field": "meta.catalogue", "operator": "==", "value": catalogue},
        {"field": "meta.access", "operator": "==", "value": "restricted"},
    ]}  # fmt: skip
    return archive.store.count_documents_by_filter(restricted) > 0


def key_name(settings, authorization: str | None) -> str:
    """The name a write key goes by in provenance: its place in ``PANYA_WRITE_KEYS`` (``write-key-1``),
    never the key itself."""
    key = (authorization or "").partition(" ")[2].strip()
    for number, candidate in enumerate(settings.write_keys, start=1):
        if hmac.compare_digest(key.encode(), candidate.get_secret_value().encode()):
            return f"write-key-{number}"
    return "api"


@router.get("/{source_id:path}", summary="A whole source: metadata and text (a transcript as timed cues)")
def get_source(source_id: str, archive: ArchiveDep, caller: CallerDep) -> SourceResponse:
    return archive.source(source_id, include_restricted=caller.sees_restricted)


@router.post(
    "",
    status_code=201,
    summary="Upload and ingest files (needs a write key)",
    response_model=IngestReport,
    openapi_extra=UPLOAD_BODY,
)
async def upload(request: Request, archive: ArchiveDep, writer: WriterDep) -> IngestReport:
    # the key was checked before this runs, and no byte of the body has been read yet
    settings = archive.settings
    max_bytes = settings.max_upload_mb * 1024 * 1024
    async with request.form(max_files=MAX_FILES, max_fields=MAX_FILES, max_part_size=1024 * 1024) as form:
        uploads = [part for part in form.getlist("files") if isinstance(part, UploadFile)]
        if not uploads:
            raise PanyaError(422, "no_files", "send one or more files in the 'files' field", "กรุณาแนบไฟล์")
        folder = str(form.get("folder") or "")
        sidecar = _sidecar(form.get("meta"))
        files = []
        for part in uploads:
            name = part.filename or "upload"
            data = await part.read(max_bytes + 1)
            check_upload(name, data, max_bytes)
            files.append((safe_relative(folder, name), data))
    added_by = key_name(settings, request.headers.get("authorization"))
    report = await in_background(ingest_uploads, archive, files, sidecar, added_by)
    if report.failed and not (report.added or report.updated or report.unchanged or report.skipped):
        reasons = "; ".join(str(failure) for failure in report.failed)
        raise PanyaError(
            422, "unreadable_file", reasons, "อ่านไฟล์ไม่ได้: " + reasons, detail=report.model_dump(mode="json")
        )
    return report


def _sidecar(meta) -> dict | None:
    if not meta or not isinstance(meta, str):
        return None
    try:
        sidecar = json.loads(meta)
    except json.JSONDecodeError as error:
        raise PanyaError(
            422, "bad_meta", f"meta is not valid JSON: {error.msg}", "meta ต้องเป็น JSON"
        ) from None
    if not isinstance(sidecar, dict):
        raise PanyaError(422, "bad_meta", "meta must be a JSON object", "meta ต้องเป็น JSON object")
    return sidecar


@router.delete("/{source_id:path}", summary="Remove a source (or a whole catalogue) (needs a write key)")
def delete(source_id: str, archive: ArchiveDep, writer: WriterDep) -> Deleted:
    removed = delete_source(archive, source_id)
    if not removed:
        raise PanyaError(404, "source_not_found", f"no source {source_id!r}", "ไม่พบแหล่งข้อมูลนี้")
    return Deleted(deleted=source_id, chunks=removed)
