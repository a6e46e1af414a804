"""/oai: every verb's response is valid OAI-PMH 2.0 (records valid oai_dc), checked offline against
the schemas in tests/schemas/; a harvest walks every resumption token and gets every public source
exactly once and never a restricted one."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from panya.ingestion import Tombstones
from query.filters import all_of, equals, search_filters
from query.oai import IDENTIFIER_PREFIX
from tests.conftest import CORPORA, REPO
from tests.search_api.conftest import READ_KEY, WRITE_KEY, auth

NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}  # fmt: skip
RESTRICTED = "documents/ya-to-kraduk-family-songkhla.txt"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(REPO / "tests/schemas/harvest.xsd")))


def oai(client, schema, method: str = "get", headers: dict | None = None, **params) -> etree._Element:
    if method == "get":
        response = client.get("/oai", params=params, headers=headers or {})
    else:
        response = client.post("/oai", data=params, headers=headers or {})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
    document = etree.fromstring(response.content)
    schema.assertValid(document)  # raises with the schema's own message when the response is wrong
    return document


def error_code(document: etree._Element) -> str | None:
    error = document.find("oai:error", NS)
    return error.get("code") if error is not None else None


def public_source_ids(client) -> set[str]:
    archive = client.app.state.archive
    firsts = archive.store.filter_documents(all_of(search_filters(), equals("chunk_index", 0)))
    return {chunk.meta["source_id"] for chunk in firsts}


def test_the_schema_check_can_fail(schema):
    broken = etree.fromstring(
        b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-01-01T00:00:00Z'
        b"</responseDate><request>http://x/oai</request><error code='notACode'>x</error></OAI-PMH>"
    )
    assert not schema.validate(broken)


def test_identify_names_the_repository_and_its_policies(client, schema):
    document = oai(client, schema, verb="Identify")
    identify = document.find("oai:Identify", NS)
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:baseURL", namespaces=NS).endswith("/oai")
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "transient"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert "ปัญญา" in identify.findtext("oai:repositoryName", namespaces=NS)
    assert document.find("oai:request", NS).get("verb") == "Identify"


def test_post_is_answered_like_get(client, schema):
    document = oai(client, schema, method="post", verb="ListMetadataFormats")
    assert document.findtext(".//oai:metadataPrefix", namespaces=NS) == "oai_dc"


def test_list_sets_by_type_category_and_province(client, schema):
    document = oai(client, schema, verb="ListSets")
    specs = {s.findtext("oai:setSpec", namespaces=NS): s.findtext("oai:setName", namespaces=NS)
             for s in document.iterfind(".//oai:set", NS)}  # fmt: skip
    assert {"type", "category", "province", "type:oral_history", "type:product"} <= set(specs)
    assert specs["province:ubon-ratchathani"].startswith("อุบลราชธานี")
    assert specs["category:food-preservation"] == "การถนอมอาหาร"
    # sets come from what a harvester may see: exactly the specs of the public records, and parents
    listing = oai(client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc")
    used = {spec.text for spec in listing.iterfind(".//oai:setSpec", NS)}
    assert set(specs) == used | {"type", "category", "province"}


def test_harvest_walks_every_token_and_gets_each_public_source_once(client, schema, monkeypatch):
    monkeypatch.setattr("search_api.routes.oai.PAGE_SIZE", 7)
    seen: list[str] = []
    pages = 0
    document = oai(client, schema, verb="ListRecords", metadataPrefix="oai_dc")
    while True:
        pages += 1
        for record in document.iterfind(".//oai:record", NS):
            seen.append(record.findtext("oai:header/oai:identifier", namespaces=NS))
            assert record.find("oai:metadata/oai_dc:dc", NS) is not None
        token = document.find(".//oai:resumptionToken", NS)
        if token is None or not token.text:
            break
        assert token.get("completeListSize") and token.get("cursor") is not None
        document = oai(client, schema, verb="ListRecords", resumptionToken=token.text)
    expected = {IDENTIFIER_PREFIX + source_id for source_id in public_source_ids(client)}
    assert len(seen) == len(set(seen)), "a record came twice"
    assert set(seen) == expected and pages == -(-len(expected) // 7) and pages > 3
    assert IDENTIFIER_PREFIX + RESTRICTED not in seen


def test_list_identifiers_by_set_and_date(client, schema):
    document = oai(client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:oral_history")
    identifiers = [
        h.findtext("oai:identifier", namespaces=NS) for h in document.iterfind(".//oai:header", NS)
    ]
    oral = {IDENTIFIER_PREFIX + s for s in public_source_ids(client) if s.startswith("oral_histories/")}
    assert len(identifiers) == len(oral) >= 6 and set(identifiers) == oral
    stamps = [h.findtext("oai:datestamp", namespaces=NS) for h in document.iterfind(".//oai:header", NS)]
    everything = oai(client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type")
    first = min(h.findtext("oai:datestamp", namespaces=NS) for h in everything.iterfind(".//oai:header", NS))
    again = oai(
        client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type", **{"from": first}
    )
    assert len(again.findall(".//oai:header", NS)) == len(public_source_ids(client))
    # from the oral histories' first datestamp on: what was ingested since, never anything before
    later = oai(client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": min(stamps)})
    assert all(
        h.findtext("oai:datestamp", namespaces=NS) >= min(stamps) for h in later.iterfind(".//oai:header", NS)
    )
    none = oai(client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2001-01-01")
    assert error_code(none) == "noRecordsMatch"


def test_get_record_is_dublin_core_of_the_source(client, schema):
    identifier = IDENTIFIER_PREFIX + "oral_histories/bualai-pla-daek.vtt"
    document = oai(client, schema, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    dc = document.find(".//oai_dc:dc", NS)
    assert dc.findtext("dc:title", namespaces=NS).startswith("แม่บัวลายเล่าเรื่องปลาแดก")
    assert "บัวลาย ศรีวงษา" in [e.text for e in dc.iterfind("dc:creator", NS)]
    assert dc.findtext("dc:contributor", namespaces=NS) == "ดารุณี พรหมสาขา"
    assert [e.text for e in dc.iterfind("dc:type", NS)][0] == "Sound"
    assert dc.findtext("dc:identifier", namespaces=NS).endswith("/sources/oral_histories/bualai-pla-daek.vtt")
    assert "อุบลราชธานี" in dc.findtext("dc:coverage", namespaces=NS)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"verb": "Harvest"}, "badVerb"),
        ({}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": "oai:panya:documents/pla-ra-ubon.md"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "12 มีนาคม 2566"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01", "until": "2026-01-01T00:00:00Z"},
         "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "identifier": "oai:panya:documents/nothing.md", "metadataPrefix": "oai_dc"},
         "idDoesNotExist"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "province:atlantis"}, "noRecordsMatch"),
    ],
)  # fmt: skip
def test_protocol_errors(client, schema, params, code):
    document = oai(client, schema, **params)
    assert error_code(document) == code
    if code in ("badVerb", "badArgument"):  # the request is echoed without its arguments
        assert not document.find("oai:request", NS).attrib


def test_repeated_argument_is_bad(client, schema):
    response = client.get("/oai?verb=Identify&verb=Identify")
    document = etree.fromstring(response.content)
    schema.assertValid(document)
    assert error_code(document) == "badVerb"
    response = client.get("/oai?verb=ListSets&resumptionToken=a&resumptionToken=b")
    assert error_code(etree.fromstring(response.content)) == "badArgument"


@pytest.mark.parametrize("headers", [None, auth(READ_KEY), auth(WRITE_KEY)])
def test_restricted_sources_are_never_harvested_even_with_a_key(client, schema, headers):
    restricted = IDENTIFIER_PREFIX + RESTRICTED
    document = oai(
        client, schema, headers=headers, verb="GetRecord", identifier=restricted, metadataPrefix="oai_dc"
    )
    assert error_code(document) == "idDoesNotExist"
    listing = oai(client, schema, headers=headers, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert restricted not in etree.tostring(listing, encoding="unicode")


def test_deleted_sources_are_reported_from_their_tombstones(writable_client, schema):
    files = [("files", (name, (CORPORA / "documents" / name).read_bytes())) for name in
             ("jin-som-phrae.txt", "jin-som-phrae.meta.json", "pla-ra-ubon.md")]  # fmt: skip
    assert writable_client.post("/api/sources", files=files, headers=auth(WRITE_KEY)).status_code == 201
    deleted = writable_client.delete("/api/sources/jin-som-phrae.txt", headers=auth(WRITE_KEY))
    assert deleted.status_code == 200
    document = oai(writable_client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc")
    headers = {h.findtext("oai:identifier", namespaces=NS): h for h in document.iterfind(".//oai:header", NS)}
    gone = headers[IDENTIFIER_PREFIX + "jin-som-phrae.txt"]
    assert gone.get("status") == "deleted" and gone.findtext("oai:setSpec", namespaces=NS) == "type:document"
    assert headers[IDENTIFIER_PREFIX + "pla-ra-ubon.md"].get("status") is None
    record = oai(writable_client, schema, verb="GetRecord", identifier=IDENTIFIER_PREFIX + "jin-som-phrae.txt",
                 metadataPrefix="oai_dc")  # fmt: skip
    assert (
        record.find(".//oai:metadata", NS) is None
        and record.find(".//oai:header", NS).get("status") == "deleted"
    )
    # a tombstone written before deletions kept a time still loads, and is not reported
    data_dir = writable_client.app.state.archive.settings.data_dir
    path = Tombstones(data_dir).path
    path.write_text(json.dumps({"old/x.md": "abc"} | json.loads(path.read_text())), encoding="utf-8")
    assert Tombstones(data_dir).load()["old/x.md"] == "abc"
    again = oai(writable_client, schema, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert IDENTIFIER_PREFIX + "old/x.md" not in etree.tostring(again, encoding="unicode")
