from __future__ import annotations

import pytest

from tests.search_api.conftest import READ_KEY, auth

RESTRICTED = "documents/ya-to-kraduk-family-songkhla.txt"


def test_search_returns_the_cli_shape_plus_total_and_took(client):
    body = client.get("/api/search", params={"q": "ทำปลาร้ายังไงให้หอม", "limit": 3}).json()
    assert body["query"] == "ทำปลาร้ายังไงให้หอม" and body["total"] >= 3 and body["took_ms"] > 0
    first = body["results"][0]
    assert first["source_id"] in {"documents/pla-ra-ubon.md", "oral_histories/bualai-pla-daek.vtt"}
    assert set(first) >= {"source_id", "title", "type", "score", "snippet", "start", "end", "meta"}
    assert "<mark>" in first["snippet"]


def test_filters_and_pagination(client):
    products = client.get("/api/search", params={"q": "ผ้าทอ", "type": "product", "limit": 50}).json()[
        "results"
    ]
    assert products and all(r["type"] == "product" for r in products)
    assert all({"price", "unit", "producer", "contact"} <= set(r["meta"]) for r in products)
    north = client.get("/api/search", params={"q": "ผ้า", "province": "เชียงใหม่", "limit": 50}).json()[
        "results"
    ]
    assert north and all(r["meta"]["province"] == "เชียงใหม่" for r in north)
    first = client.get("/api/search", params={"q": "ปลา", "limit": 4}).json()
    second = client.get("/api/search", params={"q": "ปลา", "limit": 4, "offset": 4}).json()
    assert first["total"] == second["total"]
    assert not {r["source_id"] for r in first["results"]} & {r["source_id"] for r in second["results"]}


def test_oral_history_results_carry_speakers_and_seconds(client):
    body = client.get("/api/search", params={"q": "ปลาแดกเฮ็ดจั่งใด๋", "type": "oral_history"}).json()
    result = body["results"][0]
    assert result["start"] < result["end"] and result["meta"]["speakers"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": ""}, 422),
        ({"q": "   "}, 422),
        ({"q": "ก" * 501}, 422),
        ({}, 422),
        ({"q": "ปลา", "limit": 0}, 422),
        ({"q": "ปลา", "type": "video"}, 422),
        ({"q": "ปลา", "mode": "magic"}, 422),
    ],
)
def test_bad_queries_get_one_error_shape_in_thai_and_english(client, params, code):
    response = client.get("/api/search", params=params)
    assert response.status_code == code
    error = response.json()["error"]
    assert error["status"] == code and error["message"] and error["message_th"]


def test_facets_count_sources_for_a_query_and_for_everything(client):
    facets = client.get("/api/facets", params={"q": "ผ้าไหม"}).json()["facets"]
    assert facets["type"]["product"] >= 1 and "สุรินทร์" in facets["province"]
    everything = client.get("/api/facets").json()
    assert everything["total"] >= 55
    assert set(everything["facets"]["type"]) == {"document", "oral_history", "product"}
    assert everything["facets"]["category"]["crafts"] >= 3


def test_restricted_never_leaks_without_a_key(client):
    for query in ("ตำรายาต่อกระดูกประจำตระกูล", "น้ำมันเพชรสังฆาต", "bone setting herbal oil"):
        body = client.get("/api/search", params={"q": query, "limit": 50}).text
        assert RESTRICTED not in body
    assert (
        "สงขลา" not in client.get("/api/facets", params={"q": "ตำรายาต่อกระดูก"}).json()["facets"]["province"]
    )
    assert client.get(f"/api/sources/{RESTRICTED}").status_code == 404
    assert RESTRICTED not in client.get("/", params={"q": "น้ำมันเพชรสังฆาต"}).text
    assert client.get(f"/sources/{RESTRICTED}").status_code == 404


def test_a_read_key_sees_restricted_sources(client):
    body = client.get("/api/search", params={"q": "น้ำมันเพชรสังฆาต"}, headers=auth(READ_KEY)).json()
    assert body["results"][0]["source_id"] == RESTRICTED
    assert client.get(f"/api/sources/{RESTRICTED}", headers=auth(READ_KEY)).status_code == 200


def test_a_wrong_key_is_refused_not_ignored(client):
    response = client.get("/api/search", params={"q": "ปลา"}, headers=auth("guess"))
    assert response.status_code == 401 and response.json()["error"]["code"] == "bad_credentials"


def test_health_reports_store_model_and_counts(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["store"]["reachable"] and body["model"]["loaded"]
    assert body["store"]["sources"] >= 55 and body["store"]["chunks"] > body["store"]["sources"]


def test_openapi_describes_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/search", "/api/facets", "/api/health", "/api/sources"} <= set(paths)


def test_search_response_matches_its_openapi_schema(client):
    import jsonschema

    document = client.get("/openapi.json").json()
    operation = document["paths"]["/api/search"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    body = client.get("/api/search", params={"q": "ปลาแดกเฮ็ดจั่งใด๋", "limit": 3}).json()
    validator = jsonschema.Draft202012Validator({**schema, "components": document["components"]})
    validator.validate(body)
    assert body["results"] and set(document["components"]["schemas"]["SearchResult"]["required"]) <= set(
        body["results"][0]
    )
    # and a response that breaks the schema is caught
    broken = {**body, "total": "many"}
    assert not validator.is_valid(broken)


#: what answers in another format than JSON, and that format
NOT_JSON = {"/api/export": {"text/csv", "application/jsonl"}, "/oai": {"text/xml"},
            "/api/sources/{source_id}/original": {"application/octet-stream"},
            "/api/cite/{source_id}": {"application/x-bibtex", "application/vnd.citationstyles.csl+json",
                                      "application/json"},
            "/api/records/{source_id}": {"application/ld+json", "application/xml"}}  # fmt: skip


def test_every_route_declares_a_response_schema(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            ok = next(status for status in operation["responses"] if status.startswith("2"))
            content = operation["responses"][ok]["content"]
            assert set(content) == NOT_JSON.get(path, {"application/json"}), (method, path)
            assert all(media["schema"] for media in content.values()), (method, path)


def test_gibberish_gets_an_empty_answer_not_the_archive(client):
    body = client.get("/api/search", params={"q": "zzzzqqq"}).json()
    assert body["total"] == 0 and body["results"] == []
    assert len(body["closest"]) <= 3  # labelled apart, never counted
    facets = client.get("/api/facets", params={"q": "zzzzqqq"}).json()
    assert facets["total"] == 0 and not any(facets["facets"].values())


def test_a_filter_never_raises_the_total(client):
    for query in ("ผ้าไหม", "ปลาร้า", "สมุนไพร"):
        total = client.get("/api/search", params={"q": query}).json()["total"]
        for facet in ("type", "province", "category"):
            for value in client.get("/api/facets", params={"q": query}).json()["facets"][facet]:
                narrowed = client.get("/api/search", params={"q": query, facet: value}).json()["total"]
                assert narrowed <= total, (query, facet, value)


def test_autocomplete_offers_archive_names_and_never_a_restricted_title(client):
    offered = client.get("/api/suggest", params={"q": "ผ้า"}).json()["suggestions"]
    assert offered and all("ผ้า" in s["text"] for s in offered)
    for prefix in ("ตำรายา", "น้ำมันเพชร", "ตำรายาต่อกระดูก"):
        texts = [s["text"] for s in client.get("/api/suggest", params={"q": prefix}).json()["suggestions"]]
        assert not any("ตำรายาต่อกระดูกประจำตระกูล" in text for text in texts)
