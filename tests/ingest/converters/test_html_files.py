"""HTML pages: text without markup, DOCTYPE leftovers included."""

from __future__ import annotations

from ingest.converters.html_files import convert

PAGE = """<!DOCTYPE html [
  <!ENTITY ปราชญ์ "พ่อใหญ่สมาน">
  <!ELEMENT note ANY>
]>
<html lang="th"><head><title>ฟ้อนเล็บเชียงใหม่</title><meta name="Province" content="เชียงใหม่"></head>
<body><h1>ฟ้อนเล็บ</h1><p>ฟ้อนเล็บเป็นการฟ้อนของชาวล้านนา สวมเล็บทองเหลืองยาว &amp; ฟ้อนช้า ๆ</p></body></html>
"""


def test_doctype_with_internal_subset_leaves_no_brackets_in_the_text():
    (item,) = convert(PAGE.encode())
    assert "]>" not in item.content and "ENTITY" not in item.content
    assert item.content.startswith("ฟ้อนเล็บ") and "& ฟ้อนช้า" in item.content


def test_meta_names_ignore_case():
    (item,) = convert(PAGE.encode())
    assert (item.found["title"], item.found["province"], item.found["language"]) == (
        "ฟ้อนเล็บเชียงใหม่",
        "เชียงใหม่",
        "th",
    )
