"""HTML pages: text through unstructured; ``<title>`` and ``<meta>`` as metadata.

``<meta name="access">`` counts like a sidecar's ``access`` (names compared without regard to
case or spaces, misspellings included: see :mod:`ingest.access`). A DOCTYPE is removed first:
its internal subset (``<!DOCTYPE html [ <!ENTITY …> ]>``) would otherwise leave ``]>`` in the text.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterator
from typing import Any

from ingest.access import is_access_key
from ingest.budgets import Budgets, FileBudget
from ingest.converters.base import SNIFF_BYTES, Converted, read_text, sniff_text
from ingest.converters.unstructured_setup import SKIP_LANGUAGES, elements_text, offline_unstructured

# <meta name="..."> → Panya metadata key
META_NAMES = {
    "description": None, "keywords": "tags", "author": "author", "date": "date", "province": "province",
    "district": "district", "category": "category", "region": "region", "license": "license",
    "dc.title": "title", "dc.date": "date", "dc.creator": "author",
}  # fmt: skip
_DOCTYPE = re.compile(
    r"\A\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<!doctype\b[^\[>]*(?:\[.*?\]\s*)?>",
    re.IGNORECASE | re.DOTALL,
)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
#: Tags unstructured makes an element of (an upper bound: a <div> may only wrap a <p>).
_BLOCK_TAGS = re.compile(
    r"<(?:p|div|li|h[1-6]|tr|td|th|dt|dd|pre|blockquote|br|section|article|header|footer|aside|nav|"
    r"figure|figcaption|address|table|ul|ol|dl|form|fieldset|details|summary|main)\b",
    re.IGNORECASE,
)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_TAG_END = (" ", "\t", "\n", "\r", "\f", "/", ">")


def looks_like_html(data: bytes) -> bool:
    text = sniff_text(data)
    return text is not None and bool(
        re.search(r"<(!doctype html|html|body|p|h1|div)\b", text[:SNIFF_BYTES], re.I)
    )


def head_metadata(page: str) -> dict[str, Any]:
    """``<title>``, ``<html lang>`` and the ``<meta>`` Panya knows, found by plain search.

    Python's HTMLParser takes minutes on 100 KB of ``<a <a <a``; these searches stay linear.

    >>> head_metadata('<html lang="th"><title>ผ้าไหม &amp; ฝ้าย</title><meta name="Access" content="restricted">')
    {'language': 'th', 'access': ['restricted'], 'title': 'ผ้าไหม & ฝ้าย'}
    """
    lower = page.translate(_ASCII_LOWER)  # same length as page: indices carry over
    found: dict[str, Any] = {}
    for tag in _start_tags(page, lower, "html"):
        if _attributes(tag).get("lang"):
            found["language"] = _attributes(tag)["lang"]
        break
    for tag in _start_tags(page, lower, "meta"):
        attributes = _attributes(tag)
        name = (attributes.get("name") or attributes.get("property") or "").strip().lower()
        content = attributes.get("content")
        if not content:
            continue
        key = META_NAMES.get(name)
        if is_access_key(name):  # every one counts: two tags must not leave only the last
            found.setdefault(name, []).append(content)
        elif key:
            found[key] = content
    title_tag = next(_start_tags(page, lower, "title"), None)
    if title_tag:
        start = lower.find("<title") + len(title_tag)
        end = lower.find("</title", start)
        found["title"] = html.unescape(page[start : end if end >= 0 else start]).strip()
    return found


def _start_tags(page: str, lower: str, name: str) -> Iterator[str]:
    opening, position = "<" + name, 0
    while (start := lower.find(opening, position)) >= 0:
        end = lower.find(">", start)
        if end < 0:
            return
        if lower[start + len(opening) : start + len(opening) + 1] in _TAG_END:
            yield page[start : end + 1]
        position = end + 1


def _attributes(tag: str) -> dict[str, str]:
    """``<meta name="x" content='y'>`` → ``{"name": "x", "content": "y"}`` (a repeated name: the first)."""
    parts = tag[1:-1].split(None, 1)
    attributes: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(parts[1] if len(parts) > 1 else ""):
        value = match.group(2) or ""
        value = value[1:-1] if value[:1] in ('"', "'") else value
        attributes.setdefault(match.group(1).lower(), html.unescape(value))
    return attributes


def text_length(page: str) -> int:
    """Characters outside tags, scripts and styles: linear, unlike a regular expression on hostile input.

    >>> text_length("<p>ผ้าไหม</p><script>var x = '<b>';</script><style>p {}</style>")
    6
    """
    lower = page.translate(_ASCII_LOWER)  # same length as page: indices carry over
    count = position = 0
    while (start := lower.find("<", position)) >= 0:
        count += start - position
        end = start
        for raw in ("script", "style"):
            if lower.startswith(raw, start + 1):
                closing = lower.find("</" + raw, start)
                end = closing if closing >= 0 else len(page)
        end = lower.find(">", end)
        if end < 0:  # an unclosed "<" is text to a parser
            return count + len(page) - start
        position = end + 1
    return count + len(page) - position


def convert(data: bytes, budget: FileBudget | None = None) -> list[Converted]:
    from unstructured.partition.html import partition_html

    budget = budget or Budgets().start()
    page = _DOCTYPE.sub("", read_text(data), count=1)
    budget.check_blocks(len(_BLOCK_TAGS.findall(page)), "paragraphs, cells and other blocks")
    budget.check_chars(text_length(page))  # before unstructured's heuristics run over it
    found = head_metadata(page)
    budget.check_time("reading the head")
    offline_unstructured()
    content, heading = elements_text(partition_html(text=page, languages=SKIP_LANGUAGES))
    found["title"] = found.get("title") or heading
    return [Converted(content=content, found=found)]
