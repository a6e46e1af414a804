"""Search quality and behaviour on the sample corpora, real model, real embedded Qdrant."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from query.request import SearchRequest
from tests.conftest import CORPORA

QUERIES = [json.loads(line) for line in (CORPORA / "queries.jsonl").read_text().splitlines() if line.strip()]
RESTRICTED = "documents/ya-to-kraduk-family-songkhla.txt"


def top(archive, query, k=5, **options):
    return [result.source_id for result in archive.search(query, limit=k, **options).results]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("วิธีทําปลาราใหหอม", "documents/pla-ra-ubon.md"),  # typo: missing tone marks, ทํา with nikhahit
        ("ผาไหมมัดหมี", "documents/mat-mi-silk-surin.md"),  # missing tone marks
        ("บุญบั้งไฟยโสทร", "documents/bung-fai-yasothon.md"),  # misspelt province
        ("ปลาแดกเฮ็ดจั่งใด๋", "oral_histories/bualai-pla-daek.vtt"),  # Isan: how do you make pla daek?
        ("จิ๊นส้มทำยังไง ใส่ข้าวเหนียวเท่าไหร่", "documents/jin-som-phrae.txt"),  # Northern word for naem
        ("บูดูเคี่ยวราดข้าวยำ", "documents/budu-tai-pla-pattani.md"),  # Southern budu
        ("fermented fish Ubon", "documents/pla-ra-ubon.md"),  # English → Thai content
        ("shadow puppet theatre Phatthalung", "documents/nang-talung-phatthalung.pdf"),
        ("rice goddess Mae Phosop ceremony", "oral_histories/lamduan-tham-khwan-khao.srt"),
        # no name to spell: found through the English glossary's Thai (ทอผ้า, ผ้าไหม; ลูกประคบ)
        ("how to weave silk", "documents/mat-mi-silk-surin.md"),
        ("herbal compress for muscle aches", "documents/luk-prakop-nakhon-pathom.txt"),
    ],
)
def test_everyday_dialect_and_english_queries_find_the_source_in_top_5(corpus_archive, query, expected):
    assert expected in top(corpus_archive, query)


def test_every_kind_of_sample_query_is_answered_in_top_5(corpus_archive):
    """Regression guards at the measured levels (README)."""
    hits = defaultdict(list)
    for query in QUERIES:
        if query["kind"] in ("restricted", "no_answer", "constraint"):
            continue
        found = set(top(corpus_archive, query["query"])) & set(query["expected"])
        hits[query["kind"]].append(bool(found))
    rates = {kind: sum(found) / len(found) for kind, found in hits.items()}
    floors = {
        "plain": 0.95,
        "typo": 0.9,
        "dialect": 0.95,
        "product": 0.95,
        "moment": 0.9,
        "teacher": 0.9,
        "english": 0.9,
    }
    assert all(rates[kind] >= floor for kind, floor in floors.items()), rates


def test_questions_the_archive_cannot_answer_get_nothing(corpus_archive):
    no_answer = [q["query"] for q in QUERIES if q["kind"] == "no_answer"]
    empty = [query for query in no_answer if corpus_archive.search(query).total == 0]
    assert len(empty) / len(no_answer) >= 0.85, set(no_answer) - set(empty)
    page = corpus_archive.search("zzzzqqq")
    assert page.total == 0 and page.results == [] and len(page.closest) <= 3


def test_a_price_in_the_question_filters_and_a_place_boosts(corpus_archive):
    page = corpus_archive.search("ผ้าไหมราคาไม่เกิน 5000")
    assert page.understood.price_max == 5000 and page.results
    assert all(r.meta.get("price") is not None and r.meta["price"] <= 5000 for r in page.results)
    place = corpus_archive.search("ลูกประคบ นครปฐม")
    assert place.understood.province == "นครปฐม" and place.results[0].meta["province"] == "นครปฐม"


def test_a_question_of_only_a_place_and_buying_lists_that_places_products(corpus_archive):
    # "souvenirs from Korat": no topic for the cut-off to judge, every Korat product answers
    page = corpus_archive.search("ของฝากโคราช")
    assert page.total >= 1 and page.understood.province == "นครราชสีมา"
    assert {(r.type, r.meta["province"]) for r in page.results} == {("product", "นครราชสีมา")}
    # with a topic, the cut-off still judges: nothing in the archive is an iPhone
    assert corpus_archive.search("ซื้อไอโฟนราคาไม่เกิน 5000").total == 0


def test_a_kind_of_product_with_a_price_lists_that_kind_within_the_price(corpus_archive):
    # "handmade", "ของกิน": kinds of product, not topics; with a price limit, every such product answers
    crafts = corpus_archive.search("handmade souvenir under 500 baht")
    assert crafts.understood.category == "handicraft" and crafts.understood.kind == "handmade"
    assert crafts.total >= 1
    assert all(r.meta["category"] == "handicraft" and r.meta["price"] <= 500 for r in crafts.results)
    food = corpus_archive.search("ของกินราคาไม่เกิน 100 บาท")
    assert food.understood.category == "food" and food.total >= 3
    assert all(r.meta["category"] == "food" and r.meta["price"] <= 100 for r in food.results)
    # without a wish to buy, อาหาร is what the question is about, and the documents answer too
    about = corpus_archive.search("อาหารหมักของภาคใต้")
    assert about.understood.category is None and any(r.type == "document" for r in about.results)


def test_thai_names_spelled_in_latin_letters_answer_an_english_question(corpus_archive):
    # nothing of "Bo Sang" or "budu" is in the Thai text: the names are matched by their romanization
    assert top(corpus_archive, "Bo Sang paper umbrella making", 1) == ["documents/bo-sang-umbrella.md"]
    assert top(corpus_archive, "fermented anchovy sauce budu", 1) == ["documents/budu-tai-pla-pattani.md"]
    assert corpus_archive.search("how to replace a cracked iPhone screen").total == 0


def test_the_moment_of_a_dialect_question_is_the_answer_not_the_sales_talk(corpus_archive):
    question = "ปลาแดกหมักดนปานใด๋จั่งนัว"  # Isan: how long must pla daek ferment to taste good?
    (label,) = [q["moment"] for q in QUERIES if q["query"] == question]
    (hit, *_) = corpus_archive.search(question, type="oral_history").results
    assert hit.source_id == "oral_histories/bualai-pla-daek.vtt"
    assert hit.start <= label[1] and hit.end >= label[0], (hit.start, hit.end, label)


@pytest.mark.parametrize(
    "question",
    [
        "ตาแหลวที่ปักหัวคันนาสานยังไง มีไว้ทำไม",  # with " ?" the cut-off once judged it unanswerable
        "งานหัตถกรรมตกแต่งบ้าน ราคาระหว่าง 500 ถึง 1,000 บาท",  # with "?" it once found nothing
        "ปลาแดกหมักดนปานใด๋จั่งนัว",  # with "?" the moment once moved off the answer
    ],
)
def test_a_question_mark_an_emoji_or_a_polite_word_gives_the_same_answers(corpus_archive, question):
    plain = corpus_archive.search(question, limit=5)
    assert plain.total > 0
    for typed in (question + "?", question + " ??", f'"{question}" 🙏', question + "ครับ", question + "คะ"):
        marked = corpus_archive.search(typed, limit=5)
        assert marked.total == plain.total, typed
        assert [(r.source_id, r.start, r.end) for r in marked.results] == [
            (r.source_id, r.start, r.end) for r in plain.results
        ], typed


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (
            "งาน หัตถกรรม ตกแต่ง บ้าน ราคา ระหว่าง 500 ถึง 1,000 บาท",
            "งานหัตถกรรมตกแต่งบ้านราคาระหว่าง 500 ถึง 1,000 บาท",
        ),
        ("ปลาแดก หมัก ดน ปาน ใด๋ จั่ง นัว", "ปลาแดกหมักดนปานใด๋จั่งนัว"),  # a word at a time, on a phone
        ("ปลาแดกหมักดนปานใด๋จั่งนัวววว", "ปลาแดกหมักดนปานใด๋จั่งนัว"),  # a letter stretched
    ],
)
def test_a_question_typed_a_word_at_a_time_or_stretched_reads_as_typed_solid(corpus_archive, typed, meant):
    plain, spaced = corpus_archive.search(meant, limit=5), corpus_archive.search(typed, limit=5)
    assert plain.total > 0 and spaced.total == plain.total
    assert [(r.source_id, r.start) for r in spaced.results] == [(r.source_id, r.start) for r in plain.results]


def test_suggestions_never_offer_a_restricted_title(corpus_archive):
    restricted_title = corpus_archive.source(RESTRICTED, include_restricted=True).meta["title"]
    offered = [s.text for s in corpus_archive.suggest(restricted_title[:4], limit=20).suggestions]
    offered += [s.text for s in corpus_archive.suggest("ตำรายา", limit=20).suggestions]
    assert restricted_title not in offered
    assert corpus_archive.suggest("ผ้าไหม").suggestions


@pytest.mark.parametrize("query", [q["query"] for q in QUERIES if q["kind"] == "restricted"])
def test_restricted_source_is_never_returned_unless_allowed(corpus_archive, query):
    page = corpus_archive.search(query, limit=50)
    assert RESTRICTED not in [result.source_id for result in page.results]
    assert RESTRICTED in top(corpus_archive, query, include_restricted=True)


def test_filters_narrow_results(corpus_archive):
    products = corpus_archive.search("ผ้าทอมือ", limit=20, type="product").results
    assert products and {r.type for r in products} == {"product"}
    surin = corpus_archive.search("ผ้าไหม", limit=20, province="สุรินทร์").results
    assert surin and {r.meta["province"] for r in surin} == {"สุรินทร์"}
    rituals = corpus_archive.search("ประเพณี", limit=20, category="rituals").results
    assert rituals and {r.meta["category"] for r in rituals} == {"rituals"}


def test_results_are_one_per_source_ranked_and_paginated(corpus_archive):
    # four sources of the sample corpora say ปลาร้า (a guide, an interview, two products): all four, nothing else
    page = corpus_archive.search("ปลาร้า", limit=2)
    ids = [r.source_id for r in page.results]
    assert len(ids) == len(set(ids)) == 2 and page.total == 4
    assert [r.score for r in page.results] == sorted((r.score for r in page.results), reverse=True)
    second = corpus_archive.search("ปลาร้า", limit=2, offset=2)
    assert len(second.results) == 2 and not set(ids) & {r.source_id for r in second.results}
    assert set(ids) | {r.source_id for r in second.results} == {
        "documents/pla-ra-ubon.md",
        "oral_histories/bualai-pla-daek.vtt",
        "products/otop.csv#NNE-002",
        "products/village-shop.jsonl#NNE-012",
    }


def test_oral_history_results_carry_speaker_and_times(corpus_archive):
    (result,) = [
        r for r in corpus_archive.search("ปลาแดกเฮ็ดจั่งใด๋", limit=5).results if r.type == "oral_history"
    ][:1]
    assert result.start is not None and result.end > result.start
    assert result.meta["speakers"] and result.meta.get("sage")


def test_product_results_carry_price_unit_producer_contact(corpus_archive):
    (result, *_) = corpus_archive.search("น้ำผึ้งป่าราคาเท่าไหร่", limit=5, type="product").results
    assert isinstance(result.meta["price"], float) and result.meta["unit"]
    assert result.meta["producer"] and result.meta["contact"]


def test_snippet_marks_query_words_and_escapes_html(corpus_archive):
    (result, *_) = corpus_archive.search("หน้ากากผีตาโขน", limit=1).results
    assert "ผีตาโขน</mark>" in result.snippet and "<mark>" in result.snippet
    assert "<script" not in result.snippet


def test_keyword_and_dense_modes(corpus_archive):
    assert top(corpus_archive, "เพชรสังฆาต", mode="keyword", include_restricted=True)[0] == RESTRICTED
    assert "documents/pla-ra-ubon.md" in top(corpus_archive, "fermented fish", mode="dense")
    assert top(corpus_archive, "zzzz qqqq", mode="keyword") == []


def test_browsing_pages_through_every_source_once_in_the_order_asked(corpus_archive):
    from index.thai_text import sort_key
    from query.request import SearchRequest

    for sort in ("title", "date", "price_asc", "price_desc"):
        first = corpus_archive.browse(SearchRequest(sort=sort, limit=50))
        rest = corpus_archive.browse(SearchRequest(sort=sort, limit=50, offset=50))
        listed = first.results + rest.results
        assert (
            first.total == rest.total == len(listed) == corpus_archive.stats()["sources"] - 1
        )  # one restricted
        assert len({r.source_id for r in listed}) == len(listed)
        if sort == "title":
            keys = [sort_key(r.title) for r in listed]
            assert keys == sorted(keys) and listed[0].title.startswith("ก")
        elif sort == "date":
            dates = [r.meta["date"] for r in listed if r.meta.get("date")]
            assert dates == sorted(dates, reverse=True) and dates[0] >= "2024"
            assert not listed[-1].meta.get("date")  # the undated come last
        else:
            prices = [r.meta["price"] for r in listed if r.meta.get("price") is not None]
            assert prices == sorted(prices, reverse=sort == "price_desc") and len(prices) >= 20
            assert all(r.meta.get("price") is None for r in listed[len(prices) :])  # priced first


def test_small_browse_pages_join_into_the_one_long_listing(corpus_archive):
    """A page is read from its own stretch of the order (and the titles that tie on either side of
    it): seven at a time, the pages agree, source for source, with one page of everything."""
    from query.request import SearchRequest

    for sort in ("title", "price_asc", "date"):
        everything = [
            r.source_id
            for offset in (0, 50)
            for r in corpus_archive.browse(SearchRequest(sort=sort, limit=50, offset=offset)).results
        ]
        paged = []
        for offset in range(0, len(everything), 7):
            paged += [
                r.source_id
                for r in corpus_archive.browse(SearchRequest(sort=sort, limit=7, offset=offset)).results
            ]
        assert paged == everything and len(everything) > 40, sort


def test_browsing_a_province_counts_in_the_store(corpus_archive):
    from query.request import SearchRequest

    page = corpus_archive.browse(SearchRequest(province="อุบลราชธานี", limit=2))
    assert page.total >= 3 and len(page.results) == 2
    assert all(r.meta["province"] == "อุบลราชธานี" for r in page.results)


def test_a_repeated_question_is_embedded_once(corpus_archive):
    """A results page asks twice (results, then filter counts): the model runs once per question."""
    dense = corpus_archive.querying.dense
    calls = []
    original = dense.run

    def counting(text, **options):
        calls.append(text)
        return original(text, **options)

    dense.run = counting
    try:
        first = corpus_archive.search("หมอลำกลอนฝึกร้องยังไง  วันนี้")
        facets = corpus_archive.facets(SearchRequest(q="หมอลำกลอนฝึกร้องยังไง วันนี้"))
        again = corpus_archive.search("หมอลำกลอนฝึกร้องยังไง วันนี้")
    finally:
        del dense.run
    assert len(calls) == 1  # the same question after normalisation (the doubled space folds away)
    assert [r.source_id for r in again.results] == [r.source_id for r in first.results]
    assert facets.total == first.total


def test_a_broad_question_is_judged_deeper_a_narrow_one_once(corpus_archive, monkeypatch):
    """The cut-off judges a few sources first and more only when half or more of them are
    results: at depths of 6 and 18 sources, "hand-woven cloth" (nine answers in the sample
    archive) is judged twice and keeps all nine; the phi ta khon mask (two answers) is judged once."""
    import panya.archive

    monkeypatch.setattr(panya.archive, "JUDGED", (6, 18))
    monkeypatch.setattr(panya.archive, "FETCHED", (18, 60))
    depths = []
    retrieve = corpus_archive.retrieve

    def counting(*args, **options):
        depths.append(args[-1] if len(args) > 5 else options.get("depth", 0))
        return retrieve(*args, **options)

    monkeypatch.setattr(corpus_archive, "retrieve", counting)
    corpus_archive.forget_answers()
    try:
        broad = corpus_archive.search("ผ้าทอมือ")
        assert depths == [0, 1] and broad.total > 6
        assert "documents/na-muen-si-trang.docx" in [r.source_id for r in broad.results]
        depths.clear()
        narrow = corpus_archive.search("หน้ากากผีตาโขนทำจากอะไร")
        assert depths == [0] and 1 <= narrow.total < 3
        assert narrow.results[0].source_id == "documents/phi-ta-khon-loei.md"
    finally:
        corpus_archive.forget_answers()


def test_the_archive_knows_a_word_only_if_a_source_the_searcher_may_see_holds_it(corpus_archive):
    from query.filters import search_filters
    from query.planner import plan_search

    public, staff = search_filters(include_restricted=False), search_filters(include_restricted=True)
    knows = corpus_archive.querying.knows
    assert knows("ปลาร้า", public) and not knows("ไส้อั่ว", staff)
    # only the restricted bone-setting formula holds เพชรสังฆาต and เฝือก: unknown to the public
    assert knows("เพชรสังฆาต", staff) and not knows("เพชรสังฆาต", public) and not knows("เฝือก", public)
    # a question in the archive's words (how long to ferment) against a dish it has never recorded
    assert corpus_archive._knows_words("หมักนานกี่วัน", None, public)()
    assert not corpus_archive._knows_words("ไส้อั่วสมุนไพรทำยังไง", None, public)()
    assert not corpus_archive._knows_words("ใช้อะไรบ้าง", None, public)()  # only function words
    # an Isan word the archive lacks (ไฮ่) is known through the central word it stands for (ไร่)
    plan = plan_search(SearchRequest(q="ทำไฮ่ปลูกข้าว"))
    assert not knows("ไฮ่", public) and plan.same == {"ไร่": "ไฮ่"}
    assert corpus_archive._knows_words(plan.text, plan.same, public)()
    assert not corpus_archive._knows_words(plan.text, None, public)()
