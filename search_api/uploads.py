"""Uploads: checked by size and by content (not by name), then ingested by the CLI's own code.

A file whose content does not match its name is refused with 415 and nothing is stored; one
that cannot be read is refused with 422 naming the problem; a good file is ingested exactly
as ``panya ingest`` would, its original kept under the data directory.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from ingest.converters import SUPPORTED_SUFFIXES
from ingest.converters.base import ConversionError, read_text
from ingest.discovery import SourceFile
from ingest.metadata import SIDECAR_SUFFIX
from panya.archive import Archive
from panya.ingestion import IngestReport, ingest_file
from search_api.errors import PanyaError

_SRT_TIMING = re.compile(r"\d\d:\d\d:\d\d,\d{3}\s*-->")
_SAFE_PART = re.compile(r"^[\w\u0e00-\u0e7f][\w\u0e00-\u0e7f .()-]*$")


def _text(data: bytes) -> str | None:
    if b"\x00" in data[:8192]:
        return None
    try:
        return read_text(data)
    except ConversionError:
        return None


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "word/document.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False


def _is_jsonl(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        return isinstance(json.loads(first), dict)
    except json.JSONDecodeError:
        return False


def _is_html(text: str) -> bool:
    return bool(re.search(r"<(!doctype html|html|body|p|h1|div)\b", text[:8192], re.I))


_TEXT_CHECKS = {
    ".md": lambda t: True,
    ".markdown": lambda t: True,
    ".txt": lambda t: True,
    ".html": _is_html,
    ".htm": _is_html,
    ".vtt": lambda t: t.lstrip().startswith("WEBVTT"),
    ".srt": lambda t: bool(_SRT_TIMING.search(t[:8192])),
    ".csv": lambda t: "," in t.split("\n", 1)[0],
    ".jsonl": _is_jsonl,
}
_KIND = {
    ".pdf": "a PDF",
    ".docx": "a Word document",
    ".vtt": "a WebVTT transcript",
    ".srt": "a SubRip transcript",
    ".jsonl": "JSON lines",
    ".csv": "a CSV table",
    ".html": "an HTML page",
    ".htm": "an HTML page",
}


def check_upload(name: str, data: bytes, max_bytes: int) -> None:
    """Raise 413/415 unless ``data`` is what ``name`` says, within the size limit."""
    if len(data) > max_bytes:
        raise PanyaError(
            413,
            "too_large",
            f"{name}: {len(data)} bytes is over the {max_bytes}-byte limit",
            f"{name}: ไฟล์ใหญ่เกินกำหนด",
        )
    suffix = PurePosixPath(name.lower()).suffix
    if name.lower().endswith(SIDECAR_SUFFIX):
        text = _text(data)
        try:
            if text is None or not isinstance(json.loads(text), dict):
                raise ValueError
        except ValueError:
            raise PanyaError(
                415,
                "bad_content",
                f"{name}: a sidecar must be a JSON object",
                f"{name}: ไฟล์ข้อมูลประกอบต้องเป็น JSON",
            ) from None
        return
    if suffix not in SUPPORTED_SUFFIXES:
        raise PanyaError(
            415,
            "unsupported_type",
            f"{name}: unsupported file type {suffix or '(none)'}; "
            f"Panya reads {', '.join(SUPPORTED_SUFFIXES)}",
            f"{name}: ไม่รองรับไฟล์ชนิดนี้",
        )
    if suffix == ".pdf":
        ok = data.startswith(b"%PDF-")
    elif suffix == ".docx":
        ok = _is_docx(data)
    else:
        text = _text(data)
        ok = text is not None and _TEXT_CHECKS[suffix](text)
    if not ok:
        kind = _KIND.get(suffix, "UTF-8 or TIS-620 text")
        raise PanyaError(
            415,
            "bad_content",
            f"{name}: the content is not {kind}, whatever its name says",
            f"{name}: เนื้อไฟล์ไม่ตรงกับชนิดไฟล์",
        )


def safe_relative(folder: str, name: str) -> str:
    """``folder/name`` as a source_id, refusing anything that could leave the archive."""
    parts = [part for part in PurePosixPath(folder.strip("/")).parts if part] + [PurePosixPath(name).name]
    if not all(_SAFE_PART.match(part) and part not in (".", "..") for part in parts):
        raise PanyaError(
            422, "bad_name", f"unsafe file or folder name: {folder!r}/{name!r}", "ชื่อไฟล์หรือโฟลเดอร์ไม่ถูกต้อง"
        )
    return "/".join(parts)


def ingest_uploads(
    archive: Archive, files: list[tuple[str, bytes]], folder: str = "", meta: dict | None = None
) -> IngestReport:
    """Check every file first (nothing is stored if one is refused), then ingest each."""
    max_bytes = archive.settings.max_upload_mb * 1024 * 1024
    for name, data in files:
        check_upload(name, data, max_bytes)
    report = IngestReport()
    with tempfile.TemporaryDirectory(prefix="panya-upload-") as scratch:
        sources = []
        for name, data in files:
            relative = safe_relative(folder, name)
            path = Path(scratch) / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            if not name.lower().endswith(SIDECAR_SUFFIX):
                sources.append(SourceFile(path, relative))
        for source in sources:
            sidecar = source.path.with_name(source.path.stem + SIDECAR_SUFFIX)
            if meta and not sidecar.exists():
                sidecar.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            ingest_file(archive, source, report)
    if report.added or report.updated or report.removed:
        archive.optimize()  # qdrant-edge indexes new segments only when asked
    return report
