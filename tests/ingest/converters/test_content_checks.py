"""check_content: is a file what its name says? The one gate for ingest and uploads."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from ingest.converters import SUPPORTED_SUFFIXES, ContentMismatch, UnsupportedFormat, check_content
from ingest.errors import ConversionError
from tests.conftest import CORPORA


def docx_bytes(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for p in CORPORA.rglob("*")
        if p.suffix in SUPPORTED_SUFFIXES and p.name not in ("README.md", "queries.jsonl")
    ),
    ids=lambda p: p.name,
)
def test_every_sample_file_passes(path):
    check_content(path.name, path.read_bytes())


def test_every_sample_sidecar_passes():
    for sidecar in CORPORA.rglob("*.meta.json"):
        check_content(sidecar.name, sidecar.read_bytes())


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("x.pdf", "<html><body><p>ไม่ใช่ PDF</p></body></html>".encode(), "a PDF"),
        ("x.docx", b"PK\x03\x04 not really a zip", "a Word document"),
        ("x.docx", docx_bytes({"hello.txt": "สวัสดี"}), "a Word document"),
        ("x.html", "ผ้าไหมมัดหมี่ ไม่มีแท็กเลย".encode(), "an HTML page"),
        ("x.vtt", "00:00:01.000 --> 00:00:02.000\nไม่มีหัว WEBVTT".encode(), "a WebVTT transcript"),
        ("x.srt", "ข้อความธรรมดา ไม่มีเวลา".encode(), "a SubRip transcript"),
        ("x.csv", "ชื่อ;ราคา\nผ้าไหม;100\n".encode(), "a CSV table"),
        ("x.jsonl", b"[1, 2, 3]\n", "JSON lines"),
        ("x.txt", bytes(range(256)), "UTF-8 or TIS-620 text"),
        ("x.md", "ปลาร้า\x00หมัก".encode(), "UTF-8 or TIS-620 text"),
    ],
)
def test_content_that_is_not_what_the_name_says_is_refused_naming_the_file(name, data, kind):
    with pytest.raises(ContentMismatch) as caught:
        check_content(name, data)
    assert str(caught.value) == f"{name}: the content is not {kind}, whatever its name says"
    assert caught.value.name == name and isinstance(caught.value, ConversionError)


def test_tis620_text_is_accepted():
    check_content("ตำรายา.txt", "ยาหม่องสมุนไพรไพล".encode("cp874"))
    check_content("ร้าน.csv", "id,name,description\nN-1,ผ้าไหม,ผ้าไหมทอมือ\n".encode("cp874"))


def test_a_real_docx_package_is_accepted():
    check_content("x.docx", docx_bytes({"word/document.xml": "<w:document/>"}))
    check_content("X.DOCX", (CORPORA / "documents/dan-kwian-pottery.docx").read_bytes())


def test_unsupported_type_is_refused_listing_what_panya_reads():
    with pytest.raises(UnsupportedFormat, match=r"photo\.jpg: unsupported file type \.jpg; Panya reads \.md"):
        check_content("photo.jpg", b"\xff\xd8\xff")
    with pytest.raises(UnsupportedFormat, match=r"\(none\)"):
        check_content("README", b"text")


@pytest.mark.parametrize("data", [b"[1, 2]", b"{title: broken", "ไม่ใช่ JSON".encode(), b"\x00\x01"])
def test_a_sidecar_must_be_a_json_object(data):
    with pytest.raises(ContentMismatch, match=r"ya\.meta\.json: a sidecar must be a JSON object"):
        check_content("ya.meta.json", data)
    check_content("ya.meta.json", json.dumps({"title": "ยาหม่อง"}, ensure_ascii=False).encode())
