from __future__ import annotations

import json

from tests.conftest import CORPORA
from tests.search_api.conftest import WRITE_KEY, auth


def test_a_document_comes_back_whole_in_reading_order(client):
    body = client.get("/api/sources/documents/pla-ra-ubon.md").json()
    assert body["meta"]["title"] and body["meta"]["province"] == "อุบลราชธานี"
    assert body["meta"]["date"] and body["meta"]["date_original"]
    assert "ปลาร้า" in body["text"] and len(body["text"]) > 1500
    assert [c["chunk_index"] for c in body["chunks"]] == list(range(len(body["chunks"])))
    # the rebuilt text is the cleaned source text: every chunk is found in it, in order
    positions = [body["text"].find(body["text"][c["start_char"] : c["end_char"]]) for c in body["chunks"]]
    assert positions == sorted(positions)


def test_a_transcript_comes_back_as_timed_cues_with_speakers(client):
    body = client.get("/api/sources/oral_histories/bualai-pla-daek.vtt").json()
    cues = body["cues"]
    assert len(cues) >= 40 and all(c["speaker"] and c["end"] >= c["start"] for c in cues)
    assert [c["start"] for c in cues] == sorted(c["start"] for c in cues)


def test_unknown_source_is_404_in_the_error_shape(client):
    response = client.get("/api/sources/documents/nothing.md")
    assert response.status_code == 404 and response.json()["error"]["code"] == "source_not_found"


def test_upload_needs_a_write_key(writable_client):
    files = {"files": ("ya.txt", "ยาหม่องไพล".encode(), "text/plain")}
    assert writable_client.post("/api/sources", files=files).status_code == 401
    assert writable_client.post("/api/sources", files=files, headers=auth("wrong")).status_code == 401


def test_upload_then_search_then_delete(writable_client):
    document = (CORPORA / "documents/jin-som-phrae.txt").read_bytes()
    sidecar = (CORPORA / "documents/jin-som-phrae.meta.json").read_bytes()
    files = [
        ("files", ("jin-som-phrae.txt", document, "text/plain")),
        ("files", ("jin-som-phrae.meta.json", sidecar, "application/json")),
    ]

    def upload():
        return writable_client.post(
            "/api/sources", headers=auth(WRITE_KEY), data={"folder": "documents"}, files=files
        )

    response = upload()
    assert response.status_code == 201, response.text
    assert response.json()["added"] == ["documents/jin-som-phrae.txt"]
    hits = writable_client.get("/api/search", params={"q": "จิ๊นส้มทำยังไง"}).json()["results"]
    assert hits[0]["source_id"] == "documents/jin-som-phrae.txt"
    assert hits[0]["meta"]["province"] == json.loads(sidecar)["province"].removeprefix("จังหวัด")

    again = upload()
    assert again.json()["unchanged"] == ["documents/jin-som-phrae.txt"]

    assert writable_client.delete("/api/sources/documents/jin-som-phrae.txt").status_code == 401
    deleted = writable_client.delete("/api/sources/documents/jin-som-phrae.txt", headers=auth(WRITE_KEY))
    assert deleted.status_code == 200 and deleted.json()["chunks"] > 0
    assert writable_client.get("/api/sources/documents/jin-som-phrae.txt").status_code == 404
    assert (
        writable_client.delete(
            "/api/sources/documents/jin-som-phrae.txt", headers=auth(WRITE_KEY)
        ).status_code
        == 404
    )


def test_upload_with_meta_form_field(writable_client):
    response = writable_client.post(
        "/api/sources",
        headers=auth(WRITE_KEY),
        data={"meta": json.dumps({"title": "ยาดมสมุนไพร", "province": "น่าน", "access": "restricted"})},
        files={"files": ("ya-dom.md", "# ยาดม\n\nยาดมสมุนไพรใส่การบูรและพิมเสน".encode(), "text/markdown")},
    )
    assert response.status_code == 201
    assert writable_client.get("/api/search", params={"q": "ยาดมการบูร"}).json()["results"] == []
    staff = writable_client.get("/api/search", params={"q": "ยาดมการบูร"}, headers=auth(WRITE_KEY)).json()
    assert staff["results"][0]["meta"]["access"] == "restricted"


def test_content_not_matching_the_name_is_415_and_stores_nothing(writable_client, settings):
    bad = [
        ("fake.pdf", b"hello, not a pdf"),
        ("photo.docx", b"\x89PNG\r\n\x1a\n"),
        ("talk.vtt", "สวัสดี".encode()),
        ("virus.exe", b"MZ\x90\x00"),
    ]
    for name, data in bad:
        response = writable_client.post(
            "/api/sources", headers=auth(WRITE_KEY), files={"files": (name, data)}
        )
        assert response.status_code == 415, name
        assert name in response.json()["error"]["message"]
    assert writable_client.get("/api/health").json()["store"]["chunks"] == 0
    assert not list(settings.originals_dir.rglob("*.*")) if settings.originals_dir.exists() else True


def test_one_bad_file_in_a_batch_stores_nothing(writable_client):
    files = [("files", ("ok.txt", "ผักกาดดองแบบคนเมือง".encode())), ("files", ("bad.pdf", b"nope"))]
    assert writable_client.post("/api/sources", headers=auth(WRITE_KEY), files=files).status_code == 415
    assert writable_client.get("/api/health").json()["store"]["chunks"] == 0


def test_unreadable_file_is_422_naming_the_problem(writable_client):
    broken = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"
    response = writable_client.post(
        "/api/sources", headers=auth(WRITE_KEY), files={"files": ("scan.pdf", broken)}
    )
    assert response.status_code == 422
    assert "scan.pdf" in response.json()["error"]["message"]


def test_too_large_upload_is_413(writable_client, settings):
    big = b"a" * (settings.max_upload_mb * 1024 * 1024 + 1)
    response = writable_client.post(
        "/api/sources", headers=auth(WRITE_KEY), files={"files": ("big.txt", big)}
    )
    assert response.status_code == 413


def test_path_tricks_in_names_are_refused(writable_client):
    response = writable_client.post(
        "/api/sources",
        headers=auth(WRITE_KEY),
        data={"folder": "../../etc"},
        files={"files": ("x.txt", "ข้อความ".encode())},
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "bad_name"


def test_unknown_sidecar_keys_are_kept_and_shown(writable_client):
    files = [
        ("files", ("ya-hom.txt", "ยาหอมสมุนไพรสูตรโบราณ บดผงแล้วปั้นเม็ด".encode(), "text/plain")),
        (
            "files",
            ("ya-hom.meta.json", '{"title": "ยาหอม", "duration_sec": 640, "รหัสหน่วยงาน": "สวธ-12"}'.encode()),
        ),
    ]
    response = writable_client.post(
        "/api/sources", headers=auth(WRITE_KEY), data={"folder": "documents"}, files=files
    )
    assert response.status_code == 201 and response.json()["added"] == ["documents/ya-hom.txt"]
    assert any("duration_sec" in w["message"] for w in response.json()["warnings"])
    meta = writable_client.get("/api/sources/documents/ya-hom.txt").json()["meta"]
    assert meta["extra"] == {"duration_sec": 640, "รหัสหน่วยงาน": "สวธ-12"}
    page = writable_client.get("/sources/documents/ya-hom.txt").text
    assert "รหัสหน่วยงาน" in page and "สวธ-12" in page
