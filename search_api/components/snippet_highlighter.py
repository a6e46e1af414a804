from __future__ import annotations

import html
import re
from functools import lru_cache

from haystack import component

from index.thai_text import DEFAULT_WORD_ENGINE, words
from search_api.results import SourceResult

SNIPPET_CHARS = 240


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


def marked_terms(query: str, engine: str = DEFAULT_WORD_ENGINE) -> list[str]:
    """Query words worth marking: no stopwords, no single letters; longest first."""
    terms = {term for term in words(query, engine) if len(term) > 1 and term not in _stopwords()}
    return sorted(terms, key=len, reverse=True)


def highlight(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> str:
    """HTML-escaped window of ``text`` around the first match, query terms in ``<mark>``.

    >>> highlight("ปลาร้า <b>หอม</b> ต้องหมักนาน", ["ปลาร้า"])
    '<mark>ปลาร้า</mark> &lt;b&gt;หอม&lt;/b&gt; ต้องหมักนาน'
    """
    pattern = re.compile("|".join(map(re.escape, terms)), re.IGNORECASE) if terms else None
    matches = list(pattern.finditer(text)) if pattern else []
    start = 0
    if matches and len(text) > width:
        start = max(0, min(matches[0].start() - width // 4, len(text) - width))
        while start > 0 and not text[start - 1].isspace() and start > matches[0].start() - width // 2:
            start -= 1
    end = min(len(text), start + width)
    pieces, cursor = ["…" if start > 0 else ""], start
    for match in matches:
        if match.start() < cursor or match.end() > end:
            continue
        pieces += [html.escape(text[cursor : match.start()]), f"<mark>{html.escape(match.group())}</mark>"]
        cursor = match.end()
    pieces += [html.escape(text[cursor:end]), "…" if end < len(text) else ""]
    return "".join(pieces)


@component
class SnippetHighlighter:
    """Fills each result's snippet: its best chunk around the query words, safely marked."""

    def __init__(self, word_engine: str = DEFAULT_WORD_ENGINE, width: int = SNIPPET_CHARS):
        self.word_engine = word_engine
        self.width = width

    @component.output_types(results=list[SourceResult])
    def run(self, results: list[SourceResult], query: str) -> dict[str, list[SourceResult]]:
        terms = marked_terms(query, self.word_engine)
        for result in results:
            result.snippet = highlight(result.content, terms, self.width)
        return {"results": results}
