"""Chunks whose embedded text did not change keep their stored dense vector.

Editing a source's metadata (its province, its sage) changes what is stored and what the sparse side
indexes (the place is part of it), not what the dense model reads: the title and the text. Those
chunks skip the model, which is most of the cost of an edit.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from haystack import Document, component

from index.embedders.thai_sparse_document_embedder import embedding_text


def embedding_key(document: Document, meta_fields: list[str]) -> str:
    """What identifies a chunk's dense vector: the text the model reads for it.

    >>> from haystack import Document
    >>> a = Document(content="ปลาร้าหมักเกลือ", meta={"title": "ปลาร้า", "province": "อุบลราชธานี"})
    >>> b = Document(content="ปลาร้าหมักเกลือ", meta={"title": "ปลาร้า", "province": "ยโสธร"})
    >>> embedding_key(a, ["title"]) == embedding_key(b, ["title"])
    True
    """
    return hashlib.sha256(embedding_text(document, meta_fields).encode()).hexdigest()


@component
class DenseVectorReuse:
    """Split chunks into those whose vector is ``known`` (by ``embedding_key``) and those to embed.

    >>> from haystack import Document
    >>> reuse = DenseVectorReuse(["title"])
    >>> old = Document(content="ข้าวหลามหนองมน", meta={"title": "ข้าวหลาม"}, embedding=[0.1, 0.2])
    >>> out = reuse.run(
    ...     [Document(content="ข้าวหลามหนองมน", meta={"title": "ข้าวหลาม", "province": "ชลบุรี"}),
    ...      Document(content="ย่างบนถ่าน", meta={"title": "ข้าวหลาม"})],
    ...     known=reuse.known([old]))
    >>> [d.embedding for d in out["kept"]], [d.content for d in out["fresh"]]
    ([[0.1, 0.2]], ['ย่างบนถ่าน'])
    """

    def __init__(self, meta_fields_to_embed: list[str] | None = None):
        self.meta_fields_to_embed = meta_fields_to_embed or []

    def known(self, stored: list[Document]) -> dict[str, list[float]]:
        """The reusable vectors of stored chunks (those that have one)."""
        return {
            embedding_key(doc, self.meta_fields_to_embed): list(doc.embedding)
            for doc in stored
            if doc.embedding is not None
        }

    @component.output_types(kept=list[Document], fresh=list[Document])
    def run(self, documents: list[Document], known: dict[str, list[float]] | None = None):
        kept, fresh = [], []
        for document in documents:
            vector = (known or {}).get(embedding_key(document, self.meta_fields_to_embed))
            if vector is None:
                fresh.append(document)
            else:
                kept.append(replace(document, embedding=vector))
        return {"kept": kept, "fresh": fresh}
