"""Staff sign-in for the web pages: a signed session cookie and CSRF tokens, with the standard library.

- ``panya_staff``: ``base64(json {"who", "exp"}) . HMAC-SHA256`` — HttpOnly, SameSite=Strict, Secure
  behind HTTPS, 12 hours. Tampering with it, or a key change, signs the holder out.
- ``panya_csrf``: a random nonce (HttpOnly, SameSite=Strict); every form carries
  ``HMAC(secret, nonce)`` in a hidden field, and a POST whose field does not match the cookie is
  refused (signed double-submit: a page on another site can neither read the cookie nor forge the
  field). The sign-in form has it too, so nobody can be signed in to an attacker's account.

The signing key is ``PANYA_SESSION_SECRET``; unset, a random key is made once and kept in
``PANYA_DATA_DIR/session.key`` (mode 0600): there is no built-in default that would work elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from functools import lru_cache
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response

from panya.settings import Settings

STAFF_COOKIE = "panya_staff"
CSRF_COOKIE = "panya_csrf"
CSRF_FIELD = "csrf"
SESSION_SECONDS = 12 * 3600


def signing_key(settings: Settings) -> bytes:
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value().encode()
    return _kept_key(str(settings.data_dir.resolve()))


@lru_cache(maxsize=8)
def _kept_key(data_dir: str) -> bytes:
    path = Path(data_dir) / "session.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(secrets.token_hex(32).encode())
    return path.read_bytes().strip()


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def session_value(settings: Settings, who: str, now: float | None = None) -> str:
    body = json.dumps({"who": who, "exp": int((now or time.time()) + SESSION_SECONDS)}, ensure_ascii=False)
    encoded = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")  # no quoting in the cookie
    return f"{encoded}.{_mac(signing_key(settings), 'session:' + encoded)}"


def staff_of(request: Request, settings: Settings) -> str | None:
    """The signed-in staff member (``staff:somsri``, ``write-key-1``), or None."""
    value = request.cookies.get(STAFF_COOKIE, "")
    encoded, _, mac = value.partition(".")
    if not encoded or not hmac.compare_digest(mac, _mac(signing_key(settings), "session:" + encoded)):
        return None
    try:
        body = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except ValueError:
        return None
    if not isinstance(body, dict) or body.get("exp", 0) < time.time():
        return None
    who = body.get("who")
    return who if isinstance(who, str) and who else None


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def sign_in(response: Response, request: Request, settings: Settings, who: str) -> None:
    response.set_cookie(
        STAFF_COOKIE,
        session_value(settings, who),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/",
    )


def sign_out(response: Response, request: Request) -> None:
    response.delete_cookie(STAFF_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))


def csrf_nonce(request: Request) -> tuple[str, bool]:
    """The browser's CSRF nonce, and whether it is new (then :func:`keep_nonce` must set it)."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if len(nonce) == 43:  # token_urlsafe(32)
        return nonce, False
    return secrets.token_urlsafe(32), True


def csrf_token(settings: Settings, nonce: str) -> str:
    return _mac(signing_key(settings), "csrf:" + nonce)


def keep_nonce(response: Response, request: Request, nonce: str) -> None:
    response.set_cookie(
        CSRF_COOKIE, nonce, httponly=True, samesite="strict", secure=_secure(request), path="/"
    )


def csrf_ok(request: Request, settings: Settings, sent: object) -> bool:
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if not nonce or not isinstance(sent, str):
        return False
    return hmac.compare_digest(sent, csrf_token(settings, nonce))
