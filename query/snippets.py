"""Snippets: an HTML-escaped window of a passage with the query's words marked."""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import lru_cache

from index.thai_text import DEFAULT_WORD_ENGINE, WordEdges, chunk_word_spans, words
from query.models import SearchResult

SNIPPET_CHARS = 240


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


def marked_terms(query: str, engine: str = DEFAULT_WORD_ENGINE) -> set[str]:
    """Query words worth marking: no stopwords, no single letters.

    >>> sorted(marked_terms("ทำปลาร้ายังไงให้หอม"))
    ['ทำ', 'ปลาร้า', 'หอม']
    """
    return {term for term in words(query, engine) if len(term) > 1 and term not in _stopwords()}


def highlight(
    text: str,
    terms: set[str],
    width: int = SNIPPET_CHARS,
    engine: str = DEFAULT_WORD_ENGINE,
    focus: tuple[int, int] | None = None,
    edges: WordEdges | None = None,
) -> str:
    """HTML-escaped window of ``text`` around the first match, whole query words in ``<mark>``.

    Thai is matched word by word (PyThaiNLP), never inside another word: ``ตา`` does not
    light up in ``ติดตาม``; neighbouring matched words share one mark. ``focus`` (a span of
    ``text``, the answer) places the window there instead of at the first match. ``edges``: the
    text's word edges, when kept with it (it is not segmented again).

    >>> highlight("ผีตาโขน <b>ด่านซ้าย</b> ติดตามขบวน", {"ผี", "ตา", "โขน"})
    '<mark>ผีตาโขน</mark> &lt;b&gt;ด่านซ้าย&lt;/b&gt; ติดตามขบวน'
    """
    marks: list[list[int]] = []
    if not terms:
        spans: Sequence[tuple[int, int]] = []
    elif edges is not None and edges.length == len(text):
        spans = edges.spans()
    else:
        spans = chunk_word_spans(text, engine)
    for start, end in spans:
        if text[start:end].lower() in terms:
            if marks and marks[-1][1] == start:
                marks[-1][1] = end
            else:
                marks.append([start, end])
    window_start = 0
    anchor = focus[0] if focus else (marks[0][0] if marks else None)
    if anchor is not None and len(text) > width:
        lead = width // 8 if focus else width // 4
        window_start = max(0, min(anchor - lead, len(text) - width))
        while (
            window_start > 0 and not text[window_start - 1].isspace() and window_start > anchor - width // 2
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


def fill_snippets(
    results: list[SearchResult], query: str, engine: str = DEFAULT_WORD_ENGINE, terms: set[str] | None = None
) -> None:
    """Each result's snippet: its answer (or best passage) with the query words, safely marked."""
    if terms is None:
        terms = marked_terms(query, engine) if query else set()
    for result in results:
        result.snippet = highlight(
            result.content, terms, engine=engine, focus=result._focus, edges=result._edges
        )
