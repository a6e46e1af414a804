"""Centre → province sync: a centre sends its kept originals to a province's Panya, only what is new
or changed, and its deletions; the province keeps which centre each source came from.

The unit is an original file (a catalogue with all its rows, a document with its sidecar). Each is
known on both sides by a digest of what the centre sends (the file's bytes and its sidecar's), and
goes to the province as an ordinary upload under the centre's folder (``<centre>/documents/x.md``)
with a sidecar that adds ``centre`` and the digest. Source ids are paths, so sending a file twice
replaces it, never duplicates it: a sync cut off half-way is resumed by running it again.

>>> centre_folder("wat-nong-bua_01")
'wat-nong-bua_01'
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from ingest.metadata import read_sidecar, sidecar_path
from query.filters import all_of, equals

if TYPE_CHECKING:
    import httpx

    from panya.archive import Archive

DIGEST_KEY = "sync_digest"
CENTRE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
RETRIES = 3


_KEY = re.compile(r"[!-~]{1,512}")  # what an HTTP header carries as is: visible ASCII


def bearer(key: str) -> dict[str, str]:
    """The ``Authorization`` header for an API key; a key no header can carry (a Thai letter, a
    space, a control character, pasted by mistake) is a ``ValueError`` that says so.

    >>> bearer("province-key-01")
    {'Authorization': 'Bearer province-key-01'}
    >>> bearer("กุญแจ")
    Traceback (most recent call last):
    ValueError: an API key is 1 to 512 visible ASCII characters (letters, digits, punctuation), no spaces
    """
    if not _KEY.fullmatch(key):
        raise ValueError(
            "an API key is 1 to 512 visible ASCII characters (letters, digits, punctuation), no spaces"
        )
    return {"Authorization": f"Bearer {key}"}


class SyncError(RuntimeError):
    """The province could not be reached or refused the sync; what was sent so far stays sent."""


def centre_folder(name: str) -> str:
    """The centre's name, checked: it becomes the folder of its sources on the province."""
    if not CENTRE_NAME.fullmatch(name or ""):
        raise ValueError(
            f"centre name {name!r}: use 1–64 Latin letters, digits, '.', '_' or '-' (e.g. nong-bua-lamphu-03)"
        )
    return name


# -- the province's side ------------------------------------------------------------------------------


class RemoteFile(BaseModel):
    digest: str = Field(description="digest of the file and sidecar the centre last sent")
    sources: list[str] = Field(description="the province's source ids from this file")


class SyncManifest(BaseModel):
    """What a province holds from one centre, file by file (paths as the centre knows them)."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "centre": "ubon-warinchamrap-01",
                    "restricted_allowed": True,
                    "files": {
                        "documents/pla-ra-ubon.md": {
                            "digest": "9f2c…",
                            "sources": ["ubon-warinchamrap-01/documents/pla-ra-ubon.md"],
                        }
                    },
                }
            ]
        }
    }

    centre: str
    restricted_allowed: bool = Field(description="whether the key that asked may send restricted sources")
    files: dict[str, RemoteFile]


def manifest(archive: Archive, centre: str, restricted_allowed: bool) -> SyncManifest:
    """The province's record of one centre: every file it sent, with its digest and source ids."""
    prefix = centre_folder(centre) + "/"
    firsts = archive.store.filter_documents(all_of(equals("centre", centre), equals("chunk_index", 0)))
    files: dict[str, RemoteFile] = {}
    for chunk in firsts:
        meta = chunk.meta
        path = str(meta.get("file", ""))
        if not path.startswith(prefix):
            continue  # a source that names the centre but was not sent by it
        entry = files.setdefault(
            path.removeprefix(prefix),
            RemoteFile(digest=str((meta.get("extra") or {}).get(DIGEST_KEY, "")), sources=[]),
        )
        entry.sources.append(meta["source_id"])
    return SyncManifest(centre=centre, restricted_allowed=restricted_allowed, files=files)


# -- the centre's side ----------------------------------------------------------------------------------


@dataclass
class LocalFile:
    path: str  # relative to the originals folder, as the centre's source ids have it
    original: Path
    sidecar: dict[str, Any]
    digest: str
    restricted: bool


class SyncReport(BaseModel):
    centre: str
    sent: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    deleted: list[str] = Field(default_factory=list)
    withheld: list[str] = Field(
        default_factory=list, description="restricted files the province's key may not hold"
    )
    failed: list[str] = Field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"sync {self.centre}: {len(self.sent)} sent, {len(self.unchanged)} unchanged, "
            f"{len(self.deleted)} deleted, {len(self.withheld)} withheld (restricted), "
            f"{len(self.failed)} failed in {self.seconds:.1f} s"
        )


def local_files(archive: Archive) -> dict[str, LocalFile]:
    """Every original the centre's archive was built from, with its sidecar and digest."""
    firsts = archive.store.filter_documents(equals("chunk_index", 0))
    by_file: dict[str, list[dict]] = {}
    for chunk in firsts:
        if chunk.meta.get("file"):
            by_file.setdefault(str(chunk.meta["file"]), []).append(chunk.meta)
    files = {}
    root = archive.settings.originals_dir
    for path, metas in sorted(by_file.items()):
        original = root / path
        if not original.is_file():
            continue  # the original is gone (a trashed source): nothing to send
        sidecar = read_sidecar(original) if sidecar_path(original).is_file() else {}
        digest = hashlib.sha256(original.read_bytes() + b"\0" + _canonical(sidecar)).hexdigest()
        restricted = any(meta.get("access") == "restricted" for meta in metas)
        files[path] = LocalFile(path, original, sidecar, digest, restricted)
    return files


def sync(archive: Archive, client: httpx.Client, centre: str) -> SyncReport:
    """Send the province (``client``: its base URL and write key) what it lacks of this centre."""
    started = time.perf_counter()
    centre = centre_folder(centre)
    report = SyncReport(centre=centre)
    remote = SyncManifest.model_validate(
        _call(client, "GET", "/api/sync/manifest", params={"centre": centre})
    )
    local = local_files(archive)
    for path, file in local.items():
        held = remote.files.get(path)
        if file.restricted and not remote.restricted_allowed:
            report.withheld.append(path)
        elif held is not None and held.digest == file.digest:
            report.unchanged.append(path)
        else:
            _send(client, centre, file)
            report.sent.append(path)
    for path, held in remote.files.items():
        if path in local and not (local[path].restricted and not remote.restricted_allowed):
            continue
        for source_id in held.sources:
            _call(client, "DELETE", f"/api/sources/{_quoted(source_id)}", missing_ok=True)
        report.deleted.append(path)
    report.seconds = round(time.perf_counter() - started, 1)
    return report


def _send(client: httpx.Client, centre: str, file: LocalFile) -> None:
    path = PurePosixPath(file.path)
    sidecar = {**file.sidecar, "centre": centre, DIGEST_KEY: file.digest}
    files = [
        ("files", (path.name, file.original.read_bytes())),
        ("files", (path.stem + ".meta.json", json.dumps(sidecar, ensure_ascii=False).encode())),
    ]
    folder = str(PurePosixPath(centre) / path.parent)
    report = _call(client, "POST", "/api/sources", files=files, data={"folder": folder})
    if report.get("failed"):
        raise SyncError(f"the province could not ingest {file.path}: {report['failed']}")


def _call(client: httpx.Client, method: str, url: str, missing_ok: bool = False, **kwargs) -> dict:
    import httpx

    for attempt in range(RETRIES):
        try:
            response = client.request(method, url, **kwargs)
        except httpx.TransportError as error:
            if attempt == RETRIES - 1:
                raise SyncError(
                    f"lost the connection to {client.base_url} ({error!r}); what was sent is kept: "
                    "run `panya sync` again to resume"
                ) from error
            time.sleep(0.5 * 2**attempt)
            continue
        if missing_ok and response.status_code == 404:
            return {}
        if response.status_code >= 500 and attempt < RETRIES - 1:
            time.sleep(0.5 * 2**attempt)
            continue
        if response.is_error:
            raise SyncError(
                f"{method} {url}: the province answered {response.status_code}: {response.text[:300]}"
            )
        return response.json()
    raise SyncError(f"{method} {url}: no answer after {RETRIES} tries")


def _quoted(source_id: str) -> str:
    from urllib.parse import quote

    return quote(source_id, safe="/")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str).encode()
