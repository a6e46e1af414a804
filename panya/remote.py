"""``panya ingest --api URL``: send files to a running ``panya serve`` (which owns the store)."""

from __future__ import annotations

import time
from pathlib import Path, PurePosixPath

import httpx

from ingest.discovery import discover
from ingest.metadata import sidecar_path
from ingest.source_converter import Failure
from panya.ingestion import IngestReport
from query.models import ErrorResponse


def ingest_through_api(target: Path, api: str, key: str | None, timeout: float = 600.0) -> IngestReport:
    started, report = time.perf_counter(), IngestReport()
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    with httpx.Client(base_url=api.rstrip("/"), headers=headers, timeout=timeout) as client:
        for source in discover(Path(target), report.failed):  # links and devices reported, never sent
            paths = [source.path] + [p for p in (sidecar_path(source.path),) if p.exists()]
            files = [("files", (path.name, path.read_bytes())) for path in paths]
            folder = str(PurePosixPath(source.source_id).parent).strip(".")
            response = client.post("/api/sources", data={"folder": folder}, files=files)
            if response.status_code == 201:
                report.merge(IngestReport.model_validate_json(response.content))
                continue
            error = _error(response)
            if response.status_code in (401, 403):
                raise PermissionError(f"{api} refused the key: {error} (use --key)")
            report.failed.append(Failure(source.source_id, error))
    report.seconds = time.perf_counter() - started
    return report


def _error(response: httpx.Response) -> str:
    try:
        return ErrorResponse.model_validate_json(response.content).error.message
    except ValueError:
        return f"HTTP {response.status_code}: {response.text[:200]}"
