"""The collection schema both backends share (that of qdrant-haystack's QdrantDocumentStore).

Per point: named dense vector ``text-dense`` (cosine), named sparse vector ``text-sparse``
(IDF modifier), payload ``{"id", "content", "meta": {...}}``; the point id is the
uuid5 of the Document id, computed by qdrant-haystack's own converter.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from haystack_integrations.document_stores.qdrant.converters import (
    DENSE_VECTORS_NAME,
    SPARSE_VECTORS_NAME,
    convert_id,
)

from index.bm25 import SPARSE_ENCODING

__all__ = ["DENSE_VECTORS_NAME", "SPARSE_VECTORS_NAME", "convert_id", "KEYWORD_INDEXES", "INTEGER_INDEXES"]

KEYWORD_INDEXES = [
    "meta.type",
    "meta.province",
    "meta.category",
    "meta.access",
    "meta.source_id",
    "meta.region",
]
INTEGER_INDEXES = ["meta.chunk_index"]
PAYLOAD_ONLY_FIELDS = ("embedding", "sparse_embedding", "score")


class EmbeddingModelMismatch(RuntimeError):
    """The store was built with another embedding model or sparse encoding than the one configured."""


class StoreLocked(RuntimeError):
    """Another process (usually `panya serve`) holds the embedded store."""


@dataclass(frozen=True)
class StoreInfo:
    """What built a collection; querying it with anything else would return nonsense."""

    model: str
    dimension: int
    sparse: str = SPARSE_ENCODING

    def as_dict(self) -> dict:
        return asdict(self)

    def check_compatible(self, other: StoreInfo, where: str) -> None:
        if self != other:
            raise EmbeddingModelMismatch(
                f"{where} was built with {self.model} ({self.dimension} dims, {self.sparse}); "
                f"the configured model is {other.model} ({other.dimension} dims, {other.sparse}). "
                "Set PANYA_EMBEDDER back, or rebuild the index with this model from the kept originals: "
                "`panya rebuild`."
            )


def point_payload(document) -> dict:
    payload = document.to_dict(flatten=False)
    for key in PAYLOAD_ONLY_FIELDS:
        payload.pop(key, None)
    return payload
