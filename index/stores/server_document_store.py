"""The Qdrant server (or cluster) backend: qdrant-haystack's QdrantDocumentStore, plus the few
methods Panya's retriever and archive need (``PanyaStore``), with the same results as
EdgeDocumentStore.

Searches go through qdrant-haystack's public retriever components. Facet counts and the
collection's recorded model need the raw qdrant-client, which the store keeps private: that one
access is isolated in :func:`qdrant_client_of`, pinned by a test. qdrant-client's ``:memory:``
mode stands in for a server in the contract tests.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from haystack import Document
from haystack.dataclasses import SparseEmbedding
from haystack.document_stores.types import DuplicatePolicy
from haystack.utils import Secret
from haystack_integrations.components.retrievers.qdrant import (
    QdrantEmbeddingRetriever,
    QdrantSparseEmbeddingRetriever,
)
from haystack_integrations.document_stores.qdrant import QdrantDocumentStore
from haystack_integrations.document_stores.qdrant.filters import convert_filters_to_qdrant
from qdrant_client import QdrantClient
from qdrant_client.http import models as rest

from index.stores.schema import (
    DENSE_VECTORS_NAME,
    FLOAT_INDEXES,
    INTEGER_INDEXES,
    KEYWORD_INDEXES,
    NO_HNSW_LINKS,
    SPARSE_VECTORS_NAME,
    StoreInfo,
    order_numbers,
    point_key,
    with_order_numbers,
)

INT8 = rest.ScalarQuantization(
    scalar=rest.ScalarQuantizationConfig(type=rest.ScalarType.INT8, quantile=0.99, always_ram=True)
)


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
        shards: int = 1,
        replicas: int = 1,
        write_consistency: int = 1,
        quantization: bool = False,
        on_disk_payload: bool = False,
    ):
        """A new collection is made with ``shards``, ``replicas`` and ``write_consistency`` (a cluster's
        distribution) and, for millions of chunks, int8 ``quantization`` (originals on disk, used to
        rescore) and payloads on disk. An existing collection keeps what it was made with."""
        if write_consistency > replicas:
            raise ValueError(
                f"write consistency {write_consistency} needs at least as many replicas (got {replicas})"
            )
        indexes = [
            {
                "field_name": f,
                "field_schema": rest.KeywordIndexParams(type="keyword", enable_hnsw=f not in NO_HNSW_LINKS),
            }
            for f in KEYWORD_INDEXES
        ]
        indexes += [
            {
                "field_name": f,
                "field_schema": rest.IntegerIndexParams(
                    type="integer", lookup=True, range=True, enable_hnsw=f not in NO_HNSW_LINKS
                ),
            }
            for f in INTEGER_INDEXES
        ]
        indexes += [
            {
                "field_name": f,
                "field_schema": rest.FloatIndexParams(type="float", enable_hnsw=f not in NO_HNSW_LINKS),
            }
            for f in FLOAT_INDEXES
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
            shard_number=shards,
            replication_factor=replicas,
            write_consistency_factor=write_consistency,
            on_disk=quantization,
            on_disk_payload=on_disk_payload,
            # qdrant-haystack annotates this as a dict but hands it to qdrant-client unchanged, which
            # takes the model (and a dict would not survive the gRPC path)
            quantization_config=INT8 if quantization else None,  # type: ignore[arg-type]
        )
        self.info = info
        self.writes = 0
        self._dense = QdrantEmbeddingRetriever(self)
        self._sparse = QdrantSparseEmbeddingRetriever(self)
        recorded = qdrant_client_of(self).get_collection(self.index).config.metadata or {}
        if recorded:
            StoreInfo(**recorded).check_compatible(info, f"The Qdrant collection {self.index!r}")
            self._upgrade(indexes)

    def _upgrade(self, indexes: list[dict]) -> None:
        """A collection written by an older Panya: add the payload indexes and order numbers it lacks."""
        client = qdrant_client_of(self)
        present = client.get_collection(self.index).payload_schema or {}
        for index in indexes:
            if index["field_name"] not in present:
                client.create_payload_index(self.index, index["field_name"], index["field_schema"])
        lacking = rest.Filter(
            must=[rest.IsEmptyCondition(is_empty=rest.PayloadField(key="meta.title_order"))]
        )
        offset = None
        while True:
            records, offset = client.scroll(
                self.index, scroll_filter=lacking, limit=1024, offset=offset, with_payload=["meta"]
            )
            for record in records:
                numbers = order_numbers((record.payload or {}).get("meta", {}))
                client.set_payload(self.index, numbers, points=[record.id], key="meta")
            if offset is None:
                return

    @contextlib.contextmanager
    def _writing(self):
        """Count a write as it begins and as it ends (``PanyaStore.writes``)."""
        self.writes += 1
        try:
            yield
        finally:
            self.writes += 1

    def write_documents(
        self, documents: list[Document], policy: DuplicatePolicy = DuplicatePolicy.FAIL
    ) -> int:
        with self._writing():
            return super().write_documents([with_order_numbers(d) for d in documents], policy)

    def delete_documents(self, document_ids: list[str]) -> None:
        with self._writing():
            super().delete_documents(document_ids)

    def delete_by_filter(self, filters: dict[str, Any]) -> int:
        if not self.count_documents_by_filter(filters):  # deleting nothing is no write
            return 0
        with self._writing():
            return super().delete_by_filter(filters)

    def meta_of(self, filters: dict[str, Any], fields: list[str]) -> list[dict[str, Any]]:
        client, metas, offset = qdrant_client_of(self), [], None
        while True:
            records, offset = client.scroll(
                self.index,
                scroll_filter=convert_filters_to_qdrant(filters),
                limit=self.scroll_size,
                offset=offset,
                with_payload=[f"meta.{field}" for field in fields],
            )
            metas += [(record.payload or {}).get("meta") or {} for record in records]
            if offset is None:
                return metas

    def embedded_chunks(self, filters: dict[str, Any]) -> list[Document]:
        return self.filter_documents(filters)  # qdrant-haystack scrolls with the vectors

    def rank_ordered(
        self, field: str, filters: dict[str, Any] | None = None, limit: int = 10, descending: bool = False
    ) -> list[tuple[str, float]]:
        records, _ = qdrant_client_of(self).scroll(
            self.index,
            scroll_filter=convert_filters_to_qdrant(filters),
            limit=limit,
            with_payload=False,
            order_by=rest.OrderBy(
                key=field, direction=rest.Direction.DESC if descending else rest.Direction.ASC
            ),
        )
        return [(point_key(record.id), record.order_value or 0) for record in records]

    def rank_dense(
        self, embedding: list[float], filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[tuple[str, float]]:
        return self._rank(embedding, DENSE_VECTORS_NAME, filters, top_k)

    def rank_sparse(
        self, sparse: SparseEmbedding, filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[tuple[str, float]]:
        if not sparse.indices:
            return []
        query = rest.SparseVector(indices=sparse.indices, values=sparse.values)
        return self._rank(query, SPARSE_VECTORS_NAME, filters, top_k)

    def score_dense(self, embedding: list[float], point_ids: list[str]) -> dict[str, float]:
        """The cosine of each of these chunks to ``embedding``: an exact search among them alone."""
        if not point_ids:
            return {}
        response = qdrant_client_of(self).query_points(
            self.index,
            query=embedding,
            using=DENSE_VECTORS_NAME,
            query_filter=rest.Filter(
                must=[rest.HasIdCondition(has_id=[str(uuid.UUID(pid)) for pid in point_ids])]
            ),
            search_params=rest.SearchParams(exact=True),
            limit=len(point_ids),
            with_payload=False,
        )
        return {point_key(point.id): point.score for point in response.points}

    def _rank(self, query, using: str, filters: dict[str, Any] | None, top_k: int) -> list[tuple[str, float]]:
        """``(point id, score)`` of the best points by one named vector, without their payloads."""
        response = qdrant_client_of(self).query_points(
            self.index,
            query=query,
            using=using,
            query_filter=convert_filters_to_qdrant(filters),
            limit=top_k,
            with_payload=False,
        )
        return [(point_key(point.id), point.score) for point in response.points]

    def chunks(self, ranked: list[tuple[str, float]]) -> list[tuple[str, Document]]:
        records = qdrant_client_of(self).retrieve(
            self.index,
            [str(uuid.UUID(pid)) for pid, _ in ranked],
            with_payload=rest.PayloadSelectorExclude(exclude=["meta.cues", "meta.cue_vectors"]),
        )
        payloads = {point_key(record.id): record.payload or {} for record in records}
        return [
            (pid, Document.from_dict({**payloads[pid], "score": score}))
            for pid, score in ranked
            if pid in payloads
        ]

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
        """Non-exact, as the embedded store's: every segment of every shard counted exactly and
        summed. ``exact`` would run one filtered count per value (77 for provinces) across the
        cluster, to guard only against a point counted twice while an update moves it."""
        response = qdrant_client_of(self).facet(
            self.index, key=field, facet_filter=convert_filters_to_qdrant(filters), limit=limit, exact=False
        )
        return {hit.value: hit.count for hit in response.hits}

    def optimize(self) -> None:
        """A server builds its indexes in the background."""
