"""PDF text with pypdfium2: pdfminer and pypdf break Thai (split tone marks, ำ → ํ + า)."""

from __future__ import annotations

from pathlib import Path

from ingest.converters.base import ConversionError, Converted


def convert(path: Path) -> list[Converted]:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as error:
        raise ConversionError(f"not a readable PDF: {error}") from error
    try:
        pages = [page.get_textpage().get_text_range() for page in document]
        metadata = document.get_metadata_dict(skip_empty=True)
    finally:
        document.close()
    content = "\n\n".join(page.strip() for page in pages)
    if not content.strip():
        raise ConversionError("the PDF has no text layer (a scan?): OCR it first")
    found = {"title": metadata.get("Title"), "author": metadata.get("Author")}
    return [Converted(content=content, found=found)]
