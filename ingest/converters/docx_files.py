"""Word .docx through unstructured, after cheap checks that keep a hostile package cheap too.

Nothing is extracted before the ZIP directory is checked: the members' unzipped sizes must
fit the size budget and their compression ratio its budget (Python's ``zipfile`` never
inflates a member past the size its directory declares, so the directory can be trusted).
Then one streaming pass over the XML parts counts paragraphs, XML elements and characters,
in constant memory, before unstructured and python-docx build an object for each
(≈ 5 KB per paragraph, so a 4 MB file of a million short paragraphs would need gigabytes).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import IO

from ingest.budgets import BudgetExceeded, Budgets, FileBudget
from ingest.converters.base import ConversionError, Converted
from ingest.converters.unstructured_setup import SKIP_LANGUAGES, elements_text, offline_unstructured

WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT_PART = "word/document.xml"
#: A Word package holds tens of parts, a photo album a few thousand.
MAX_MEMBERS = 10_000
#: XML elements allowed per paragraph budgeted: a paragraph is ~5-30 (properties, runs, text).
ELEMENTS_PER_BLOCK = 40


def looks_like_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return DOCUMENT_PART in package.namelist()
    except zipfile.BadZipFile:
        return False


def convert(data: bytes, budget: FileBudget | None = None) -> list[Converted]:
    budget = budget or Budgets().start()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            _check_members(package, budget)
            _count_content(package, budget)
            found = _core_properties(package)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:  # damaged, encrypted …
        raise ConversionError(
            f"not a readable Word .docx file (a .docx is a ZIP package): {error}"
        ) from error
    budget.check_time("before reading the paragraphs")
    from unstructured.partition.docx import partition_docx

    offline_unstructured()
    try:
        elements = partition_docx(
            file=io.BytesIO(data),
            infer_table_structure=False,
            include_page_breaks=False,
            languages=SKIP_LANGUAGES,
        )
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ConversionError(f"damaged Word document: {error}") from error
    budget.check_time("reading the paragraphs")
    content, heading = elements_text(elements)
    return [Converted(content=content, found={"title": heading} | found)]


def _check_members(package: zipfile.ZipFile, budget: FileBudget) -> None:
    members = package.infolist()
    if len(members) > MAX_MEMBERS:
        raise BudgetExceeded(f"the package holds {len(members)} parts; Panya reads at most {MAX_MEMBERS}")
    if DOCUMENT_PART not in {member.filename for member in members}:
        raise ConversionError(f"a ZIP package without {DOCUMENT_PART}: not a Word .docx document")
    unpacked = sum(member.file_size for member in members)
    budget.check_bytes(unpacked, "unzipped, its parts take")
    budget.check_ratio(unpacked, sum(member.compress_size for member in members))


def _count_content(package: zipfile.ZipFile, budget: FileBudget) -> None:
    """Paragraphs, XML elements and text characters of every XML part, streamed and dropped."""
    paragraphs = elements = chars = 0
    max_elements = budget.limits.max_blocks_per_file * ELEMENTS_PER_BLOCK
    for member in package.infolist():
        if not member.filename.endswith((".xml", ".rels")):
            continue
        with package.open(member) as stream:
            for element in _streamed_elements(stream):
                elements += 1
                if element.tag == f"{WORD}p":
                    paragraphs += 1
                    budget.check_blocks(paragraphs, "paragraphs")
                elif element.tag == f"{WORD}t" and element.text:
                    chars += len(element.text)
                    budget.check_chars(chars)
                if elements > max_elements:
                    raise BudgetExceeded(
                        f"over {max_elements:,} XML elements ({ELEMENTS_PER_BLOCK} per block of the "
                        f"{budget.limits.max_blocks_per_file:,} in PANYA_MAX_BLOCKS_PER_FILE)"
                    )
        budget.check_time(f"counting the paragraphs of {member.filename}")


def _streamed_elements(stream: IO[bytes]):
    """Each element once complete; already seen ones are dropped, so memory stays flat."""
    from lxml import etree

    try:
        for _, element in etree.iterparse(stream, events=("end",), resolve_entities=False, no_network=True):
            yield element
            element.clear()
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        raise ConversionError(f"damaged Word document: {error}") from error


def _core_properties(package: zipfile.ZipFile) -> dict:
    """Title, author and creation date from ``docProps/core.xml`` (small: the package is checked)."""
    from lxml import etree

    try:
        core = etree.fromstring(package.read("docProps/core.xml"), etree.XMLParser(resolve_entities=False))
    except (KeyError, etree.XMLSyntaxError):
        return {}
    text = {etree.QName(element).localname: (element.text or "").strip() for element in core}
    found = {"author": text.get("creator") or None}
    if text.get("title"):
        found["title"] = text["title"]
    if re.match(r"\d{4}-\d{2}-\d{2}", text.get("created", "")):
        found["date"] = text["created"][:10]
    return found
