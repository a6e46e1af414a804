"""A source as other systems read it: Dublin Core (valid oai_dc, checked offline against the schema
in tests/schemas/) and schema.org JSON-LD, for one document, one oral history and one product of the
sample corpora, as ingest stores them."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from query.records import DC, dublin_core, json_ld, script_json
from tests.conftest import REPO
from tests.query.test_citation import stored_meta

BASE = "https://panya.example/sources/"
DOCUMENT, STORY, PRODUCT = (
    "documents/pla-ra-ubon.md",
    "oral_histories/bualai-pla-daek.vtt",
    "products/otop.csv#NNE-001",
)


@pytest.fixture(scope="module")
def oai_dc() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(REPO / "tests/schemas/oai_dc.xsd")))


def elements(record: etree._Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for child in record:
        found.setdefault(child.tag.removeprefix(DC), []).append(child.text)
    return found


def test_the_schema_check_can_fail(oai_dc):
    record = dublin_core(stored_meta(DOCUMENT), BASE + DOCUMENT, "ปลาร้า")
    etree.SubElement(record, DC + "author").text = "not a Dublin Core element"
    assert not oai_dc.validate(record)


def test_document_as_dublin_core(oai_dc):
    record = dublin_core(stored_meta(DOCUMENT), BASE + DOCUMENT, "ปลาร้าริมฝั่งมูล " * 80, "การถนอมอาหาร")
    oai_dc.assertValid(record)
    dc = elements(record)
    assert dc["title"] == ["ปลาร้าริมฝั่งมูล: ภูมิปัญญาการหมักปลาของชาวพิบูลมังสาหาร"]
    assert dc["creator"] == ["นิภาพร ทองสุข"] and dc["date"] == ["2023-03-12"]
    assert dc["subject"][0] == "การถนอมอาหาร" and "ปลาร้า" in dc["subject"]
    assert dc["type"] == ["Text", "Local wisdom document"] and dc["format"] == ["text/markdown"]
    assert (
        dc["identifier"] == [BASE + DOCUMENT] and dc["language"] == ["tha"] and dc["rights"] == ["CC-BY-4.0"]
    )
    assert dc["coverage"] == ["บ้านดอนตะลี อำเภอพิบูลมังสาหาร จังหวัดอุบลราชธานี",
                              "บ้านดอนตะลี, พิบูลมังสาหาร, Ubon Ratchathani, Thailand"]  # fmt: skip
    assert len(dc["description"][0]) <= 510 and dc["description"][0].endswith("…")


def test_oral_history_as_dublin_core(oai_dc):
    record = dublin_core(stored_meta(STORY), BASE + STORY, "ปลาแดก")
    oai_dc.assertValid(record)
    dc = elements(record)
    assert dc["creator"] == ["บัวลาย ศรีวงษา"]  # the sage is also the interviewee: named once
    assert dc["contributor"] == ["ดารุณี พรหมสาขา"] and dc["type"] == ["Sound", "Oral history"]
    assert dc["language"] == ["tts"] and dc["date"] == ["2024-01-15"]  # Isan, ISO 639-3


def test_product_as_dublin_core_with_its_price_in_baht(oai_dc):
    meta = stored_meta(PRODUCT)
    record = dublin_core(meta, BASE + PRODUCT, "ผ้าไหม")
    oai_dc.assertValid(record)
    dc = elements(record)
    assert dc["creator"] == [meta["producer"]] and dc["type"] == ["PhysicalObject", "Community product"]
    assert "ราคา 4500 บาท / ผืน (THB)" in dc["description"]


def test_xml_that_a_title_could_break_is_dropped_or_escaped(oai_dc):
    record = dublin_core({"title": "ผ้า <b>ไหม</b> & \x0bฝ้าย", "type": "document"}, BASE + "x", "")
    oai_dc.assertValid(record)
    assert b"&lt;b&gt;" in etree.tostring(record) and elements(record)["title"] == ["ผ้า <b>ไหม</b> & ฝ้าย"]


def test_document_as_json_ld_creative_work():
    data = json_ld(stored_meta(DOCUMENT), BASE + DOCUMENT, "ปลาร้า", "การถนอมอาหาร")
    assert data["@context"] == "https://schema.org" and data["@type"] == "CreativeWork"
    assert (
        data["author"] == {"@type": "Person", "name": "นิภาพร ทองสุข"} and data["dateCreated"] == "2023-03-12"
    )
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/" and data["inLanguage"] == "th"
    place = data["spatialCoverage"]
    assert place["@type"] == "Place" and place["address"]["addressRegion"] == "อุบลราชธานี"
    assert place["address"]["addressCountry"] == "TH" and data["keywords"].startswith("การถนอมอาหาร, ปลาร้า")


def test_oral_history_as_json_ld_audio_object_interview():
    data = json_ld(stored_meta(STORY), BASE + STORY, "ปลาแดก", audio_url="https://panya.example/media/x.mp3")
    assert data["@type"] == "AudioObject" and data["genre"].startswith("Oral history interview")
    assert data["contentUrl"] == "https://panya.example/media/x.mp3" and data["transcript"] == "ปลาแดก"
    assert data["contributor"] == {"@type": "Person", "name": "ดารุณี พรหมสาขา", "roleName": "interviewer"}
    assert data["about"] == {"@type": "Person", "name": "บัวลาย ศรีวงษา"}


def test_product_as_json_ld_with_an_offer_in_thb():
    meta = stored_meta(PRODUCT)
    data = json_ld(meta, BASE + PRODUCT, "ผ้าไหม", "หัตถกรรม")
    assert data["@type"] == "Product" and data["sku"] == "NNE-001" and data["category"] == "หัตถกรรม"
    offer = data["offers"]
    assert offer["@type"] == "Offer" and offer["price"] == "4500.00" and offer["priceCurrency"] == "THB"
    assert offer["priceSpecification"]["unitText"] == "ผืน"
    assert data["manufacturer"] == {"@type": "Organization", "name": meta["producer"]}


def test_json_ld_cannot_close_its_script_element():
    text = script_json(
        json_ld({"title": "</script><script>alert(1)</script>", "type": "document"}, BASE + "x")
    )
    assert "</script" not in text and json.loads(text)["name"] == "</script><script>alert(1)</script>"
