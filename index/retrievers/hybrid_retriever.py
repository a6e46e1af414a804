from __future__ import annotations

from typing import Any

from haystack import Document, component
from haystack.dataclasses import SparseEmbedding

from index.fusion import linear_fusion

MODES = ("hybrid", "dense", "keyword")


@component
class HybridRetriever:
    """Dense and Thai-BM25 retrieval on one store, fused by min-max linear fusion.

    Works on any store with ``query_dense`` and ``query_sparse`` (EdgeDocumentStore,
    ServerDocumentStore). ``mode`` picks hybrid, dense only or keyword (sparse) only.
    """

    def __init__(self, document_store: Any, dense_weight: float = 0.45, candidates: int = 100):
        if not 0.0 <= dense_weight <= 1.0:
            raise ValueError(f"dense_weight must be between 0 and 1, got {dense_weight}")
        self.document_store = document_store
        self.dense_weight = dense_weight
        self.candidates = candidates

    @component.output_types(documents=list[Document])
    def run(
        self,
        query_embedding: list[float],
        query_sparse_embedding: SparseEmbedding,
        filters: dict[str, Any] | None = None,
        top_k: int | None = None,
        mode: str = "hybrid",
    ) -> dict[str, list[Document]]:
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        k = max(top_k or self.candidates, 1)
        dense = self.document_store.query_dense(query_embedding, filters, k) if mode != "keyword" else []
        sparse = (
            self.document_store.query_sparse(query_sparse_embedding, filters, k) if mode != "dense" else []
        )
        weight = {"hybrid": self.dense_weight, "dense": 1.0, "keyword": 0.0}[mode]
        return {"documents": linear_fusion(dense, sparse, weight)[:k]}
