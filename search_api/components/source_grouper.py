from __future__ import annotations

from haystack import Document, component

from search_api.results import CHUNK_FIELDS, SourceResult


@component
class SourceGrouper:
    """Fused chunks → one result per source, ranked by its best chunk (kept as the snippet).

    >>> from haystack import Document
    >>> chunks = [Document(content="ก", score=0.9, meta={"source_id": "a.md", "title": "ปลาร้า", "type": "document"}),
    ...           Document(content="ข", score=0.5, meta={"source_id": "a.md", "title": "ปลาร้า", "type": "document"})]
    >>> [(r.source_id, r.content) for r in SourceGrouper().run(chunks)["results"]]
    [('a.md', 'ก')]
    """

    @component.output_types(results=list[SourceResult])
    def run(self, documents: list[Document]) -> dict[str, list[SourceResult]]:
        best: dict[str, Document] = {}
        for document in documents:  # already best first
            best.setdefault(document.meta.get("source_id", document.id), document)
        return {"results": [_result(doc) for doc in best.values()]}


def _result(document: Document) -> SourceResult:
    meta = document.meta
    return SourceResult(
        source_id=meta.get("source_id", document.id),
        title=meta.get("title") or meta.get("source_id", ""),
        type=meta.get("type", "document"),
        score=round(float(document.score or 0.0), 4),
        content=document.content or "",
        start=meta.get("start"),
        end=meta.get("end"),
        chunk_index=meta.get("chunk_index", 0),
        meta={key: value for key, value in meta.items() if key not in CHUNK_FIELDS and key != "source_id"}
        | ({"speakers": meta["speakers"]} if meta.get("speakers") else {}),
    )
