"""Cite, describe and trace a source through the API and its page: citations (text, BibTeX,
CSL-JSON), Dublin Core and JSON-LD (embedded in the page), provenance and the original's download;
and restricted sources absent from each of these outputs, from /api/stats and from the region and
district facets, unless a key grants them."""

from __future__ import annotations

import hashlib
import html
import json
import re

import pytest
from lxml import etree

from tests.conftest import CORPORA, REPO
from tests.search_api.conftest import READ_KEY, WRITE_KEY, auth

STORY, DOCUMENT = "oral_histories/bualai-pla-daek.vtt", "documents/pla-ra-ubon.md"
RESTRICTED = "documents/ya-to-kraduk-family-songkhla.txt"
RESTRICTED_WORDS = ("ต่อกระดูก", "แก้วประดับ", "ya-to-kraduk")


def embedded_json_ld(page: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.DOTALL)
    assert found, "the page embeds no JSON-LD"
    return json.loads(found.group(1))


def test_cite_as_text_bibtex_and_csl_json(client):
    text = client.get(f"/api/cite/{STORY}", params={"format": "text"}).json()
    assert text["thai"].startswith("บัวลาย ศรีวงษา. (15 มกราคม 2567 / ค.ศ. 2024). แม่บัวลายเล่าเรื่องปลาแดก")
    assert "(January 15, 2024; B.E. 2567)" in text["english"] and text["url"].endswith(f"/sources/{STORY}")
    bibtex = client.get(f"/api/cite/{STORY}", params={"format": "bibtex"})
    assert bibtex.headers["content-type"].startswith("application/x-bibtex")
    assert 'filename="panya2024bualai-pla-daek.bib"' in bibtex.headers["content-disposition"]
    assert (
        bibtex.text.startswith("@misc{panya2024bualai-pla-daek,")
        and "author = {{บัวลาย ศรีวงษา}}" in bibtex.text
    )
    csl = client.get(f"/api/cite/{STORY}", params={"format": "csl-json"})
    assert csl.headers["content-type"].startswith("application/vnd.citationstyles.csl+json")
    [item] = csl.json()
    assert item["type"] == "interview" and item["issued"] == {"date-parts": [[2024, 1, 15]]}


def test_a_moment_is_cited_with_its_permalink(client):
    text = client.get(f"/api/cite/{STORY}", params={"format": "text", "t": 63.4}).json()
    assert text["url"].endswith(f"/sources/{STORY}?t=63") and text["thai"].endswith("?t=63")


def test_records_as_dublin_core_and_json_ld(client):
    schema = etree.XMLSchema(etree.parse(str(REPO / "tests/schemas/oai_dc.xsd")))
    response = client.get(f"/api/records/{DOCUMENT}", params={"format": "oai_dc"})
    assert response.headers["content-type"].startswith("application/xml")
    schema.assertValid(etree.fromstring(response.content))
    assert "<dc:creator>นิภาพร ทองสุข</dc:creator>" in response.text
    data = client.get(f"/api/records/{STORY}", params={"format": "jsonld"})
    assert data.headers["content-type"].startswith("application/ld+json")
    assert data.json()["@type"] == "AudioObject" and "contentUrl" not in data.json()  # no recording kept
    recorded = client.get("/api/records/oral_histories/saijai-khao-lam-nong-mon.vtt").json()
    assert recorded["contentUrl"].endswith("/media/oral_histories/audio/saijai-khao-lam-nong-mon.wav")
    product = client.get("/api/records/products/otop.csv%23NNE-001").json()
    assert product["@type"] == "Product" and product["offers"]["priceCurrency"] == "THB"


@pytest.mark.parametrize("source_id", [DOCUMENT, STORY, "products/otop.csv#NNE-001"])
def test_the_source_page_embeds_the_same_json_ld(client, source_id):
    quoted = source_id.replace("#", "%23")
    page = client.get(f"/sources/{quoted}").text
    assert embedded_json_ld(page) == client.get(f"/api/records/{quoted}", params={"format": "jsonld"}).json()


def test_the_source_page_cites_and_traces_in_thai(client):
    page = html.unescape(client.get(f"/sources/{DOCUMENT}").text)
    assert 'id="cite"' in page and "อ้างอิง" in page
    assert "นิภาพร ทองสุข. (12 มีนาคม 2566 / ค.ศ. 2023). ปลาร้าริมฝั่งมูล" in page
    assert "Retrieved" in page and f"/api/cite/{DOCUMENT}?format=bibtex" in page
    assert re.search(
        r"เพิ่มเข้าคลังเมื่อ</dt><dd><time datetime=\"[^\"]+Z\">\d{1,2} \S+ 25\d\d เวลา \d\d:\d\d น\.", page
    )
    sha = hashlib.sha256((CORPORA / DOCUMENT).read_bytes()).hexdigest()
    assert sha in page and "pla-ra-ubon.md</a>" in page
    assert '<time class="date" datetime="2023-03-12">12 มีนาคม 2566</time>' in page  # B.E., Thai month


def test_provenance_in_the_api_and_the_original_download(client):
    view = client.get(f"/api/sources/{DOCUMENT}").json()
    provenance = view["provenance"]
    assert provenance["added_by"] == "cli" and provenance["original_name"] == "pla-ra-ubon.md"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", provenance["added_at"])
    original = client.get(f"/api/sources/{DOCUMENT}/original")
    assert original.status_code == 200 and original.content == (CORPORA / DOCUMENT).read_bytes()
    assert hashlib.sha256(original.content).hexdigest() == provenance["original_sha256"]


def test_provenance_names_the_key_never_the_key_itself(writable_client):
    files = [("files", ("jin-som-phrae.txt", (CORPORA / "documents/jin-som-phrae.txt").read_bytes()))]
    assert writable_client.post("/api/sources", files=files, headers=auth(WRITE_KEY)).status_code == 201
    view = writable_client.get("/api/sources/jin-som-phrae.txt")
    assert view.json()["provenance"]["added_by"] == "write-key-1"
    outputs = [view, writable_client.get("/sources/jin-som-phrae.txt"), writable_client.get("/api/export"),
               writable_client.get("/api/export", params={"format": "csv"}),
               writable_client.get("/oai", params={"verb": "ListRecords", "metadataPrefix": "oai_dc"})]  # fmt: skip
    assert all(response.status_code == 200 and WRITE_KEY not in response.text for response in outputs)


# ---- restricted sources: absent from every output without a key that grants them ----


@pytest.mark.parametrize(
    "path",
    [
        f"/api/cite/{RESTRICTED}?format=text",
        f"/api/cite/{RESTRICTED}?format=bibtex",
        f"/api/cite/{RESTRICTED}?format=csl-json",
        f"/api/records/{RESTRICTED}?format=oai_dc",
        f"/api/records/{RESTRICTED}?format=jsonld",
        f"/api/sources/{RESTRICTED}/original",
        f"/api/sources/{RESTRICTED}",
        f"/sources/{RESTRICTED}",
    ],
)
def test_restricted_source_is_404_in_each_output_without_a_key(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert not any(word in response.text for word in RESTRICTED_WORDS[:2])
    granted = client.get(path, headers=auth(READ_KEY))
    if path.startswith("/api/"):  # a read key grants them through the API (the web page is for the public)
        assert granted.status_code == 200 and ("ต่อกระดูก" in granted.text or path.endswith("/original"))


def test_restricted_sources_are_not_counted_in_stats_without_a_key(client):
    public, keyed = client.get("/api/stats").json(), client.get("/api/stats", headers=auth(READ_KEY)).json()
    assert keyed["sources"] == public["sources"] + 1 and not public["restricted_included"]
    assert keyed["by_region"]["ใต้"] == public["by_region"]["ใต้"] + 1
    songkhla = [
        next(p for p in figures["provinces"] if p["province"] == "สงขลา") for figures in (public, keyed)
    ]
    assert songkhla[1]["sources"] == songkhla[0]["sources"] + 1
    assert not any(word in client.get("/stats").text for word in RESTRICTED_WORDS)


def test_region_and_district_facets_leave_restricted_sources_out(client):
    public = client.get("/api/facets").json()["facets"]
    keyed = client.get("/api/facets", headers=auth(READ_KEY)).json()["facets"]
    assert keyed["region"]["ใต้"] == public["region"]["ใต้"] + 1
    assert keyed["district"]["รัตภูมิ"] == public["district"].get("รัตภูมิ", 0) + 1
    assert "รัตภูมิ" not in client.get("/", params={"province": "สงขลา"}).text  # the UI's district chips
    # every source with a province has its region, products included: the chip finds all of a region's
    isan = client.get("/api/facets", params={"region": "อีสาน"}).json()["facets"]
    assert isan["type"]["product"] >= 3 and set(isan["region"]) == {"อีสาน"}
    assert sum(public["region"].values()) == sum(public["type"].values())
