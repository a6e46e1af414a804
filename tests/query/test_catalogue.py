"""The catalogue, a person's sources and a place's sources, read from the store with the access rule."""

from __future__ import annotations

import pytest

from query.catalogue import CatalogueQuery, contact_links, person_sources, place_sources, products

pytestmark = pytest.mark.integration


def test_catalogue_narrows_by_archive_category_province_and_price(corpus_archive):
    store = corpus_archive.store
    crafts = products(store, CatalogueQuery(category="crafts"), include_restricted=False)
    assert crafts and {r.meta["category"] for r in crafts} == {"handicraft", "textiles"}
    textiles = products(store, CatalogueQuery(category="textiles"), include_restricted=False)
    assert {r.meta["category"] for r in textiles} == {"textiles"} and len(textiles) < len(crafts)
    cheap = products(store, CatalogueQuery(price_max=100, sort="price_desc"), include_restricted=False)
    assert cheap and all(r.type == "product" and r.meta["price"] <= 100 for r in cheap)
    assert [r.meta["price"] for r in cheap] == sorted((r.meta["price"] for r in cheap), reverse=True)
    chiang_mai = products(
        store, CatalogueQuery(province="เชียงใหม่", sort="price_asc"), include_restricted=False
    )
    assert [r.meta["province"] for r in chiang_mai] == ["เชียงใหม่"] * len(chiang_mai)
    assert chiang_mai[-1].meta["price"] == 18500  # the teen-chok sarong


def test_blank_form_fields_mean_no_filter_and_a_reversed_range_is_put_in_order():
    query = CatalogueQuery.model_validate(
        {"category": "", "province": " ", "price_min": "500", "price_max": "100"}
    )
    assert (query.category, query.province, query.price_min, query.price_max) == (None, None, 100, 500)


def test_a_person_is_found_as_sage_author_or_producer(corpus_archive):
    store = corpus_archive.store
    weavers = person_sources(store, "วิสาหกิจชุมชนกลุ่มทอผ้าไหมบ้านสะเร็น", include_restricted=False)
    assert {r.source_id for r in weavers} == {
        "products/otop.csv#NNE-001",
        "products/village-shop.jsonl#NNE-011",
    }
    bualai = person_sources(store, "บัวลาย ศรีวงษา", include_restricted=False)
    assert [r.source_id for r in bualai] == ["oral_histories/bualai-pla-daek.vtt"]
    # the author of the restricted family manual is nobody to the public
    assert person_sources(store, "ฤทัยรัตน์ ทองขาว", include_restricted=False) == []
    assert len(person_sources(store, "ฤทัยรัตน์ ทองขาว", include_restricted=True)) == 1


def test_a_village_holds_its_knowledge_and_its_products(corpus_archive):
    village = place_sources(corpus_archive.store, "อุบลราชธานี", "บ้านหนองบัวฮี", include_restricted=False)
    assert {r.type for r in village} == {"oral_history", "product"}
    assert place_sources(corpus_archive.store, "สงขลา", None, include_restricted=False) == []


@pytest.mark.parametrize(
    ("contact", "tel", "line"),
    [
        ("081-234-5678", "tel:0812345678", None),
        ("โทร 089 999 0011 หรือ LINE: @naimuensri", "tel:0899990011", "https://line.me/R/ti/p/@naimuensri"),
        ("Line ID: banthungho", None, "https://line.me/R/ti/p/banthungho"),
        ("https://lin.ee/AbC123", None, "https://lin.ee/AbC123"),
        ("", None, None),
    ],
)
def test_contact_becomes_tap_to_call_or_line(contact, tel, line):
    assert contact_links(contact) == {"tel": tel, "line": line}
