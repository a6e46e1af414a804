"""The one place that opens the store and wires Panya's Haystack pipelines.

Indexing: chunk → Thai BM25 sparse → dense → write.
Query:    normalise → (dense, sparse) embed → hybrid retrieve (access-filtered); grouping per source,
          paging and snippets are plain functions in ``query/`` (a component would only add copies).
"""

from __future__ import annotations

from haystack import Pipeline
from haystack.components.writers import DocumentWriter
from haystack.document_stores.types import DuplicatePolicy

from index.bm25 import SPARSE_ENCODING
from index.embedders.factory import DenseEmbedders, build_dense_embedders
from index.embedders.thai_sparse_document_embedder import ThaiSparseDocumentEmbedder
from index.embedders.thai_sparse_text_embedder import ThaiSparseTextEmbedder
from index.retrievers.hybrid_retriever import HybridRetriever
from index.stores.edge_document_store import EdgeDocumentStore
from index.stores.schema import StoreInfo
from index.thai_text_normalizer import ThaiTextNormalizer
from ingest.thai_document_splitter import ThaiDocumentSplitter
from panya.settings import Settings

# The sparse side also indexes the place, in Thai and English, so "silk Surin" finds สุรินทร์.
SPARSE_FIELDS = ["title", "province", "province_en"]


def dense_embedders(settings: Settings) -> DenseEmbedders:
    return build_dense_embedders(
        settings.embedder, settings.threads, settings.query_prefix, settings.passage_prefix
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
        )
    return EdgeDocumentStore(settings.store_dir, info, hnsw_ef=settings.hnsw_ef, threads=settings.threads)


def build_indexing_pipeline(settings: Settings, store, embedders: DenseEmbedders) -> Pipeline:
    pipeline = Pipeline()
    pipeline.add_component("splitter", ThaiDocumentSplitter(settings.chunk_size, settings.chunk_overlap))
    pipeline.add_component(
        "sparse", ThaiSparseDocumentEmbedder(settings.word_tokenizer, meta_fields_to_embed=SPARSE_FIELDS)
    )
    pipeline.add_component("dense", embedders.document)
    pipeline.add_component("writer", DocumentWriter(store, policy=DuplicatePolicy.OVERWRITE))
    pipeline.connect("splitter.documents", "sparse.documents")
    pipeline.connect("sparse.documents", "dense.documents")
    pipeline.connect("dense.documents", "writer.documents")
    return pipeline


def build_query_pipeline(settings: Settings, store, embedders: DenseEmbedders) -> Pipeline:
    pipeline = Pipeline()
    pipeline.add_component("normalizer", ThaiTextNormalizer())
    pipeline.add_component("dense", embedders.text)
    pipeline.add_component("sparse", ThaiSparseTextEmbedder(settings.word_tokenizer))
    pipeline.add_component("retriever", HybridRetriever(store, settings.dense_weight, settings.candidates))
    pipeline.connect("normalizer.text", "dense.text")
    pipeline.connect("normalizer.text", "sparse.text")
    pipeline.connect("dense.embedding", "retriever.query_embedding")
    pipeline.connect("sparse.sparse_embedding", "retriever.query_sparse_embedding")
    return pipeline
