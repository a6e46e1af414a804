from __future__ import annotations

from typing import Any

from haystack import Document, component
from haystack.dataclasses import SparseEmbedding

from index.fusion import linear_fusion
from index.stores.protocol import PanyaStore
from panya.settings import default

MODES = ("hybrid", "dense", "keyword")


@component
class HybridRetriever:
    """Dense and Thai-BM25 retrieval on one store, fused by min-max linear fusion.

    Works on any ``PanyaStore`` (EdgeDocumentStore, ServerDocumentStore). ``mode`` picks hybrid,
    dense only or keyword (sparse) only. ``evidence`` maps each chunk id to its raw
    (cosine, BM25) scores.
    """

    def __init__(
        self,
        document_store: PanyaStore,
        dense_weight: float = default("dense_weight"),
        candidates: int = default("candidates"),
    ):
        if not 0.0 <= dense_weight <= 1.0:
            raise ValueError(f"dense_weight must be between 0 and 1, got {dense_weight}")
        self.document_store = document_store
        self.dense_weight = dense_weight
        self.candidates = candidates

    @component.output_types(documents=list[Document], evidence=dict[str, tuple[float, float]])
    def run(
        self,
        query_embedding: list[float],
        query_sparse_embedding: SparseEmbedding,
        filters: dict[str, Any] | None = None,
        top_k: int | None = None,
        mode: str = "hybrid",
    ) -> dict[str, Any]:
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        k = max(top_k or self.candidates, 1)
        dense = self.document_store.query_dense(query_embedding, filters, k) if mode != "keyword" else []
        sparse = (
            self.document_store.query_sparse(query_sparse_embedding, filters, k) if mode != "dense" else []
        )
        weight = {"hybrid": self.dense_weight, "dense": 1.0, "keyword": 0.0}[mode]
        # the raw scores (cosine, BM25) say how well a chunk matches in absolute terms; fused
        # scores only rank, so the relevance cut-off reads these
        evidence = {doc.id: (doc.score or 0.0, 0.0) for doc in dense}
        for doc in sparse:
            evidence[doc.id] = (evidence.get(doc.id, (0.0, 0.0))[0], doc.score or 0.0)
        return {"documents": linear_fusion(dense, sparse, weight, limit=k), "evidence": evidence}
