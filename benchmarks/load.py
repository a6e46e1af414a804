"""Load on the real server: N concurrent clients for D seconds, searching, browsing and uploading.

    .venv/bin/python benchmarks/load.py [--clients 50] [--seconds 60] [--uploads 4] [--data-dir DIR]

Ingests the sample corpora into a temporary data directory (or into ``--data-dir``, kept for the
next run, where unchanged sources are skipped), starts ``panya serve`` on a free loopback port in a
process of its own (so the clients do not share its interpreter), then runs the clients with aiohttp
on asyncio: they share the server's cores, and aiohttp reads an answer for a fraction of httpx's CPU.
Each client loops over a mix of Thai searches (``corpora/queries.jsonl``), facets, the search
page ``/?q=``, source pages (``/sources/…``), ``/api/sources/…`` and ``/api/health``; beside them,
K uploads of a few sample documents (with a write key) are spread evenly over the run, and removed
again afterwards. Prints the requests, errors (5xx or no response) and 4xx, p50 and p95
latency overall and per kind, requests per second, and the CPU time the server and the clients used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import aiohttp
import httpx
import yarl

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO / "corpora"
WRITE_KEY = "load-test-write-key"
FILTERS = [
    {},
    {},
    {"type": "product"},
    {"type": "oral_history"},
    {"province": "เชียงใหม่"},
    {"category": "crafts"},
]
#: How often each kind of request comes up in a client's loop (uploads are scheduled apart).
MIX = {"search": 40, "page": 25, "facets": 15, "source": 10, "health": 10}
KINDS = ("search", "facets", "page", "source", "health", "upload")
#: Text documents the uploads send, a few at a time (their sidecars go with them).
UPLOADABLE = sorted(p for p in (CORPORA / "documents").iterdir() if p.suffix in (".md", ".txt", ".html"))


@dataclass(frozen=True)
class Outcome:
    kind: str
    status: int | None  # None: no response (connection error or timeout)
    ms: float
    path: str


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--seconds", type=float, default=60, help="how long they run (default 60)")
    parser.add_argument("--uploads", type=int, default=4, help="uploads spread over the run (default 4)")
    parser.add_argument(
        "--data-dir", type=Path, help="data directory to ingest into and keep (default: temporary)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the request mix")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a client waits between its requests, drawn uniformly from 0 to twice "
        "this (default 0: back to back, the server saturated; people reading results: 1 or more)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="panya-load-") as scratch:
        data_dir = (args.data_dir or Path(scratch) / "data").resolve()
        started = time.perf_counter()
        source_ids = ingest_corpora(data_dir)
        print(f"ingested {len(source_ids)} sources into {data_dir} in {time.perf_counter() - started:.0f} s")
        server = serve(data_dir, Path(scratch))
        with server as base_url:
            queries = thai_queries()
            before = cpu_seconds(server.server.pid), time.process_time()
            outcomes, elapsed, added = asyncio.run(
                run_load(base_url, args, queries, source_ids, random.Random(args.seed))
            )
            used = cpu_seconds(server.server.pid) - before[0], time.process_time() - before[1]
    report(outcomes, elapsed, added, args)
    print(
        f"  cpu       server {used[0]:.1f} s ({1000 * used[0] / max(len(outcomes), 1):.0f} ms a request), "
        f"load clients {used[1]:.1f} s, of {os.cpu_count()} cores × {elapsed:.0f} s = {os.cpu_count() * elapsed:.0f} s"
    )


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its threads so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ingest_corpora(data_dir: Path) -> list[str]:
    """The public sources of the sample corpora in ``data_dir`` (the store is closed again before
    the server opens it)."""
    from panya.archive import Archive
    from panya.ingestion import ingest_path
    from panya.settings import Settings, apply_offline_environment

    apply_offline_environment()
    with Archive(Settings(data_dir=data_dir, _env_file=None)) as archive:
        report = ingest_path(archive, CORPORA, progress=False)
        if report.failed:
            sys.exit(f"ingest failed: {report.failed}")
        # the clients are anonymous: restricted sources would only answer 404
        return sorted(
            source_id
            for source_id in {*report.added, *report.updated, *report.unchanged}
            if archive.source_chunks(source_id)
        )


def thai_queries() -> list[str]:
    rows = [json.loads(line) for line in (CORPORA / "queries.jsonl").read_text().splitlines() if line]
    return [row["query"] for row in rows if row["kind"] != "english"]


class serve:
    """``panya serve`` over ``data_dir`` on a free loopback port, in a child process; yields its URL."""

    def __init__(self, data_dir: Path, scratch: Path):
        self.data_dir, self.scratch = data_dir, scratch

    def __enter__(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {
            **os.environ,
            "PANYA_DATA_DIR": str(self.data_dir),
            "PANYA_WRITE_KEYS": json.dumps([WRITE_KEY]),
            "PANYA_HOST": "127.0.0.1",
            "PANYA_PORT": str(port),
        }
        self.log = (self.scratch / "server.log").open("w+")
        # cwd: the scratch folder, so a stray .env in the caller's folder does not change the settings
        self.server = subprocess.Popen(
            [sys.executable, "-m", "panya.cli", "serve"],
            env=env,
            cwd=self.scratch,
            stdout=self.log,
            stderr=self.log,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180  # the model loads before the first answer
        while time.monotonic() < deadline and self.server.poll() is None:
            try:
                if httpx.get(f"{url}/api/health", timeout=5).status_code == 200:
                    return url
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        tail = self._log_tail()
        self.__exit__()
        sys.exit(f"the server did not start:\n{tail}")

    def __exit__(self, *_) -> None:
        if self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        self.log.close()

    def _log_tail(self) -> str:
        self.log.seek(0)
        return "".join(self.log.readlines()[-30:])


async def run_load(base_url, args, queries, source_ids, rng) -> tuple[list[Outcome], float, int]:
    outcomes: list[Outcome] = []
    # idle connections expire on the client before the server's 5 s keep-alive ends: else a request
    # sent as the server closes its connection dies unanswered (a client-side race, not the server)
    connector = aiohttp.TCPConnector(limit=args.clients + args.uploads + 1, keepalive_timeout=2)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(base_url, connector=connector, timeout=timeout) as client:
        started = time.perf_counter()
        deadline = started + args.seconds
        tasks = [
            client_loop(
                client, deadline, queries, source_ids, random.Random(rng.random()), outcomes, args.think
            )
            for _ in range(args.clients)
        ]
        uploading = asyncio.create_task(uploads(client, started, args, outcomes))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started  # the clients' window; a late upload may still be running
        added = await uploading
        for source_id in added:  # leave a reused --data-dir's index as it was (originals go to its trash/)
            async with client.delete(_path(f"/api/sources/{quote(source_id, safe='/')}"), headers=_auth()):
                pass
    return outcomes, elapsed, len(added)


async def client_loop(client, deadline, queries, source_ids, rng, outcomes, think: float = 0.0) -> None:
    kinds, weights = list(MIX), list(MIX.values())
    while time.perf_counter() < deadline:
        if think:
            await asyncio.sleep(rng.uniform(0, 2 * think))
        kind = rng.choices(kinds, weights)[0]
        url, params = next_request(kind, queries, source_ids, rng)
        outcome, _ = await timed(
            kind, url, lambda url=url, params=params: client.get(_path(url), params=params)
        )
        outcomes.append(outcome)


def _path(path: str) -> yarl.URL:
    """A path already percent-encoded (``quote``): sent as it is, not encoded again."""
    return yarl.URL(path, encoded=True)


def next_request(kind: str, queries, source_ids, rng) -> tuple[str, dict]:
    query = rng.choice(queries)
    if kind == "search":
        return "/api/search", {"q": query, "limit": 10, **rng.choice(FILTERS)}
    if kind == "facets":
        return "/api/facets", rng.choice([{}, {"q": query}])
    if kind == "health":
        return "/api/health", {}
    source = quote(rng.choice(source_ids), safe="/")
    if kind == "source":
        return f"/api/sources/{source}", {}
    return rng.choice([("/", {"q": query}), (f"/sources/{source}", {"q": query})])


async def uploads(client, started, args, outcomes) -> list[str]:
    """``--uploads`` multipart POSTs, evenly spread over the run; returns the sources they added."""
    added: list[str] = []
    batch = 3
    # a folder of this run's own: a deleted source's tombstone would skip the same file at the same path
    run = time.strftime("%Y%m%d-%H%M%S")
    for number in range(args.uploads):
        await asyncio.sleep(
            max(0.0, started + (number + 0.5) * args.seconds / args.uploads - time.perf_counter())
        )
        documents = [UPLOADABLE[(number * batch + i) % len(UPLOADABLE)] for i in range(batch)]
        sidecars = [s for p in documents if (s := p.with_suffix(".meta.json")).exists()]

        def form(documents=documents, sidecars=sidecars, folder=f"load-{run}-{number}") -> aiohttp.FormData:
            data = aiohttp.FormData()
            data.add_field("folder", folder)  # new sources, so each upload embeds text
            for path in [*documents, *sidecars]:
                data.add_field("files", path.read_bytes(), filename=path.name)
            return data

        outcome, body = await timed(
            "upload", "/api/sources", lambda: client.post("/api/sources", headers=_auth(), data=form())
        )
        outcomes.append(outcome)
        if outcome.status == 201:
            added += json.loads(body)["added"]
    return added


async def timed(kind: str, path: str, request) -> tuple[Outcome, bytes | None]:
    """Send ``request()`` and read the whole answer, timing both."""
    started = time.perf_counter()
    try:
        async with request() as response:
            body = await response.read()
    except (aiohttp.ClientError, TimeoutError) as error:  # refused, reset, timed out: no answer at all
        why = f"{path} ({type(error).__name__}: {error})"
        return Outcome(kind, None, (time.perf_counter() - started) * 1000, why), None
    return Outcome(kind, response.status, (time.perf_counter() - started) * 1000, path), body


def _auth() -> dict:
    return {"Authorization": f"Bearer {WRITE_KEY}"}


def report(outcomes: list[Outcome], elapsed: float, added: int, args) -> None:
    from panya.evaluation.runner import percentile

    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome)
    errors = sum(1 for o in outcomes if o.status is None or o.status >= 500)
    client_errors = sum(1 for o in outcomes if o.status is not None and 400 <= o.status < 500)
    pause = f", {args.think:g} s between a client's requests on average" if args.think else ", back to back"
    print(f"load: {args.clients} clients for {args.seconds:g} s, {args.uploads} uploads{pause}")
    print(f"  uploads   added {added} sources (removed again after the run)")
    print(f"  requests  {len(outcomes)} in {elapsed:.1f} s = {len(outcomes) / elapsed:.1f} requests/s")
    print(f"  errors    {errors} (5xx or no response)   4xx {client_errors}")
    failed = {(o.status, o.path) for o in outcomes if o.status is None or o.status >= 400}
    for status, path in sorted(failed, key=str)[:5]:
        print(f"    e.g. {status or 'no response'} {path}")
    print(f"  {'kind':<8} {'count':>6} {'errors':>6} {'4xx':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, group in [*((k, by_kind[k]) for k in KINDS if by_kind[k]), ("all", outcomes)]:
        ms = [o.ms for o in group]
        bad = sum(1 for o in group if o.status is None or o.status >= 500)
        four = sum(1 for o in group if o.status is not None and 400 <= o.status < 500)
        print(
            f"  {kind:<8} {len(group):>6} {bad:>6} {four:>5} {percentile(ms, 50):>8.0f} {percentile(ms, 95):>8.0f}"
        )


if __name__ == "__main__":
    main()
