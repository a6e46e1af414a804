"""Plain text (.txt): UTF-8 or TIS-620; the first line is the title."""

from __future__ import annotations

from ingest.budgets import FileBudget
from ingest.converters.base import Converted, read_text, sniff_text


def looks_like_text(data: bytes) -> bool:
    return sniff_text(data) is not None


def convert(data: bytes, budget: FileBudget | None = None) -> list[Converted]:
    content = read_text(data)
    first_line = next((line.strip() for line in content.splitlines() if line.strip()), "")
    return [Converted(content=content, found={"title": first_line[:120] or None})]
