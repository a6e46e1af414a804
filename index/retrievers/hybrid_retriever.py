from __future__ import annotations

from typing import Any

from haystack import Document, component
from haystack.dataclasses import SparseEmbedding

from index.fusion import fuse
from index.stores.protocol import PanyaStore
from panya.settings import default

MODES = ("hybrid", "dense", "keyword")


@component
class HybridRetriever:
    """Dense and Thai-BM25 retrieval on one store, fused by min-max linear fusion.

    Works on any ``PanyaStore`` (EdgeDocumentStore, ServerDocumentStore). ``mode`` picks hybrid,
    dense only or keyword (sparse) only. ``evidence`` maps each chunk id to its raw
    (cosine, BM25) scores; ``background`` holds the cosines of the chunks the dense side ranked
    (the query's background, ``query.relevance.background``, is read over these alone).

    Each side ranks ``candidates`` chunks by id and score alone; the fusion orders their union,
    and only the best ``fetched`` are read from the store (a call may ask for more). Reading a
    chunk's payload costs far more than ranking it, and past the first few dozen chunks nothing
    reaches a page or passes the relevance cut-off (which judges 20 sources first, and 40 when
    10 of them pass: ``panya.archive.JUDGED``).
    """

    def __init__(
        self,
        document_store: PanyaStore,
        dense_weight: float = default("dense_weight"),
        candidates: int = default("candidates"),
        fetched: int = 60,
    ):
        if not 0.0 <= dense_weight <= 1.0:
            raise ValueError(f"dense_weight must be between 0 and 1, got {dense_weight}")
        self.document_store = document_store
        self.dense_weight = dense_weight
        self.candidates = candidates
        self.fetched = fetched

    @component.output_types(
        documents=list[Document],
        evidence=dict[str, tuple[float, float]],
        background=list[float],
        ranked=tuple,
    )
    def run(
        self,
        query_embedding: list[float],
        query_sparse_embedding: SparseEmbedding,
        filters: dict[str, Any] | None = None,
        top_k: int | None = None,
        mode: str = "hybrid",
    ) -> dict[str, Any]:
        dense, sparse = self.rank(query_embedding, query_sparse_embedding, filters, top_k, mode)
        return self.gather(dense, sparse, query_embedding, mode, top_k)

    def gather(
        self,
        dense: list[tuple[str, float]],
        sparse: list[tuple[str, float]],
        query_embedding: list[float],
        mode: str = "hybrid",
        top_k: int | None = None,
        fetched: int | None = None,
    ) -> dict[str, Any]:
        """``run``'s output from the two sides' rankings (``rank_dense``, ``rank_sparse``), the best
        ``fetched`` chunks of their fusion read (``self.fetched`` unless given)."""
        k = max(top_k or self.candidates, 1)
        store = self.document_store
        weight = {"hybrid": self.dense_weight, "dense": 1.0, "keyword": 0.0}[mode]
        kept = store.chunks(fuse(dense, sparse, weight, limit=min(k, fetched or self.fetched)))
        # the raw scores (cosine, BM25) say how well a chunk matches in absolute terms; fused
        # scores only rank, so the relevance cut-off reads these. A chunk found by its words alone
        # has a cosine too, below the dense candidates': read it, or it would be judged as 0
        cosine, bm25 = dict(dense), dict(sparse)
        background = [cosine[point] for point, _ in kept if point in cosine]
        unscored = [point for point, _ in kept if point not in cosine]
        if unscored and query_embedding:
            cosine.update(store.score_dense(query_embedding, unscored))
        documents = [doc for _, doc in kept]
        evidence = {doc.id: (cosine.get(point, 0.0), bm25.get(point, 0.0)) for point, doc in kept}
        return {
            "documents": documents,
            "evidence": evidence,
            "background": background,
            "ranked": ranked_ids(dense, sparse),
        }

    def rank(
        self,
        query_embedding: list[float],
        query_sparse_embedding: SparseEmbedding,
        filters: dict[str, Any] | None = None,
        top_k: int | None = None,
        mode: str = "hybrid",
    ) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """The ``(point id, score)`` rankings of the dense and the sparse side, nothing read."""
        return (
            self.rank_dense(query_embedding, filters, top_k, mode),
            self.rank_sparse(query_sparse_embedding, filters, top_k, mode),
        )

    def rank_dense(
        self,
        query_embedding: list[float],
        filters: dict[str, Any] | None = None,
        top_k: int | None = None,
        mode: str = "hybrid",
    ) -> list[tuple[str, float]]:
        """The dense side's ranking (none in keyword mode)."""
        return self._side(self.document_store.rank_dense, "keyword", query_embedding, filters, top_k, mode)

    def rank_sparse(
        self,
        query_sparse_embedding: SparseEmbedding,
        filters: dict[str, Any] | None = None,
        top_k: int | None = None,
        mode: str = "hybrid",
    ) -> list[tuple[str, float]]:
        """The keyword side's ranking (none in dense mode)."""
        return self._side(
            self.document_store.rank_sparse, "dense", query_sparse_embedding, filters, top_k, mode
        )

    def _side(self, ranker, skipped_in: str, query: Any, filters, top_k: int | None, mode: str) -> list:
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        return ranker(query, filters, max(top_k or self.candidates, 1)) if mode != skipped_in else []


def ranked_ids(dense: list[tuple[str, float]], sparse: list[tuple[str, float]]) -> tuple:
    """What the two sides ranked, in order, by point id: equal for two retrievals exactly when
    they found the same chunks in the same order (``output["ranked"]``)."""
    return tuple(point for point, _ in dense), tuple(point for point, _ in sparse)
