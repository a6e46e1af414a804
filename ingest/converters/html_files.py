from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from ingest.converters.base import Converted, read_text
from ingest.converters.unstructured_setup import elements_text, offline_unstructured

# <meta name="..."> → Panya metadata key
META_NAMES = {
    "description": None, "keywords": "tags", "author": "author", "date": "date", "province": "province",
    "district": "district", "category": "category", "region": "region", "license": "license",
    "dc.title": "title", "dc.date": "date", "dc.creator": "author",
}  # fmt: skip


class _HeadReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and attributes.get("content"):
            name = (attributes.get("name") or attributes.get("property") or "").lower()
            if name in META_NAMES and META_NAMES[name]:
                self.meta[META_NAMES[name]] = attributes["content"]
        elif tag == "html" and attributes.get("lang"):
            self.meta["language"] = attributes["lang"]

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)


def convert(path: Path) -> list[Converted]:
    from unstructured.partition.html import partition_html

    page = read_text(path.read_bytes())
    head = _HeadReader()
    head.feed(page)
    offline_unstructured()
    content, heading = elements_text(partition_html(text=page))
    found = dict(head.meta)
    found["title"] = "".join(head.title).strip() or heading
    return [Converted(content=content, found=found)]
