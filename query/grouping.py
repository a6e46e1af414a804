"""Ranked chunks → one result per source, ranked by its best chunk, in one pass."""

from __future__ import annotations

from haystack import Document

from query.models import CHUNK_FIELDS, SearchResult

#: A source's best few chunks among the candidates: where its answer and its query words are looked for.
PASSAGES_PER_SOURCE = 3


def group_by_source(
    documents: list[Document], evidence: dict | None = None, limit: int | None = None
) -> list[SearchResult]:
    """Keep each source's best chunk (the list is best first), for the best ``limit`` sources; the
    chunk's text feeds the snippet.

    >>> from haystack import Document
    >>> chunks = [Document(content="ก", score=0.9, meta={"source_id": "a.md", "title": "ปลาร้า", "type": "document"}),
    ...           Document(content="ข", score=0.5, meta={"source_id": "a.md", "title": "ปลาร้า", "type": "document"})]
    >>> [(r.source_id, r.content) for r in group_by_source(chunks)]
    [('a.md', 'ก')]
    """
    best: dict[str, Document] = {}
    dense: dict[str, float] = {}
    passages: dict[str, list[tuple[Document, float]]] = {}
    for document in documents:
        source_id = document.meta.get("source_id", document.id)
        best.setdefault(source_id, document)
        if evidence is not None:
            cosine = evidence.get(document.id, (0.0, 0.0))[0]
            dense[source_id] = max(dense.get(source_id, 0.0), cosine)
            passages.setdefault(source_id, []).append((document, cosine))
    results = [to_result(document) for document in list(best.values())[:limit]]
    if evidence is not None:
        for result in results:
            result._dense = dense[result.source_id]
            result._passages = passages[result.source_id][:PASSAGES_PER_SOURCE]
    return results


def to_result(document: Document) -> SearchResult:
    meta = document.meta
    result = SearchResult(
        source_id=meta.get("source_id", document.id),
        title=meta.get("title") or meta.get("source_id", ""),
        type=meta.get("type", "document"),
        score=round(float(document.score or 0.0), 4),
        start=meta.get("start"),
        end=meta.get("end"),
        chunk_index=meta.get("chunk_index", 0),
        meta={key: value for key, value in meta.items() if key not in CHUNK_FIELDS and key != "source_id"}
        | ({"speakers": meta["speakers"]} if meta.get("speakers") else {}),
    )
    result._content = document.content or ""
    return result
