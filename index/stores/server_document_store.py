"""The Qdrant server (or cluster) backend: qdrant-haystack's QdrantDocumentStore, plus the few
methods Panya's retriever and archive need (``PanyaStore``), with the same results as
EdgeDocumentStore.

Searches go through qdrant-haystack's public retriever components. Facet counts and the
collection's recorded model need the raw qdrant-client, which the store keeps private: that one
access is isolated in :func:`qdrant_client_of`, pinned by a test. qdrant-client's ``:memory:``
mode stands in for a server in the contract tests.
"""

from __future__ import annotations

from typing import Any

from haystack import Document
from haystack.dataclasses import SparseEmbedding
from haystack.utils import Secret
from haystack_integrations.components.retrievers.qdrant import (
    QdrantEmbeddingRetriever,
    QdrantSparseEmbeddingRetriever,
)
from haystack_integrations.document_stores.qdrant import QdrantDocumentStore
from haystack_integrations.document_stores.qdrant.filters import convert_filters_to_qdrant
from qdrant_client import QdrantClient
from qdrant_client.http import models as rest

from index.stores.schema import INTEGER_INDEXES, KEYWORD_INDEXES, StoreInfo


def qdrant_client_of(store: QdrantDocumentStore) -> QdrantClient:
    """The qdrant-client behind a QdrantDocumentStore (qdrant-haystack offers no public accessor)."""
    store._initialize_client()
    client = store._client
    if not isinstance(client, QdrantClient):
        raise RuntimeError("qdrant-haystack changed: QdrantDocumentStore no longer holds a QdrantClient")
    return client


class ServerDocumentStore(QdrantDocumentStore):
    def __init__(
        self,
        info: StoreInfo,
        url: str | None = None,
        location: str | None = None,
        collection: str = "panya",
        api_key: str | None = None,
    ):
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
        self.info = info
        self._dense = QdrantEmbeddingRetriever(self)
        self._sparse = QdrantSparseEmbeddingRetriever(self)
        recorded = qdrant_client_of(self).get_collection(self.index).config.metadata or {}
        if recorded:
            StoreInfo(**recorded).check_compatible(info, f"The Qdrant collection {self.index!r}")

    def query_dense(
        self, embedding: list[float], filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[Document]:
        return self._dense.run(query_embedding=embedding, filters=filters, top_k=top_k)["documents"]

    def query_sparse(
        self, sparse: SparseEmbedding, filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[Document]:
        if not sparse.indices:
            return []
        return self._sparse.run(query_sparse_embedding=sparse, filters=filters, top_k=top_k)["documents"]

    def facet(self, field: str, filters: dict[str, Any] | None = None, limit: int = 100) -> dict[Any, int]:
        response = qdrant_client_of(self).facet(
            self.index, key=field, facet_filter=convert_filters_to_qdrant(filters), limit=limit, exact=True
        )
        return {hit.value: hit.count for hit in response.hits}

    def optimize(self) -> None:
        """A server builds its indexes in the background."""
