"""Centre → province sync, the province's side: what it holds from a centre (the centre then sends
what is new or changed through ``POST /api/sources`` and deletes through ``DELETE``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, SecretStr, field_validator

from panya.sync import SyncError, SyncManifest, SyncReport, bearer, centre_folder, manifest, sync
from query.models import ErrorResponse
from search_api.deps import ArchiveDep, WriterDep
from search_api.errors import ERROR_RESPONSES, PanyaError

router = APIRouter(prefix="/api/sync", tags=["sync"], responses=ERROR_RESPONSES)


@router.get("/manifest", summary="What this archive holds from one centre, file by file (needs a write key)")
async def get_manifest(
    archive: ArchiveDep,
    writer: WriterDep,
    centre: Annotated[str, Query(max_length=64, description="the centre's name, e.g. ubon-warinchamrap-01")],
) -> SyncManifest:
    try:
        centre_folder(centre)
    except ValueError as error:
        raise PanyaError(422, "bad_centre", str(error), "ชื่อศูนย์ไม่ถูกต้อง") from None
    return await run_in_threadpool(manifest, archive, centre, writer.sees_restricted)


class PushRequest(BaseModel):
    """Ask this server to sync its archive to a province (what `panya sync --via` sends)."""

    to: str = Field(
        max_length=500,
        pattern=r"^https?://",
        description="the province's Panya",
        examples=["https://panya.ubon.go.th"],
    )
    key: SecretStr = Field(description="a write key of the province (sent there, never stored here)")
    centre: str = Field(
        max_length=64, description="this centre's name there", examples=["ubon-warinchamrap-01"]
    )

    @field_validator("key")
    @classmethod
    def _header_safe(cls, key: SecretStr) -> SecretStr:
        bearer(key.get_secret_value())
        return key


@router.post(
    "/push",
    summary="Send this archive's new and changed sources (and deletions) to a province (needs a write key)",
    responses={502: {"model": ErrorResponse, "description": "the province could not be reached or refused"}},
)
async def push(body: PushRequest, archive: ArchiveDep, writer: WriterDep) -> SyncReport:
    import httpx

    try:
        centre_folder(body.centre)
    except ValueError as error:
        raise PanyaError(422, "bad_centre", str(error), "ชื่อศูนย์ไม่ถูกต้อง") from None
    headers = bearer(body.key.get_secret_value())

    def run() -> SyncReport:
        with httpx.Client(
            base_url=body.to.rstrip("/"), headers=headers, timeout=httpx.Timeout(600, connect=10)
        ) as client:
            return sync(archive, client, body.centre)

    try:
        return await run_in_threadpool(run)
    except SyncError as error:
        raise PanyaError(502, "sync_interrupted", str(error), "ส่งข้อมูลไม่สำเร็จ ลองใหม่อีกครั้งได้") from None
