import datetime as dt
import json

import pytest

from ingest.metadata import (
    Layer,
    MetadataError,
    merge_metadata,
    parse_date,
    parse_tags,
    read_sidecar,
    resolve_metadata,
)


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
        ("2023-03-12T09:30:00+07:00", "2023-03-12"),
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


def test_sidecar_unknown_keys_are_kept_not_refused(tmp_path):
    (tmp_path / "ya.txt").write_text("ยาหม่อง")
    (tmp_path / "ya.meta.json").write_text(json.dumps({"titel": "สะกดผิด", "รหัสหน่วยงาน": "สวธ-12"}))
    layer = Layer.of(read_sidecar(tmp_path / "ya.txt"), "the sidecar ya.meta.json")
    meta, notes = resolve_metadata(layer)
    assert meta["extra"] == {"titel": "สะกดผิด", "รหัสหน่วยงาน": "สวธ-12"}
    assert notes == ["unknown keys in the sidecar ya.meta.json kept under 'extra': titel, รหัสหน่วยงาน"]


def test_the_sages_label_in_the_cues_is_a_known_key_kept_as_written():
    meta = merge_metadata({"sage": "จันทร์ฟอง อินต๊ะ", "speaker_label": "แม่อุ๊ยจันทร์ฟอง"})
    assert meta["speaker_label"] == "แม่อุ๊ยจันทร์ฟอง" and "extra" not in meta


def test_known_keys_match_without_regard_to_case_or_spaces():
    meta = merge_metadata({" Title ": "ผ้าไหมมัดหมี่", "PROVINCE": "จ.สุรินทร์", "Date": "2566"})
    assert (meta["title"], meta["province"], meta["date"]) == ("ผ้าไหมมัดหมี่", "สุรินทร์", "2023")
    assert "extra" not in meta


def test_unknown_keys_cannot_overwrite_fields_panya_sets():
    meta = merge_metadata(
        {"source_id": "อื่น.md", "chunk_index": 7, "fingerprint": "x", "cues": [], "price": 1, "หมายเหตุ": "ก"}
    )
    assert "source_id" not in meta and "chunk_index" not in meta and "fingerprint" not in meta
    assert meta["extra"]["source_id"] == "อื่น.md" and meta["extra"]["chunk_index"] == 7


def test_unknown_values_are_kept_json_safe():
    meta = merge_metadata(
        {"บันทึกเมื่อ": dt.datetime(2023, 3, 12, 9, 30), "พิกัด": (15.2, 104.8), "ค่า": float("nan")}
    )
    assert meta["extra"] == {"บันทึกเมื่อ": "2023-03-12T09:30:00", "พิกัด": [15.2, 104.8], "ค่า": "nan"}
    json.dumps(meta, allow_nan=False)


def test_unknown_type_is_kept_and_noted_not_refused():
    meta, notes = resolve_metadata(
        Layer.of({"type": "document"}, "the file"), Layer.of({"type": "วิดีโอ"}, "the sidecar v.meta.json")
    )
    assert meta["type"] == "document" and meta["extra"] == {"type": "วิดีโอ"}
    assert "type 'วิดีโอ'" in notes[0]
    assert merge_metadata({"type": " Oral_History "})["type"] == "oral_history"


def test_a_yaml_alias_bomb_is_refused_quickly():
    import yaml

    lines = ["l0: &l0 [ผ้า, ผ้า, ผ้า, ผ้า, ผ้า, ผ้า, ผ้า, ผ้า, ผ้า, ผ้า]"]
    for level in range(1, 9):  # a billion leaves, nine short lines
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
    with pytest.raises(MetadataError, match="too large"):
        merge_metadata(yaml.safe_load("\n".join(lines)))


def test_metadata_copied_into_every_chunk_stays_small():
    with pytest.raises(MetadataError, match="KB"):
        merge_metadata({"บันทึก": "ก" * 100_000})


def test_date_error_names_where_the_date_was_written():
    with pytest.raises(MetadataError, match="the sidecar ya.meta.json.*เมื่อวานนี้"):
        resolve_metadata(Layer.of({"date": "เมื่อวานนี้"}, "the sidecar ya.meta.json"))
