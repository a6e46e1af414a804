"""Which files an ingest covers, and the source_id each one gets.

source_id = path relative to the ingested root, POSIX style (``documents/pla-ra-ubon.md``).

Skipped silently, as they are not sources:

- sidecars (``X.meta.json``), mappings (``X.mapping.yaml``, :mod:`ingest.mapping`) and recordings (attachments of transcripts, ``MEDIA_SUFFIXES``);
- hidden files and folders (a leading dot: ``.git``, ``.DS_Store``, ``.x.md.swp``), not even walked;
- editor backups: ``name~``, ``#name#``, ``*.swp``, ``*.swo``, ``*.bak``, ``*.orig``;
- the patterns in the root's ``.panyaignore`` (one glob per line, e.g. ``README.md``).

Refused, each reported as a :class:`Failure` naming the file and why, and never read:

- symbolic links, to files or folders (``ln -s /etc/passwd corpus/p.txt`` must never be
  ingested; a linked folder is not walked), FIFOs, sockets and devices;
- anything whose real path lies outside the root (a bind mount, a race);
- names that are not UTF-8 or hold control characters (a newline breaks reports and URLs).

A single-file target is refused the same way when it is a link or not a regular file; a
folder target may be a link (``panya ingest ~/corpus`` pointing at a mounted disk): the folder
it points to is the root.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.budgets import file_kind, read_regular_file
from ingest.failures import Failure, printable
from ingest.mapping import MAPPING_SUFFIX
from ingest.metadata import SIDECAR_SUFFIX

IGNORE_FILE = ".panyaignore"
#: Recordings are attachments of transcripts (their sidecar's ``audio``), not sources.
MEDIA_SUFFIXES = (".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".webm", ".mp4")
#: What editors leave beside a file while it is edited, or after.
BACKUP_SUFFIXES = ("~", ".swp", ".swo", ".bak", ".orig")
_NOT_FOLLOWED = "not followed: Panya reads only regular files inside the folder it ingests"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    source_id: str

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


def discover(target: Path, skipped: list[Failure] | None = None) -> list[SourceFile]:
    """The source files under ``target`` (a folder, walked recursively, or one file), by source_id.

    Files refused (links, FIFOs …) are appended to ``skipped`` as Failures, when it is given.
    """
    target = Path(target)
    refused = skipped if skipped is not None else []
    if target.is_symlink() and not target.is_dir():  # a linked folder given as the root is walked
        refused.append(Failure(printable(target.name), f"{_link_kind(target)}, {_NOT_FOLLOWED}"))
        return []
    if not target.exists():
        raise FileNotFoundError(f"{target}: no such file or folder")
    if not target.is_dir():
        problem = _name_problem(target.name) or _type_problem(target.stat().st_mode)
        if problem:
            refused.append(Failure(printable(target.name), problem))
            return []
        return [SourceFile(target, target.name)]
    root = target.resolve()
    patterns = _ignore_patterns(root / IGNORE_FILE)
    files = []
    for path, relative in _walk(root, refused):
        if not any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
            files.append(SourceFile(path, relative))
    return sorted(files, key=lambda source: source.source_id)


def is_skipped_name(name: str) -> bool:
    """Names that are never sources: hidden, editor backups, sidecars, recordings.

    >>> [is_skipped_name(n) for n in ("ปลาร้า.md", ".ปลาร้า.md.swp", "ปลาร้า.md~", "#ปลาร้า.md#", "ปลาร้า.meta.json")]
    [False, True, True, True, True]
    """
    lower = name.lower()
    return (
        name.startswith(".")
        or lower.endswith(BACKUP_SUFFIXES)
        or (len(name) > 1 and name.startswith("#") and name.endswith("#"))
        or lower.endswith((SIDECAR_SUFFIX, MAPPING_SUFFIX))
        or lower.endswith(MEDIA_SUFFIXES)
    )


def _walk(root: Path, refused: list[Failure]) -> Iterator[tuple[Path, str]]:
    """Regular files under ``root`` with their POSIX relative path; links are never followed."""
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError as error:
            relative = folder.relative_to(root).as_posix()
            refused.append(Failure(printable(relative) + "/", f"folder cannot be read: {error.strerror}"))
            continue
        for entry in entries:
            path = Path(entry.path)
            relative = path.relative_to(root).as_posix()
            if is_skipped_name(entry.name):
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as error:  # gone since the folder was listed
                refused.append(Failure(printable(relative), f"cannot be read: {error.strerror}"))
                continue
            problem = _name_problem(entry.name)
            if stat.S_ISLNK(mode):
                problem = f"{_link_kind(path)}, {_NOT_FOLLOWED}"
            elif not problem and stat.S_ISDIR(mode):
                folders.append(path)
                continue
            problem = problem or _type_problem(mode) or _outside_problem(path, root)
            if problem:
                refused.append(Failure(printable(relative), problem))
                continue
            yield path, relative


def _name_problem(name: str) -> str | None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "the name is not valid UTF-8: rename the file"
    if not name.isprintable():
        return "the name holds a control character (a newline, a tab …): rename the file"
    return None


def _type_problem(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return f"{file_kind(mode)}, not a regular file: not read"


def _outside_problem(path: Path, root: Path) -> str | None:
    if Path(os.path.realpath(path)).is_relative_to(root):
        return None
    return f"resolves outside the ingested folder, {_NOT_FOLLOWED}"


def _link_kind(path: Path) -> str:
    if path.is_dir():
        return "a symbolic link to a folder"
    if path.exists():
        return "a symbolic link to a file"
    return "a symbolic link to nothing"


def _ignore_patterns(path: Path) -> list[str]:
    try:
        text = read_regular_file(path, 64 * 1024).decode("utf-8", errors="replace")
    except (OSError, ValueError):  # missing, a link, too big: no patterns
        return []
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]
