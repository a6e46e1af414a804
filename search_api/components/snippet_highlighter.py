from __future__ import annotations

import html
from functools import lru_cache

from haystack import component

from index.thai_text import DEFAULT_WORD_ENGINE, word_spans, words
from search_api.results import SourceResult

SNIPPET_CHARS = 240


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


def marked_terms(query: str, engine: str = DEFAULT_WORD_ENGINE) -> set[str]:
    """Query words worth marking: no stopwords, no single letters."""
    return {term for term in words(query, engine) if len(term) > 1 and term not in _stopwords()}


def highlight(
    text: str, terms: set[str], width: int = SNIPPET_CHARS, engine: str = DEFAULT_WORD_ENGINE
) -> str:
    """HTML-escaped window of ``text`` around the first match, whole query words in ``<mark>``.

    Thai is matched word by word (PyThaiNLP), never inside another word: ``ตา`` does not
    light up in ``ติดตาม``; neighbouring matched words share one mark.

    >>> highlight("ผีตาโขน <b>ด่านซ้าย</b> ติดตามขบวน", {"ผี", "ตา", "โขน"})
    '<mark>ผีตาโขน</mark> &lt;b&gt;ด่านซ้าย&lt;/b&gt; ติดตามขบวน'
    """
    marks: list[list[int]] = []
    for start, end in word_spans(text, engine) if terms else []:
        if text[start:end].lower() in terms:
            if marks and marks[-1][1] == start:
                marks[-1][1] = end
            else:
                marks.append([start, end])
    window_start = 0
    if marks and len(text) > width:
        window_start = max(0, min(marks[0][0] - width // 4, len(text) - width))
        while (
            window_start > 0
            and not text[window_start - 1].isspace()
            and window_start > marks[0][0] - width // 2
        ):
            window_start -= 1
    window_end = min(len(text), window_start + width)
    pieces, cursor = ["…" if window_start > 0 else ""], window_start
    for start, end in marks:
        if start < cursor or end > window_end:
            continue
        pieces += [html.escape(text[cursor:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
        cursor = end
    pieces += [html.escape(text[cursor:window_end]), "…" if window_end < len(text) else ""]
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
            result.snippet = highlight(result.content, terms, self.width, self.word_engine)
        return {"results": results}
