"""What Panya needs from a store, beyond Haystack's DocumentStore protocol.

Both backends satisfy it (``EdgeDocumentStore``, ``ServerDocumentStore``); the retriever and the
archive are typed against it, so a third backend knows exactly what to offer.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from haystack import Document
from haystack.dataclasses import SparseEmbedding
from haystack.document_stores.types import DuplicatePolicy


@runtime_checkable
class PanyaStore(Protocol):
    #: Writes this process began or ended through the store: a reader that kept what it read
    #: compares it to know the store may have changed (see ``Archive._expire_caches``).
    writes: int

    def count_documents(self) -> int: ...

    def count_documents_by_filter(self, filters: dict[str, Any]) -> int: ...

    def filter_documents(self, filters: dict[str, Any] | None = None) -> list[Document]: ...

    def meta_of(self, filters: dict[str, Any], fields: list[str]) -> list[dict[str, Any]]:
        """Only these ``meta`` fields of the chunks the filter matches (names, places: not the text)."""
        ...

    def embedded_chunks(self, filters: dict[str, Any]) -> list[Document]:
        """The chunks the filter matches, with their dense ``embedding`` (to reuse when unchanged)."""
        ...

    def write_documents(
        self, documents: list[Document], policy: DuplicatePolicy = DuplicatePolicy.NONE
    ) -> int: ...

    def delete_by_filter(self, filters: dict[str, Any]) -> int:
        """Remove every chunk the filter matches; returns how many."""
        ...

    def query_dense(
        self, embedding: list[float], filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[Document]: ...

    def query_sparse(
        self, sparse: SparseEmbedding, filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[Document]: ...

    def rank_dense(
        self, embedding: list[float], filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[tuple[str, float]]:
        """``(point id, cosine)`` of the nearest chunks, best first, without reading their payloads."""
        ...

    def rank_sparse(
        self, sparse: SparseEmbedding, filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[tuple[str, float]]:
        """``(point id, BM25)`` of the best keyword matches, best first, without their payloads."""
        ...

    def score_dense(self, embedding: list[float], point_ids: list[str]) -> dict[str, float]:
        """The cosine of each of these chunks to ``embedding`` (exact, however far down the dense
        ranking they are); ids no longer stored are left out."""
        ...

    def chunks(self, ranked: list[tuple[str, float]]) -> list[tuple[str, Document]]:
        """``(point id, chunk)`` for ``(point id, score)`` pairs in that order, scored (ids gone are
        left out)."""
        ...

    def rank_ordered(
        self, field: str, filters: dict[str, Any] | None = None, limit: int = 10, descending: bool = False
    ) -> list[tuple[str, float]]:
        """``(point id, value)`` of the first ``limit`` chunks in the order of an indexed numeric
        field, without their payloads (chunks without the field left out)."""
        ...

    def facet(self, field: str, filters: dict[str, Any] | None = None, limit: int = 100) -> dict[Any, int]:
        """Point counts per value of an indexed payload field (``meta.province`` …)."""
        ...

    def optimize(self) -> None: ...

    def close(self) -> None: ...
