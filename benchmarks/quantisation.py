"""Memory at large N: int8 scalar quantisation (rescored with the originals kept on disk) and
payloads on disk, against the default (float vectors and payloads in RAM). Prints figures.

    .venv/bin/python benchmarks/quantisation.py [--chunks 100000] [--work-dir DIR] [--queries 100]

Both layouts are built (once; kept in ``--work-dir``) as Qdrant shards of N chunks of real Thai
text (the iApp contexts and the sample corpora, ~500 characters each, as ``scale.py`` cuts them)
with random unit dense vectors, through qdrant-edge: the same segment code, quantisation and
storage as a Qdrant server, which cannot run here. Then each is opened in a fresh process, which
prints its resident memory once opened and after searching, search p50/p95 (HNSW, ef 256; the
int8 layout rescores its candidates with the original vectors), the store's size on disk, and the
quantisation's own error: for each query, how many of the top 10 found with float scores the
same HNSW walk finds with int8 scores, unrescored and rescored. ``PANYA_QDRANT_QUANTIZATION`` and
``PANYA_QDRANT_ON_DISK_PAYLOAD`` give a server collection the second layout.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import DIMENSION, peak_rss_mb, percentile, thai_chunks  # noqa: E402

LAYOUTS = ("float-in-ram", "int8-payload-on-disk")
VECTORS = "text-dense"
BATCH = 1000


def config(layout: str):
    import qdrant_edge as qe

    quantised = layout == "int8-payload-on-disk"
    vectors = qe.EdgeVectorParams(
        size=DIMENSION,
        distance=qe.Distance.Cosine,
        on_disk=quantised or None,
        quantization_config=qe.ScalarQuantizationConfig(qe.ScalarType.Int8, quantile=0.99, always_ram=True)
        if quantised
        else None,
    )
    return qe.EdgeConfig(vectors={VECTORS: vectors}, on_disk_payload=quantised)


def build(n: int, path: Path, layout: str) -> None:
    import numpy as np
    import qdrant_edge as qe

    if (path / "built.json").exists():
        return
    path.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    shard = qe.EdgeShard.create(str(path / "shard"), config(layout))
    texts = thai_chunks()
    rng = np.random.default_rng(11)
    for start in range(0, n, BATCH):
        vectors = rng.standard_normal((min(BATCH, n - start), DIMENSION)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        points = [
            qe.Point(
                start + i,
                {VECTORS: vector.tolist()},
                {"content": texts[(start + i) % len(texts)], "meta": {"chunk_index": (start + i) % 3}},
            )
            for i, vector in enumerate(vectors)
        ]
        shard.update(qe.UpdateOperation.upsert_points(points))
    shard.optimize()
    shard.flush()
    shard.close()
    (path / "built.json").write_text(
        json.dumps({"chunks": n, "seconds": round(time.perf_counter() - started)})
    )


def measure(path: Path, count: int) -> dict:
    import numpy as np
    import qdrant_edge as qe

    def rss_mb() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    before = rss_mb()
    shard = qe.EdgeShard.load(str(path / "shard"))
    opened = rss_mb()
    rng = np.random.default_rng(5)
    queries = rng.standard_normal((count, DIMENSION)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)

    def search(vector, **params) -> list:
        request = qe.QueryRequest(
            limit=10,
            query=qe.Query.Nearest(vector.tolist(), using=VECTORS),
            params=qe.SearchParams(**params),
            with_payload=True,
        )
        return [point.id for point in shard.query(request)]

    rescored = qe.QuantizationSearchParams(rescore=True, oversampling=2.0)
    times = []
    for vector in queries:
        started = time.perf_counter()
        search(vector, hnsw_ef=256, quantization=rescored)
        times.append((time.perf_counter() - started) * 1000)
    searched = rss_mb()
    # the quantisation's own error: the same graph walked with int8 scores (unrescored, and
    # rescored as served) against float scores
    served = [set(search(v, hnsw_ef=256, quantization=rescored)) for v in queries[:50]]
    unrescored = qe.QuantizationSearchParams(rescore=False)
    raw = [set(search(v, hnsw_ef=256, quantization=unrescored)) for v in queries[:50]]
    floats = qe.QuantizationSearchParams(ignore=True)
    truth = [set(search(v, hnsw_ef=256, quantization=floats)) for v in queries[:50]]
    agree_raw = [len(got & want) / 10 for got, want in zip(raw, truth, strict=True)]
    agree = [len(got & want) / 10 for got, want in zip(served, truth, strict=True)]
    shard.close()
    return {
        "rss_before_mb": before,
        "rss_opened_mb": opened,
        "rss_searched_mb": searched,
        "peak_rss_mb": peak_rss_mb(),
        "search": times,
        "top10_raw": statistics.mean(agree_raw),
        "top10_rescored": statistics.mean(agree),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/panya-quantisation"))
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.queries)))
        return
    print(f"{args.chunks:,} chunks of ~500 Thai characters, {DIMENSION}-dimension random vectors")
    for layout in LAYOUTS:
        path = args.work_dir / f"{layout}-{args.chunks}"
        build(args.chunks, path, layout)
        figures = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--measure", str(path), "--queries", str(args.queries)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        disk = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20
        times = figures["search"]
        print(
            f"  {layout}, built in {json.loads((path / 'built.json').read_text())['seconds']} s, "
            f"{disk:.0f} MB on disk\n"
            f"    resident beyond the process's own {figures['rss_before_mb']:.0f} MB: opened "
            f"{figures['rss_opened_mb'] - figures['rss_before_mb']:.0f} MB, after {len(times)} searches "
            f"{figures['rss_searched_mb'] - figures['rss_before_mb']:.0f} MB; "
            f"peak RSS {figures['peak_rss_mb']:.0f} MB\n"
            f"    search (HNSW ef 256) p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms; "
            f"float top 10 kept: {figures['top10_raw']:.3f} unrescored, {figures['top10_rescored']:.3f} rescored"
        )


if __name__ == "__main__":
    main()
