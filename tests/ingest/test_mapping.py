"""Another agency's table read through a YAML mapping: the example register (Thai headers, B.E.
dates, its own category names) ingests unedited; a mapping that cannot work is refused naming the
file and the problem; the CLI takes ``--mapping`` or finds ``<name>.mapping.yaml`` beside the file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ingest.discovery import SourceFile, discover
from ingest.mapping import Mapping, MappingError, load_mapping
from ingest.source_converter import SourceConverter
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "foreign-data"
TABLE, MAPPING = EXAMPLE / "wisdom-registry.csv", EXAMPLE / "wisdom-registry.mapping.yaml"
KNIVES = "wisdom-registry.csv#วธ-นน-002"


def convert(path: Path, source_id: str | None = None) -> dict:
    return SourceConverter().run([SourceFile(path, source_id or path.name)])


def by_id(documents) -> dict:
    return {document.meta["source_id"]: document for document in documents}


def test_the_example_register_ingests_unedited_through_its_mapping():
    assert discover(EXAMPLE) == [
        SourceFile(TABLE.resolve(), "wisdom-registry.csv")
    ]  # the mapping is no source
    out = convert(TABLE)
    assert out["failures"] == []
    documents = by_id(out["documents"])
    assert len(documents) == 5
    knives = documents[KNIVES].meta
    assert knives["title"] == "การตีมีดอรัญญิก" and knives["type"] == "document"
    assert knives["sage"] == "นายประเสริฐ เหล็กกล้า" and knives["district"] == "นครหลวง"
    assert knives["province"] == "พระนครศรีอยุธยา" and knives["province_en"] == "Phra Nakhon Si Ayutthaya"
    # day/month/B.E. in Thai digits → ISO C.E., the date as written kept
    assert knives["date"] == "2022-07-03" and knives["date_original"] == "๐๓/๐๗/๒๕๖๕"
    assert knives["category"] == "crafts" and knives["tags"] == ["มีด", "ตีเหล็ก", "อรัญญิก"]
    assert knives["source"].startswith("ทะเบียนภูมิปัญญาท้องถิ่น") and knives["language"] == "th"
    assert knives["extra"] == {"ผู้บันทึก": "นายวีระ ทองดี"}  # unmapped, kept; ลำดับ is ignored
    assert knives["catalogue"] == "wisdom-registry.csv"
    text = documents[KNIVES].content
    assert text.startswith("ช่างตีมีดบ้านต้นโพธิ์") and "\nการสืบทอด: ถ่ายทอดในครอบครัวช่าง" in text
    sugar = documents["wisdom-registry.csv#วธ-นน-003"].meta
    assert sugar["category"] == "food-preservation" and sugar["date"] == "2022-09-21"


def test_without_its_mapping_the_register_is_not_readable(tmp_path):
    shutil.copy2(TABLE, tmp_path / TABLE.name)
    out = convert(tmp_path / TABLE.name)
    assert out["documents"] == [] and "catalogue header lacks" in out["failures"][0].reason


def test_jsonl_rows_and_product_fields(tmp_path):
    rows = [
        {"รหัส": "ตก-01", "ชื่อสินค้า": "ผ้าไหมแพรวากาฬสินธุ์", "รายละเอียด": "ผ้าไหมแพรวาทอมือ ลายขิดโบราณ",
         "ราคา (บาท)": "3,200", "หน่วย": "ผืน", "กลุ่มผู้ผลิต": "กลุ่มทอผ้าบ้านโพน", "จังหวัด": "กาฬสินธุ์",
         "ปีที่ขึ้นทะเบียน": "2566"},
        {"รหัส": "ตก-02", "ชื่อสินค้า": "ข้าวฮางงอก", "รายละเอียด": "ข้าวเปลือกนึ่งแล้วตากแดด",
         "ราคา (บาท)": "ประมาณร้อยบาท", "จังหวัด": "สกลนคร", "ปีที่ขึ้นทะเบียน": "2565"},
    ]  # fmt: skip
    table = tmp_path / "otop-register.jsonl"
    table.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    (tmp_path / "otop-register.mapping.yaml").write_text(
        "columns:\n  รหัส: id\n  ชื่อสินค้า: title\n  รายละเอียด: text\n  ราคา (บาท): price\n  หน่วย: unit\n"
        "  กลุ่มผู้ผลิต: producer\n  จังหวัด: province\n  ปีที่ขึ้นทะเบียน: date\nfixed:\n  type: product\n",
        encoding="utf-8",
    )
    out = convert(table)
    silk = by_id(out["documents"])["otop-register.jsonl#ตก-01"].meta
    assert silk["type"] == "product" and silk["price"] == 3200.0 and silk["unit"] == "ผืน"
    assert silk["producer"] == "กลุ่มทอผ้าบ้านโพน" and silk["product_id"] == "ตก-01"
    assert silk["date"] == "2023" and silk["date_original"] == "2566"  # no date_format: read like a sidecar
    # a bad row fails alone, named
    assert [f.reason for f in out["failures"]] == ["line 2: price 'ประมาณร้อยบาท' is not a number"]


BASE = {"columns": {"รหัส": "id", "ชื่อ": "title", "รายละเอียด": "text"}}


@pytest.mark.parametrize(
    ("mapping", "problem"),
    [
        (["รหัส", "ชื่อ"], "must be a YAML mapping with 'columns'"),
        ({"colums": BASE["columns"]}, "unknown key(s) colums"),
        ({"columns": {**BASE["columns"], "ชื่อปราชญ์": "name"}}, "'ชื่อปราชญ์' maps to 'name', not a Panya field"),
        ({"columns": {"รหัส": "id", "ชื่อ": "title"}}, "no column maps to text"),
        ({"columns": {**BASE["columns"], "หัวเรื่อง": "title"}}, "more than one column maps to title"),
        ({**BASE, "fixed": {"type": "ebook"}}, "fixed type 'ebook' is not one of"),
        ({**BASE, "fixed": {"id": "x"}}, "'fixed' cannot set id"),
        ({"columns": {**BASE["columns"], "จังหวัด": "province"}, "fixed": {"province": "น่าน"}},
         "province is both a column and a fixed value"),
        ({**BASE, "date_format": "%d/%m"}, "'date_format' must be a strptime format with a year"),
        ({**BASE, "values": {"category": {"หัตถกรรม": "crafts"}}}, "'values' translates category, which no column"),
    ],
)  # fmt: skip
def test_a_mapping_that_cannot_work_is_refused_naming_the_file_and_problem(mapping, problem):
    with pytest.raises(MappingError) as refused:
        Mapping.parse(mapping, "กรม.mapping.yaml")
    assert str(refused.value).startswith("mapping กรม.mapping.yaml: ") and problem in str(refused.value)


def test_broken_yaml_and_a_mapping_beside_a_table_that_lacks_its_columns(tmp_path):
    broken = tmp_path / "bad.mapping.yaml"
    broken.write_text("columns:\n  รหัส: id\n   ชื่อ: [title\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"mapping bad\.mapping\.yaml is not valid UTF-8 YAML"):
        load_mapping(broken)
    # found beside a table: the table fails, naming the mapping and what is wrong
    shutil.copy2(TABLE, tmp_path / "bad.csv")
    assert "mapping bad.mapping.yaml is not valid" in convert(tmp_path / "bad.csv")["failures"][0].reason
    shutil.copy2(TABLE, tmp_path / "other.csv")
    (tmp_path / "other.mapping.yaml").write_text(
        "columns:\n  รหัสภูมิปัญญา: id\n  ชื่อภูมิปัญญา: title\n  รายละเอียดภูมิปัญญา: text\n", encoding="utf-8"
    )
    failure = convert(tmp_path / "other.csv")["failures"][0].reason
    assert "the mapping other.mapping.yaml names column(s) รหัสภูมิปัญญา that the file lacks" in failure
    assert "รหัสทะเบียน" in failure  # the columns it has, to fix the mapping from


def test_a_date_not_in_the_mapping_format_fails_its_row_only(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("รหัส,ชื่อ,รายละเอียด,วันที่\nA,ปลาร้า,หมักปลา,12/03/2566\nB,ผ้าไหม,ทอผ้า,2566-03-12\n",
                     encoding="utf-8")  # fmt: skip
    (tmp_path / "t.mapping.yaml").write_text(
        "columns: {รหัส: id, ชื่อ: title, รายละเอียด: text, วันที่: date}\ndate_format: '%d/%m/%Y'\n",
        encoding="utf-8",
    )
    out = convert(table)
    assert [d.meta["date"] for d in out["documents"]] == ["2023-03-12"]
    assert [f.reason for f in out["failures"]] == ["row 3: date '2566-03-12' does not match %d/%m/%Y"]


@pytest.mark.integration
def test_cli_ingests_a_table_with_a_mapping_kept_elsewhere(tmp_path, monkeypatch, capsys):
    from panya.archive import Archive
    from panya.cli import main
    from panya.settings import get_settings
    from query.request import SearchRequest

    monkeypatch.setenv("PANYA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    folder = tmp_path / "ministry"
    folder.mkdir()
    shutil.copy2(TABLE, folder / "ทะเบียน.csv")  # a Thai file name, no mapping beside it
    try:
        assert main(["ingest", str(folder / "ทะเบียน.csv"), "--mapping", str(tmp_path / "none.yaml")]) == 2
        assert "none.yaml: no such file" in capsys.readouterr().err
        assert main(["ingest", str(folder), "--mapping", str(MAPPING)]) == 2
        assert "applies to one CSV or JSONL file" in capsys.readouterr().err
        code = main(["ingest", str(folder / "ทะเบียน.csv"), "--mapping", str(MAPPING), "--no-progress"])
        assert code == 0 and "5 added" in capsys.readouterr().out
        assert sorted(p.name for p in folder.iterdir()) == ["ทะเบียน.csv"]  # nothing written beside it
        with Archive(get_settings()) as archive:
            view = archive.source("ทะเบียน.csv#วธ-นน-002")
            assert view.meta["title"] == "การตีมีดอรัญญิก" and view.meta["original_name"] == "ทะเบียน.csv"
            page = archive.search(SearchRequest(q="มีดอรัญญิกตีจากเหล็กแหนบ"))
            assert page.results[0].source_id == "ทะเบียน.csv#วธ-นน-002"
    finally:
        get_settings.cache_clear()
