"""What an upload must pass before anything is stored: its size, its name, and its content
(checked against its format by ``ingest.converters.check_content``, the same check the
converters rely on). Everything else is ``panya ingest``'s own path."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ingest.converters import check_content
from ingest.errors import ContentMismatch, UnsupportedFormat
from search_api.errors import PanyaError

_SAFE_PART = re.compile(r"^[\w\u0e00-\u0e7f][\w\u0e00-\u0e7f .()-]*$")


def check_upload(name: str, data: bytes, max_bytes: int) -> None:
    """Raise 413/415 unless ``data`` is what ``name`` says, within the size limit."""
    if len(data) > max_bytes:
        raise PanyaError(
            413,
            "too_large",
            f"{name}: {len(data)} bytes is over the {max_bytes}-byte limit",
            f"{name}: ไฟล์ใหญ่เกินกำหนด",
        )
    try:
        check_content(name, data)
    except UnsupportedFormat as error:
        raise PanyaError(415, "unsupported_type", str(error), f"{name}: ไม่รองรับไฟล์ชนิดนี้") from None
    except ContentMismatch as error:
        raise PanyaError(415, "bad_content", str(error), f"{name}: เนื้อไฟล์ไม่ตรงกับชนิดไฟล์") from None


def safe_relative(folder: str, name: str) -> str:
    """``folder/name`` as a source_id, refusing anything that could leave the archive."""
    parts = [part for part in PurePosixPath(folder.strip("/")).parts if part] + [PurePosixPath(name).name]
    if not all(_SAFE_PART.match(part) and part not in (".", "..") for part in parts):
        raise PanyaError(
            422, "bad_name", f"unsafe file or folder name: {folder!r}/{name!r}", "ชื่อไฟล์หรือโฟลเดอร์ไม่ถูกต้อง"
        )
    return "/".join(parts)
