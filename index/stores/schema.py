"""The collection schema both backends share (that of qdrant-haystack's QdrantDocumentStore).

Per point: named dense vector ``text-dense`` (cosine), named sparse vector ``text-sparse``
(IDF modifier), payload ``{"id", "content", "meta": {...}}``; the point id is the
uuid5 of the Document id, computed by qdrant-haystack's own converter.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, replace

from haystack import Document
from haystack_integrations.document_stores.qdrant.converters import (
    DENSE_VECTORS_NAME,
    SPARSE_VECTORS_NAME,
    convert_id,
)

from index.bm25 import SPARSE_ENCODING
from index.thai_text import order_number

__all__ = [
    "DENSE_VECTORS_NAME",
    "SPARSE_VECTORS_NAME",
    "convert_id",
    "point_key",
    "KEYWORD_INDEXES",
    "INTEGER_INDEXES",
    "FLOAT_INDEXES",
    "ORDER_FIELDS",
]

KEYWORD_INDEXES = [
    "meta.type",
    "meta.province",
    "meta.category",
    "meta.access",
    "meta.source_id",
    "meta.region",
    "meta.district",
    "meta.centre",
]
#: Integer order numbers written with every chunk, so browsing is ordered by the store's index
#: (``title_order``: Thai dictionary order of the title's start; ``date_order``: YYYYMMDD, 0 undated).
ORDER_FIELDS = {"title": "meta.title_order", "date": "meta.date_order"}
INTEGER_INDEXES = ["meta.chunk_index", *ORDER_FIELDS.values()]
FLOAT_INDEXES = ["meta.price"]
#: Indexed fields no dense search is filtered by (the access rule is applied after the walk, or
#: leaves out a tenth): their indexes get no HNSW links of their own. Qdrant adds links per value
#: and per range of an indexed field, so that a walk filtered by it stays connected; unfiltered
#: walks cross them too. Measured on 100k real e5 vectors with Panya's fields indexed: links 24.1
#: → 10.5 MB, an unfiltered walk at ef 256 3.44 → 2.34 ms (top 10 found 0.9995 → 0.9985), walks
#: filtered by region, category or type 2.8-3.9 → 2.0-2.3 ms with their top 10 all found. A field
#: searches are filtered by keeps its links: without any, a category (a tenth of the points)
#: found a fifth of its top 10.
NO_HNSW_LINKS = frozenset({"meta.access", *INTEGER_INDEXES})
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


def point_key(point_id) -> str:
    """A point's id as ``convert_id`` spells a Document id (32 hex digits), however the store
    returned it (a ``UUID``, or a string with dashes).

    >>> point_key(convert_id("chunk-1")) == convert_id("chunk-1")
    True
    """
    if isinstance(point_id, uuid.UUID):
        return point_id.hex
    return uuid.UUID(str(point_id)).hex


def order_numbers(meta: dict) -> dict[str, int]:
    """The order numbers of a chunk's metadata.

    >>> order_numbers({"title": "ปลาร้า", "date": "2023-03"})["date_order"]
    20230300
    """
    date = str(meta.get("date") or "")
    digits = "".join(char for char in date[:10] if char.isdigit())
    return {
        "title_order": order_number(str(meta.get("title") or meta.get("source_id") or "")),
        "date_order": int(digits.ljust(8, "0")) if len(digits) >= 4 else 0,
    }


def with_order_numbers(document: Document) -> Document:
    return replace(document, meta={**document.meta, **order_numbers(document.meta)})


def point_payload(document) -> dict:
    payload = with_order_numbers(document).to_dict(flatten=False)
    for key in PAYLOAD_ONLY_FIELDS:
        payload.pop(key, None)
    return payload
