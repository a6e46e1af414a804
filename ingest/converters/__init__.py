"""File formats → text and metadata. One module per format family; ``CONVERTERS`` maps suffixes to them."""

from __future__ import annotations

from ingest.converters import (
    catalogue_files,
    docx_files,
    html_files,
    markdown_files,
    pdf_files,
    subtitle_files,
    text_files,
)

CONVERTERS = {
    ".md": markdown_files.convert,
    ".markdown": markdown_files.convert,
    ".txt": text_files.convert,
    ".html": html_files.convert,
    ".htm": html_files.convert,
    ".docx": docx_files.convert,
    ".pdf": pdf_files.convert,
    ".vtt": subtitle_files.convert_vtt,
    ".srt": subtitle_files.convert_srt,
    ".csv": catalogue_files.convert_csv,
    ".jsonl": catalogue_files.convert_jsonl,
}
SUPPORTED_SUFFIXES = tuple(CONVERTERS)
