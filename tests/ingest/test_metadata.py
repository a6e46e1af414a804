import datetime as dt
import json

import pytest

from ingest.metadata import MetadataError, merge_metadata, parse_date, parse_tags, read_sidecar


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2566", "2023"),
        ("12 มีนาคม 2566", "2023-03-12"),
        ("๑๒ มีนาคม ๒๕๖๖", "2023-03-12"),
        ("3 ก.ย. 2565", "2022-09-03"),
        ("มิถุนายน 2567", "2024-06"),
        ("พ.ศ. 2560", "2017"),
        ("12 มี.ค. 66", "2023-03-12"),
        ("2023-03-12", "2023-03-12"),
        (dt.date(2023, 3, 12), "2023-03-12"),
        (2566, "2023"),
    ],
)
def test_buddhist_era_and_iso_dates_become_common_era_iso(value, iso):
    assert parse_date(value) == iso


@pytest.mark.parametrize("value", ["31 กุมภาพันธ์ 2566", "เมื่อวานนี้", "12 ฟักทอง 2566"])
def test_unreadable_dates_are_errors_that_quote_the_value(value):
    with pytest.raises(MetadataError, match="date|month"):
        parse_date(value)


def test_sidecar_beats_front_matter_beats_file_and_keeps_original_date():
    meta = merge_metadata(
        {"title": "จากไฟล์", "province": "จ.อุบลราชธานี"},
        {"title": "จาก front matter", "date": "12 มีนาคม 2566"},
        {"title": "จาก sidecar", "tags": "ปลาร้า|อาหารหมัก"},
    )
    assert meta["title"] == "จาก sidecar"
    assert meta["province"] == "อุบลราชธานี"
    assert (meta["date"], meta["date_original"]) == ("2023-03-12", "12 มีนาคม 2566")
    assert meta["tags"] == ["ปลาร้า", "อาหารหมัก"]
    assert meta["access"] == "public"


def test_unknown_access_level_is_refused():
    with pytest.raises(MetadataError, match="access"):
        merge_metadata({"access": "secret"})


def test_tags_accept_lists_pipes_and_commas():
    assert parse_tags(["ผ้าไหม", " "]) == ["ผ้าไหม"]
    assert parse_tags("ผ้าไหม, ของฝาก") == ["ผ้าไหม", "ของฝาก"]


def test_broken_sidecar_names_itself(tmp_path):
    (tmp_path / "ya.txt").write_text("ยาหม่อง")
    (tmp_path / "ya.meta.json").write_text("{title: ไม่ใช่ JSON")
    with pytest.raises(MetadataError, match="ya.meta.json"):
        read_sidecar(tmp_path / "ya.txt")


def test_sidecar_with_unknown_key_is_refused(tmp_path):
    (tmp_path / "ya.txt").write_text("ยาหม่อง")
    (tmp_path / "ya.meta.json").write_text(json.dumps({"titel": "สะกดผิด"}))
    with pytest.raises(MetadataError, match="titel"):
        read_sidecar(tmp_path / "ya.txt")
