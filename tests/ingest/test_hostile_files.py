"""Hostile files, generated here (never committed): each is refused with a Failure naming the file
and the problem, cheaply, and the good files of the same batch are still ingested.

Most cases go through ``discover`` + ``SourceConverter`` (fast); a few run ``ingest_path`` on the
real store and model, the way ``panya ingest`` does.
"""

from __future__ import annotations

import io
import os
import random
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from ingest.budgets import Budgets
from ingest.converters import SUPPORTED_SUFFIXES
from ingest.discovery import discover
from ingest.source_converter import SourceConverter
from tests.conftest import CORPORA, REPO

GOOD = "# ปลาร้าอุบล\n\nปลาร้าเป็นอาหารหมักของชาวอีสาน ทำจากปลาน้ำจืดคลุกเกลือและรำข้าวคั่ว หมักในไหนานหลายเดือน\n"
WORD_TEMPLATE = CORPORA / "documents/dan-kwian-pottery.docx"
WORDS = "ผ้า ไหม ปลา ร้า ข้าว หอม มะลิ บ้าน นา ทุ่ง กุลา ย้อม ครั่ง หมัก เกลือ ไห ดิน".split()
MIB = 1024 * 1024


def batch(
    folder: Path, budgets: Budgets | None = None
) -> tuple[list[str], dict[str, str], dict[str, list[str]]]:
    """Ingested source_ids, failures {source_id: reason} (discovery's included), warnings by source."""
    skipped: list = []
    out = SourceConverter(budgets).run(discover(folder, skipped))
    failures = {f.source_id: f.reason for f in skipped + out["failures"]}
    warnings: dict[str, list[str]] = {}
    for notice in out["warnings"]:
        warnings.setdefault(notice.source_id, []).append(notice.message)
    return [d.meta["source_id"] for d in out["documents"]], failures, warnings


def with_good_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.md").write_text(GOOD)
    return folder


# -- Word packages -------------------------------------------------------------------------------


def _template_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(WORD_TEMPLATE) as package:
        return {member.filename: package.read(member) for member in package.infolist()}


def _body_head() -> bytes:
    document = _template_parts()["word/document.xml"]
    return document[: document.index(b"<w:body>") + len(b"<w:body>")]


def docx_with_paragraphs(count: int) -> bytes:
    rnd = random.Random(7)
    body = "".join(
        f"<w:p><w:r><w:t>{rnd.choice(WORDS)}{rnd.choice(WORDS)} {i}</w:t></w:r></w:p>" for i in range(count)
    )
    parts = _template_parts() | {
        "word/document.xml": _body_head() + body.encode() + b"</w:body></w:document>"
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def docx_bomb(tmp_path_factory) -> Path:
    """1.1 MB on disk, 1.1 GB unzipped: spaces inside a valid Word body, streamed so the test stays small."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    parts = _template_parts()
    del parts["word/document.xml"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for name, data in parts.items():
            package.writestr(name, data)
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(_body_head())
            spaces = b" " * MIB
            for _ in range(1100):
                member.write(spaces)
            member.write(b"</w:body></w:document>")
    assert path.stat().st_size < 1.5 * MIB
    return path


def docx_lying_about_sizes() -> bytes:
    """A package whose ZIP directory says document.xml is 1 KB while it inflates to 30 MB."""
    buffer = io.BytesIO()
    parts = _template_parts()
    parts["word/document.xml"] = _body_head() + b" " * (30 * MIB) + b"</w:body></w:document>"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    data = bytearray(buffer.getvalue())
    name = b"word/document.xml"
    local = data.index(name) - 30  # a local header is 30 bytes, then the name
    central = data.index(b"PK\x01\x02", local)
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, local + 22, 1024)  # uncompressed size, local header
    struct.pack_into("<I", data, central + 24, 1024)  # uncompressed size, central directory
    return bytes(data)


def test_docx_bomb_is_refused_from_the_zip_directory_before_extraction(docx_bomb, tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    (folder / "bomb.docx").write_bytes(docx_bomb.read_bytes())
    started = time.perf_counter()
    ingested, failures, _ = batch(folder)
    assert time.perf_counter() - started < 10
    assert ingested == ["good.md"]
    assert "unzipped, its parts take 1100.8 MB" in failures["bomb.docx"]
    assert "PANYA_MAX_FILE_MB" in failures["bomb.docx"]


def test_docx_compression_ratio_guard_names_its_setting(docx_bomb, tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    (folder / "bomb.docx").write_bytes(docx_bomb.read_bytes())
    _, failures, _ = batch(folder, Budgets(max_file_mb=2000))
    assert (
        "PANYA_MAX_COMPRESSION_RATIO" in failures["bomb.docx"] and "compression bomb" in failures["bomb.docx"]
    )


def test_docx_whose_zip_directory_lies_is_stopped_at_the_declared_size(tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    (folder / "liar.docx").write_bytes(docx_lying_about_sizes())
    ingested, failures, _ = batch(folder)
    assert ingested == ["good.md"]
    assert "not a readable Word .docx" in failures["liar.docx"] and "CRC" in failures["liar.docx"]


def test_docx_of_many_short_paragraphs_is_refused_before_unstructured_reads_it(tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    (folder / "paragraphs.docx").write_bytes(docx_with_paragraphs(350_000))
    assert 1 * MIB < (folder / "paragraphs.docx").stat().st_size < 4 * MIB
    started = time.perf_counter()
    ingested, failures, _ = batch(folder)
    assert time.perf_counter() - started < 15
    assert ingested == ["good.md"]
    assert (
        "20,001 paragraphs, over the budget of 20,000 (PANYA_MAX_BLOCKS_PER_FILE)"
        in failures["paragraphs.docx"]
    )


def test_hostile_docx_and_pdf_files_stay_far_under_a_gigabyte(docx_bomb, tmp_path):
    """Peak memory of a fresh process converting them, after the converters are imported."""
    (tmp_path / "paragraphs.docx").write_bytes(docx_with_paragraphs(350_000))
    (tmp_path / "liar.docx").write_bytes(docx_lying_about_sizes())
    (tmp_path / "bomb.pdf").write_bytes(pdf_with_content([b" " * MIB] * 500 + [TEXT_OP]))
    script = textwrap.dedent(
        rf"""
        import re, sys
        from pathlib import Path
        from ingest.converters import CONVERTERS
        import pypdfium2, unstructured.partition.docx
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the (big) pytest parent at fork
        peak = lambda: int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)) // 1024
        before = peak()
        for name in [{str(docx_bomb)!r}, "paragraphs.docx", "liar.docx", "bomb.pdf"]:
            path = Path({str(tmp_path)!r}) / name
            try:
                CONVERTERS[path.suffix](path.read_bytes())
                sys.exit(f"{{path}} was not refused")
            except ValueError:
                pass
        print(before, peak())
        """
    )
    env = os.environ | {"PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    before, after = map(int, result.stdout.split()[-2:])
    assert after < 1024 and after - before < 200, (before, after)


# -- PDFs ----------------------------------------------------------------------------------------


def pdf_with_content(content: bytes | list[bytes]) -> bytes:
    """A one-page PDF whose content stream (Flate, streamed in pieces) is ``content``."""
    compressor = zlib.compressobj(9)
    pieces = content if isinstance(content, list) else [content]
    stream = b"".join(compressor.compress(piece) for piece in pieces) + compressor.flush()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d/Filter/FlateDecode>>stream\n%s\nendstream" % (len(stream), stream),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + (
        b"xref\n0 %d\n0000000000 65535 f \n%strailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, table, len(objects) + 1, len(out))
    )


TEXT_OP = b"BT /F1 12 Tf 72 712 Td (Panya) Tj ET\n"


def test_a_generated_pdf_is_read(tmp_path):
    (tmp_path / "ok.pdf").write_bytes(pdf_with_content(TEXT_OP))
    ingested, failures, _ = batch(tmp_path)
    assert (ingested, failures) == (["ok.pdf"], {})


def test_pdf_bomb_is_refused_before_pdfium_inflates_it(tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    (folder / "bomb.pdf").write_bytes(pdf_with_content([b" " * MIB] * 200 + [TEXT_OP]))  # 200 KB → 200 MB
    started = time.perf_counter()
    ingested, failures, _ = batch(folder)
    assert time.perf_counter() - started < 5
    assert ingested == ["good.md"]
    assert "inflated, its streams take 26.0 MB, over the budget of 25 MB" in failures["bomb.pdf"]


def test_pdf_stream_shrunk_beyond_the_ratio_is_refused(tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    (folder / "ratio.pdf").write_bytes(pdf_with_content([b" " * MIB] * 20 + [TEXT_OP]))
    _, failures, _ = batch(folder)
    assert "PANYA_MAX_COMPRESSION_RATIO" in failures["ratio.pdf"]


def test_pdf_page_with_too_many_objects_is_refused_before_its_text_is_built(tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    rnd = random.Random(3)
    ops = [
        b"BT /F1 9 Tf %d %d Td (%d) Tj ET\n" % (rnd.randint(0, 600), rnd.randint(0, 780), i)
        for i in range(25_000)
    ]
    (folder / "dense.pdf").write_bytes(pdf_with_content(b"".join(ops)))
    ingested, failures, _ = batch(folder)
    assert ingested == ["good.md"]
    assert "25,000 objects on page 1, over the budget of 20,000" in failures["dense.pdf"]


# -- any format ----------------------------------------------------------------------------------


def test_garbage_bytes_with_every_supported_suffix_are_refused_by_content(tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    garbage = random.Random(11).randbytes(4096)
    for suffix in SUPPORTED_SUFFIXES:
        (folder / f"garbage{suffix}").write_bytes(garbage)
    ingested, failures, _ = batch(folder)
    assert ingested == ["good.md"]
    assert set(failures) == {f"garbage{suffix}" for suffix in SUPPORTED_SUFFIXES}
    assert all("whatever its name says" in reason for reason in failures.values()), failures


@pytest.mark.parametrize("name", ["dan-kwian-pottery.docx", "nang-talung-phatthalung.pdf"])
@pytest.mark.parametrize("keep", [0.5, 0.05])
def test_truncated_files_are_refused(tmp_path, name, keep):
    folder = with_good_file(tmp_path / "corpus")
    data = (CORPORA / "documents" / name).read_bytes()
    (folder / name).write_bytes(data[: int(len(data) * keep)])
    ingested, failures, _ = batch(folder)
    assert ingested == ["good.md"]
    assert any(word in failures[name] for word in ("not a Word document", "not a readable PDF")), failures


def test_binary_with_a_txt_name_and_nul_bytes_in_text_are_refused(tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    (folder / "program.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    (folder / "late-nul.md").write_bytes(GOOD.encode() * 400 + b"\x00" + GOOD.encode())  # NUL after 8 KB
    ingested, failures, _ = batch(folder)
    assert ingested == ["good.md"]
    assert "not UTF-8 or TIS-620 text" in failures["program.txt"]
    assert "NUL" in failures["late-nul.md"] or "not UTF-8" in failures["late-nul.md"]


def test_odd_names_thai_spaces_long_are_ingested_and_a_newline_is_refused(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    long_name = "ปลาร้า" * 13 + ".md"  # 237 bytes
    for name in ("ปลาร้า อุบล.md", "  spaced  .md", long_name, "new\nline.md"):
        (folder / name).write_text(GOOD)
    ingested, failures, _ = batch(folder)
    assert sorted(ingested) == sorted(["ปลาร้า อุบล.md", "  spaced  .md", long_name])
    assert "control character" in failures["new\\nline.md"]


def test_symlinks_fifo_and_socket_are_reported_never_read(tmp_path):
    import socket

    folder = with_good_file(tmp_path / "corpus")
    (folder / "p.txt").symlink_to("/etc/passwd")
    (folder / "etc").symlink_to("/etc", target_is_directory=True)
    os.mkfifo(folder / "pipe.md")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(folder / "sock.md"))
        ingested, failures, _ = batch(folder)
    assert ingested == ["good.md"]
    assert set(failures) == {"p.txt", "etc", "pipe.md", "sock.md"}
    assert "symbolic link to a file" in failures["p.txt"] and "symbolic link to a folder" in failures["etc"]
    assert "FIFO" in failures["pipe.md"] and "socket" in failures["sock.md"]


def test_huge_one_line_txt_is_refused_by_size_without_being_read(tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    with open(folder / "one-line.txt", "wb") as sparse:  # 50 MB on paper, nothing on disk
        sparse.truncate(50 * MIB)
    started = time.perf_counter()
    ingested, failures, _ = batch(folder)
    assert time.perf_counter() - started < 5
    assert ingested == ["good.md"]
    assert failures["one-line.txt"] == "the file is 50.0 MB, over the budget of 25 MB (PANYA_MAX_FILE_MB)"


def test_one_line_txt_just_over_a_small_budget(tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    (folder / "one-line.txt").write_text("ปลาร้า" * 70_000)  # 1.2 MB, one line
    _, failures, _ = batch(folder, Budgets(max_file_mb=1))
    assert "over the budget of 1 MB" in failures["one-line.txt"]


def test_csv_with_an_oversized_field_fails_that_row_only(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    huge = "ผ้าไหม" * 30_000
    (folder / "shop.csv").write_text(
        f"id,name,description\nNNE-1,ข้าวฮาง,ข้าวฮางงอกหุงนุ่ม\nNNE-2,ผ้าไหม,{huge}\nNNE-3,ปลาร้า,ปลาร้าต้มสุกปรุงรส\n"
    )
    ingested, failures, _ = batch(folder)
    assert ingested == ["shop.csv#NNE-1", "shop.csv#NNE-3"]
    assert failures == {"shop.csv": "row 3: a field is longer than 131,072 characters; the row is skipped"}


def test_vtt_with_negative_timestamps_is_ingested_with_a_warning(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "talk.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v แม่สมศรี>ปลาร้าต้องหมักกับเกลือ &amp; รำข้าว\n\n"
        "-00:00:05.000 --> 00:00:06.000\n<v แม่สมศรี>ท่อนนี้เวลาติดลบ\n"
    )
    out = SourceConverter().run(discover(folder))
    (document,) = out["documents"]
    assert "& รำข้าว" in document.content and "ติดลบ" not in document.content
    assert [str(w) for w in out["warnings"]] == [
        "talk.vtt: line 6: cue skipped, its timestamp -00:00:05.000 is negative"
    ]


def test_html_with_a_doctype_subset_keeps_no_brackets(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "page.html").write_text(
        '<!DOCTYPE html [<!ENTITY x "y">]>\n<html><body><p>ฟ้อนเล็บเป็นการฟ้อนของชาวล้านนา</p></body></html>'
    )
    ingested, failures, _ = batch(folder)
    assert failures == {}
    (document,) = SourceConverter().run(discover(folder))["documents"]
    assert document.content == "ฟ้อนเล็บเป็นการฟ้อนของชาวล้านนา"


def test_markdown_of_many_short_lines_is_refused_before_parsing(tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    (folder / "lines.md").write_text("".join(f"- ผ้า {i}\n" for i in range(25_000)))
    started = time.perf_counter()
    _, failures, _ = batch(folder)
    assert time.perf_counter() - started < 10
    assert "25,000 lines, over the budget of 20,000" in failures["lines.md"]


def test_html_of_many_tiny_paragraphs_is_refused_before_parsing(tmp_path):
    folder = with_good_file(tmp_path / "corpus")
    (folder / "tiny.html").write_text("<html><body>" + "<p>ผ้า</p>" * 30_000 + "</body></html>")
    _, failures, _ = batch(folder)
    assert "30,000 paragraphs, cells and other blocks" in failures["tiny.html"]


def test_markdown_of_unmatched_brackets_is_read_in_linear_time(tmp_path):
    """Python-Markdown (unstructured's partition_md) took 170 s on 40 KB of "[": CommonMark does not."""
    folder = with_good_file(tmp_path / "corpus")
    (folder / "brackets.md").write_text("ปลาร้า " + "[" * 40_000 + " ![" * 10_000)
    started = time.perf_counter()
    ingested, failures, _ = batch(folder)
    assert time.perf_counter() - started < 15
    assert sorted(ingested) == ["brackets.md", "good.md"] and failures == {}


def test_html_of_unclosed_tags_is_read_in_linear_time(tmp_path):
    """Python's HTMLParser took 60 s on 100 KB of "<a <a": the head is read by plain search."""
    folder = with_good_file(tmp_path / "corpus")
    (folder / "tags.html").write_text("<html><body><p>ผ้าไหมทอมือ บ้านนาโพธิ์</p>" + "<a " * 100_000)
    started = time.perf_counter()
    ingested, _, _ = batch(folder)
    assert time.perf_counter() - started < 15
    assert "tags.html" in ingested


# -- the real store and model, the way `panya ingest` runs -----------------------------------------


@pytest.mark.integration
def test_ingest_path_reports_hostile_files_and_ingests_the_good_one(archive, tmp_path, docx_bomb):
    from panya.ingestion import ingest_path

    folder = with_good_file(tmp_path / "corpus")
    (folder / "p.txt").symlink_to("/etc/passwd")
    (folder / "bomb.docx").write_bytes(docx_bomb.read_bytes())
    with open(folder / "one-line.txt", "wb") as sparse:
        sparse.truncate(50 * MIB)
    (folder / "garbage.pdf").write_bytes(b"\x00\x01binary")
    started = time.perf_counter()
    report = ingest_path(archive, folder, progress=False)
    assert time.perf_counter() - started < 60
    assert report.added == ["good.md"]
    reasons = {failure.source_id: failure.reason for failure in report.failed}
    assert set(reasons) == {"p.txt", "bomb.docx", "one-line.txt", "garbage.pdf"}
    assert "symbolic link" in reasons["p.txt"] and "PANYA_MAX_FILE_MB" in reasons["one-line.txt"]
    assert archive.source_chunks("p.txt", include_restricted=True) == []


@pytest.mark.integration
def test_ingest_path_refuses_a_single_file_that_is_a_symlink(archive, tmp_path):
    from panya.ingestion import ingest_path

    (tmp_path / "p.txt").symlink_to("/etc/passwd")
    report = ingest_path(archive, tmp_path / "p.txt", progress=False)
    assert report.added == [] and [f.source_id for f in report.failed] == ["p.txt"]
    assert archive.stats()["chunks"] == 0
