"""Choose chunk size and fusion weight by measurement (prints a table; asserts nothing).

    .venv/bin/python benchmarks/tune_retrieval.py ../shared/datasets/iapp-wiki-qa/data.zip \
        --chunk-sizes 300 500 800 --weights 0 0.3 0.4 0.45 0.5 0.6 1

Each chunk size is indexed once into a temporary store; every weight then reruns all test
questions through the real query pipeline (only the retriever's weight changes).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from panya.archive import Archive
from panya.evaluation.datasets import load_task
from panya.evaluation.metrics import evaluate
from panya.evaluation.runner import index_corpus, search_queries
from panya.settings import Settings, apply_offline_environment


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--chunk-sizes", type=int, nargs="+", default=[500])
    parser.add_argument("--overlap-ratio", type=float, default=0.2)
    parser.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.3, 0.4, 0.45, 0.5, 0.6, 1.0])
    parser.add_argument("--candidates", type=int, nargs="+", default=[100])
    args = parser.parse_args()
    apply_offline_environment()
    task = load_task(args.dataset)
    rows = []
    for size in args.chunk_sizes:
        with tempfile.TemporaryDirectory(prefix="panya-tune-") as data_dir:
            settings = Settings(
                data_dir=Path(data_dir),
                chunk_size=size,
                chunk_overlap=int(size * args.overlap_ratio),
                _env_file=None,
            )
            with Archive(settings) as archive:
                seconds, chunks = index_corpus(archive, task.corpus, progress=False)
                retriever = archive.querying.get_component("retriever")
                for candidates in args.candidates:
                    for weight in args.weights:
                        retriever.dense_weight, retriever.candidates = weight, candidates
                        run, latencies = search_queries(archive, task.queries, progress=False)
                        metrics = evaluate(run, task.qrels)
                        row = {
                            "chunk_size": size,
                            "chunks": chunks,
                            "index_s": round(seconds, 1),
                            "candidates": candidates,
                            "dense_weight": weight,
                            **metrics,
                            "query_ms_p50": sorted(latencies)[len(latencies) // 2],
                        }
                        rows.append(row)
                        print(json.dumps(row), flush=True)
    best = max(rows, key=lambda r: (r["MRR@10"], r["R@1"]))
    print("best:", json.dumps(best))


if __name__ == "__main__":
    main()
