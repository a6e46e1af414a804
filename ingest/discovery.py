"""Which files an ingest covers, and the source_id each one gets.

source_id = path relative to the ingested root, POSIX style (``documents/pla-ra-ubon.md``).
Sidecars (``X.meta.json``), recordings (attachments of transcripts), hidden files and the patterns in the root's ``.panyaignore``
(one glob per line, e.g. ``README.md``) are not sources.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from ingest.metadata import SIDECAR_SUFFIX

IGNORE_FILE = ".panyaignore"
#: Recordings are attachments of transcripts (their sidecar's ``audio``), not sources.
MEDIA_SUFFIXES = (".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".webm", ".mp4")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    source_id: str

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


def discover(target: Path) -> list[SourceFile]:
    """The source files under ``target`` (a folder, walked recursively, or one file), sorted."""
    target = Path(target)
    if not target.exists():
        raise FileNotFoundError(f"{target}: no such file or folder")
    if target.is_file():
        return [SourceFile(target, target.name)]
    patterns = _ignore_patterns(target / IGNORE_FILE)
    files = []
    for path in sorted(target.rglob("*")):
        relative = path.relative_to(target).as_posix()
        if not path.is_file() or path.name.endswith(SIDECAR_SUFFIX) or path.name == IGNORE_FILE:
            continue
        if path.suffix.lower() in MEDIA_SUFFIXES:
            continue
        if any(part.startswith(".") for part in Path(relative).parts):
            continue
        if any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
            continue
        files.append(SourceFile(path, relative))
    return files


def _ignore_patterns(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]
