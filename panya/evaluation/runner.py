"""``panya eval``: index a task's passages into a fresh temporary store and run every query
through the same search pipeline users get."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from haystack import Document
from tqdm import tqdm

from index.thai_text import normalize
from panya.archive import Archive
from panya.evaluation.datasets import RetrievalTask
from panya.evaluation.metrics import evaluate
from panya.settings import Settings

INDEX_BATCH = 64


def run_evaluation(
    task: RetrievalTask, settings: Settings, progress: bool | None = None, index_dir: Path | None = None
) -> dict:
    """``index_dir`` keeps the task's index there and reuses it on the next run (same task and
    settings): indexing iApp takes ten minutes on 2 cores, searching it one."""
    with tempfile.TemporaryDirectory(prefix="panya-eval-") as scratch:
        data_dir = index_dir or Path(scratch)
        eval_settings = settings.model_copy(update={"data_dir": data_dir, "qdrant_url": None})
        with Archive(eval_settings) as archive:
            if index_dir and archive.store.count_documents():
                indexing_seconds, chunks = 0.0, archive.store.count_documents()
            else:
                indexing_seconds, chunks = index_corpus(archive, task.corpus, progress)
            run, latencies = search_queries(archive, task.queries, progress)
    return {
        "metrics": evaluate(run, task.qrels),
        "queries": len(task.queries),
        "passages": len(task.corpus),
        "chunks": chunks,
        "settings": {
            key: getattr(settings, key)
            for key in (
                "embedder",
                "chunk_size",
                "chunk_overlap",
                "dense_weight",
                "candidates",
                "word_tokenizer",
            )
        },
        "timing": {
            "index_seconds": round(indexing_seconds, 1),
            "passages_per_second": round(len(task.corpus) / indexing_seconds, 1)
            if indexing_seconds
            else None,
            "query_ms_p50": round(statistics.median(latencies), 1) if latencies else None,
            "query_ms_p95": round(percentile(latencies, 95), 1) if latencies else None,
        },
    }


def index_corpus(archive: Archive, corpus: dict[str, str], progress: bool | None) -> tuple[float, int]:
    started, chunks = time.perf_counter(), 0
    documents = [
        Document(
            content=normalize(text),
            meta={
                "source_id": pid,
                "title": "",
                "type": "document",
                "fingerprint": "eval",
                "access": "public",
            },
        )
        for pid, text in corpus.items()
    ]
    batches = range(0, len(documents), INDEX_BATCH)
    for start in tqdm(batches, desc="indexing", unit="batch", file=sys.stderr, disable=_disabled(progress)):
        chunks += archive.index_sources(documents[start : start + INDEX_BATCH])
    archive.optimize()
    return time.perf_counter() - started, chunks


def search_queries(archive: Archive, queries: dict[str, str], progress: bool | None):
    run, latencies = {}, []
    for qid, question in tqdm(
        queries.items(), desc="searching", unit="q", file=sys.stderr, disable=_disabled(progress)
    ):
        page = archive.search(question, limit=10)
        latencies.append(page.took_ms)
        run[qid] = {result.source_id: result.score for result in page.results}
    return run, latencies


def _disabled(progress: bool | None) -> bool | None:
    return None if progress is None else not progress


def percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(percent / 100 * (len(ordered) - 1))))]
