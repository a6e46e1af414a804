import json

from ingest.discovery import discover
from ingest.source_converter import SourceConverter
from tests.conftest import CORPORA


def test_corpora_walk_skips_sidecars_docs_and_queries():
    ids = [source.source_id for source in discover(CORPORA)]
    assert "documents/pla-ra-ubon.md" in ids and "products/otop.csv" in ids
    assert not [i for i in ids if i.endswith(".meta.json")]
    assert "README.md" not in ids and "queries.jsonl" not in ids


def test_sidecar_wins_and_dates_are_normalised(tmp_path):
    (tmp_path / "ya.md").write_text(
        "---\ntitle: จาก front matter\ndate: 2566\n---\n# หัวเรื่อง\n\nยาหม่องไพล ๒ ช้อน\n"
    )
    (tmp_path / "ya.meta.json").write_text(json.dumps({"title": "ยาหม่องไพลบ้านนา", "province": "Nan"}))
    (document,) = SourceConverter().run(discover(tmp_path))["documents"]
    assert document.meta["title"] == "ยาหม่องไพลบ้านนา"
    assert (document.meta["date"], document.meta["date_original"]) == ("2023", "2566")
    assert (document.meta["province"], document.meta["province_en"]) == ("น่าน", "Nan")
    assert "2 ช้อน" in document.content and document.meta["type"] == "document"


def test_catalogue_rows_become_sources_and_its_sidecar_does_not_rename_them(tmp_path):
    (tmp_path / "shop.csv").write_text(
        "id,name,description,category,price,unit,producer,village,district,province,contact,tags\n"
        'NNE-9,ข้าวฮาง,"ข้าวฮางงอก, หุงนุ่ม",food,120,กิโลกรัม,วิสาหกิจชุมชนบ้านโนน,บ้านโนน,เมือง,สกลนคร,081-000-0000,ข้าว|สุขภาพ\n'
    )
    (tmp_path / "shop.meta.json").write_text(json.dumps({"title": "ร้านค้าชุมชน", "region": "อีสาน"}))
    (product,) = SourceConverter().run(discover(tmp_path))["documents"]
    meta = product.meta
    assert meta["source_id"] == "shop.csv#NNE-9" and meta["catalogue"] == "shop.csv"
    assert meta["title"] == "ข้าวฮาง" and meta["region"] == "อีสาน" and meta["type"] == "product"
    assert (meta["price"], meta["unit"], meta["tags"]) == (120.0, "กิโลกรัม", ["ข้าว", "สุขภาพ"])
    assert "ข้าวฮางงอก, หุงนุ่ม" in product.content


def test_unsupported_and_broken_files_become_failures_not_exceptions(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "empty.md").write_text("---\ntitle: ว่าง\n---\n")
    (tmp_path / "ok.txt").write_text("ผักกาดดองแบบคนเมือง")
    out = SourceConverter().run(discover(tmp_path))
    reasons = {f.source_id: f.reason for f in out["failures"]}
    assert "unsupported file type .jpg" in reasons["photo.jpg"]
    assert "no text" in reasons["empty.md"]
    assert [d.meta["source_id"] for d in out["documents"]] == ["ok.txt"]
