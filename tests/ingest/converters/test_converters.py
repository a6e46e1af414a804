"""Every input format, read from the sample corpora and from broken files made here."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from ingest.converters import CONVERTERS
from ingest.converters.base import ConversionError
from tests.conftest import CORPORA


def convert(path: Path):
    return CONVERTERS[path.suffix](path.read_bytes())


def first(pattern: str) -> Path:
    matches = sorted(CORPORA.glob(pattern))
    assert matches, f"the sample corpora have no {pattern}"
    return matches[0]


def test_markdown_front_matter_is_separated_and_markup_dropped():
    (item,) = convert(CORPORA / "documents/pla-ra-ubon.md")
    assert item.front_matter["province"] == "อุบลราชธานี"
    assert "ปลาร้า" in item.content
    assert "---" not in item.content and "# " not in item.content


def test_html_title_meta_and_text_without_markup():
    (item,) = convert(first("documents/*.html"))
    assert item.found["title"]
    assert item.found.get("province")
    assert "<" not in item.content and len(item.content) > 500


def test_docx_paragraphs_are_read():
    (item,) = convert(first("documents/*.docx"))
    assert len(item.content) > 500
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in item.content)


def test_pdf_thai_survives_extraction_intact():
    from index.thai_text import normalize

    (item,) = convert(first("documents/*.pdf"))
    text = normalize(item.content)
    assert len(text) > 500
    assert "\u0e4d\u0e32" not in text  # ำ not broken into ํ + า
    assert not any("\uf700" <= ch <= "\uf71a" for ch in text)  # no private-use glyphs left
    assert "ที่" in text or "และ" in text  # common words come back whole, marks in place


def test_vtt_speakers_and_times():
    (item,) = convert(first("oral_histories/*.vtt"))
    cues = item.cues
    assert len(cues) >= 20
    assert all(cue["speaker"] for cue in cues)
    assert all(a["start"] <= b["start"] for a, b in zip(cues, cues[1:]))
    assert any(cue["start"] % 1 for cue in cues) or cues[-1]["end"] > 60


def test_srt_speaker_prefix_is_taken_off_the_text():
    (item,) = convert(first("oral_histories/*.srt"))
    assert all(cue["speaker"] for cue in item.cues)
    assert not any(cue["text"].startswith(cue["speaker"] + ":") for cue in item.cues)


def test_csv_catalogue_gives_one_source_per_row():
    rows = convert(CORPORA / "products/otop.csv")
    assert len(rows) >= 15 and all(row.error is None for row in rows)
    assert len({row.key for row in rows}) == len(rows)
    assert all(isinstance(row.fields["price"], float) for row in rows if row.fields["price"] is not None)


def test_jsonl_catalogue_tags_stay_a_list():
    rows = convert(first("products/*.jsonl"))
    assert len(rows) >= 15
    assert isinstance(rows[0].found["tags"], list)


def test_broken_catalogue_rows_are_reported_and_the_rest_kept(tmp_path):
    path = tmp_path / "shop.jsonl"
    good = {"id": "NNE-101", "name": "ข้าวหอมมะลิ", "description": "ข้าวหอมมะลิทุ่งกุลา", "price": 60}
    path.write_text(
        "\n".join(
            [
                json.dumps(good, ensure_ascii=False),
                "{ไม่ใช่ JSON",
                json.dumps({"id": "NNE-102", "name": "", "description": "x"}),
                json.dumps({**good, "id": "NNE-103", "price": "หกสิบ"}, ensure_ascii=False),
            ]
        )
    )
    rows = convert(path)
    assert [row.key for row in rows if not row.error] == ["NNE-101"]
    errors = [row.error for row in rows if row.error]
    assert any("line 2" in e and "JSON" in e for e in errors)
    assert any("empty name" in e for e in errors)
    assert any("price" in e for e in errors)


def test_csv_without_required_columns_names_them(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ชื่อ,ราคา\nผ้าไหม,100\n")
    with pytest.raises(ConversionError, match="lacks"):
        convert(path)


def test_tis620_text_is_read(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("ยาหม่องสมุนไพรไพล".encode("cp874"))
    (item,) = convert(path)
    assert item.content == "ยาหม่องสมุนไพรไพล"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("fake.pdf", b"this is not a pdf", "PDF"),
        ("fake.docx", b"PK not really", "docx"),
        ("broken.docx", None, "Word"),
        ("empty.vtt", b"WEBVTT\n\n", "no cues"),
        ("bad.vtt", b"not a transcript at all", "malformed"),
        ("binary.txt", bytes(range(128, 256)) * 4, "not UTF-8"),
    ],
)
def test_broken_files_raise_a_clear_reason(tmp_path, name, data, message):
    path = tmp_path / name
    if data is None:  # a zip that is not a Word document
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "สวัสดี")
    else:
        path.write_bytes(data)
    with pytest.raises(Exception, match=message):
        convert(path)


def test_converting_documents_never_runs_language_detection(monkeypatch):
    # unstructured guesses each document's language with langdetect unless told not to: ~1.5 s
    # of profile loading and a pass over the whole text, all holding the GIL, for metadata Panya
    # never reads
    from langdetect import detector_factory

    monkeypatch.setattr(detector_factory, "_factory", None)
    for pattern in ("documents/*.md", "documents/*.html", "documents/*.docx"):
        (item,) = convert(first(pattern))
        assert len(item.content) > 500
    assert detector_factory._factory is None
