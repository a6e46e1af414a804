"""What a route needs, as ``Annotated`` aliases: its signature says it."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from panya.archive import Archive
from panya.audit import set_actor
from panya.settings import Settings
from search_api.errors import PanyaError


async def get_archive(request: Request) -> Archive:  # async: no worker thread just to read app state
    return request.app.state.archive


async def app_settings(request: Request) -> Settings:
    """The settings the app was built with (kept in app state: ``dependency_overrides`` would make
    FastAPI rebuild every route's dependency tree on every request)."""
    return request.app.state.settings


@dataclass(frozen=True)
class Caller:
    """Who is asking: anyone (public sources only), a reader of restricted sources, or an editor."""

    sees_restricted: bool = False
    can_write: bool = False
    name: str = ""  # for the audit log: ``write-key-2``, never the key


PUBLIC = Caller()


def _matches(key: str, allowed) -> bool:
    # compare against every key, always, in constant time: no early exit to time
    found = False
    for candidate in allowed:
        found |= hmac.compare_digest(key.encode(), candidate.get_secret_value().encode())
    return found


def write_key_name(key: str, settings: Settings) -> str | None:
    """``write-key-N`` for the N-th of ``PANYA_WRITE_KEYS`` (every key compared, in constant time)."""
    position = 0
    for index, candidate in enumerate(settings.write_keys, start=1):
        if hmac.compare_digest(key.encode(), candidate.get_secret_value().encode()):
            position = index
    return f"write-key-{position}" if position else None


def _refused(message: str, message_th: str) -> PanyaError:
    return PanyaError(401, "bad_credentials", message, message_th, headers={"WWW-Authenticate": "Bearer"})


async def get_caller(
    settings: Annotated[Settings, Depends(app_settings)],
    authorization: Annotated[str | None, Header(description="Bearer <key>: a read or write key")] = None,
) -> Caller:
    if not authorization:
        return PUBLIC
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise _refused("use 'Authorization: Bearer <key>'", "รูปแบบกุญแจ API ไม่ถูกต้อง")
    key = key.strip()
    writer = write_key_name(key, settings)
    if writer:
        return Caller(sees_restricted=True, can_write=True, name=writer)
    if _matches(key, settings.read_keys):
        return Caller(sees_restricted=True)
    raise _refused("unknown API key", "กุญแจ API ไม่ถูกต้อง")


async def require_writer(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
    # async: runs in the request's own task, so the audit log's actor reaches the route's worker thread
    if caller == PUBLIC:
        raise PanyaError(
            401,
            "write_key_required",
            "uploading and deleting need a write key (Authorization: Bearer)",
            "ต้องใช้กุญแจ API สำหรับเขียนข้อมูล",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not caller.can_write:  # known, but only allowed to read
        raise PanyaError(403, "read_only_key", "this key may read but not write", "กุญแจนี้อ่านได้อย่างเดียว")
    set_actor(caller.name)
    return caller


ArchiveDep = Annotated[Archive, Depends(get_archive)]
CallerDep = Annotated[Caller, Depends(get_caller)]
WriterDep = Annotated[Caller, Depends(require_writer)]
