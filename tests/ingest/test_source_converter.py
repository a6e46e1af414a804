"""Files → Documents: metadata layers, failures that name the file, warnings kept to one per file."""

from __future__ import annotations

import json
import os

from ingest.budgets import Budgets
from ingest.discovery import SourceFile, discover
from ingest.source_converter import SourceConverter


def run(folder, budgets=None):
    return SourceConverter(budgets).run(discover(folder))


def test_sidecar_wins_and_dates_are_normalised(tmp_path):
    (tmp_path / "ya.md").write_text(
        "---\ntitle: จาก front matter\ndate: 2566\n---\n# หัวเรื่อง\n\nยาหม่องไพล ๒ ช้อน\n"
    )
    (tmp_path / "ya.meta.json").write_text(json.dumps({"title": "ยาหม่องไพลบ้านนา", "province": "Nan"}))
    (document,) = run(tmp_path)["documents"]
    assert document.meta["title"] == "ยาหม่องไพลบ้านนา"
    assert (document.meta["date"], document.meta["date_original"]) == ("2023", "2566")
    assert (document.meta["province"], document.meta["province_en"]) == ("น่าน", "Nan")
    assert "2 ช้อน" in document.content and document.meta["type"] == "document"


def test_catalogue_rows_become_sources_and_its_sidecar_does_not_rename_them(tmp_path):
    (tmp_path / "shop.csv").write_text(
        "id,name,description,category,price,unit,producer,village,district,province,contact,tags\n"
        'NNE-9,ข้าวฮาง,"ข้าวฮางงอก, หุงนุ่ม",food,120,กิโลกรัม,วิสาหกิจชุมชนบ้านโนน,บ้านโนน,เมือง,สกลนคร,081-000-0000,ข้าว|สุขภาพ\n'
    )
    (tmp_path / "shop.meta.json").write_text(json.dumps({"Title": "ร้านค้าชุมชน", "region": "อีสาน"}))
    (product,) = run(tmp_path)["documents"]
    meta = product.meta
    assert meta["source_id"] == "shop.csv#NNE-9" and meta["catalogue"] == "shop.csv"
    assert meta["title"] == "ข้าวฮาง" and meta["region"] == "อีสาน" and meta["type"] == "product"
    assert (meta["price"], meta["unit"], meta["tags"]) == (120.0, "กิโลกรัม", ["ข้าว", "สุขภาพ"])
    assert "ข้าวฮางงอก, หุงนุ่ม" in product.content


def test_unsupported_and_broken_files_become_failures_not_exceptions(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "empty.md").write_text("---\ntitle: ว่าง\n---\n")
    (tmp_path / "ok.txt").write_text("ผักกาดดองแบบคนเมือง")
    out = run(tmp_path)
    reasons = {f.source_id: f.reason for f in out["failures"]}
    assert "unsupported file type .jpg" in reasons["photo.jpg"]
    assert "no text" in reasons["empty.md"]
    assert [d.meta["source_id"] for d in out["documents"]] == ["ok.txt"]


def test_unknown_keys_are_kept_under_extra_and_warned_once_per_file(tmp_path):
    (tmp_path / "ya.md").write_text(
        "---\nรหัสเอกสาร: สวธ-2566-014\nชื่อผู้บันทึก: สมชาย\n---\n# ยาหม่องไพล\n\nสูตรยาหม่องไพลบ้านนา\n"
    )
    (tmp_path / "ya.meta.json").write_text(json.dumps({"agency_code": "DCP-7", "source_id": "ปลอม.md"}))
    out = run(tmp_path)
    (document,) = out["documents"]
    assert document.meta["source_id"] == "ya.md"  # an unknown key never overwrites a field Panya sets
    assert document.meta["extra"] == {
        "รหัสเอกสาร": "สวธ-2566-014",
        "ชื่อผู้บันทึก": "สมชาย",
        "agency_code": "DCP-7",
        "source_id": "ปลอม.md",
    }
    assert [str(w) for w in out["warnings"]] == [
        "ya.md: unknown keys in the front matter kept under 'extra': รหัสเอกสาร, ชื่อผู้บันทึก",
        "ya.md: unknown keys in the sidecar ya.meta.json kept under 'extra': agency_code, source_id",
    ]
    assert out["failures"] == []


def test_catalogue_unknown_columns_warn_once_for_the_whole_file(tmp_path):
    (tmp_path / "shop.csv").write_text(
        "id,name,description,รหัสโอทอป\nNNE-1,ข้าวฮาง,ข้าวฮางงอกหุงนุ่ม,OTOP-1\nNNE-2,ผ้าไหม,ผ้าไหมมัดหมี่ทอมือ,OTOP-2\n"
    )
    out = run(tmp_path)
    assert [d.meta["extra"] for d in out["documents"]] == [{"รหัสโอทอป": "OTOP-1"}, {"รหัสโอทอป": "OTOP-2"}]
    assert len(out["warnings"]) == 1 and out["warnings"][0].source_id == "shop.csv"


def test_catalogue_row_without_price_keeps_price_none(tmp_path):
    (tmp_path / "shop.csv").write_text("id,name,description,price\nNNE-1,ข้าวฮาง,ข้าวฮางงอกหุงนุ่ม,\n")
    (tmp_path / "more.jsonl").write_text(
        json.dumps({"id": "NNE-2", "name": "ผ้าไหม", "description": "ผ้าไหมมัดหมี่ทอมือ"}, ensure_ascii=False)
    )
    out = run(tmp_path)
    assert out["failures"] == []
    assert [(d.meta["product_id"], d.meta["price"]) for d in out["documents"]] == [
        ("NNE-2", None),
        ("NNE-1", None),
    ]


def test_file_over_the_size_budget_is_refused_before_it_is_read(tmp_path):
    (tmp_path / "big.txt").write_text("ปลาร้า" * 100_000)  # 1.8 MB
    (tmp_path / "ok.txt").write_text("ผักกาดดองแบบคนเมือง")
    out = run(tmp_path, Budgets(max_file_mb=1))
    assert [d.meta["source_id"] for d in out["documents"]] == ["ok.txt"]
    (failure,) = out["failures"]
    assert (
        failure.source_id == "big.txt"
        and "1.7 MB" in failure.reason
        and "PANYA_MAX_FILE_MB" in failure.reason
    )


def test_text_over_the_chars_budget_is_refused(tmp_path):
    (tmp_path / "long.txt").write_text("ปลาร้าหมักไหดิน " * 100)
    out = run(tmp_path, Budgets(max_chars_per_source=1000))
    assert "PANYA_MAX_CHARS_PER_SOURCE" in out["failures"][0].reason and out["documents"] == []


def test_chunks_are_counted_from_the_length_before_cutting(tmp_path):
    (tmp_path / "long.txt").write_text("ปลาร้าหมักไหดิน " * 100)  # 1,600 characters
    out = run(tmp_path, Budgets(max_chunks_per_source=3, chunk_size=500, chunk_overlap=100))
    assert (
        "about 4 chunks" in out["failures"][0].reason
        and "PANYA_MAX_CHUNKS_PER_SOURCE" in out["failures"][0].reason
    )
    assert run(tmp_path, Budgets(max_chunks_per_source=4))["failures"] == []


def test_seconds_budget_stops_a_file_and_the_next_file_gets_its_own_clock(tmp_path):
    (tmp_path / "ok.txt").write_text("ผักกาดดองแบบคนเมือง")
    out = run(tmp_path, Budgets(max_seconds_per_file=0))
    assert "PANYA_MAX_SECONDS_PER_FILE" in out["failures"][0].reason
    assert len(run(tmp_path, Budgets(max_seconds_per_file=60))["documents"]) == 1


def test_a_file_swapped_for_a_symlink_after_discovery_is_not_read(tmp_path):
    (tmp_path / "p.txt").symlink_to("/etc/passwd")
    out = SourceConverter().run([SourceFile(tmp_path / "p.txt", "p.txt")])
    assert out["documents"] == [] and "symbolic link" in out["failures"][0].reason


def test_a_fifo_handed_straight_to_the_converter_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    out = SourceConverter().run([SourceFile(tmp_path / "pipe.txt", "pipe.txt")])
    assert out["failures"][0].reason == "a FIFO (named pipe), not a regular file: not read"


def test_a_sidecar_that_is_a_symlink_is_refused(tmp_path):
    (tmp_path / "ya.txt").write_text("ยาหม่องไพล")
    (tmp_path / "ya.meta.json").symlink_to("/etc/hostname")
    (failure,) = run(tmp_path)["failures"]
    assert "ya.meta.json" in failure.reason and "symbolic link" in failure.reason


def test_a_recording_that_is_a_symlink_is_refused(tmp_path):
    (tmp_path / "talk.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v แม่สมศรี>ปลาร้าต้องหมักนาน\n")
    (tmp_path / "talk.meta.json").write_text(json.dumps({"audio": "talk.mp3"}))
    (tmp_path / "talk.mp3").symlink_to("/etc/passwd")
    (failure,) = run(tmp_path)["failures"]
    assert failure.source_id == "talk.vtt" and "talk.mp3" in failure.reason
