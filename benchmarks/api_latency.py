"""Latency of GET /api/search over 200 Thai queries against the sample corpora (prints figures).

    .venv/bin/python benchmarks/api_latency.py [--queries 200] [--data-dir DIR] [--loopback]

In-process through FastAPI's TestClient by default; ``--loopback`` runs uvicorn on 127.0.0.1 and
sends real HTTP requests. Also prints the bare query-embedding time of the same run, so the
figures can be read as ratios on a noisy shared machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from itertools import cycle
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FILTERS = [{}, {"type": "product"}, {"type": "oral_history"}, {"province": "เชียงใหม่"}, {"category": "crafts"}]


def thai_queries(count: int) -> list[dict]:
    rows = [json.loads(line) for line in (REPO / "corpora/queries.jsonl").read_text().splitlines() if line]
    thai = [row["query"] for row in rows if row["kind"] != "english"]
    # the same questions again with the filters a villager taps: 200 distinct requests
    requests, filters = [], cycle(FILTERS)
    for question in cycle(thai):
        requests.append({"q": question, "limit": 10, **next(filters)})
        if len(requests) == count:
            return requests
    return requests


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--loopback", action="store_true")
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from panya.archive import Archive
    from panya.evaluation.runner import percentile
    from panya.ingestion import ingest_path
    from panya.settings import Settings, apply_offline_environment
    from search_api.app import create_app

    apply_offline_environment()
    requests = thai_queries(args.queries)
    with tempfile.TemporaryDirectory(prefix="panya-bench-") as scratch:
        settings = Settings(data_dir=args.data_dir or Path(scratch), _env_file=None)
        with Archive(settings) as archive:
            ingest_path(archive, REPO / "corpora", progress=False)
            app = create_app(settings, archive=archive)
            if args.loopback:
                import httpx
                import uvicorn

                server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=8799, log_level="warning"))
                threading.Thread(target=server.run, daemon=True).start()
                while not server.started:
                    time.sleep(0.05)
                client = httpx.Client(base_url="http://127.0.0.1:8799")
            else:
                client = TestClient(app).__enter__()
            for request in requests[:10]:  # warm up
                client.get("/api/search", params=request)
            wall, server_ms = [], []
            for request in requests:
                started = time.perf_counter()
                response = client.get("/api/search", params=request)
                wall.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.text
                server_ms.append(response.json()["took_ms"])
            embed = archive.querying.get_component("dense")
            embed_ms = []
            for request in requests:
                started = time.perf_counter()
                embed.run(request["q"])
                embed_ms.append((time.perf_counter() - started) * 1000)
            if args.loopback:
                server.should_exit = True
    mode = "loopback HTTP" if args.loopback else "in-process"
    print(f"/api/search, {len(requests)} Thai queries ({mode}), sample corpora")
    print(f"  wall      p50 {statistics.median(wall):6.1f} ms   p95 {percentile(wall, 95):6.1f} ms")
    print(f"  took_ms   p50 {statistics.median(server_ms):6.1f} ms   p95 {percentile(server_ms, 95):6.1f} ms")
    print(f"  embedding p50 {statistics.median(embed_ms):6.1f} ms   (query embedding alone, same run)")
    print(f"  ratio wall/embedding p50: {statistics.median(wall) / statistics.median(embed_ms):.1f}x")


if __name__ == "__main__":
    main()
