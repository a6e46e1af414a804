"""One contract, two backends: qdrant-edge in-process, and the Qdrant server API
(qdrant-client's in-memory mode standing in for a server)."""

from __future__ import annotations

import warnings
from dataclasses import replace

import pytest
import qdrant_edge as qe
from haystack import Document
from haystack.dataclasses import SparseEmbedding
from haystack.document_stores.errors import DuplicateDocumentError
from haystack.document_stores.types import DuplicatePolicy

from index.bm25 import ThaiBM25
from index.stores.edge_document_store import EdgeDocumentStore
from index.stores.schema import EmbeddingModelMismatch, StoreInfo, StoreLocked, convert_id
from index.stores.server_document_store import ServerDocumentStore

INFO = StoreInfo(model="test-model", dimension=4)
BM25 = ThaiBM25()


def chunk(doc_id, text, vector, **meta):
    return Document(
        id=doc_id,
        content=text,
        embedding=vector,
        sparse_embedding=BM25.document(text),
        meta={"source_id": meta.pop("source_id", doc_id), "access": "public", **meta},
    )


DOCS = [
    chunk(
        "pla-ra",
        "ปลาร้าหมักเกลือกับรำข้าว",
        [1.0, 0.0, 0.0, 0.0],
        type="document",
        province="อุบลราชธานี",
        chunk_index=0,
    ),
    chunk(
        "silk",
        "ผ้าไหมมัดหมี่ทอมือ",
        [0.0, 1.0, 0.0, 0.0],
        type="product",
        province="สุรินทร์",
        chunk_index=0,
        price=1800.0,
    ),
    chunk(
        "mor-lam",
        "หมอลำกลอนลำทางยาว",
        [0.0, 0.0, 1.0, 0.0],
        type="oral_history",
        province="อุบลราชธานี",
        chunk_index=0,
        start=65.5,
    ),
    chunk(
        "secret",
        "ตำรายาประจำตระกูล",
        [0.0, 0.0, 0.0, 1.0],
        type="document",
        province="น่าน",
        chunk_index=0,
        access="restricted",
    ),
]


@pytest.fixture(params=["edge", "server"])
def store(request, tmp_path):
    if request.param == "edge":
        store = EdgeDocumentStore(tmp_path / "store", INFO)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # local mode warns that payload indexes are a no-op there
            store = ServerDocumentStore(INFO, location=":memory:")
    store.write_documents(DOCS)
    yield store
    store.close()


def test_counts_and_round_trip_of_payload(store):
    assert store.count_documents() == 4
    (silk,) = store.filter_documents({"field": "id", "operator": "==", "value": "silk"})
    assert silk.content == "ผ้าไหมมัดหมี่ทอมือ"
    assert silk.meta["province"] == "สุรินทร์" and silk.meta["price"] == 1800.0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"field": "meta.province", "operator": "==", "value": "อุบลราชธานี"}, {"pla-ra", "mor-lam"}),
        ({"field": "meta.access", "operator": "!=", "value": "restricted"}, {"pla-ra", "silk", "mor-lam"}),
        ({"field": "meta.type", "operator": "in", "value": ["product", "oral_history"]}, {"silk", "mor-lam"}),
        ({"field": "meta.type", "operator": "not in", "value": ["document"]}, {"silk", "mor-lam"}),
        ({"field": "meta.price", "operator": ">=", "value": 1000}, {"silk"}),
        ({"field": "meta.start", "operator": "<", "value": 100}, {"mor-lam"}),
        (
            {
                "operator": "OR",
                "conditions": [
                    {"field": "meta.type", "operator": "==", "value": "product"},
                    {"field": "meta.province", "operator": "==", "value": "น่าน"},
                ],
            },
            {"silk", "secret"},
        ),
        (
            {
                "operator": "NOT",
                "conditions": [{"field": "meta.province", "operator": "==", "value": "อุบลราชธานี"}],
            },
            {"silk", "secret"},
        ),
        (
            {
                "operator": "AND",
                "conditions": [
                    {"field": "meta.province", "operator": "==", "value": "อุบลราชธานี"},
                    {"field": "meta.type", "operator": "==", "value": "document"},
                ],
            },
            {"pla-ra"},
        ),
    ],
)
def test_filters_mean_the_same_on_both_backends(store, filters, expected):
    assert {d.id for d in store.filter_documents(filters)} == expected
    assert store.count_documents_by_filter(filters) == len(expected)


def test_dense_query_ranks_by_cosine_and_respects_filters(store):
    results = store.query_dense([0.9, 0.1, 0.0, 0.0], top_k=2)
    assert [d.id for d in results] == ["pla-ra", "silk"]
    assert results[0].score > results[1].score
    public = {"field": "meta.access", "operator": "!=", "value": "restricted"}
    assert "secret" not in {d.id for d in store.query_dense([0.0, 0.0, 0.0, 1.0], public, top_k=4)}


def test_sparse_query_finds_thai_words_with_idf(store):
    results = store.query_sparse(BM25.query("ผ้าไหม ทอมือ"), top_k=4)
    assert results[0].id == "silk" and results[0].score > 0
    assert store.query_sparse(SparseEmbedding(indices=[], values=[]), top_k=4) == []


def test_ranking_by_id_then_reading_the_chunks_matches_the_full_query(store):
    """A search ranks without payloads and reads only the chunks it keeps: the same chunks,
    scores and order as a query that reads every payload."""
    public = {"field": "meta.access", "operator": "!=", "value": "restricted"}
    # (no ties: chunks as near as each other come in either order)
    for vector, filters in (([0.9, 0.1, 0.0, 0.0], None), ([0.1, 0.2, 0.3, 1.0], public)):
        full = store.query_dense(vector, filters, top_k=4)
        ranked = store.rank_dense(vector, filters, top_k=4)
        points, chunks = zip(*store.chunks(ranked), strict=True)
        assert list(points) == [point for point, _ in ranked]
        assert [d.id for d in chunks] == [d.id for d in full]
        assert [d.score for d in chunks] == pytest.approx([d.score for d in full])
        assert [d.content for d in chunks] == [d.content for d in full]
        assert [point for point, _ in ranked] == [convert_id(d.id) for d in full]
    words = BM25.query("ผ้าไหม ทอมือ")
    assert [d.id for _, d in store.chunks(store.rank_sparse(words, top_k=4))] == [
        d.id for d in store.query_sparse(words, top_k=4)
    ]
    assert store.rank_sparse(SparseEmbedding(indices=[], values=[]), top_k=4) == []
    # a chunk deleted between ranking and reading is left out, not an error
    ranked = store.rank_dense([0.9, 0.1, 0.0, 0.0], top_k=2)
    store.delete_documents(["pla-ra"])
    assert [d.id for _, d in store.chunks(ranked)] == ["silk"]


def test_only_the_fields_dense_searches_are_filtered_by_get_hnsw_links_of_their_own(tmp_path):
    store = EdgeDocumentStore(tmp_path / "store", INFO)
    schema = store._shard.info().payload_schema
    links = {field: schema[field].params.enable_hnsw for field in schema}
    assert links["meta.province"] and links["meta.category"] and links["meta.type"] and links["meta.price"]
    assert not links["meta.access"] and not links["meta.chunk_index"] and not links["meta.title_order"]
    # a walk filtered by a field with links and one filtered by the access rule both still find theirs
    store.write_documents(DOCS)
    assert [
        d.id
        for d in store.query_dense(
            [0.0, 0.0, 1.0, 0.0], {"field": "meta.province", "operator": "==", "value": "อุบลราชธานี"}, top_k=1
        )
    ] == ["mor-lam"]
    public = {"field": "meta.access", "operator": "!=", "value": "restricted"}
    assert "secret" not in [d.id for d in store.query_dense([0.0, 0.0, 0.0, 1.0], public, top_k=4)]
    store.close()


def test_the_edge_store_keeps_the_chunks_read_last_and_reads_the_oldest_again(tmp_path, monkeypatch):
    import index.stores.edge_document_store as edge

    monkeypatch.setattr(edge, "KEPT_CHUNKS", 2)
    store = EdgeDocumentStore(tmp_path / "store", INFO)
    store.write_documents(DOCS)
    ranked = {d.id: (convert_id(d.id), 1.0) for d in DOCS}
    for name in ("pla-ra", "silk", "mor-lam"):
        store.chunks([ranked[name]])
    assert list(store._kept) == [ranked["silk"][0], ranked["mor-lam"][0]]  # pla-ra, the oldest, went
    ((_, pla_ra),) = store.chunks([ranked["pla-ra"]])  # read from the store again, whole
    assert pla_ra.content == "ปลาร้าหมักเกลือกับรำข้าว" and pla_ra.meta["province"] == "อุบลราชธานี"
    assert list(store._kept) == [ranked["mor-lam"][0], ranked["pla-ra"][0]]
    store.close()


def test_score_dense_gives_the_exact_cosine_of_chunks_however_far_down_the_ranking(store):
    """A chunk the keywords found but the dense ranking did not reach still has a cosine: the
    relevance cut-off must judge it by that, not by 0."""
    vector = [0.6, 0.8, 0.0, 0.0]
    ranked = dict(store.rank_dense(vector, top_k=4))
    far = [point for point, _ in store.rank_dense(vector, top_k=4)][-2:]  # the two least similar
    scored = store.score_dense(vector, far)
    assert scored == pytest.approx({point: ranked[point] for point in far})
    silk, pla_ra = convert_id("silk"), convert_id("pla-ra")
    assert store.score_dense(vector, [silk, pla_ra]) == pytest.approx({silk: 0.8, pla_ra: 0.6})
    assert store.score_dense(vector, []) == {}
    store.delete_documents(["silk"])
    assert store.score_dense(vector, [silk, pla_ra]) == pytest.approx({pla_ra: 0.6})


def test_meta_of_reads_only_the_fields_asked_for(store):
    metas = store.meta_of(
        {"field": "meta.province", "operator": "==", "value": "อุบลราชธานี"}, ["type", "price"]
    )
    assert sorted(metas, key=lambda m: m["type"]) == [{"type": "document"}, {"type": "oral_history"}]
    priced = store.meta_of(
        {"field": "meta.type", "operator": "==", "value": "product"}, ["price", "province"]
    )
    assert {"price": 1800.0, "province": "สุรินทร์"} in priced


def test_embedded_chunks_come_back_with_their_dense_vectors(store):
    found = store.embedded_chunks({"field": "meta.province", "operator": "==", "value": "อุบลราชธานี"})
    vectors = {doc.id: [round(x, 6) for x in doc.embedding] for doc in found}
    assert vectors == {"pla-ra": [1.0, 0.0, 0.0, 0.0], "mor-lam": [0.0, 0.0, 1.0, 0.0]}
    assert {doc.meta["type"] for doc in found} == {"document", "oral_history"}


def test_delete_by_filter_and_by_id(store):
    assert store.delete_by_filter({"field": "meta.province", "operator": "==", "value": "อุบลราชธานี"}) == 2
    store.delete_documents(["silk"])
    assert {d.id for d in store.filter_documents()} == {"secret"}


def test_overwrite_replaces_and_skip_keeps(store):
    store.write_documents([chunk("silk", "ผ้าไหมแพรวา", [0.0, 1.0, 0.0, 0.0])], DuplicatePolicy.SKIP)
    assert (
        store.filter_documents({"field": "id", "operator": "==", "value": "silk"})[0].content
        == "ผ้าไหมมัดหมี่ทอมือ"
    )
    store.write_documents([chunk("silk", "ผ้าไหมแพรวา", [0.0, 1.0, 0.0, 0.0])], DuplicatePolicy.OVERWRITE)
    assert (
        store.filter_documents({"field": "id", "operator": "==", "value": "silk"})[0].content == "ผ้าไหมแพรวา"
    )
    assert store.count_documents() == 4
    with pytest.raises(DuplicateDocumentError):
        store.write_documents([chunk("silk", "ซ้ำ", [0.0, 1.0, 0.0, 0.0])], DuplicatePolicy.FAIL)


def test_chunks_read_again_after_a_write_are_the_new_text_and_every_write_is_counted(store):
    ranked = store.rank_dense([0.0, 1.0, 0.0, 0.0], top_k=1)
    assert [d.content for _, d in store.chunks(ranked)] == ["ผ้าไหมมัดหมี่ทอมือ"]
    assert [d.content for _, d in store.chunks(ranked)] == ["ผ้าไหมมัดหมี่ทอมือ"]  # kept (edge)
    before = store.writes
    store.write_documents(
        [chunk("silk", "ผ้าไหมแพรวาย้อมคราม", [0.0, 1.0, 0.0, 0.0])], DuplicatePolicy.OVERWRITE
    )
    ((_, silk),) = store.chunks([(ranked[0][0], 0.5)])
    assert (silk.content, silk.score) == ("ผ้าไหมแพรวาย้อมคราม", 0.5)
    store.delete_documents(["silk"])
    assert store.chunks(ranked) == []
    store.delete_by_filter({"field": "meta.province", "operator": "==", "value": "น่าน"})
    assert store.writes == before + 6  # three writes, each counted as it begins and as it ends
    # a delete that matches nothing is no write: the readers' caches stay (an upload of new
    # sources deletes their earlier versions, which do not exist)
    assert store.delete_by_filter({"field": "meta.province", "operator": "==", "value": "ยะลา"}) == 0
    assert store.writes == before + 6


def test_facets_count_points_per_value(store):
    assert store.facet("meta.province") == {"อุบลราชธานี": 2, "สุรินทร์": 1, "น่าน": 1}
    only_public = {"field": "meta.access", "operator": "!=", "value": "restricted"}
    assert "น่าน" not in store.facet("meta.province", only_public)


def test_facet_counts_stay_exact_as_chunks_are_rewritten_and_deleted(store):
    """The stores ask Qdrant for its fast (per-segment) facet counts: a rewritten chunk, whose new
    version lands in another segment, is still counted once, and a deleted one not at all."""
    for round_ in range(3):
        store.write_documents(
            [chunk(d.id, d.content, d.embedding, **{**d.meta, "round": round_}) for d in DOCS],
            DuplicatePolicy.OVERWRITE,
        )
        store.optimize()
    moved = [chunk(d.id, d.content, d.embedding, **{**d.meta, "province": "ยโสธร"}) for d in DOCS[:2]]
    store.write_documents(moved, DuplicatePolicy.OVERWRITE)
    store.delete_documents([DOCS[3].id])
    expected: dict[str, int] = {}
    for document in moved + DOCS[2:3]:
        expected[document.meta["province"]] = expected.get(document.meta["province"], 0) + 1
    assert store.facet("meta.province") == expected
    assert sum(store.facet("meta.type").values()) == store.count_documents() == 3


def test_edge_store_survives_reopen_and_refuses_another_model(tmp_path):
    store = EdgeDocumentStore(tmp_path / "s", INFO)
    store.write_documents(DOCS)
    store.optimize()
    store.close()
    reopened = EdgeDocumentStore(tmp_path / "s", INFO)
    assert reopened.count_documents() == 4
    reopened.close()
    with pytest.raises(EmbeddingModelMismatch, match="built with test-model"):
        EdgeDocumentStore(tmp_path / "s", StoreInfo(model="other-model", dimension=4))


def test_edge_store_allows_one_process_at_a_time(tmp_path):
    store = EdgeDocumentStore(tmp_path / "s", INFO)
    try:
        with pytest.raises(StoreLocked, match="in use by pid"):
            EdgeDocumentStore(tmp_path / "s", INFO)
    finally:
        store.close()
    EdgeDocumentStore(tmp_path / "s", INFO).close()  # free again once closed


def test_both_stores_satisfy_panyas_store_protocol(store):
    from index.stores.protocol import PanyaStore

    assert isinstance(store, PanyaStore)


def test_the_one_private_qdrant_haystack_access_still_gives_the_stores_own_client():
    """qdrant-haystack keeps its client private; ``qdrant_client_of`` is the one place that reaches it.
    If a qdrant-haystack release moves it, this fails before any facet or model check does."""
    from qdrant_client import QdrantClient

    from index.stores.server_document_store import qdrant_client_of

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        store = ServerDocumentStore(INFO, location=":memory:", collection="pinned")
    store.write_documents(DOCS[:2])
    client = qdrant_client_of(store)
    assert isinstance(client, QdrantClient)
    assert client.count("pinned").count == 2  # the very collection the store writes to
    assert client.get_collection("pinned").config.params.vectors["text-dense"].size == INFO.dimension
    store.close()


def ordered(store, field, filters=None, limit=10, descending=False):
    """The chunks ``rank_ordered`` orders, read as a browse page reads them."""
    return [chunk for _, chunk in store.chunks(store.rank_ordered(field, filters, limit, descending))]


def test_rank_ordered_follows_thai_title_order_dates_and_prices(store):
    titled = [
        chunk(f"t{i}", title, [0.5, 0.5, 0.0, 0.0], title=title, date=date, chunk_index=0, **extra)
        for i, (title, date, extra) in enumerate(
            [
                ("ไก่ย่างเขาสวนกวาง", "2019-05-01", {"price": 120.0}),
                ("กาละแมเมืองเพชร", "2565", {}),  # B.E. as ingest stores it: ISO C.E.
                ("เกวียนจำลอง", None, {"price": 950.0}),
                ("ขนมจีนน้ำยา", "2023-11", {"price": 40.0}),
            ]
        )
    ]
    for document in titled:
        document.meta["date"] = {"2565": "2022"}.get(document.meta["date"], document.meta["date"])
    store.write_documents(titled, DuplicatePolicy.OVERWRITE)
    only_titled = {"field": "meta.source_id", "operator": "in", "value": ["t0", "t1", "t2", "t3"]}

    by_title = ordered(store, "meta.title_order", only_titled, limit=10)
    assert [d.meta["title"] for d in by_title] == [
        "กาละแมเมืองเพชร",
        "เกวียนจำลอง",
        "ไก่ย่างเขาสวนกวาง",  # dictionary order: ไก่ files under ก, before ข
        "ขนมจีนน้ำยา",
    ]
    newest = ordered(store, "meta.date_order", only_titled, limit=2, descending=True)
    assert [d.meta["title"] for d in newest] == ["ขนมจีนน้ำยา", "กาละแมเมืองเพชร"]
    cheapest = ordered(store, "meta.price", only_titled, limit=10)
    assert [d.meta["price"] for d in cheapest] == [40.0, 120.0, 950.0]  # the unpriced one is left out
    assert "title_order" in by_title[0].meta  # the order numbers travel with the chunk
    # the ranking carries each chunk's order number, exactly (title numbers exceed a float's 53 bits)
    ranked = store.rank_ordered("meta.title_order", only_titled, limit=10)
    assert [order for _, order in ranked] == [d.meta["title_order"] for d in by_title]
    assert all(isinstance(order, int) for _, order in ranked)


def test_an_edge_store_from_before_order_numbers_gets_them_on_open(tmp_path):
    import qdrant_edge as qe

    store = EdgeDocumentStore(tmp_path / "s", INFO)
    store.write_documents(DOCS)
    # as an older Panya left it: no order numbers, no index on them
    store._shard.update(qe.UpdateOperation.delete_field_index("meta.title_order"))
    store._shard.update(
        qe.UpdateOperation.delete_payload_by_filter(
            qe.Filter(must=[]), ["meta.title_order", "meta.date_order"]
        )
    )
    with pytest.raises(Exception, match="No range index"):
        store.rank_ordered("meta.title_order", limit=10)
    store.close()
    reopened = EdgeDocumentStore(tmp_path / "s", INFO)
    ranked = reopened.rank_ordered("meta.title_order", limit=10)
    reopened.close()
    assert len(ranked) == 4  # every chunk back in the order, none lost


def test_a_chunk_read_back_is_the_document_haystack_would_build():
    # built without Document.__init__ (Haystack's mutation checks cost ~20 µs a Document)
    from index.stores.edge_document_store import stored_document

    meta = {"source_id": "documents/pla-ra-ubon.md", "province": "อุบลราชธานี"}
    fast = stored_document("c-1", "ปลาร้าหมักเกลือ", meta, 0.82)
    assert fast == Document(id="c-1", content="ปลาร้าหมักเกลือ", meta=meta, score=0.82)
    assert (fast.blob, fast.embedding, fast.sparse_embedding) == (None, None, None)
    # without an id, Haystack's own __init__ makes one from the content, as for any Document
    assert stored_document("", "ปลาร้า", {}, None).id == Document(content="ปลาร้า").id


def _vector(rng, dimension=4):
    v = [rng.gauss(0, 1) for _ in range(dimension)]
    norm = sum(x * x for x in v) ** 0.5
    return [x / norm for x in v]


def test_the_access_rule_holds_however_the_store_applies_it(store):
    """The edge store applies ``access != restricted`` after an unfiltered walk when few chunks are
    restricted; the ranking must be the filtered one, with nothing restricted in it, before and
    after a chunk turns restricted, and when so many are that the store filters instead."""
    import random

    rng = random.Random(3)
    crafts = ["ผ้าไหมมัดหมี่", "จักสานไม้ไผ่", "ปลาร้าบอง", "ยาสมุนไพรพื้นบ้าน", "หมอลำกลอน"]
    extra = [
        chunk(
            f"c{n}",
            f"{crafts[n % 5]} ตอนที่ {n}",
            _vector(rng),
            access="restricted" if n % 9 == 0 else "public",
        )
        for n in range(60)
    ]
    store.write_documents(extra, DuplicatePolicy.OVERWRITE)
    public = {
        "operator": "AND",
        "conditions": [{"field": "meta.access", "operator": "!=", "value": "restricted"}],
    }
    queries = [_vector(rng) for _ in range(8)]

    def check():
        restricted = {
            d.id
            for d in store.filter_documents({"field": "meta.access", "operator": "==", "value": "restricted"})
        }
        for query in queries:
            expected = [convert_id(d.id) for d in store.query_dense(query, public, top_k=12)]
            ranked = store.rank_dense(query, public, top_k=12)
            assert [point for point, _ in ranked] == expected
            assert not {d.id for _, d in store.chunks(ranked)} & restricted
        return restricted

    assert len(check()) == 8  # "secret" and c0, c9 … c54
    top = store.chunks(store.rank_dense(queries[0], public, top_k=1))[0][1]
    store.write_documents([replace(top, meta=top.meta | {"access": "restricted"})], DuplicatePolicy.OVERWRITE)
    assert top.id in check()
    many = [replace(d, meta=d.meta | {"access": "restricted"}) for d in extra[:30]]
    store.write_documents(many, DuplicatePolicy.OVERWRITE)
    assert len(check()) > 30


def test_a_write_during_the_walk_makes_the_edge_store_filter_in_the_store(tmp_path):
    """A chunk turned restricted while the unfiltered walk ran could pass a list read before it:
    the walk is dropped and the store filters."""
    store = EdgeDocumentStore(tmp_path / "store", INFO)
    store.write_documents(DOCS)
    public = {"field": "meta.access", "operator": "!=", "value": "restricted"}
    store.rank_dense([0.0, 0.0, 0.0, 1.0], public, top_k=2)  # the restricted points, read
    shard, filtered = store._shard, []

    class WriteDuringWalk:
        def __getattr__(self, name):
            return getattr(shard, name)

        def query(self, request):
            filtered.append(request.filter is not None)
            if request.filter is None:
                shard.update(
                    qe.UpdateOperation.set_payload(
                        [convert_id("pla-ra")], {"access": "restricted"}, key="meta"
                    )
                )
                store.writes += 2  # (what ``_writing`` counts for a write)
            return shard.query(request)

    store._shard = WriteDuringWalk()
    try:
        ranked = store.rank_dense([1.0, 0.0, 0.0, 1.0], public, top_k=2)
    finally:
        store._shard = shard
    assert filtered == [False, True]
    assert convert_id("pla-ra") not in dict(ranked) and convert_id("secret") not in dict(ranked)
    store.close()


def test_a_store_opened_again_asks_the_kernel_to_read_its_files_back_within_a_share_of_memory(tmp_path):
    """Qdrant Edge drops a shard's files from the page cache when it closes them; opening the
    store again asks for them back, smallest first, within the budget."""
    from index.stores.edge_document_store import SHARD_DIR, read_ahead

    store = EdgeDocumentStore(tmp_path / "store", INFO)
    store.write_documents(DOCS)
    store.close()
    shard = tmp_path / "store" / SHARD_DIR
    sizes = sorted(path.stat().st_size for path in shard.rglob("*") if path.is_file())
    assert read_ahead(shard) == sum(sizes) > 0
    assert read_ahead(shard, share=0.0) == 0  # no memory to spare: nothing asked
    assert read_ahead(tmp_path / "nowhere") == 0
    reopened = EdgeDocumentStore(tmp_path / "store")
    assert {doc.id for doc in reopened.query_sparse(BM25.query("ผ้าไหม"), top_k=2)} == {"silk"}
    reopened.close()
