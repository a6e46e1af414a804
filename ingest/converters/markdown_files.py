"""Markdown: YAML front matter as metadata, the rest as text through unstructured.

The body is rendered by markdown-it-py (CommonMark, linear time), not by the Python-Markdown
that unstructured's ``partition_md`` uses: that one takes minutes on 40 KB of ``[[[[`` and
cannot be interrupted. The HTML then goes through ``partition_html`` as before.
"""

from __future__ import annotations

import re

import yaml

from ingest.budgets import Budgets, FileBudget
from ingest.converters.base import ConversionError, Converted, read_text, sniff_text
from ingest.converters.unstructured_setup import SKIP_LANGUAGES, elements_text, offline_unstructured

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
#: Front matter is metadata, copied into every chunk: a long one is a mistake or an attack.
FRONT_MATTER_MAX_CHARS = 64 * 1024


def looks_like_markdown(data: bytes) -> bool:
    return sniff_text(data) is not None


def split_front_matter(text: str) -> tuple[dict, str]:
    """YAML front matter (between ``---`` lines at the very top) and the body after it.

    >>> split_front_matter("---\\ntitle: ปลาร้า\\n---\\n# ปลาร้าอุบล\\n")
    ({'title': 'ปลาร้า'}, '# ปลาร้าอุบล\\n')
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    if len(match.group(1)) > FRONT_MATTER_MAX_CHARS:
        raise ConversionError(
            f"the front matter is {len(match.group(1)):,} characters; at most {FRONT_MATTER_MAX_CHARS:,}"
        )
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        raise ConversionError(f"front matter is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise ConversionError("front matter must be a YAML mapping (key: value lines)")
    return data, text[match.end() :]


def convert(data: bytes, budget: FileBudget | None = None) -> list[Converted]:
    budget = budget or Budgets().start()
    front_matter, body = split_front_matter(read_text(data))
    # each non-blank line may become an element of its own (a list item, a heading)
    budget.check_blocks(sum(1 for line in body.splitlines() if line.strip()), "lines")
    budget.check_chars(len(body))
    if not body.strip():
        return [Converted(content="", found={"title": None}, front_matter=front_matter)]
    content, title = elements_text(_partition(body, budget))
    return [Converted(content=content, found={"title": title}, front_matter=front_matter)]


def _partition(body: str, budget: FileBudget) -> list:
    from markdown_it import MarkdownIt
    from unstructured.partition.html import partition_html

    page = MarkdownIt("commonmark").enable("table").render(body)
    budget.check_time("rendering the Markdown")
    offline_unstructured()
    return partition_html(text=page, languages=SKIP_LANGUAGES)
