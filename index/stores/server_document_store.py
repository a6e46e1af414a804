"""The Qdrant server (or cluster) backend: qdrant-haystack's QdrantDocumentStore, plus the few
methods Panya's retriever and API need, with the same names and results as EdgeDocumentStore.

qdrant-client's ``:memory:`` mode stands in for a server in the contract tests.
"""

from __future__ import annotations

from typing import Any

from haystack import Document
from haystack.dataclasses import SparseEmbedding
from haystack_integrations.document_stores.qdrant import QdrantDocumentStore
from haystack_integrations.document_stores.qdrant.filters import convert_filters_to_qdrant
from qdrant_client.http import models as rest

from index.stores.schema import INTEGER_INDEXES, KEYWORD_INDEXES, StoreInfo


class ServerDocumentStore(QdrantDocumentStore):
    def __init__(
        self,
        info: StoreInfo,
        url: str | None = None,
        location: str | None = None,
        collection: str = "panya",
        api_key: str | None = None,
        hnsw_ef: int = 256,
    ):
        from haystack.utils import Secret

        indexes = [{"field_name": f, "field_schema": rest.PayloadSchemaType.KEYWORD} for f in KEYWORD_INDEXES]
        indexes += [
            {"field_name": f, "field_schema": rest.PayloadSchemaType.INTEGER} for f in INTEGER_INDEXES
        ]
        super().__init__(
            url=url,
            location=location,
            index=collection,
            api_key=Secret.from_token(api_key) if api_key else None,
            embedding_dim=info.dimension,
            use_sparse_embeddings=True,
            sparse_idf=True,
            similarity="cosine",
            progress_bar=False,
            payload_fields_to_index=indexes,
            metadata=info.as_dict(),
        )
        self.hnsw_ef = hnsw_ef
        self.info = info
        self._check_info(info)

    def _check_info(self, wanted: StoreInfo) -> None:
        self._initialize_client()
        metadata = self._client.get_collection(self.index).config.metadata or {}
        if metadata:
            StoreInfo(**metadata).check_compatible(wanted, f"The Qdrant collection {self.index!r}")

    def query_dense(
        self, embedding: list[float], filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[Document]:
        return self._query_by_embedding(query_embedding=embedding, filters=filters, top_k=top_k)

    def query_sparse(
        self, sparse: SparseEmbedding, filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[Document]:
        if not sparse.indices:
            return []
        return self._query_by_sparse(query_sparse_embedding=sparse, filters=filters, top_k=top_k)

    def facet(self, field: str, filters: dict[str, Any] | None = None, limit: int = 100) -> dict[Any, int]:
        self._initialize_client()
        response = self._client.facet(
            self.index, key=field, facet_filter=convert_filters_to_qdrant(filters), limit=limit, exact=True
        )
        return {hit.value: hit.count for hit in response.hits}

    def optimize(self) -> None:
        """A server builds its indexes in the background."""

    def close(self) -> None:
        super().close()
