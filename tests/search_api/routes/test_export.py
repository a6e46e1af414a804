"""/api/export: the archive (or a search's results) as CSV or JSONL, restricted sources only with a
key; and the round trip: what it exports, ``panya ingest`` reads back as the same sources."""

from __future__ import annotations

import csv
import io
import json

from ingest.converters import archive_files
from panya.archive import Archive
from panya.ingestion import ingest_path
from query.filters import all_of, equals, search_filters
from tests.search_api.conftest import READ_KEY, auth

RESTRICTED = "documents/ya-to-kraduk-family-songkhla.txt"


def rows(response) -> list[dict]:
    return [json.loads(line) for line in response.text.splitlines() if line.strip()]


def public_ids(archive) -> set[str]:
    firsts = archive.store.filter_documents(all_of(search_filters(), equals("chunk_index", 0)))
    return {chunk.meta["source_id"] for chunk in firsts}


def test_the_whole_public_archive_as_jsonl(client):
    response = client.get("/api/export", params={"format": "jsonl"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/jsonl")
    assert ".panya.jsonl" in response.headers["content-disposition"]
    exported = rows(response)
    assert {row["source_id"] for row in exported} == public_ids(client.app.state.archive)
    assert len(exported) == len({row["source_id"] for row in exported})
    by_id = {row["source_id"]: row for row in exported}
    story = by_id["oral_histories/bualai-pla-daek.vtt"]
    assert story["type"] == "oral_history" and story["meta"]["sage"] == "บัวลาย ศรีวงษา"
    assert len(story["cues"]) >= 40 and story["cues"][0]["speaker"]
    assert story["url"].endswith("/sources/oral_histories/bualai-pla-daek.vtt")
    product = by_id["products/otop.csv#NNE-001"]
    assert product["meta"]["price"] == 4500 and product["url"].endswith(
        "/sources/products/otop.csv%23NNE-001"
    )
    assert "ปลาร้า" in by_id["documents/pla-ra-ubon.md"]["text"]
    assert by_id["documents/pla-ra-ubon.md"]["meta"]["original_sha256"]


def test_restricted_sources_only_with_a_key_that_grants_them(client):
    for form in ("jsonl", "csv"):
        public = client.get("/api/export", params={"format": form})
        assert RESTRICTED not in public.text and "ต่อกระดูก" not in public.text
        keyed = client.get("/api/export", params={"format": form}, headers=auth(READ_KEY))
        assert RESTRICTED in keyed.text
    searched = client.get("/api/export", params={"q": "น้ำมันเพชรสังฆาตต่อกระดูก", "format": "jsonl"})
    assert RESTRICTED not in searched.text


def test_search_results_and_facets_narrow_the_export(client):
    found = rows(client.get("/api/export", params={"q": "ผ้าไหมมัดหมี่", "format": "jsonl"}))
    assert found and len(found) < len(public_ids(client.app.state.archive))
    assert any("ผ้าไหม" in row["title"] for row in found[:3])
    products = rows(client.get("/api/export", params={"type": "product", "province": "สุรินทร์"}))
    assert products and all(r["type"] == "product" and r["meta"]["province"] == "สุรินทร์" for r in products)


def test_csv_has_spreadsheet_columns_and_the_full_record(client):
    response = client.get("/api/export", params={"format": "csv", "type": "product"})
    assert response.headers["content-type"].startswith("text/csv") and response.text.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    row = next(r for r in table if r["source_id"] == "products/otop.csv#NNE-001")
    assert row["price"] == "4500" and row["province"] == "สุรินทร์" and row["tags"].startswith("ผ้าไหม|")
    assert json.loads(row["panya_meta"])["producer"] == row["producer"]
    # the CSV and the JSONL carry the same sources to ingest
    jsonl = client.get("/api/export", params={"format": "jsonl", "type": "product"}).content
    from_csv = archive_files.convert_csv(response.content)
    from_jsonl = archive_files.convert_jsonl(jsonl)
    assert [(i.key, i.content, i.found, i.fields) for i in from_csv] == [
        (i.key, i.content, i.found, i.fields) for i in from_jsonl
    ]


def test_export_ingests_back_as_the_same_sources_and_metadata(client, settings, tmp_path):
    export = tmp_path / "panya-export.panya.jsonl"
    export.write_bytes(client.get("/api/export", params={"format": "jsonl"}).content)
    original = client.app.state.archive
    with Archive(settings) as fresh:
        report = ingest_path(fresh, export, progress=False, added_by="import")
        assert report.ok and not report.warnings, (report.failed, report.warnings)
        assert public_ids(fresh) == public_ids(original) and len(report.added) == len(public_ids(original))
        for source_id in sorted(public_ids(original)):
            before, after = original.source(source_id), fresh.source(source_id)
            assert after.meta == before.meta, source_id
            assert after.text == before.text and after.cues == before.cues, source_id
        # ingesting the same export again changes nothing
        again = ingest_path(fresh, export, progress=False)
        assert again.ok and not again.added and not again.updated and not again.removed
