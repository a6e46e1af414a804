"""PDF text with pypdfium2: pdfminer and pypdf break Thai (split tone marks, ำ → ํ + า).

pdfium inflates a stream whole and keeps a page's objects and characters in memory (~10 bytes
per byte of content, ~160 per character), so before it sees the file every Flate stream is
inflated once here, output discarded: their sum must fit the size budget and none may shrink
more than the compression-ratio budget (a 1 MB file inflating to 1 GB is refused in a second).
Each page's objects are counted before its text is built, and the text is counted page by page.

Known limit: a page whose few text objects hold millions of characters, within those 25 MB,
still costs pdfium ~160 bytes per character before the character budget sees it; pdfium does
not tell how much content a page has before it parses it.
"""

from __future__ import annotations

import re
import zlib

from ingest.budgets import MIB, Budgets, FileBudget
from ingest.converters.base import ConversionError, Converted

_STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)")
_PIECE = 64 * 1024


def looks_like_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def convert(data: bytes, budget: FileBudget | None = None) -> list[Converted]:
    import pypdfium2
    import pypdfium2.raw as pdfium

    budget = budget or Budgets().start()
    check_streams(data, budget)
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise ConversionError(f"not a readable PDF: {error}") from error
    try:
        budget.check_blocks(len(document), "pages")
        pages, chars = [], 0
        for number in range(len(document)):
            budget.check_time(f"reading page {number + 1}")
            page = document[number]
            try:
                budget.check_blocks(pdfium.FPDFPage_CountObjects(page.raw), f"objects on page {number + 1}")
                text_page = page.get_textpage()
                pages.append(text_page.get_text_range().strip())
                text_page.close()
            finally:
                page.close()
            chars += len(pages[-1])
            budget.check_chars(chars)  # stop at the page that goes over, not after the last
        metadata = document.get_metadata_dict(skip_empty=True)
    finally:
        document.close()
    content = "\n\n".join(pages)
    if not content.strip():
        raise ConversionError("the PDF has no text layer (a scan?): OCR it first")
    found = {"title": metadata.get("Title"), "author": metadata.get("Author")}
    return [Converted(content=content, found=found)]


def check_streams(data: bytes, budget: FileBudget) -> None:
    """Inflate every Flate (zlib) stream once, keeping only counts, within the size and ratio budgets."""
    view, total = memoryview(data), 0
    for match in _STREAM_START.finditer(data):
        start = match.end()
        if not _is_zlib_header(data[start : start + 2]):
            continue
        inflated, consumed = _inflated_size(view, start, budget.limits.max_bytes - total)
        total += inflated
        budget.check_bytes(total, "inflated, its streams take")
        budget.check_ratio(inflated, consumed)
    budget.check_time("checking the streams")


def _is_zlib_header(header: bytes) -> bool:
    return len(header) == 2 and header[0] & 0x0F == 8 and (header[0] << 8 | header[1]) % 31 == 0


def _inflated_size(data: memoryview, start: int, limit: int) -> tuple[int, int]:
    """Bytes the zlib stream at ``start`` inflates to (stopping once past ``limit``), and the
    compressed bytes it took."""
    inflater = zlib.decompressobj()
    inflated, position = 0, start
    try:
        while not inflater.eof and inflated <= limit:
            piece = inflater.unconsumed_tail or data[position : position + _PIECE]
            if not inflater.unconsumed_tail:
                position += len(piece)
            if not piece:
                break
            inflated += len(inflater.decompress(piece, MIB))
    except zlib.error:  # not a stream after all, or a damaged one: pdfium will say
        pass
    consumed = position - start - len(inflater.unused_data) - len(inflater.unconsumed_tail)
    return inflated, max(consumed, 1)
