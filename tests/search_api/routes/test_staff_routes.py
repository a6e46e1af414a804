"""The staff pages: sign-in, CSRF, upload with the metadata form, edit, delete, restore, products,
the audit log behind each, and what signed-out visitors and read keys cannot do."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from panya.audit import AuditLog
from panya.settings import Settings
from panya.staff import StaffAccounts
from search_api.app import create_app
from tests.conftest import CORPORA
from tests.search_api.conftest import READ_KEY, WRITE_KEY, auth, keyed

DOC = (CORPORA / "documents/pla-ra-ubon.md").read_bytes()
VTT = CORPORA / "oral_histories/saijai-khao-lam-nong-mon.vtt"
WAV = CORPORA / "oral_histories/audio/saijai-khao-lam-nong-mon.wav"


@pytest.fixture(scope="module")
def staff_settings(tmp_path_factory) -> Settings:
    return keyed(Settings(data_dir=tmp_path_factory.mktemp("staff") / "data", _env_file=None))


@pytest.fixture(scope="module")
def app(staff_settings):
    with TestClient(create_app(staff_settings)) as client:  # starts the app: opens its archive
        yield client.app


def browser(app, base_url: str = "http://testserver") -> TestClient:
    return TestClient(app, base_url=base_url)


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)


def signed_in(app, password: str = WRITE_KEY, name: str = "") -> tuple[TestClient, str]:
    client = browser(app)
    token = csrf_of(client.get("/staff/signin").text)
    answer = client.post(
        "/staff/signin", data={"csrf": token, "name": name, "password": password}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return client, token


@pytest.fixture(scope="module")
def staff(app) -> tuple[TestClient, str]:
    return signed_in(app)


def lines(settings, source_id: str) -> list[dict]:
    return AuditLog(settings.data_dir).entries(source_id)


def fingerprint(client, source_id: str) -> str:
    return client.app.state.archive.source_chunks(source_id, include_restricted=True)[0].meta["fingerprint"]


def upload(client, token, name="pla-ra-staff.md", data=DOC, **fields):
    form = {"csrf": token, "title": "ปลาร้าบ้านดอนมดแดง", "province": "อุบลราชธานี", "access": "public"}
    return client.post(
        "/staff/upload",
        data=form | fields,
        files={"file": (name, data, "text/markdown")},
        follow_redirects=False,
    )


# -- who may come in ------------------------------------------------------------------------------


def staff_routes(app) -> list[tuple[str, str]]:
    """Every (method, path) of the staff router, read from the app: a new staff route is covered
    by the tests below without being listed. Only signing in is open to everyone."""
    found = []
    for route in iter_route_contexts(app.routes):  # routes of included routers too
        path = route.path or ""
        if not path.startswith("/staff") or path == "/staff/signin":
            continue
        concrete = re.sub(r"\{[^}]+\}", "documents/pla-ra-ubon.md", path)
        found += [(method, concrete) for method in sorted((route.methods or set()) - {"HEAD"})]
    return found


STAFF_ROUTES = staff_routes(create_app(Settings(_env_file=None)))
STAFF_PAGES = [path for method, path in STAFF_ROUTES if method == "GET"]
STAFF_ACTIONS = [path for method, path in STAFF_ROUTES if method == "POST"]


def test_the_route_list_is_read_from_the_app():
    assert {"/staff", "/staff/upload", "/staff/product"} <= set(STAFF_PAGES)
    assert {"/staff/upload", "/staff/delete/documents/pla-ra-ubon.md", "/staff/restore/documents/pla-ra-ubon.md",
            "/staff/signout"} <= set(STAFF_ACTIONS)  # fmt: skip
    assert {method for method, _ in STAFF_ROUTES} == {"GET", "POST"}  # nothing else to cover


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_a_signed_out_visitor_is_sent_to_sign_in(app, path):
    answer = browser(app).get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/staff/signin?next=")


@pytest.mark.parametrize("path", STAFF_ACTIONS)
def test_a_signed_out_visitor_cannot_act_even_with_a_csrf_token(app, path, staff_settings):
    client = browser(app)
    token = csrf_of(client.get("/staff/signin").text)
    logged = len(AuditLog(staff_settings.data_dir).entries())
    answer = client.post(path, data={"csrf": token, "title": "x"}, headers={"Accept": "text/html"})
    assert answer.status_code == 401
    assert "เข้าสู่ระบบเจ้าหน้าที่" in answer.text
    assert len(AuditLog(staff_settings.data_dir).entries()) == logged  # nothing happened


@pytest.mark.parametrize("path", STAFF_ACTIONS)
def test_a_read_key_cannot_act_on_the_staff_pages_either(app, path):
    client = browser(app)
    token = csrf_of(client.get("/staff/signin").text)
    answer = client.post(path, data={"csrf": token}, headers=auth(READ_KEY))
    assert answer.status_code == 401  # a read key is no staff session


def test_a_forged_session_cookie_is_not_a_session(app):
    client = browser(app)
    client.cookies.set("panya_staff", "eyJ3aG8iOiAid3JpdGUta2V5LTEiLCAiZXhwIjogOTk5OTk5OTk5OX0.00")
    assert client.get("/staff", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("path", STAFF_ACTIONS)
def test_a_form_without_the_csrf_token_is_refused(staff, path):
    client, _ = staff
    assert client.post(path, data={"title": "x"}).status_code == 403
    assert client.post(path, data={"csrf": "0" * 64, "title": "x"}).status_code == 403


def test_sign_in_needs_the_csrf_token_too(app):
    answer = browser(app).post("/staff/signin", data={"password": WRITE_KEY}, follow_redirects=False)
    assert answer.status_code == 403
    assert "set-cookie" not in answer.headers


def test_a_read_key_neither_signs_in_nor_writes(app):
    client = browser(app)
    token = csrf_of(client.get("/staff/signin").text)
    answer = client.post("/staff/signin", data={"csrf": token, "password": READ_KEY})
    assert answer.status_code == 401
    assert "panya_staff" not in answer.headers.get("set-cookie", "")
    api = browser(app).post("/api/sources", headers=auth(READ_KEY), files={"files": ("a.md", DOC)})
    assert api.status_code == 403


def test_the_session_cookie_is_httponly_samesite_and_secure_behind_https(app):
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        client = browser(app, base)
        token = csrf_of(client.get("/staff/signin").text)
        answer = client.post(
            "/staff/signin", data={"csrf": token, "password": WRITE_KEY}, follow_redirects=False
        )
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith("panya_staff=")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert ("Secure" in cookie) is secure
        assert WRITE_KEY not in cookie


def test_a_staff_account_signs_in_with_its_scrypt_password(app, staff_settings):
    StaffAccounts(staff_settings.data_dir).add("somsri", "ปลาร้าหอมมาก2567")
    stored = (staff_settings.data_dir / "staff.json").read_text(encoding="utf-8")
    assert "ปลาร้าหอมมาก2567" not in stored and "scrypt$" in stored
    client = browser(app)
    token = csrf_of(client.get("/staff/signin").text)
    wrong = client.post("/staff/signin", data={"csrf": token, "name": "somsri", "password": "ผิด"})
    assert wrong.status_code == 401
    assert 'value="somsri"' in wrong.text  # what was typed is kept
    client, _ = signed_in(app, "ปลาร้าหอมมาก2567", name="somsri")
    assert "staff:somsri" in client.get("/staff").text


def test_sign_in_only_sends_back_to_this_site(app):
    client = browser(app)
    token = csrf_of(client.get("/staff/signin").text)
    answer = client.post(
        "/staff/signin",
        data={"csrf": token, "password": WRITE_KEY, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/staff"


# -- upload, edit, delete, restore: and one audit line for each -----------------------------------


def test_a_wrong_field_is_named_and_what_was_typed_is_kept(staff):
    client, token = staff
    answer = upload(client, token, title="", province="แอตแลนติส", date="เมื่อวานซืน", district="วารินชำราบ")
    assert answer.status_code == 422
    errors = dict(re.findall(r'<p class="field-error" id="e-(\w+)">([^<]+)</p>', answer.text))
    assert set(errors) == {"title", "province", "date"}
    assert "จังหวัด" in errors["province"] and "วันที่" in errors["date"]
    assert 'value="วารินชำราบ"' in answer.text
    assert "pla-ra-staff.md" in answer.text  # the file must be chosen again: say which


def test_a_file_that_is_not_what_it_says_is_refused_on_its_field(staff):
    client, token = staff
    answer = upload(client, token, name="fake.pdf", data=b"not a pdf at all")
    assert answer.status_code == 422
    assert 'id="e-file"' in answer.text


def test_upload_edit_delete_restore_each_leave_one_audit_line(staff, staff_settings):
    client, token = staff
    source_id = "documents/pla-ra-staff.md"
    answer = upload(client, token, date="12 มีนาคม 2566", sage="บัวลาย ศรีวงษา")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sources/" + source_id)
    meta = client.get(f"/api/sources/{source_id}").json()["meta"]
    assert (meta["title"], meta["province"], meta["date"], meta["sage"]) == (
        "ปลาร้าบ้านดอนมดแดง", "อุบลราชธานี", "2023-03-12", "บัวลาย ศรีวงษา"
    )  # fmt: skip
    (added,) = lines(staff_settings, source_id)
    assert (added["action"], added["actor"], added["before"]) == ("add", "write-key-1", None)
    assert added["after"] == fingerprint(client, source_id) and added["time"].endswith("+00:00")

    edit_form = client.get(f"/staff/edit/{source_id}").text
    assert 'value="ปลาร้าบ้านดอนมดแดง"' in edit_form and 'value="อุบลราชธานี" selected' in edit_form
    form = {"csrf": token, "title": "ปลาร้าบ้านดอนมดแดง", "province": "ศรีสะเกษ", "access": "public",
            "date": "12 มีนาคม 2566", "sage": "บัวลาย ศรีวงษา"}  # fmt: skip
    answer = client.post(f"/staff/edit/{source_id}", data=form, follow_redirects=False)
    assert answer.status_code == 303
    edited = client.get(f"/api/sources/{source_id}").json()["meta"]
    edited["fingerprint"] = fingerprint(client, source_id)
    assert edited["province"] == "ศรีสะเกษ" and edited["region"] == "อีสาน"
    found = client.get("/api/search", params={"q": "ปลาร้า", "province": "ศรีสะเกษ"}).json()["results"]
    assert source_id in [r["source_id"] for r in found]
    added, updated = lines(staff_settings, source_id)
    assert (updated["action"], updated["before"], updated["after"]) == (
        "update",
        added["after"],
        edited["fingerprint"],
    )

    assert (
        client.post(f"/staff/delete/{source_id}", data={"csrf": token}, follow_redirects=False).status_code
        == 303
    )
    assert client.get(f"/api/sources/{source_id}").status_code == 404
    assert source_id in client.get("/staff").text  # in the trash list
    *_, deleted = lines(staff_settings, source_id)
    assert (deleted["action"], deleted["before"], deleted["after"]) == ("delete", edited["fingerprint"], None)

    answer = client.post(f"/staff/restore/{source_id}", data={"csrf": token}, follow_redirects=False)
    assert answer.status_code == 303
    assert client.get(f"/api/sources/{source_id}").json()["meta"]["province"] == "ศรีสะเกษ"
    entries = lines(staff_settings, source_id)
    assert [e["action"] for e in entries] == ["add", "update", "delete", "restore"]
    assert entries[-1]["after"] == edited["fingerprint"] and entries[-1]["actor"] == "write-key-1"
    assert all(WRITE_KEY not in json.dumps(e) for e in entries)
    assert all(set(e) == {"time", "action", "actor", "source_id", "before", "after"} for e in entries)
    assert all(e["time"].endswith("+00:00") and e["actor"] == "write-key-1" for e in entries)


def test_the_source_page_shows_history_to_staff_only(staff, app):
    client, token = staff
    upload(client, token, name="history-only.md")
    staff_page = client.get("/sources/documents/history-only.md").text
    assert "ประวัติการเปลี่ยนแปลง" in staff_page and "write-key-1" in staff_page
    public_page = browser(app).get("/sources/documents/history-only.md").text
    assert "ประวัติการเปลี่ยนแปลง" not in public_page and 'class="history"' not in public_page
    assert "/staff/delete/" not in public_page


def test_a_restricted_upload_stays_hidden_from_the_public(staff, app):
    client, token = staff
    answer = upload(client, token, name="secret-recipe.md", title="สูตรลับของครอบครัว", access="restricted")
    assert answer.status_code == 303
    public = browser(app)
    assert public.get("/sources/documents/secret-recipe.md").status_code == 404
    assert public.get("/api/sources/documents/secret-recipe.md").status_code == 404
    results = public.get("/api/search", params={"q": "ปลาร้า สูตรลับของครอบครัว"}).json()["results"]
    assert "documents/secret-recipe.md" not in [r["source_id"] for r in results]
    assert "documents/secret-recipe.md" not in public.get("/staff", follow_redirects=True).text
    assert "สูตรลับของครอบครัว" in client.get("/sources/documents/secret-recipe.md").text  # staff curate it


def test_a_transcript_with_its_recording_plays_on_its_page(staff):
    client, token = staff
    answer = client.post(
        "/staff/upload",
        data={"csrf": token, "title": "ข้าวหลามหนองมน", "province": "ชลบุรี", "sage": "สายใจ มีสุข"},
        files={"file": ("khao-lam.vtt", VTT.read_bytes()), "recording": ("khao-lam.wav", WAV.read_bytes())},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    source = client.get("/api/sources/oral_histories/khao-lam.vtt").json()
    assert source["audio_url"] == "/media/oral_histories/khao-lam-recording.wav"
    assert client.get(source["audio_url"]).content == WAV.read_bytes()
    page = client.get("/sources/oral_histories/khao-lam.vtt").text
    assert 'id="player"' in page and 'data-end="5.5"' in page


def test_a_recording_must_be_audio_and_belong_to_a_transcript(staff):
    client, token = staff
    answer = client.post(
        "/staff/upload",
        data={"csrf": token, "title": "ข้าวหลาม"},
        files={"file": ("khao-lam-2.vtt", VTT.read_bytes()), "recording": ("x.wav", b"MZ not audio")},
    )
    assert answer.status_code == 422 and 'id="e-recording"' in answer.text
    answer = client.post(
        "/staff/upload",
        data={"csrf": token, "title": "ปลาร้า"},
        files={"file": ("doc-with-sound.md", DOC), "recording": ("x.wav", WAV.read_bytes())},
    )
    assert answer.status_code == 422 and "บทถอดเสียง" in answer.text


def test_a_product_through_the_form(staff, staff_settings):
    client, token = staff
    form = {"csrf": token, "id": "CBI-101", "name": "ข้าวหลามหนองมน ไส้ถั่วดำ", "category": "food",
            "description": "ข้าวเหนียวมูนกับกะทิ ใส่ถั่วดำ เผาในกระบอกไม้ไผ่ด้วยถ่าน",
            "price": "ห้าสิบ", "unit": "กระบอก", "producer": "กลุ่มแม่บ้านหนองมน", "province": "ชลบุรี",
            "contact": "081-234-5678", "tags": "ข้าวหลาม, ของฝาก"}  # fmt: skip
    wrong = client.post("/staff/product", data=form)
    assert wrong.status_code == 422 and 'id="e-price"' in wrong.text
    assert 'value="กลุ่มแม่บ้านหนองมน"' in wrong.text
    answer = client.post("/staff/product", data=form | {"price": "50"}, follow_redirects=False)
    assert answer.status_code == 303, re.findall(r"field-error[^>]*>([^<]+)", answer.text)
    source_id = "products/staff/CBI-101.jsonl#CBI-101"
    meta = client.get("/api/sources/products/staff/CBI-101.jsonl%23CBI-101").json()["meta"]
    assert (meta["price"], meta["unit"], meta["tags"]) == (50, "กระบอก", ["ข้าวหลาม", "ของฝาก"])
    assert [e["action"] for e in lines(staff_settings, source_id)] == ["add"]


def test_editing_metadata_keeps_the_text_and_says_what_it_cost(staff, staff_settings):
    client, token = staff
    upload(client, token, name="edit-cost.md")
    before = client.get("/api/sources/documents/edit-cost.md").json()
    form = {"csrf": token, "title": before["meta"]["title"], "province": "ยโสธร", "access": "public"}
    answer = client.post("/staff/edit/documents/edit-cost.md", data=form, follow_redirects=False)
    assert "แก้ไข 1 รายการ" in answer.headers["location"] or "%E0%B9%81%E0%B8%81" in answer.headers["location"]
    after = client.get("/api/sources/documents/edit-cost.md").json()
    assert after["text"] == before["text"] and after["meta"]["province"] == "ยโสธร"
    kept = staff_settings.originals_dir / "documents/edit-cost.md"
    assert kept.read_bytes() == DOC  # the original is untouched: only its sidecar changed
    assert (
        json.loads(kept.with_name("edit-cost.meta.json").read_text(encoding="utf-8"))["province"] == "ยโสธร"
    )


def test_the_api_logs_its_writes_under_the_key_name(app, staff_settings):
    client = browser(app)
    answer = client.post(
        "/api/sources",
        headers=auth(WRITE_KEY),
        data={"folder": "documents"},
        files={"files": ("api-doc.md", DOC)},
    )
    assert answer.status_code == 201
    assert client.delete("/api/sources/documents/api-doc.md", headers=auth(WRITE_KEY)).status_code == 200
    entries = lines(staff_settings, "documents/api-doc.md")
    assert [(e["action"], e["actor"]) for e in entries] == [("add", "write-key-1"), ("delete", "write-key-1")]


def test_the_sign_in_page_works_without_a_session_secret_setting(staff_settings):
    key = Path(staff_settings.data_dir / "session.key")
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"


# -- restricted sources on the village pages: staff only ------------------------------------------

SAGE, PRODUCER, VILLAGE = "ทองคำ ศรีสุข", "กลุ่มจักสานบ้านโพนงาม", "บ้านโพนงาม"
FRONT = "---\ntitle: {title}\nsage: {sage}\nprovince: กาฬสินธุ์\ndistrict: กมลาไสย\nvillage: {village}\naccess: {access}\n---\n"
KRATIP = "กระติบข้าวเหนียวสานจากไม้ไผ่ป่า ผ่าเป็นตอกบาง ตากแดดสามแดด แล้วสานลายขัดสองชั้นให้เก็บไอร้อน"
FAMILY = "ลายสานประจำตระกูลที่ยายสอนเฉพาะลูกหลาน ไม่ให้เผยแพร่ออกนอกหมู่บ้านก่อนได้รับอนุญาต"
CATALOGUE = (
    "id,name,description,category,price,unit,producer,village,district,province,contact,tags,access\n"
    f"PNG-001,กระติบข้าวลายขัด,{KRATIP},handicraft,180,ใบ,{PRODUCER},{VILLAGE},กมลาไสย,กาฬสินธุ์,081-555-0101,กระติบ,public\n"
    f"PNG-002,กล่องข้าวลายตระกูล,{FAMILY},handicraft,950,ใบ,{PRODUCER},{VILLAGE},กมลาไสย,กาฬสินธุ์,081-555-0101,กล่องข้าว,restricted\n"
)


@pytest.fixture(scope="module")
def village(app):
    """One village's public and restricted sources: a sage's two documents and a producer's two products."""
    files = [
        ("files", ("kratip-phon-ngam.md", FRONT.format(title="กระติบข้าวบ้านโพนงาม", sage=SAGE, village=VILLAGE,
                                                      access="public") + KRATIP)),
        ("files", ("lai-trakun.md", FRONT.format(title="ลายสานประจำตระกูล", sage=SAGE, village=VILLAGE,
                                                access="restricted") + FAMILY)),
    ]  # fmt: skip
    api = browser(app)
    answer = api.post("/api/sources", headers=auth(WRITE_KEY), data={"folder": "documents"}, files=files)
    assert answer.status_code == 201, answer.text
    answer = api.post(
        "/api/sources",
        headers=auth(WRITE_KEY),
        data={"folder": "products"},
        files={"files": ("phon-ngam.csv", CATALOGUE.encode())},
    )
    assert answer.status_code == 201, answer.text
    return {
        "public": ("กระติบข้าวบ้านโพนงาม", "กระติบข้าวลายขัด"),
        "restricted": ("ลายสานประจำตระกูล", "กล่องข้าวลายตระกูล"),
    }


def shows(page: str, titles) -> list[bool]:
    return [title in page for title in titles]


def test_a_sage_page_shows_restricted_sources_to_staff_only(village, staff, app):
    path = "/sages/" + SAGE
    public = browser(app).get(path).text
    assert shows(public, village["public"][:1]) == [True]
    assert shows(public, village["restricted"]) == [False, False]
    assert "1 เรื่อง" in public
    staff_page = staff[0].get(path).text
    assert shows(staff_page, [village["restricted"][0]]) == [True] and "2 เรื่อง" in staff_page


def test_a_place_page_shows_restricted_sources_to_staff_only(village, staff, app):
    for path in ("/places/กาฬสินธุ์/" + VILLAGE, "/places/กาฬสินธุ์"):
        public = browser(app).get(path).text
        assert shows(public, village["public"]) == [True, True], path
        assert shows(public, village["restricted"]) == [False, False], path
        assert shows(staff[0].get(path).text, village["restricted"]) == [True, True], path


def test_the_products_page_shows_restricted_products_to_staff_only(village, staff, app):
    for params in ({"province": "กาฬสินธุ์"}, {"q": "กล่องข้าวลายตระกูล"}, {"price_min": 900, "price_max": 1000}):
        card = 'data-source-id="products/phon-ngam.csv#PNG-002"'
        assert card not in browser(app).get("/products", params=params).text, params
        assert card in staff[0].get("/products", params=params).text, params
    public = browser(app).get("/products", params={"province": "กาฬสินธุ์"}).text
    assert 'data-source-id="products/phon-ngam.csv#PNG-001"' in public


def test_a_product_page_and_its_producers_other_products_show_restricted_ones_to_staff_only(
    village, staff, app
):
    public_product = browser(app).get("/sources/products/phon-ngam.csv%23PNG-001")
    assert public_product.status_code == 200 and "tel:0815550101" in public_product.text
    assert "กล่องข้าวลายตระกูล" not in public_product.text  # not among the producer's other products
    assert "กล่องข้าวลายตระกูล" in staff[0].get("/sources/products/phon-ngam.csv%23PNG-001").text
    assert browser(app).get("/sources/products/phon-ngam.csv%23PNG-002").status_code == 404
    assert staff[0].get("/sources/products/phon-ngam.csv%23PNG-002").status_code == 200
    producer = browser(app).get("/sages/" + PRODUCER).text  # the producer's own page
    assert "กระติบข้าวลายขัด" in producer and "กล่องข้าวลายตระกูล" not in producer


def test_a_restricted_catalogue_uploaded_with_the_form_stays_restricted(staff, app):
    client, token = staff
    rows = CATALOGUE.replace(",public\n", ",\n").replace(",restricted\n", ",\n").replace("PNG-00", "PNF-00")
    answer = client.post(
        "/staff/upload",
        data={"csrf": token, "access": "restricted"},
        files={"file": ("phon-ngam-form.csv", rows.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert browser(app).get("/sources/products/phon-ngam-form.csv%23PNF-001").status_code == 404
    assert client.get("/sources/products/phon-ngam-form.csv%23PNF-001").status_code == 200
    # and the form's default ("public") does not open up a row its catalogue restricts
    answer = client.post(
        "/staff/upload",
        data={"csrf": token, "access": "public"},
        files={"file": ("phon-ngam-2.csv", CATALOGUE.replace("PNG-00", "PNH-00").encode(), "text/csv")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert browser(app).get("/sources/products/phon-ngam-2.csv%23PNH-002").status_code == 404
    assert browser(app).get("/sources/products/phon-ngam-2.csv%23PNH-001").status_code == 200


def test_a_restricted_product_through_the_form_stays_hidden(staff, app):
    client, token = staff
    form = {"csrf": token, "id": "KLS-201", "name": "กระติบข้าวลายตระกูลรุ่นทดลอง", "category": "handicraft",
            "description": FAMILY, "price": "1200", "unit": "ใบ", "producer": PRODUCER, "province": "กาฬสินธุ์",
            "access": "restricted"}  # fmt: skip
    answer = client.post("/staff/product", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    path = "/sources/products/staff/KLS-201.jsonl%23KLS-201"
    assert browser(app).get(path).status_code == 404
    assert client.get(path).status_code == 200
    assert 'data-source-id="products/staff/KLS-201.jsonl#KLS-201"' not in browser(app).get("/products").text
    wrong = client.post("/staff/product", data=form | {"id": "KLS-202", "access": "ทุกคน"})
    assert wrong.status_code == 422 and 'id="e-access"' in wrong.text


def test_a_wrong_field_in_an_edit_is_named_and_nothing_changes(staff, staff_settings):
    client, token = staff
    upload(client, token, name="edit-wrong.md")
    logged = len(lines(staff_settings, "documents/edit-wrong.md"))
    form = {"csrf": token, "title": "ปลาร้าบ้านดอนมดแดง ฉบับแก้", "province": "ยโสธร", "district": "คำเขื่อนแก้ว",
            "date": "สามสิบกุมภา", "access": "public"}  # fmt: skip
    answer = client.post("/staff/edit/documents/edit-wrong.md", data=form)
    assert answer.status_code == 422
    errors = dict(re.findall(r'<p class="field-error" id="e-(\w+)">([^<]+)</p>', answer.text))
    assert set(errors) == {"date"}
    assert 'value="ปลาร้าบ้านดอนมดแดง ฉบับแก้"' in answer.text and 'value="คำเขื่อนแก้ว"' in answer.text
    assert 'value="ยโสธร" selected' in answer.text
    assert client.get("/api/sources/documents/edit-wrong.md").json()["meta"]["province"] == "อุบลราชธานี"
    assert len(lines(staff_settings, "documents/edit-wrong.md")) == logged
