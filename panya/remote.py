"""``panya ingest --api URL``: send files to a running ``panya serve`` (which owns the store)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import httpx

from ingest.discovery import discover
from ingest.metadata import sidecar_path
from ingest.source_converter import Failure
from panya.ingestion import IngestReport


def ingest_through_api(target: Path, api: str, key: str | None, timeout: float = 600.0) -> IngestReport:
    report = IngestReport()
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    with httpx.Client(base_url=api.rstrip("/"), headers=headers, timeout=timeout) as client:
        for source in discover(Path(target)):
            paths = [source.path] + [p for p in (sidecar_path(source.path),) if p.exists()]
            files = [("files", (path.name, path.read_bytes())) for path in paths]
            folder = str(PurePosixPath(source.source_id).parent).strip(".")
            response = client.post("/api/sources", data={"folder": folder}, files=files)
            body = response.json()
            if response.status_code == 201:
                for key_name in ("added", "updated", "unchanged", "removed"):
                    getattr(report, key_name).extend(body[key_name])
                report.failed += [Failure(f["source_id"], f["reason"]) for f in body["failed"]]
                report.chunks += body["chunks"]
            elif response.status_code == 401:
                raise PermissionError(f"{api} refused the key: {body['error']['message']} (use --key)")
            else:
                report.failed.append(
                    Failure(source.source_id, body.get("error", {}).get("message", response.text))
                )
    return report
