"""File formats → text and metadata. One module per format family; ``FORMATS`` maps suffixes to them.

Each module offers ``convert(data, budget=None)`` and a content check; :func:`check_content`
is the one gate for "is this file what its name says", used before converting (and by uploads).

>>> check_content("ปลาร้า.md", "# ปลาร้าอุบล".encode())
>>> check_content("ปลาร้า.pdf", b"<html><p>not a pdf</p></html>")
Traceback (most recent call last):
...
ingest.errors.ContentMismatch: ปลาร้า.pdf: the content is not a PDF, whatever its name says
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from ingest.budgets import FileBudget
from ingest.converters import (
    archive_files,
    catalogue_files,
    docx_files,
    html_files,
    markdown_files,
    pdf_files,
    subtitle_files,
    text_files,
)
from ingest.converters.base import Converted, sniff_text
from ingest.errors import ContentMismatch, UnsupportedFormat
from ingest.metadata import SIDECAR_SUFFIX

__all__ = [
    "CONVERTERS",
    "FORMATS",
    "SUPPORTED_SUFFIXES",
    "ContentMismatch",
    "UnsupportedFormat",
    "check_content",
]


@dataclass(frozen=True)
class Format:
    convert: Callable[[bytes, FileBudget | None], list[Converted]]
    looks_right: Callable[[bytes], bool]
    kind: str  # what the content must be, for messages


_TEXT = "UTF-8 or TIS-620 text"
FORMATS = {
    ".md": Format(markdown_files.convert, markdown_files.looks_like_markdown, _TEXT),
    ".markdown": Format(markdown_files.convert, markdown_files.looks_like_markdown, _TEXT),
    ".txt": Format(text_files.convert, text_files.looks_like_text, _TEXT),
    ".html": Format(html_files.convert, html_files.looks_like_html, "an HTML page"),
    ".htm": Format(html_files.convert, html_files.looks_like_html, "an HTML page"),
    ".docx": Format(docx_files.convert, docx_files.looks_like_docx, "a Word document"),
    ".pdf": Format(pdf_files.convert, pdf_files.looks_like_pdf, "a PDF"),
    ".vtt": Format(subtitle_files.convert_vtt, subtitle_files.looks_like_vtt, "a WebVTT transcript"),
    ".srt": Format(subtitle_files.convert_srt, subtitle_files.looks_like_srt, "a SubRip transcript"),
    # a Panya archive export (panya export) or else a product catalogue
    ".csv": Format(archive_files.convert_csv, catalogue_files.looks_like_csv, "a CSV table"),
    ".jsonl": Format(archive_files.convert_jsonl, catalogue_files.looks_like_jsonl, "JSON lines"),
}
CONVERTERS = {suffix: form.convert for suffix, form in FORMATS.items()}
SUPPORTED_SUFFIXES = tuple(FORMATS)


def check_content(name: str, data: bytes) -> None:
    """Raise unless ``data`` is what ``name`` says: a supported format, or a sidecar (a JSON object).

    ``UnsupportedFormat`` for a suffix Panya does not read, ``ContentMismatch`` for content that
    does not match its suffix; both name the file. Size is not checked here (see ingest.budgets).
    """
    lower = name.lower()
    if lower.endswith(SIDECAR_SUFFIX):
        if not _is_json_object(data):
            raise ContentMismatch(name, "a sidecar must be a JSON object")
        return
    suffix = PurePosixPath(lower).suffix
    if suffix not in FORMATS:
        raise UnsupportedFormat(
            name, f"unsupported file type {suffix or '(none)'}; Panya reads {', '.join(SUPPORTED_SUFFIXES)}"
        )
    form = FORMATS[suffix]
    if not form.looks_right(data):
        raise ContentMismatch(name, f"the content is not {form.kind}, whatever its name says")


def _is_json_object(data: bytes) -> bool:
    text = sniff_text(data)
    try:
        return text is not None and isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False
