from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.converters.base import ConversionError, Converted
from ingest.converters.unstructured_setup import elements_text, offline_unstructured


def convert(path: Path) -> list[Converted]:
    from unstructured.partition.docx import partition_docx

    if not zipfile.is_zipfile(path):
        raise ConversionError("not a Word .docx file (a .docx is a ZIP package; this one is not)")
    offline_unstructured()
    try:
        elements = partition_docx(filename=str(path))
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ConversionError(f"damaged Word document: {error}") from error
    content, heading = elements_text(elements)
    return [Converted(content=content, found={"title": heading, **_core_properties(path)})]


def _core_properties(path: Path) -> dict:
    import docx

    properties = docx.Document(str(path)).core_properties
    found = {"author": properties.author or None}
    if properties.title:
        found["title"] = properties.title
    if properties.created:
        found["date"] = properties.created.date().isoformat()
    return found
