from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse

from search_api.deps import ArchiveDep, CallerDep, WriterDep
from search_api.errors import PanyaError
from search_api.service import source_view
from search_api.uploads import ingest_uploads

router = APIRouter(prefix="/api/sources", tags=["sources"])


@router.get("/{source_id:path}", summary="A whole source: metadata and text (a transcript as timed cues)")
def get_source(source_id: str, archive: ArchiveDep, caller: CallerDep) -> dict:
    return source_view(archive, caller, source_id).as_json()


@router.post("", status_code=201, summary="Upload and ingest files (needs a write key)")
async def upload(
    archive: ArchiveDep,
    writer: WriterDep,
    files: Annotated[
        list[UploadFile], File(description="documents, transcripts, catalogues and X.meta.json sidecars")
    ],
    folder: Annotated[str, Form(description="folder the files belong to, e.g. documents")] = "",
    meta: Annotated[str | None, Form(description="sidecar JSON applied to files that have none")] = None,
):
    sidecar = None
    if meta:
        try:
            sidecar = json.loads(meta)
        except json.JSONDecodeError as error:
            raise PanyaError(
                422, "bad_meta", f"meta is not valid JSON: {error.msg}", "meta ต้องเป็น JSON"
            ) from None
        if not isinstance(sidecar, dict):
            raise PanyaError(422, "bad_meta", "meta must be a JSON object", "meta ต้องเป็น JSON object")
    limit = archive.settings.max_upload_mb * 1024 * 1024
    contents = [(upload.filename or "upload", await upload.read(limit + 1)) for upload in files]
    report = ingest_uploads(archive, contents, folder, sidecar)
    body = report.as_json()
    if report.failed and not (report.added or report.updated or report.unchanged):
        reasons = "; ".join(str(failure) for failure in report.failed)
        raise PanyaError(422, "unreadable_file", reasons, "อ่านไฟล์ไม่ได้: " + reasons, detail=body)
    return JSONResponse(body, status_code=201)


@router.delete("/{source_id:path}", summary="Remove a source (or a whole catalogue) (needs a write key)")
def delete(source_id: str, archive: ArchiveDep, writer: WriterDep) -> dict:
    removed = archive.delete_source(source_id)
    if not removed:
        raise PanyaError(404, "source_not_found", f"no source {source_id!r}", "ไม่พบแหล่งข้อมูลนี้")
    original = archive.settings.originals_dir / source_id
    for path in (original, original.with_name(original.stem + ".meta.json")):
        if (
            "#" not in source_id
            and path.is_file()
            and original.resolve().is_relative_to(archive.settings.originals_dir.resolve())
        ):
            path.unlink()
    return {"deleted": source_id, "chunks": removed}
