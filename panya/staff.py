"""Staff accounts for the web: a name and a password hashed with scrypt (``hashlib``, memory-hard),
kept in ``PANYA_DATA_DIR/staff.json``. ``panya staff add NAME`` creates one or sets a new password.

Staff may also sign in with a write key (``PANYA_WRITE_KEYS``); the audit log then names the key
by its position (``write-key-1``), never the key itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
from pathlib import Path

# RFC 7914's interactive-login cost: 16 MiB and ~50 ms per check on these cores
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 10
NAME = re.compile(r"^[a-z0-9ก-๙][a-z0-9ก-๙._-]{1,39}$")


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash``, salt and hash in base64.

    >>> stored = hash_password("ปลาร้าหอมมาก2567")
    >>> verify_password("ปลาร้าหอมมาก2567", stored), verify_password("ปลาร้า", stored)
    (True, False)
    """
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, base64.b64decode(digest))


# a fixed hash to check against when the name is unknown: a wrong name costs as long as a wrong password
_DUMMY = hash_password(secrets.token_hex(8))


class StaffAccounts:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / "staff.json"

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def add(self, name: str, password: str) -> None:
        """Create an account, or set a new password for an existing one."""
        if not NAME.match(name):
            raise ValueError("a staff name is 2-40 lower-case letters, Thai letters, digits, '.', '_' or '-'")
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")
        accounts = self._load() | {name: hash_password(password)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".tmp")
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(accounts, handle, ensure_ascii=False, indent=1)
        os.replace(scratch, self.path)

    def check(self, name: str, password: str) -> bool:
        stored = self._load().get(name)
        return verify_password(password, stored or _DUMMY) and stored is not None

    def names(self) -> list[str]:
        return sorted(self._load())
