"""How a researcher cites a source: Thai and English references (APA-like), BibTeX, CSL-JSON, and
the one date formatter of the UI; on sources converted from the sample corpora as ingest stores them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ingest.discovery import SourceFile
from ingest.source_converter import SourceConverter
from query.citation import citation, date_original_differs, display_date
from tests.conftest import CORPORA

URL = "https://panya.example/sources/oral_histories/bualai-pla-daek.vtt"
ACCESSED = dt.date(2026, 11, 25)


def stored_meta(source_id: str) -> dict:
    path, _, row = source_id.partition("#")
    out = SourceConverter().run([SourceFile(CORPORA / path, path)])
    return next(d.meta for d in out["documents"] if d.meta["source_id"] == source_id)


@pytest.fixture(scope="module")
def story():
    return citation("oral_histories/bualai-pla-daek.vtt", stored_meta("oral_histories/bualai-pla-daek.vtt"), URL,
                    accessed=ACCESSED)  # fmt: skip


def test_thai_reference_names_sage_title_place_both_eras_archive_url_and_access(story):
    assert story.thai == (
        "บัวลาย ศรีวงษา. (15 มกราคม 2567 / ค.ศ. 2024). แม่บัวลายเล่าเรื่องปลาแดก: การหมักปลาร้าริมแม่น้ำมูล "
        "[เรื่องเล่าปราชญ์]. บ้านหนองบัวฮี อำเภอเขื่องใน จังหวัดอุบลราชธานี. ปัญญา (Panya). "
        f"สืบค้นเมื่อ 25 พฤศจิกายน 2569, จาก {URL}"
    )


def test_english_reference_is_in_common_era_with_the_buddhist_year_alongside(story):
    assert story.english == (
        "บัวลาย ศรีวงษา. (January 15, 2024; B.E. 2567). แม่บัวลายเล่าเรื่องปลาแดก: การหมักปลาร้าริมแม่น้ำมูล "
        "[Oral history, interviewed by ดารุณี พรหมสาขา]. บ้านหนองบัวฮี, เขื่องใน, Ubon Ratchathani, Thailand. "
        f"Panya (ปัญญา). Retrieved November 25, 2026, from {URL}"
    )


def test_a_document_is_cited_by_its_author_and_a_product_by_its_producer():
    document = citation("documents/pla-ra-ubon.md", stored_meta("documents/pla-ra-ubon.md"), "u", ACCESSED)
    assert document.thai.startswith("นิภาพร ทองสุข. (12 มีนาคม 2566 / ค.ศ. 2023). ปลาร้าริมฝั่งมูล")
    assert "[เอกสารภูมิปัญญา]" in document.thai and "ตำบล" not in document.thai
    meta = stored_meta("products/otop.csv#NNE-001")
    product = citation("products/otop.csv#NNE-001", meta, "u", ACCESSED)
    assert product.thai.startswith(meta["producer"] + ". (ม.ป.ป.).") and "[สินค้าชุมชน]" in product.thai
    assert product.english.startswith(meta["producer"] + ". (n.d.).") and "Surin, Thailand" in product.english


def test_bibtex_is_one_misc_entry_with_balanced_braces_and_an_ascii_key(story):
    entry = story.bibtex
    assert entry.startswith("@misc{panya2024bualai-pla-daek,\n") and entry.endswith("}\n")
    fields = dict(re.findall(r"^  (\w+) = \{(.*)\},?$", entry, flags=re.MULTILINE))
    assert fields["author"] == "{บัวลาย ศรีวงษา}"  # one name: BibTeX must not split a Thai name
    assert fields["year"] == "2024" and fields["month"] == "jan" and fields["urldate"] == "2026-11-25"
    assert fields["url"] == URL and fields["howpublished"] == "Panya (ปัญญา)"
    assert fields["address"] == "บ้านหนองบัวฮี อำเภอเขื่องใน จังหวัดอุบลราชธานี"
    assert entry.count("{") == entry.count("}")


def test_bibtex_escapes_what_latex_would_read_as_commands():
    cited = citation(
        "documents/x.md", {"title": "ร้อยละ 50% & #1 {ทดลอง}", "date": "2023"}, "https://p/x#y", ACCESSED
    )
    assert r"ร้อยละ 50\% \& \#1 \{ทดลอง\}" in cited.bibtex and r"https://p/x\#y" in cited.bibtex


def test_csl_json_is_an_interview_with_issued_and_accessed_dates(story):
    item = story.csl
    assert item["type"] == "interview" and item["author"] == [{"literal": "บัวลาย ศรีวงษา"}]
    assert item["interviewer"] == [{"literal": "ดารุณี พรหมสาขา"}]
    assert item["issued"] == {"date-parts": [[2024, 1, 15]]}
    assert item["accessed"] == {"date-parts": [[2026, 11, 25]]}
    assert item["URL"] == URL and item["archive"] == "Panya (ปัญญา)" and item["language"] == "th-isan"
    assert item["note"] == "date as given: 15 มกราคม 2567"


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        ("2023-03-12", "th", "12 มีนาคม 2566"),
        ("2023-03-12", "en", "March 12, 2023"),
        ("2024-01", "th", "มกราคม 2567"),
        ("2019", "th", "2562"),
        ("2026-11-25T17:30:00Z", "th", "26 พฤศจิกายน 2569 เวลา 00:30 น."),  # Thai time, the next day
        ("", "th", ""),
    ],
)
def test_one_date_formatter_thai_in_buddhist_era_english_in_common_era(value, lang, shown):
    assert display_date(value, lang) == shown


def test_the_date_as_written_is_shown_only_when_it_says_something_else():
    registry = {"date": "2022-07-03", "date_original": "๐๓/๐๗/๒๕๖๕"}
    assert date_original_differs(registry)
    assert not date_original_differs(stored_meta("oral_histories/bualai-pla-daek.vtt"))  # 15 มกราคม 2567
    assert not date_original_differs(stored_meta("documents/pla-ra-ubon.md"))  # ISO as written
