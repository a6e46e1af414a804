"""The one place that opens the store and wires Panya's Haystack pipelines.

Indexing: chunk → cue-pair vectors (transcripts) → Thai BM25 sparse → dense (reused for unchanged
          chunks) → write.
Query:    normalise → (dense, sparse) embed → hybrid retrieve (access-filtered); grouping per source,
          paging and snippets are plain functions in ``query/`` (a component would only add copies).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from haystack import Pipeline
from haystack.components.joiners import DocumentJoiner
from haystack.components.writers import DocumentWriter
from haystack.document_stores.types import DuplicatePolicy

from index.bm25 import SPARSE_ENCODING
from index.embedders.cue_pair_embedder import CuePairEmbedder
from index.embedders.factory import TITLE_FIELDS, DenseEmbedders, build_dense_embedders
from index.embedders.thai_sparse_document_embedder import ThaiSparseDocumentEmbedder
from index.embedders.thai_sparse_text_embedder import ThaiSparseTextEmbedder
from index.embedders.vector_reuse import DenseVectorReuse
from index.retrievers.hybrid_retriever import HybridRetriever, ranked_ids
from index.stores.edge_document_store import EdgeDocumentStore
from index.stores.schema import StoreInfo
from index.thai_text_normalizer import ThaiTextNormalizer
from ingest.thai_document_splitter import ThaiDocumentSplitter
from panya.settings import Settings

# The sparse side also indexes the place, in Thai and English, so "silk Surin" finds สุรินทร์.
SPARSE_FIELDS = ["title", "province", "province_en"]


def dense_embedders(settings: Settings) -> DenseEmbedders:
    return build_dense_embedders(
        settings.embedder,
        settings.threads,
        settings.query_threads,
        settings.query_prefix,
        settings.passage_prefix,
    )


def store_info(embedders: DenseEmbedders) -> StoreInfo:
    return StoreInfo(model=embedders.model, dimension=embedders.dimension(), sparse=SPARSE_ENCODING)


def open_store(settings: Settings, info: StoreInfo):
    """The embedded qdrant-edge store, or the Qdrant server when ``PANYA_QDRANT_URL`` is set."""
    if settings.qdrant_url:
        from index.stores.server_document_store import ServerDocumentStore

        api_key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
        location = ":memory:" if settings.qdrant_url == ":memory:" else None
        url = None if location else settings.qdrant_url
        return ServerDocumentStore(
            info,
            url=url,
            location=location,
            collection=settings.collection,
            api_key=api_key,
            shards=settings.qdrant_shards,
            replicas=settings.qdrant_replicas,
            write_consistency=settings.qdrant_write_consistency,
            quantization=settings.qdrant_quantization,
            on_disk_payload=settings.qdrant_on_disk_payload,
        )
    return EdgeDocumentStore(settings.store_dir, info, hnsw_ef=settings.hnsw_ef, threads=settings.threads)


def build_indexing_pipeline(settings: Settings, store, embedders: DenseEmbedders) -> Pipeline:
    """chunk → cue pairs → sparse → (vectors of unchanged chunks reused | the rest embedded) → write.

    Run with ``{"splitter": {"documents": ...}, "reuse": {"known": ...}}``: ``known`` holds the stored
    vectors a metadata-only edit keeps (``DenseVectorReuse.known``); empty for new sources.
    """
    pipeline = Pipeline()
    pipeline.add_component("splitter", ThaiDocumentSplitter(settings.chunk_size, settings.chunk_overlap))
    # the document embedder on bare texts: no title embedded, the passage side's vectors exactly
    pipeline.add_component("cue_pairs", CuePairEmbedder(embedders.document))
    pipeline.add_component(
        "sparse", ThaiSparseDocumentEmbedder(settings.word_tokenizer, meta_fields_to_embed=SPARSE_FIELDS)
    )
    pipeline.add_component("reuse", DenseVectorReuse(TITLE_FIELDS))
    pipeline.add_component("dense", embedders.document)
    pipeline.add_component("joiner", DocumentJoiner(join_mode="concatenate"))
    pipeline.add_component("writer", DocumentWriter(store, policy=DuplicatePolicy.OVERWRITE))
    pipeline.connect("splitter.documents", "cue_pairs.documents")
    pipeline.connect("cue_pairs.documents", "sparse.documents")
    pipeline.connect("sparse.documents", "reuse.documents")
    pipeline.connect("reuse.fresh", "dense.documents")
    pipeline.connect("reuse.kept", "joiner.documents")
    pipeline.connect("dense.documents", "joiner.documents")
    pipeline.connect("joiner.documents", "writer.documents")
    return pipeline


class QueryPath:
    """normalise → (dense, sparse) embed → hybrid retrieve, the same Haystack components a
    ``Pipeline`` would wire, called in that order. Not a ``Pipeline``: ``Pipeline.run`` deep-copies
    every component's output, and copying a query's 200 candidate chunks (and the isinstance checks
    against Haystack's protocols on each) cost ~7 ms a query, as much as the embedding itself."""

    #: Queries whose embeddings are kept. People ask the same things (and a results page asks
    #: twice: once for the results, once for its filter counts); 2,048 vectors are about 3 MB.
    REMEMBERED_QUERIES = 2048

    def __init__(self, settings: Settings, store, embedders: DenseEmbedders):
        self.normalizer = ThaiTextNormalizer()
        self.dense = embedders.text
        self.sparse = ThaiSparseTextEmbedder(settings.word_tokenizer)
        self.retriever = HybridRetriever(store, settings.dense_weight, settings.candidates)
        self.embed = lru_cache(self.REMEMBERED_QUERIES)(self._embed)

    def _embed(self, text: str) -> tuple[tuple[float, ...], Any]:
        """The normalised query's dense and sparse embeddings (the same text always gives the same)."""
        return tuple(self.dense.run(text)["embedding"]), self.sparse.run(text)["sparse_embedding"]

    def get_component(self, name: str):
        return {"normalizer": self.normalizer, "dense": self.dense, "sparse": self.sparse}.get(
            name
        ) or getattr(self, name)

    def warm_up(self) -> None:
        for component in (self.dense, self.sparse):
            component.warm_up()

    def run(self, text: str, filters: dict[str, Any] | None = None, mode: str = "hybrid") -> dict[str, Any]:
        """The normalised ``text``, its ``embedding``, and the retriever's ``documents`` and ``evidence``."""
        text = self.normalizer.run(text)["text"]
        dense, sparse = self.embed(text)  # dense also in keyword mode: answers are located by it
        embedding = list(dense)
        found = self.retriever.run(
            query_embedding=embedding, query_sparse_embedding=sparse, filters=filters, mode=mode
        )
        return {"text": text, "embedding": embedding, **found}

    def rank(self, text: str, filters: dict[str, Any] | None = None, mode: str = "hybrid") -> tuple:
        """What ``run`` would rank for ``text`` (its ``ranked`` output), without reading a chunk:
        the cheap check that an answer kept from before a write still holds."""
        dense, sparse = self.embed(self.normalizer.run(text)["text"])
        return ranked_ids(*self.retriever.rank(list(dense), sparse, filters, mode=mode))
