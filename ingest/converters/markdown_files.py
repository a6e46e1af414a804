from __future__ import annotations

import re
from pathlib import Path

import yaml

from ingest.converters.base import ConversionError, Converted, read_text
from ingest.converters.unstructured_setup import elements_text, offline_unstructured

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise ConversionError(f"front matter is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise ConversionError("front matter must be a YAML mapping (key: value lines)")
    return data, text[match.end() :]


def convert(path: Path) -> list[Converted]:
    from unstructured.partition.md import partition_md

    front_matter, body = split_front_matter(read_text(path.read_bytes()))
    offline_unstructured()
    content, title = elements_text(partition_md(text=body)) if body.strip() else ("", None)
    return [Converted(content=content, found={"title": title}, front_matter=front_matter)]
