"""A Haystack DocumentStore over qdrant-edge, Qdrant's in-process engine.

Same collection schema and payload as qdrant-haystack's ``QdrantDocumentStore`` (see
``schema.py``), so the two backends are interchangeable behind the retriever. One process
at a time may open a shard: an exclusive lock file says which one holds it.

>>> import tempfile
>>> from haystack import Document
>>> store = EdgeDocumentStore(tempfile.mkdtemp(), StoreInfo("test", 3))
>>> store.write_documents([Document(id="a", content="ข้าวเหนียว", embedding=[1.0, 0.0, 0.0])])
1
>>> store.query_dense([1.0, 0.1, 0.0], top_k=1)[0].content
'ข้าวเหนียว'
>>> store.close()
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import threading
import uuid
from collections import OrderedDict
from dataclasses import MISSING, dataclass, fields, replace
from pathlib import Path
from typing import Any

import qdrant_edge as qe
from haystack import Document
from haystack.dataclasses import SparseEmbedding
from haystack.document_stores.errors import DuplicateDocumentError
from haystack.document_stores.types import DuplicatePolicy

from index.stores.edge_filters import to_edge_filter
from index.stores.schema import (
    DENSE_VECTORS_NAME,
    FLOAT_INDEXES,
    INTEGER_INDEXES,
    KEYWORD_INDEXES,
    NO_HNSW_LINKS,
    SPARSE_VECTORS_NAME,
    StoreInfo,
    StoreLocked,
    convert_id,
    order_numbers,
    point_key,
    point_payload,
)
from panya.settings import default

INFO_FILE = "panya-store.json"
LOCK_FILE = "panya-store.lock"
SHARD_DIR = "shard"
WRITE_BATCH = 256
# A transcript chunk's cue list is for the source page, never for ranking: leave it in the store.
SEARCH_PAYLOAD = qe.PayloadSelector.Exclude(["meta.cues", "meta.cue_vectors"])
SCROLL_PAGE = 1024
#: Chunks read for search results kept as Python objects until the next write: the same chunks
#: come back query after query, and turning a payload into Python costs far more than ranking it
#: (~80 µs a chunk, while the GIL is held). About 2 KB each.
KEPT_CHUNKS = 20_000
#: At most this many points left out by id after an unfiltered walk (``rank_dense``): ~5 MB of ids.
MAX_EXCLUDED = 50_000


class EdgeDocumentStore:
    def __init__(
        self,
        path: str | Path,
        info: StoreInfo | None = None,
        hnsw_ef: int = default("hnsw_ef"),
        threads: int = default("threads"),
    ):
        """Open (or create) the store at ``path``; ``info`` says which model fills it."""
        self.path = Path(path)
        self.hnsw_ef = hnsw_ef
        self.threads = threads
        self._write_lock = threading.Lock()
        # point key → id, content, meta; the oldest first
        self._kept: OrderedDict[str, tuple[str, str | None, dict[str, Any]]] = OrderedDict()
        self._keeping = threading.Lock()
        # per excluded (field, value): the write count it was read at, and the points holding it
        self._exclusions: dict[tuple[str, str], tuple[int, _Excluded | None]] = {}
        self.writes = 0
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock_handle = _acquire_lock(self.path / LOCK_FILE)
        try:
            self.info = self._reconcile_info(info)
            self._shard = self._open_shard()
            self._closed = False
        except BaseException:
            self._lock_handle.close()
            raise

    # -- lifecycle ---------------------------------------------------------------------------

    def _reconcile_info(self, wanted: StoreInfo | None) -> StoreInfo:
        info_path = self.path / INFO_FILE
        if info_path.exists():
            stored = StoreInfo(**json.loads(info_path.read_text()))
            if wanted is not None:
                stored.check_compatible(wanted, f"The embedded store at {self.path}")
            return stored
        if wanted is None:
            raise FileNotFoundError(f"no Panya store at {self.path}: ingest something first (`panya ingest`)")
        info_path.write_text(json.dumps(wanted.as_dict(), indent=2))
        return wanted

    def _open_shard(self) -> qe.EdgeShard:
        shard_path = self.path / SHARD_DIR
        if shard_path.exists() and any(shard_path.iterdir()):
            shard = qe.EdgeShard.load(str(shard_path))
            self._upgrade(shard)
            read_ahead(shard_path)
            return shard
        config = qe.EdgeConfig(
            vectors={
                DENSE_VECTORS_NAME: qe.EdgeVectorParams(size=self.info.dimension, distance=qe.Distance.Cosine)
            },
            sparse_vectors={SPARSE_VECTORS_NAME: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
            max_search_threads=self.threads,
        )
        shard = qe.EdgeShard.create(str(shard_path), config)
        _create_indexes(shard)
        return shard

    @staticmethod
    def _upgrade(shard: qe.EdgeShard) -> None:
        """A store written by an older Panya: add the payload indexes and order numbers it lacks."""
        if _create_indexes(shard):
            offset = None
            lacking = qe.Filter(must=[qe.IsEmptyCondition("meta.title_order")])
            fields = qe.PayloadSelector.Include(["meta.title", "meta.source_id", "meta.date"])
            while True:
                records, offset = shard.scroll(
                    qe.ScrollRequest(offset=offset, limit=SCROLL_PAGE, filter=lacking, with_payload=fields)
                )
                for record in records:
                    numbers = order_numbers((record.payload or {}).get("meta", {}))
                    shard.update(qe.UpdateOperation.set_payload([record.id], numbers, key="meta"))
                if offset is None:
                    break

    def optimize(self) -> None:
        """Build the HNSW index and merge segments: call after a bulk ingest."""
        with self._write_lock:
            self._shard.optimize()

    def close(self) -> None:
        if not self._closed:
            self._shard.flush()
            self._shard.close()
            self._closed = True
        self._lock_handle.close()

    # -- Haystack DocumentStore protocol --------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": f"{type(self).__module__}.{type(self).__name__}",
            "init_parameters": {"path": str(self.path), "hnsw_ef": self.hnsw_ef, "threads": self.threads},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EdgeDocumentStore:
        return cls(**data["init_parameters"])

    def count_documents(self) -> int:
        return self._shard.count(qe.CountRequest(exact=True))

    def count_documents_by_filter(self, filters: dict[str, Any]) -> int:
        return self._shard.count(qe.CountRequest(exact=True, filter=to_edge_filter(filters)))

    def filter_documents(self, filters: dict[str, Any] | None = None) -> list[Document]:
        documents, offset = [], None
        edge_filter = to_edge_filter(filters)
        while True:
            records, offset = self._shard.scroll(
                qe.ScrollRequest(offset=offset, limit=SCROLL_PAGE, filter=edge_filter, with_payload=True)
            )
            documents += [_to_document(record.payload) for record in records]
            if offset is None:
                return documents

    def meta_of(self, filters: dict[str, Any], fields: list[str]) -> list[dict[str, Any]]:
        metas, offset = [], None
        edge_filter = to_edge_filter(filters)
        selector = [f"meta.{field}" for field in fields]
        while True:
            records, offset = self._shard.scroll(
                qe.ScrollRequest(offset=offset, limit=SCROLL_PAGE, filter=edge_filter, with_payload=selector)
            )
            metas += [(record.payload or {}).get("meta") or {} for record in records]
            if offset is None:
                return metas

    def embedded_chunks(self, filters: dict[str, Any]) -> list[Document]:
        documents, offset = [], None
        edge_filter = to_edge_filter(filters)
        while True:
            records, offset = self._shard.scroll(
                qe.ScrollRequest(
                    offset=offset,
                    limit=SCROLL_PAGE,
                    filter=edge_filter,
                    with_payload=True,
                    with_vector=[DENSE_VECTORS_NAME],
                )
            )
            documents += [
                replace(_to_document(record.payload), embedding=_dense_of(record.vector))
                for record in records
            ]
            if offset is None:
                return documents

    def write_documents(
        self, documents: list[Document], policy: DuplicatePolicy = DuplicatePolicy.NONE
    ) -> int:
        if policy in (DuplicatePolicy.FAIL, DuplicatePolicy.SKIP):
            present = self._existing_ids(documents)
            if present and policy == DuplicatePolicy.FAIL:
                raise DuplicateDocumentError(f"{len(present)} of these documents are already in the store")
            documents = [doc for doc in documents if doc.id not in present]
        with self._write_lock, self._writing():
            for start in range(0, len(documents), WRITE_BATCH):
                points = [_to_point(doc) for doc in documents[start : start + WRITE_BATCH]]
                self._shard.update(qe.UpdateOperation.upsert_points(points))
        return len(documents)

    @contextlib.contextmanager
    def _writing(self):
        """Count the write and forget the kept chunks, as it begins and as it ends (a read that
        overlapped it keeps what it read in a dict nobody reads again)."""
        self.writes += 1
        self._kept = OrderedDict()
        try:
            yield
        finally:
            self.writes += 1
            self._kept = OrderedDict()

    def _existing_ids(self, documents: list[Document]) -> set[str]:
        records = self._shard.retrieve(
            [convert_id(doc.id) for doc in documents], with_payload=["id"], with_vector=False
        )
        return {record.payload["id"] for record in records if record.payload}

    def delete_documents(self, document_ids: list[str]) -> None:
        with self._write_lock, self._writing():
            self._shard.update(qe.UpdateOperation.delete_points([convert_id(i) for i in document_ids]))

    # -- what Panya needs beyond the protocol (the server store has the same methods) ----------

    def delete_by_filter(self, filters: dict[str, Any]) -> int:
        edge_filter = to_edge_filter(filters)
        if edge_filter is None:
            raise ValueError("delete_by_filter needs a filter; to empty the store, delete its folder")
        with self._write_lock:
            count = self._shard.count(qe.CountRequest(exact=True, filter=edge_filter))
            if count:  # deleting nothing is no write: what readers kept stays true
                with self._writing():
                    self._shard.update(qe.UpdateOperation.delete_points_by_filter(edge_filter))
        return count

    def query_dense(
        self, embedding: list[float], filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[Document]:
        request = self._dense_request(embedding, filters, top_k, SEARCH_PAYLOAD)
        return [_to_document(point.payload, point.score) for point in self._shard.query(request)]

    def query_sparse(
        self, sparse: SparseEmbedding, filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[Document]:
        if not sparse.indices:
            return []
        request = self._sparse_request(sparse, filters, top_k, SEARCH_PAYLOAD)
        return [_to_document(point.payload, point.score) for point in self._shard.query(request)]

    def rank_dense(
        self, embedding: list[float], filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[tuple[str, float]]:
        """``(point id, cosine)`` of the nearest chunks, without their payloads: reading a payload
        into Python costs ~50 µs a chunk, 50 times the search itself; read the few kept with ``chunks``.

        A filter that only leaves out one value of a field (the access rule: ``access !=
        restricted``) is applied after the walk when few chunks hold that value: the HNSW walk
        with a filter checks every point it visits (measured at 100k chunks, 10 % restricted:
        5.5 ms against 3.4 ms for an unfiltered walk of a few more and the excluded dropped by id).
        The walk is trusted only if no write began meanwhile; else, or when too few are left, the
        store filters."""
        excluded, writes = self._excluded(filters), self.writes
        if excluded is not None and writes % 2 == 0:  # (no write under way)
            wider = top_k + (
                int(top_k * len(excluded.points) / excluded.total * 1.5) + 8 if excluded.points else 0
            )
            walked = self._shard.query(self._dense_request(embedding, None, wider, False))
            ranked = [
                (key, point.score) for point in walked if (key := point_key(point.id)) not in excluded.points
            ]
            if self.writes == writes and (len(ranked) >= top_k or len(walked) < wider):
                return ranked[:top_k]
        request = self._dense_request(embedding, filters, top_k, False)
        return [(point_key(point.id), point.score) for point in self._shard.query(request)]

    def _excluded(self, filters: dict[str, Any] | None) -> _Excluded | None:
        """The points a filter of the form ``field != value`` leaves out, when they are at most a
        quarter of the store and ``MAX_EXCLUDED`` (else ``None``: the store filters); kept until a
        write. Reading them costs ~4 ms per 1,000 (once per write)."""
        condition = filters
        if condition and condition.get("operator") == "AND" and len(condition.get("conditions", ())) == 1:
            condition = condition["conditions"][0]
        if not condition or condition.get("operator") != "!=" or not isinstance(condition.get("value"), str):
            return None
        key = (condition["field"], condition["value"])
        writes, kept = self.writes, self._exclusions
        if key not in kept or kept[key][0] != writes:
            holding = to_edge_filter({"field": key[0], "operator": "==", "value": key[1]})
            total = self._shard.count(qe.CountRequest(exact=True))
            found = None
            holds = self._shard.count(qe.CountRequest(exact=True, filter=holding))
            if holds * 4 <= total and holds <= MAX_EXCLUDED:
                found = _Excluded(frozenset(self._point_keys(holding)), max(1, total))
            kept[key] = (writes, found)  # (a write meanwhile: ``rank_dense`` will not trust it)
        return kept[key][1]

    def _point_keys(self, edge_filter: qe.Filter | None) -> list[str]:
        keys, offset = [], None
        while True:
            records, offset = self._shard.scroll(
                qe.ScrollRequest(offset=offset, limit=SCROLL_PAGE * 8, filter=edge_filter, with_payload=False)
            )
            keys += [point_key(record.id) for record in records]
            if offset is None:
                return keys

    def rank_sparse(
        self, sparse: SparseEmbedding, filters: dict[str, Any] | None = None, top_k: int = 10
    ) -> list[tuple[str, float]]:
        """``(point id, BM25)`` of the best keyword matches, without their payloads."""
        if not sparse.indices:
            return []
        request = self._sparse_request(sparse, filters, top_k, False)
        return [(point_key(point.id), point.score) for point in self._shard.query(request)]

    def score_dense(self, embedding: list[float], point_ids: list[str]) -> dict[str, float]:
        """The cosine of each of these chunks to ``embedding``: an exact search among them alone.
        (Measured at 100k chunks, ~60 of them a query: +0.8 ms p50 to retrieval; reading their
        vectors by id and scoring them in numpy cost +2.6 ms.)"""
        if not point_ids:
            return {}
        request = qe.QueryRequest(
            limit=len(point_ids),
            query=qe.Query.Nearest(embedding, using=DENSE_VECTORS_NAME),
            filter=qe.Filter(must=[qe.HasIdCondition({uuid.UUID(pid) for pid in point_ids})]),
            params=qe.SearchParams(exact=True),
            with_payload=False,
        )
        return {point_key(point.id): point.score for point in self._shard.query(request)}

    def _dense_request(self, embedding: list[float], filters, top_k: int, payload) -> qe.QueryRequest:
        return qe.QueryRequest(
            limit=top_k,
            query=qe.Query.Nearest(embedding, using=DENSE_VECTORS_NAME),
            filter=to_edge_filter(filters),
            params=qe.SearchParams(hnsw_ef=max(self.hnsw_ef, top_k)),
            with_payload=payload,
        )

    @staticmethod
    def _sparse_request(sparse: SparseEmbedding, filters, top_k: int, payload) -> qe.QueryRequest:
        return qe.QueryRequest(
            limit=top_k,
            query=qe.Query.Nearest(qe.SparseVector(sparse.indices, sparse.values), using=SPARSE_VECTORS_NAME),
            filter=to_edge_filter(filters),
            with_payload=payload,
        )

    def chunks(self, ranked: list[tuple[str, float]]) -> list[tuple[str, Document]]:
        """``(point id, chunk)`` for ``(point id, score)`` pairs, in that order, scored (cues left
        out); ids no longer stored are left out. Chunks read once are kept until the next write."""
        kept = self._kept  # a write replaces it: what is read here never lands in the next one
        found = {pid: kept[pid] for pid, _ in ranked if pid in kept}
        missing: list[int | uuid.UUID | str] = [uuid.UUID(pid) for pid in dict(ranked) if pid not in found]
        if missing:
            # the whole payload, cues dropped here: a selector that excludes them reads slower than none
            read = {}
            for record in self._shard.retrieve(missing, True, False):
                payload = record.payload or {}
                meta = payload.get("meta") or {}
                meta.pop("cues", None)
                meta.pop("cue_vectors", None)
                read[point_key(record.id)] = (payload.get("id", ""), payload.get("content"), meta)
            found.update(read)
            with self._keeping:
                kept.update(read)
                while len(kept) > KEPT_CHUNKS:
                    kept.popitem(last=False)  # the oldest first
        return [
            (pid, stored_document(chunk[0], chunk[1], chunk[2], score))
            for pid, score in ranked
            if (chunk := found.get(pid)) is not None
        ]

    def rank_ordered(
        self, field: str, filters: dict[str, Any] | None = None, limit: int = 10, descending: bool = False
    ) -> list[tuple[str, float]]:
        """``(point id, value)`` of the first ``limit`` chunks in the order of an indexed numeric field
        (``meta.title_order`` …), nothing read: chunks without the field are left out. Read the
        page with ``chunks`` (at 100k chunks, the 510 chunks before a browse page's end are
        ordered in 1.7 ms; reading their payloads too took 32 ms)."""
        direction = qe.Direction.Desc if descending else qe.Direction.Asc
        records, _ = self._shard.scroll(
            qe.ScrollRequest(
                limit=limit,
                filter=to_edge_filter(filters),
                with_payload=False,
                order_by=qe.OrderBy(field, direction),
            )
        )
        return [(point_key(record.id), record.order_value or 0) for record in records]

    def facet(self, field: str, filters: dict[str, Any] | None = None, limit: int = 100) -> dict[Any, int]:
        """Point counts per value of an indexed payload field (``meta.province`` …).

        Qdrant's non-exact facet counts each segment exactly and sums them; ``exact`` adds one
        count query per value, only to guard against a point that sits in two segments for the
        moment an update moves it (100k chunks: 3.8 ms against 56 ms a field). Writes here are
        one at a time and every kept count is dropped when a write ends, so nothing kept can
        hold that moment's count."""
        response = self._shard.facet(
            qe.FacetRequest(key=field, limit=limit, exact=False, filter=to_edge_filter(filters))
        )
        return {hit.value: hit.count for hit in response.hits}


@dataclass(frozen=True)
class _Excluded:
    """The points holding a value a filter leaves out, and how many points the store holds."""

    points: frozenset[str]
    total: int


def _create_indexes(shard: qe.EdgeShard) -> list[str]:
    """Create the payload indexes the shard lacks; returns their names."""
    present = shard.info().payload_schema
    wanted = (
        [(field, qe.KeywordIndexParams(enable_hnsw=field not in NO_HNSW_LINKS)) for field in KEYWORD_INDEXES]
        + [
            (field, qe.IntegerIndexParams(lookup=True, range=True, enable_hnsw=field not in NO_HNSW_LINKS))
            for field in INTEGER_INDEXES
        ]
        + [(field, qe.FloatIndexParams(enable_hnsw=field not in NO_HNSW_LINKS)) for field in FLOAT_INDEXES]
    )
    created = []
    for field, kind in wanted:
        if field not in present:
            shard.update(qe.UpdateOperation.create_field_index(field, kind))
            created.append(field)
    return created


def _to_point(document: Document) -> qe.Point:
    vectors: dict[str, Any] = {}
    if document.embedding is not None:
        vectors[DENSE_VECTORS_NAME] = list(document.embedding)
    if document.sparse_embedding is not None:
        sparse = document.sparse_embedding
        vectors[SPARSE_VECTORS_NAME] = qe.SparseVector(list(sparse.indices), list(sparse.values))
    return qe.Point(convert_id(document.id), vectors, point_payload(document))


def _dense_of(vector: Any) -> list[float] | None:
    """A record's named dense vector (a Panya shard names its vectors)."""
    dense = vector.get(DENSE_VECTORS_NAME) if isinstance(vector, dict) else None
    return dense if isinstance(dense, list) else None


def _to_document(payload: dict[str, Any] | None, score: float | None = None) -> Document:
    payload = payload or {}
    if payload.keys() <= {"id", "content", "meta", "blob"} and payload.get("blob") is None:
        # what Panya writes (text, no blob): built in one step, without from_dict's conversions
        return stored_document(
            payload.get("id", ""), payload.get("content"), payload.get("meta") or {}, score
        )
    return Document.from_dict({**payload, "score": score})


_UNSET = {field.name: field.default for field in fields(Document) if field.default is not MISSING}


def stored_document(id: str, content: str | None, meta: dict[str, Any], score: float | None) -> Document:
    """A Document of a chunk as Panya stored it: its own id, text (or none), and metadata.

    Built without ``Document.__init__``: Haystack wraps it and every field assignment to warn about
    in-place mutation, which costs ~20 µs a Document, and a search builds ~60 (~1 ms, a tenth of
    an uncached search's Python). What ``__init__`` would add does not apply to a stored chunk: its
    id is set, its text is a string, and it has no NumPy embedding to convert. Anything else goes
    through ``__init__``.
    """
    if not id or not (content is None or isinstance(content, str)):
        return Document(id=id, content=content, meta=meta, score=score)
    document = object.__new__(Document)
    document.__dict__.update(_UNSET, id=id, content=content, meta=meta, score=score)
    return document


#: At most this share of the machine's memory is asked into the page cache when a store opens.
READ_AHEAD_SHARE = 0.25
READ_AHEAD_WINDOW = 4 << 20


def read_ahead(shard_path: Path, share: float = READ_AHEAD_SHARE) -> int:
    """Ask the kernel to read a shard's files into the page cache (``POSIX_FADV_WILLNEED``: it reads
    them in the background), up to ``share`` of the machine's memory, smallest first. Returns the
    bytes asked for. Asked on the opening thread (0.2 s for 730 MB): on a thread of its own, each
    of its few hundred calls waited for the GIL behind the opening work, and the reads came too
    late for the first search.

    Qdrant Edge drops a shard's files from the page cache when it closes them, so the process that
    opens the store next (``panya serve`` after ``panya ingest``) read every payload, posting list
    and index page from disk the first time a search touched it. Measured at 100k chunks: 60
    payloads read in 7–10 ms with ~75 major page faults, against 1–2 ms with the files cached.
    The page cache is the kernel's and is given back under memory pressure; the process's own
    memory grows with the pages it touches, as it did."""
    if not hasattr(os, "posix_fadvise"):
        return 0
    try:
        budget = int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") * share)
        files = sorted((path.stat().st_size, path) for path in shard_path.rglob("*") if path.is_file())
    except (OSError, ValueError):
        return 0
    asked = 0
    for size, path in files:
        if asked + size > budget:
            break
        try:
            handle = os.open(path, os.O_RDONLY)
        except OSError:
            continue  # (a segment merged away meanwhile)
        try:  # in windows: the kernel reads at most a few MB ahead per call
            for offset in range(0, size, READ_AHEAD_WINDOW):
                os.posix_fadvise(handle, offset, READ_AHEAD_WINDOW, os.POSIX_FADV_WILLNEED)
            asked += size
        except OSError:
            pass
        finally:
            os.close(handle)
    return asked


def _acquire_lock(path: Path):
    handle = open(path, "a+")  # noqa: SIM115 - held open for the store's lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise StoreLocked(
            f"the embedded store {path.parent} is in use by {holder}. While `panya serve` runs it owns "
            "the store: send files through its API (`panya ingest --api URL`), or stop it first."
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()} ({' '.join(sys.argv[:2]) or 'python'})")
    handle.flush()
    return handle
