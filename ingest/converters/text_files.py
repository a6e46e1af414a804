from __future__ import annotations

from pathlib import Path

from ingest.converters.base import Converted, read_text


def convert(path: Path) -> list[Converted]:
    content = read_text(path.read_bytes())
    first_line = next((line.strip() for line in content.splitlines() if line.strip()), "")
    return [Converted(content=content, found={"title": first_line[:120] or None})]
