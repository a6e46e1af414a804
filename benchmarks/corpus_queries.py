"""How well the sample corpora's own queries (corpora/queries.jsonl) are answered, per kind.

    .venv/bin/python benchmarks/corpus_queries.py [--data-dir DIR] [--mode hybrid|dense|keyword]

Prints success@1 and success@5 (an expected source among the first k) and MRR@10 per kind
(plain, typo, dialect, english, product, teacher), and lists the misses. Restricted queries are
run as staff (restricted sources allowed): the access rule has its own tests.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from pathlib import Path

from panya.archive import Archive
from panya.ingestion import ingest_path
from panya.settings import Settings, apply_offline_environment

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data-dir", type=Path, help="reuse (or create) this data dir instead of a temporary one"
    )
    parser.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "keyword"])
    args = parser.parse_args()
    apply_offline_environment()
    queries = [json.loads(line) for line in (REPO / "corpora/queries.jsonl").read_text().splitlines() if line]
    with tempfile.TemporaryDirectory(prefix="panya-corpus-") as scratch:
        settings = Settings(data_dir=args.data_dir or Path(scratch), _env_file=None)
        with Archive(settings) as archive:
            ingest_path(archive, REPO / "corpora", progress=False)
            per_kind, misses = defaultdict(list), []
            for query in queries:
                page = archive.search(query["query"], limit=10, include_restricted=True, mode=args.mode)
                ranking = [result.source_id for result in page.results]
                rank = next((i + 1 for i, sid in enumerate(ranking) if sid in query["expected"]), None)
                per_kind[query["kind"]].append(rank)
                if rank is None or rank > 5:
                    misses.append((query["kind"], query["query"], query["expected"][0], ranking[:3]))
    print(f"{'kind':10} {'n':>3} {'S@1':>6} {'S@5':>6} {'MRR@10':>7}")
    for kind, ranks in sorted(per_kind.items()) + [("all", [r for rs in per_kind.values() for r in rs])]:
        n = len(ranks)
        print(
            f"{kind:10} {n:3d} {sum(r == 1 for r in ranks) / n:6.3f} "
            f"{sum(bool(r and r <= 5) for r in ranks) / n:6.3f} {sum(1 / r for r in ranks if r) / n:7.3f}"
        )
    for kind, text, expected, got in misses:
        print(f"miss [{kind}] {text!r}: wanted {expected}, got {got}")


if __name__ == "__main__":
    main()
