"""What an upload must pass before anything is stored: its size, its name, and its content
(checked against its format by ``ingest.converters.check_content``, the same check the
converters rely on). Everything else is ``panya ingest``'s own path."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePosixPath
from typing import Any, TypeVar

from ingest.converters import check_content
from ingest.errors import ContentMismatch, UnsupportedFormat
from search_api.errors import PanyaError

T = TypeVar("T")

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


#: How much lower than searches an upload's ingestion runs where Linux's idle class is not to be had
#: (added to ``nice``: 0 is normal, 19 the lowest).
UPLOAD_NICENESS = 10


def _lower_priority() -> None:
    """Run the calling thread, and every thread it starts (its conversion worker, the model's
    OpenMP team), in Linux's idle scheduling class (``SCHED_IDLE``): it gets a core only when no
    search wants one. Ingesting embeds whole documents and would otherwise take both cores from the
    people searching. Measured under 50 clients on 2 cores, two CPU-bound processes at ``nice`` +10
    still raised the searches' p95 from 0.72 to 1.07 s (at +10 a thread keeps ~10 % of a busy core,
    and the thread holding the GIL is the one it preempts); in the idle class they left it at 0.76 s.
    Elsewhere (or if refused): ``UPLOAD_NICENESS``. Both are per thread on Linux and inherited."""
    thread = threading.get_native_id()
    try:
        os.sched_setscheduler(thread, os.SCHED_IDLE, os.sched_param(0))
        return
    except (AttributeError, OSError):  # not Linux, or not allowed
        pass
    try:
        os.setpriority(
            os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + UPLOAD_NICENESS)
        )
    except (AttributeError, OSError):  # not allowed: uploads run at normal priority
        pass


#: The one thread uploads are ingested on: one writer at a time, below the searches' priority. Its
#: own thread, because a thread's priority can be lowered but not raised back without privileges.
_uploads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="panya-upload", initializer=_lower_priority)


async def in_background(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` on the upload thread, awaited without blocking the event loop. It runs in
    a copy of the caller's context, so the request's audit actor travels with it."""
    call = functools.partial(contextvars.copy_context().run, function, *args)
    return await asyncio.get_running_loop().run_in_executor(_uploads, call)
