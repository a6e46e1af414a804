"""Ingestion on the real embedded store and bundled model: idempotence, replacement, deletion,
broken input, and the originals kept under the data directory."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from panya.archive import SourceNotFound
from panya.ingestion import ingest_path
from query.request import SearchRequest
from tests.conftest import CORPORA, REPO


def chunks_by_source(archive) -> dict[str, set[str]]:
    grouped = defaultdict(set)
    for document in archive.store.filter_documents():
        grouped[document.meta["source_id"]].add(document.id)
    return dict(grouped)


def test_corpora_ingest_every_source_and_second_run_writes_nothing(corpus_archive):
    first = corpus_archive.report
    assert first.ok and len(first.added) >= 20 + 6 + 30
    before = corpus_archive.store.count_documents()
    again = ingest_path(corpus_archive, CORPORA, progress=False)
    assert again.ok
    assert (again.added, again.updated, again.chunks) == ([], [], 0)
    assert sorted(again.unchanged) == sorted(first.added)
    assert corpus_archive.store.count_documents() == before


def test_every_source_is_stored_once_with_complete_chunks(corpus_archive):
    for source_id in chunks_by_source(corpus_archive):
        chunks = corpus_archive.store.filter_documents(
            {"field": "meta.source_id", "operator": "==", "value": source_id}
        )
        assert len({c.meta["fingerprint"] for c in chunks}) == 1, source_id
        assert sorted(c.meta["chunk_index"] for c in chunks) == list(range(chunks[0].meta["chunk_count"]))


def test_editing_one_file_replaces_exactly_its_chunks(archive, corpus_copy):
    ingest_path(archive, corpus_copy, progress=False)
    before = chunks_by_source(archive)
    edited = corpus_copy / "documents/pla-ra-ubon.md"
    edited.write_text(edited.read_text() + "\n\nปีนี้น้ำมูลลดเร็ว ชาวบ้านดอนตะลีจึงเริ่มหมักปลาร้าตั้งแต่ต้นเดือนพฤศจิกายน\n")
    report = ingest_path(archive, corpus_copy, progress=False)
    assert report.updated == ["documents/pla-ra-ubon.md"] and report.added == []
    after = chunks_by_source(archive)
    assert {s: ids for s, ids in after.items() if s != "documents/pla-ra-ubon.md"} == {
        s: ids for s, ids in before.items() if s != "documents/pla-ra-ubon.md"
    }
    assert after["documents/pla-ra-ubon.md"] != before["documents/pla-ra-ubon.md"]
    hits = archive.search("เริ่มหมักปลาร้าต้นเดือนพฤศจิกายน น้ำมูลลดเร็ว", limit=1).results
    assert hits[0].source_id == "documents/pla-ra-ubon.md" and "พฤศจิกายน" in hits[0].content


def test_sidecar_change_alone_updates_the_source(archive, corpus_copy):
    ingest_path(archive, corpus_copy, progress=False)
    sidecar = next(corpus_copy.glob("oral_histories/*.meta.json"))
    data = json.loads(sidecar.read_text())
    data["village"] = "บ้านทดสอบใหม่"
    sidecar.write_text(json.dumps(data, ensure_ascii=False))
    report = ingest_path(archive, corpus_copy, progress=False)
    source_id = f"oral_histories/{sidecar.name.removesuffix('.meta.json')}.vtt"
    assert report.updated == [source_id]
    chunks = archive.source_chunks(source_id, include_restricted=True)
    assert {c.meta["village"] for c in chunks} == {"บ้านทดสอบใหม่"}


def test_delete_removes_every_chunk_of_a_source_and_of_a_catalogue(archive, corpus_copy):
    ingest_path(archive, corpus_copy, progress=False)
    assert archive.delete_source("documents/mat-mi-silk-surin.md") > 0
    assert "documents/mat-mi-silk-surin.md" not in chunks_by_source(archive)
    assert archive.delete_source("products/otop.csv") >= 15
    assert not [s for s in chunks_by_source(archive) if s.startswith("products/otop.csv#")]
    assert archive.delete_source("documents/nothing-here.md") == 0


def test_a_product_dropped_from_its_catalogue_is_removed(archive, corpus_copy):
    ingest_path(archive, corpus_copy, progress=False)
    catalogue = corpus_copy / "products/otop.csv"
    header, first_row, *rest = catalogue.read_text().splitlines()
    catalogue.write_text("\n".join([header, *rest]) + "\n")
    report = ingest_path(archive, corpus_copy, progress=False)
    dropped = f"products/otop.csv#{first_row.split(',')[0]}"
    assert report.removed == ["products/otop.csv"]
    assert dropped not in chunks_by_source(archive)
    assert report.unchanged and not report.updated


def test_broken_files_are_named_with_a_reason_and_the_batch_goes_on(archive, corpus_copy):
    (corpus_copy / "documents/broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (corpus_copy / "documents/notes.xyz").write_text("ข้อความ")
    (corpus_copy / "documents/bad-meta.md").write_text("# ยาหม่อง\n\nสูตรยาหม่องไพล")
    (corpus_copy / "documents/bad-meta.meta.json").write_text('{"access": "secret"}')
    report = ingest_path(archive, corpus_copy, progress=False)
    reasons = {failure.source_id: failure.reason for failure in report.failed}
    assert set(reasons) == {"documents/broken.pdf", "documents/notes.xyz", "documents/bad-meta.md"}
    assert "PDF" in reasons["documents/broken.pdf"]
    assert "unsupported file type .xyz" in reasons["documents/notes.xyz"]
    assert "access" in reasons["documents/bad-meta.md"]
    assert "documents/pla-ra-ubon.md" in report.added and not report.ok


def test_a_file_that_breaks_later_keeps_its_stored_version(archive, corpus_copy):
    ingest_path(archive, corpus_copy, progress=False)
    stored = chunks_by_source(archive)["documents/pla-ra-ubon.md"]
    (corpus_copy / "documents/pla-ra-ubon.md").write_bytes(b"---\ntitle: [unclosed\n---\n\xff\xfe")
    report = ingest_path(archive, corpus_copy, progress=False)
    assert [f.source_id for f in report.failed] == ["documents/pla-ra-ubon.md"]
    assert chunks_by_source(archive)["documents/pla-ra-ubon.md"] == stored


def test_originals_and_sidecars_are_kept_in_the_data_dir(archive, corpus_copy, settings):
    ingest_path(archive, corpus_copy, progress=False)
    kept = settings.originals_dir
    assert (kept / "documents/pla-ra-ubon.md").read_bytes() == (
        corpus_copy / "documents/pla-ra-ubon.md"
    ).read_bytes()
    assert (kept / "products/otop.csv").exists()
    assert list(kept.glob("oral_histories/*.meta.json"))


@pytest.mark.parametrize("name", ["documents/pla-ra-ubon.md"])
def test_a_single_file_can_be_ingested(archive, corpus_copy, name):
    report = ingest_path(archive, corpus_copy / name, progress=False)
    assert report.added == ["pla-ra-ubon.md"]


def test_the_archives_own_data_dir_is_never_ingested(archive, corpus_copy, settings):
    # e.g. `panya ingest .` in a folder that holds ./data next to the sources
    assert settings.data_dir.parent == corpus_copy.parent
    report = ingest_path(archive, settings.data_dir.parent, progress=False)
    assert report.ok and "corpus/documents/pla-ra-ubon.md" in report.added
    assert not [s for s in report.added if s.startswith("data/")]


def test_a_half_written_new_version_is_not_taken_for_unchanged(archive, corpus_copy):
    from dataclasses import replace

    from haystack.document_stores.types import DuplicatePolicy

    from panya.ingestion import fingerprint

    ingest_path(archive, corpus_copy, progress=False)
    source_id = "documents/pla-ra-ubon.md"
    old = archive.source_chunks(source_id)
    # as if a killed run had rewritten only chunk 0 (same text, so same id) of a new version
    new_fingerprint = fingerprint("a newer version", archive)
    partial = replace(old[0], meta={**old[0].meta, "fingerprint": new_fingerprint}, embedding=[0.1] * 384)
    archive.store.write_documents([partial], policy=DuplicatePolicy.OVERWRITE)
    assert archive.source_state(source_id, new_fingerprint) == "changed"
    assert archive.source_state(source_id, old[1].meta["fingerprint"]) == "changed"


def test_deleting_one_source_never_makes_another_public(archive, tmp_path):
    """X.md and X.txt share X.meta.json: deleting X.md must leave the sidecar for X.txt."""
    from panya.ingestion import delete_source, rebuild

    folder = tmp_path / "shared-sidecar" / "documents"
    folder.mkdir(parents=True)
    (folder / "tamra.md").write_text(
        "# ตำรายาประจำตระกูล\n\nสูตรน้ำมันไพลของตระกูล ใช้เฉพาะในครอบครัว", encoding="utf-8"
    )
    (folder / "tamra.txt").write_text("บันทึกวิธีเคี่ยวน้ำมันไพลของตระกูล เก็บไว้ให้ลูกหลาน", encoding="utf-8")
    (folder / "tamra.meta.json").write_text('{"access": "restricted"}', encoding="utf-8")
    assert ingest_path(archive, folder.parent, progress=False).ok
    assert delete_source(archive, "documents/tamra.md") > 0
    assert (archive.settings.originals_dir / "documents/tamra.meta.json").exists()
    archive.close()  # rebuild opens the store itself (closing twice is harmless)
    report, _ = rebuild(archive.settings, progress=False)
    assert report.added == ["documents/tamra.txt"]
    from panya.archive import Archive

    with Archive(archive.settings) as rebuilt:
        assert not rebuilt.source_chunks("documents/tamra.txt")  # hidden from the public
        (chunk, *_) = rebuilt.source_chunks("documents/tamra.txt", include_restricted=True)
        assert chunk.meta["access"] == "restricted"


def test_ingest_prints_a_progress_line_a_log_keeps_when_stderr_is_not_a_terminal(
    archive, tmp_path, monkeypatch, capsys
):
    """Under `make run` or a service manager there is no terminal: a plain line, not a bar."""
    import panya.ingestion

    folder = tmp_path / "documents"
    folder.mkdir()
    for name, text in [
        ("khao-lam.txt", "ข้าวหลามบ้านหนองมน เผาในกระบอกไม้ไผ่ ใส่กะทิและถั่วดำ"),
        ("kanom-jak.txt", "ขนมจากเมืองแกลง ห่อด้วยใบจากแล้วย่างบนเตาถ่าน"),
        ("pla-ra.txt", "ปลาร้าอุบลหมักด้วยเกลือและรำข้าวนานหลายเดือน"),
    ]:
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(panya.ingestion, "PROGRESS_SECONDS", 0.0)
    report = ingest_path(archive, folder, progress=None)  # capsys: stderr is not a terminal

    lines = capsys.readouterr().err.splitlines()
    assert report.ok and len(report.added) == 3
    assert "\r" not in "".join(lines)  # no bar redrawn in place
    assert lines[-1].startswith(f"ingest: 3/3 files, {report.chunks} chunks")
    assert any("; now " in line for line in lines[:-1])
    assert ingest_path(archive, folder, progress=False) and capsys.readouterr().err == ""


def test_a_metadata_only_edit_keeps_the_vectors_and_embeds_nothing(archive, tmp_path, monkeypatch):
    """Moving a source to another province changes its payload and sparse terms, not what the model read."""
    folder = tmp_path / "documents"
    folder.mkdir()
    text = "\n\n".join(
        f"ขั้นที่ {n} ของการทำข้าวหลามบ้านหนองมน คือการคัดไม้ไผ่ป่าที่มีเยื่อบาง แช่ข้าวเหนียวในกะทิ "
        "ใส่ถั่วดำและเกลือเล็กน้อย แล้วเผาไฟอ่อนจนกระบอกไหม้เกรียมด้านนอก" * 2
        for n in range(1, 6)
    )
    (folder / "khao-lam.md").write_text(f"# ข้าวหลามหนองมน\n\n{text}", encoding="utf-8")
    sidecar = folder / "khao-lam.meta.json"
    sidecar.write_text(json.dumps({"province": "ชลบุรี"}, ensure_ascii=False), encoding="utf-8")
    assert ingest_path(archive, folder, progress=False).added == ["khao-lam.md"]
    before = {d.content: d.embedding for d in archive.store.embedded_chunks({"field": "meta.source_id", "operator": "==", "value": "khao-lam.md"})}  # fmt: skip
    assert len(before) >= 3

    dense = archive.indexing.get_component("dense")
    embedded: list[int] = []
    original_run = dense.run
    monkeypatch.setattr(
        dense, "run", lambda documents: embedded.append(len(documents)) or original_run(documents)
    )

    sidecar.write_text(json.dumps({"province": "ฉะเชิงเทรา"}, ensure_ascii=False), encoding="utf-8")
    assert ingest_path(archive, folder, progress=False).updated == ["khao-lam.md"]
    after = archive.store.embedded_chunks(
        {"field": "meta.source_id", "operator": "==", "value": "khao-lam.md"}
    )
    assert sum(embedded) == 0
    assert {d.meta["province"] for d in after} == {"ฉะเชิงเทรา"} and len(after) == len(before)
    assert all(d.embedding == before[d.content] for d in after)
    moved = archive.browse(SearchRequest(province="ฉะเชิงเทรา"))
    assert [r.source_id for r in moved.results] == ["khao-lam.md"]
    assert not archive.browse(SearchRequest(province="ชลบุรี")).results

    # a changed title is read by the model: every chunk is embedded again
    (folder / "khao-lam.md").write_text(f"# ข้าวหลามแม่สายใจ\n\n{text}", encoding="utf-8")
    assert ingest_path(archive, folder, progress=False).updated == ["khao-lam.md"]
    assert sum(embedded) == len(before)


def _ingest_khao_lam(archive, tmp_path, body: str):
    """A folder holding one Chonburi document (ข้าวหลามหนองมน), ingested; returns the folder."""
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "khao-lam.md").write_text(
        f"---\nprovince: ชลบุรี\n---\n# ข้าวหลามหนองมน\n\n{body}", encoding="utf-8"
    )
    ingest_path(archive, folder, progress=False)
    return folder


def test_facet_counts_kept_between_writes_are_fresh_after_each_write(archive, tmp_path):
    from panya.ingestion import delete_source

    folder = _ingest_khao_lam(archive, tmp_path, "ข้าวเหนียวกะทิเผาในกระบอกไม้ไผ่")
    assert archive.facets().facets["province"] == {"ชลบุรี": 1}
    assert archive.facets() == archive.facets()  # the kept counts, not a shared object to spoil
    archive.facets().facets["province"]["ชลบุรี"] = 99
    assert archive.facets().facets["province"] == {"ชลบุรี": 1}

    (folder / "pla-ra.md").write_text(
        "---\nprovince: อุบลราชธานี\n---\n# ปลาร้าริมมูล\n\nหมักปลากับเกลือและรำข้าว", encoding="utf-8"
    )
    ingest_path(archive, folder, progress=False)
    assert archive.facets().facets["province"] == {"ชลบุรี": 1, "อุบลราชธานี": 1}
    ubon = archive.facets(SearchRequest(province="อุบลราชธานี"))
    assert ubon.total == 1 and ubon.facets["province"] == {"อุบลราชธานี": 1}
    assert ubon.facets["type"] == {"document": 1}
    assert archive.facets(SearchRequest(province="ตรัง")).facets["province"] == {}  # pinned, none there
    delete_source(archive, "khao-lam.md")
    assert archive.facets().facets["province"] == {"อุบลราชธานี": 1} and archive.facets().total == 1


def test_search_answers_kept_between_writes_are_fresh_after_each_write(archive, tmp_path):
    from panya.ingestion import delete_source

    folder = _ingest_khao_lam(archive, tmp_path, "ข้าวเหนียวกะทิเผาในกระบอกไม้ไผ่ที่หนองมน")
    first = archive.search("ข้าวหลามเผาในกระบอกไม้ไผ่")
    assert [r.source_id for r in first.results] == ["khao-lam.md"]
    again = archive.search("ข้าวหลามเผาในกระบอกไม้ไผ่")
    assert again is not first and again.results == first.results  # kept, as a copy
    again.results = []  # a caller changing its copy does not change what is kept
    assert archive.search("ข้าวหลามเผาในกระบอกไม้ไผ่").results == first.results

    (folder / "khao-lam-2.md").write_text(
        "---\nprovince: ชลบุรี\n---\n# ข้าวหลามบ้านบึง\n\nข้าวหลามเผาในกระบอกไม้ไผ่สูตรบ้านบึงใส่ถั่วดำ", encoding="utf-8"
    )
    ingest_path(archive, folder, progress=False)
    after_add = archive.search("ข้าวหลามเผาในกระบอกไม้ไผ่")
    assert {r.source_id for r in after_add.results} == {"khao-lam.md", "khao-lam-2.md"}
    delete_source(archive, "khao-lam.md")
    assert [r.source_id for r in archive.search("ข้าวหลามเผาในกระบอกไม้ไผ่").results] == ["khao-lam-2.md"]


def test_an_answer_no_new_source_reaches_is_kept_through_the_addition_and_every_other_is_not(
    archive, tmp_path
):
    folder = _ingest_khao_lam(archive, tmp_path, "ข้าวเหนียวกะทิเผาในกระบอกไม้ไผ่ที่หนองมน")
    pla_ra_text = "---\nprovince: อุบลราชธานี\ntitle: ปลาร้าริมมูล\n---\nหมักปลากับเกลือและรำข้าวไว้ในไห"
    (folder / "pla-ra.md").write_text(pla_ra_text, encoding="utf-8")
    ingest_path(archive, folder, progress=False)
    ubon = {"province": "อุบลราชธานี"}
    searched = []
    searching = archive._search
    archive._search = lambda *a, **k: searched.append(a[0].q) or searching(*a, **k)
    pla_ra = archive.search("หมักปลากับเกลือและรำข้าว", **ubon)
    misspelt = archive.search("แกงฮงเล", **ubon)  # no name near it yet: nothing to suggest
    archive.search("ข้าวหลามเผาในกระบอกไม้ไผ่")
    assert pla_ra.results[0].title == "ปลาร้าริมมูล" and misspelt.did_you_mean is None
    assert searched == ["หมักปลากับเกลือและรำข้าว", "แกงฮงเล", "ข้าวหลามเผาในกระบอกไม้ไผ่"]

    # two brand-new sources in Chonburi and Chiang Mai: a search kept for Ubon still holds
    (folder / "khao-lam-2.md").write_text(
        "---\nprovince: ชลบุรี\n---\n# ข้าวหลามบ้านบึง\n\nข้าวหลามเผาในกระบอกไม้ไผ่สูตรบ้านบึงใส่ถั่วดำ",
        encoding="utf-8",
    )
    (folder / "hang-le.md").write_text(
        "---\nprovince: เชียงใหม่\ntitle: แกงฮังเล\n---\nแกงฮังเลใส่หมูสามชั้นกับขิงดอง", encoding="utf-8"
    )
    assert sorted(ingest_path(archive, folder, progress=False).added) == ["hang-le.md", "khao-lam-2.md"]
    searched.clear()
    again = archive.search("หมักปลากับเกลือและรำข้าว", **ubon)
    assert searched == [] and again.results == pla_ra.results  # checked, not searched again
    # the new chunks reach this one: searched again, and the new source is in it
    assert {r.source_id for r in archive.search("ข้าวหลามเผาในกระบอกไม้ไผ่").results} == {
        "khao-lam.md",
        "khao-lam-2.md",
    }
    # its ranking for Ubon is the same, but a new name now corrects it
    assert archive.search("แกงฮงเล", **ubon).did_you_mean == "แกงฮังเล"
    assert searched == ["ข้าวหลามเผาในกระบอกไม้ไผ่", "แกงฮงเล", "แกงฮังเล"]  # (and its spelled search)

    # an edit rewrites stored chunks, here only a title (the same chunk ids, ranked the same):
    # nothing kept is trusted after it
    (folder / "pla-ra.md").write_text(pla_ra_text.replace("ปลาร้า", "ปลาแดก"), encoding="utf-8")
    assert ingest_path(archive, folder, progress=False).updated == ["pla-ra.md"]
    assert archive.search("หมักปลากับเกลือและรำข้าว", **ubon).results[0].title == "ปลาแดกริมมูล"


def test_a_source_page_kept_between_writes_shows_each_edit_and_each_visibility(archive, tmp_path):
    folder = _ingest_khao_lam(archive, tmp_path, "ข้าวเหนียวกะทิเผาในกระบอกไม้ไผ่")
    reads = []
    reading = archive.store.filter_documents
    archive.store.filter_documents = lambda *a, **k: reads.append(1) or reading(*a, **k)
    first = archive.source("khao-lam.md")
    again = archive.source("khao-lam.md")
    assert len(reads) == 1 and again is not first and again.text == first.text  # kept, as a copy
    assert "ข้าวเหนียวกะทิ" in first.text

    (folder / "khao-lam.md").write_text(
        "---\nprovince: ชลบุรี\naccess: restricted\n---\n# ข้าวหลามหนองมน\n\nข้าวหลามใส่ถั่วดำสูตรบ้านบึง",
        encoding="utf-8",
    )
    ingest_path(archive, folder, progress=False)
    with pytest.raises(SourceNotFound):  # restricted now: the kept public view is gone with the write
        archive.source("khao-lam.md")
    assert "ถั่วดำ" in archive.source("khao-lam.md", include_restricted=True).text


def test_a_search_that_overlaps_a_write_is_not_kept(archive, tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "khao-lam.md").write_text("# ข้าวหลามหนองมน\n\nข้าวเหนียวกะทิเผาในกระบอกไม้ไผ่", encoding="utf-8")
    ingest_path(archive, folder, progress=False)
    searching = archive._search

    def while_a_write_lands(*args, **kwargs):
        response = searching(*args, **kwargs)
        archive._written()  # a write began (or ended) while this search ran
        return response

    archive._search = while_a_write_lands
    archive.search("ข้าวหลาม")
    assert not archive._responses
    del archive._search
    archive.search("ข้าวหลาม")
    assert len(archive._responses) == 1


def test_facet_counts_read_while_a_write_runs_are_not_kept(archive, tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "khao-lam.md").write_text(
        "---\nprovince: ชลบุรี\n---\n# ข้าวหลามหนองมน\n\nข้าวเหนียวกะทิเผาในกระบอกไม้ไผ่", encoding="utf-8"
    )
    ingest_path(archive, folder, progress=False)
    counting = archive.store.facet

    def while_a_write_lands(*args, **kwargs):
        counts = counting(*args, **kwargs)
        archive._written()  # a write began (or ended) while the counts were read
        return counts

    archive.store.facet = while_a_write_lands
    assert archive.facets().facets["province"] == {"ชลบุรี": 1}
    assert not archive._facet_counts
    del archive.store.facet
    archive.facets()
    assert len(archive._facet_counts) == 1


def test_chunks_carry_their_cue_pair_vectors_and_word_edges_and_no_answer_shows_them(corpus_archive):
    from query.filters import equals

    chunks = corpus_archive.store.filter_documents(equals("type", "oral_history"))
    assert chunks and all(len(c.meta["cue_vectors"]) == len(c.meta["cues"]) for c in chunks)
    source = corpus_archive.source("oral_histories/bualai-pla-daek.vtt")
    found = corpus_archive.search("ปลาแดกเฮ็ดจั่งใด๋")
    assert found.results[0].source_id == "oral_histories/bualai-pla-daek.vtt"
    assert "cue_vectors" not in source.model_dump_json() + found.model_dump_json()
    # every chunk keeps its word edges for the query side, and no answer shows them either
    everything = corpus_archive.store.filter_documents(None)
    assert all(c.meta.get("word_edges") and c.meta.get("name_edges") for c in everything)
    assert "_edges" not in source.model_dump_json() + found.model_dump_json()


def test_did_you_mean_learns_a_new_name_and_keeps_its_corrections_through_writes_that_add_none(
    archive, tmp_path
):
    folder = tmp_path / "corpus"
    folder.mkdir()
    note = folder / "kaeng-hang-le.md"
    note.write_text("---\ntitle: แกงฮังเล\n---\nแกงฮังเลของเมืองเหนือใส่หมูสามชั้นกับขิง", encoding="utf-8")
    ingest_path(archive, folder, progress=False)
    speller = archive.spelling()
    assert speller.suggest("แกงฮงเล") == "แกงฮังเล"  # a missing mark, from the title

    # an edit that keeps the names: the suggester (and all it has worked out) carries on
    note.write_text(note.read_text(encoding="utf-8") + " เคี่ยวจนหมูนุ่ม", encoding="utf-8")
    assert ingest_path(archive, folder, progress=False).updated == ["kaeng-hang-le.md"]
    assert archive.spelling() is speller

    # a new name: a new suggester that knows it
    (folder / "khao-kan-chin.md").write_text(
        "---\ntitle: ข้าวกั๊นจิ๊น\n---\nข้าวกั๊นจิ๊นคือข้าวนึ่งคลุกเลือดหมูห่อใบตอง", encoding="utf-8"
    )
    assert ingest_path(archive, folder, progress=False).added == ["khao-kan-chin.md"]
    assert archive.spelling() is not speller
    assert archive.spelling().suggest("ข้าวกนจิ๊น") == "ข้าวกั๊นจิ๊น"
    assert speller.suggest("ข้าวกนจิ๊น") != "ข้าวกั๊นจิ๊น"  # the old one never learnt it


def test_an_archive_nobody_here_wrote_is_ingested_whole_and_keeps_its_promises(archive):
    """``benchmarks/second_archive``, written by someone who never read this code: messy dates
    (2566, 2023, 4 กุมภาพันธ์ 2566, unquoted ISO), extra keys, and a family formula marked
    ``access: "Restricted "`` in its front matter."""
    report = ingest_path(archive, REPO / "benchmarks" / "second_archive", progress=False)
    assert report.ok and len(report.added) == 32 and not report.failed
    # extra keys are kept with one notice per file; the sage's label in the cues is no extra key
    noticed = " ".join(notice.message for notice in report.warnings)
    assert "recorded_by" in noticed and "duration_sec" in noticed and "speaker_label" not in noticed
    khaep = archive.source("oral_histories/chanfong-khao-khaep.srt")
    assert khaep.meta["extra"]["duration_sec"] and khaep.meta["speaker_label"] == "แม่อุ๊ยจันทร์ฟอง"
    # every date is read, whatever its style, as a Common Era year or ISO date
    dates = {s: archive.source(s, include_restricted=True).meta.get("date") for s in report.added}
    dated = {source_id: date for source_id, date in dates.items() if date}
    assert len(dated) == 14  # the documents and the oral histories; products have none
    assert all(date[:2] == "20" for date in dated.values()), dated
    # the family formula stays the family's
    private = "documents/ya-mong-family-sankhaburi.md"
    question = "สูตรยาหม่องไพลประจำตระกูลศรีเพ็ชร ใส่อะไรบ้าง"
    assert private not in [r.source_id for r in archive.search(question).results]
    assert private in [r.source_id for r in archive.search(question, include_restricted=True).results]
    with pytest.raises(SourceNotFound):
        archive.source(private)
