"""Nothing is lost: delete → trash → restore (library and `panya restore`), `panya purge` only after
the retention period, re-ingesting a folder never resurrects a trashed source, one audit line each."""

from __future__ import annotations

import shutil
import time

import pytest

from panya import cli
from panya.archive import Archive
from panya.audit import AuditLog, acting_as
from panya.ingestion import delete_source, ingest_path
from panya.settings import Settings
from panya.trash import NothingToRestore, RestoreConflict, purge, restore, trashed
from tests.conftest import CORPORA

DOC = "documents/pla-ra-ubon.md"
ROW = "products/otop.csv#NNE-001"


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "corpus"
    (root / "documents").mkdir(parents=True)
    (root / "products").mkdir()
    shutil.copy2(CORPORA / DOC, root / DOC)
    shutil.copy2(CORPORA / "documents/jin-som-phrae.txt", root / "documents/jin-som-phrae.txt")
    shutil.copy2(CORPORA / "documents/jin-som-phrae.meta.json", root / "documents/jin-som-phrae.meta.json")
    rows = (CORPORA / "products/otop.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (root / "products/otop.csv").write_text("".join(rows[:3]), encoding="utf-8")  # header and two rows
    return root


@pytest.fixture
def ingested(settings, folder):
    with Archive(settings) as archive:
        assert ingest_path(archive, folder, progress=False).ok
        yield archive


def actions(settings, source_id):
    return [(e["action"], e["source_id"]) for e in AuditLog(settings.data_dir).entries(source_id)]


def test_a_deleted_document_comes_back_whole_and_is_logged_once(ingested, settings):
    text = ingested.source(DOC).text
    with acting_as("staff:somsri"):
        delete_source(ingested, DOC)
        assert [e.source_id for e in trashed(settings)] == [DOC]
        report = restore(ingested, DOC)
    assert report.added == [DOC] and ingested.source(DOC).text == text
    assert (settings.originals_dir / DOC).is_file() and not any(settings.trash_dir.rglob("*.md"))
    entries = AuditLog(settings.data_dir).entries(DOC)
    assert [(e["action"], e["actor"]) for e in entries[-2:]] == [
        ("delete", "staff:somsri"),
        ("restore", "staff:somsri"),
    ]
    assert entries[-1]["after"] == entries[-2]["before"]  # the same version came back
    assert trashed(settings) == []


def test_a_sidecar_comes_back_with_its_file(ingested, settings):
    source_id = "documents/jin-som-phrae.txt"
    title = ingested.source(source_id).meta["title"]
    delete_source(ingested, source_id)
    assert not (settings.originals_dir / "documents/jin-som-phrae.meta.json").exists()
    restore(ingested, source_id)
    assert ingested.source(source_id).meta["title"] == title


def test_a_product_row_deleted_alone_is_restored_from_its_kept_catalogue(ingested, settings):
    price = ingested.source(ROW).meta["price"]
    delete_source(ingested, ROW)
    assert ROW in [e.source_id for e in trashed(settings)]
    restore(ingested, ROW)
    assert ingested.source(ROW).meta["price"] == price
    assert actions(settings, ROW)[-2:] == [("delete", ROW), ("restore", ROW)]
    assert len(AuditLog(settings.data_dir).entries("products/otop.csv")) == len(
        actions(settings, "products/otop.csv")
    )


def test_reingesting_the_folder_does_not_resurrect_a_trashed_source(ingested, settings, folder):
    delete_source(ingested, DOC)
    report = ingest_path(ingested, folder, progress=False)
    assert DOC in report.skipped and DOC not in report.added
    assert (
        ingested.store.count_documents_by_filter({"field": "meta.source_id", "operator": "==", "value": DOC})
        == 0
    )
    assert [e.source_id for e in trashed(settings)] == [DOC]  # still there to restore
    assert actions(settings, DOC)[-1] == ("delete", DOC)  # skipping is not an operation


def test_a_changed_file_of_that_name_is_new_content_and_blocks_a_restore(ingested, settings, folder):
    delete_source(ingested, DOC)
    (folder / DOC).write_text((folder / DOC).read_text(encoding="utf-8") + "\n\nฉบับแก้ไขใหม่", encoding="utf-8")
    assert DOC in ingest_path(ingested, folder, progress=False).added
    with pytest.raises(RestoreConflict):
        restore(ingested, DOC)


def test_nothing_to_restore(ingested):
    with pytest.raises(NothingToRestore):
        restore(ingested, "documents/never-was.md")


def test_purge_waits_for_the_retention_period(ingested, settings, folder):
    delete_source(ingested, DOC)
    assert purge(settings) == []  # 30 days by default
    assert purge(settings.model_copy(update={"trash_retention_days": 1}), now=time.time() + 2 * 86400) == [
        DOC
    ]
    assert trashed(settings) == [] and not any(settings.trash_dir.rglob("*.md"))
    (purged,) = [e for e in AuditLog(settings.data_dir).entries(DOC) if e["action"] == "purge"]
    (deleted,) = [e for e in AuditLog(settings.data_dir).entries(DOC) if e["action"] == "delete"]
    assert purged["before"] == deleted["before"] and purged["after"] is None
    assert DOC in ingest_path(ingested, folder, progress=False).skipped  # the tombstone outlives the purge
    with pytest.raises(NothingToRestore):
        restore(ingested, DOC)


def test_cli_restore_and_purge(tmp_path, folder, capsys, monkeypatch):
    monkeypatch.setenv("PANYA_DATA_DIR", str(tmp_path / "cli-data"))
    cli.get_settings.cache_clear()
    try:
        assert cli.main(["ingest", str(folder), "--no-progress"]) == 0
        assert cli.main(["delete", DOC]) == 0
        assert cli.main(["purge"]) == 0
        assert "purged 0 sources trashed more than 30 days ago" in capsys.readouterr().out
        assert cli.main(["restore", DOC]) == 0
        assert f"restored {DOC}" in capsys.readouterr().out
        assert cli.main(["restore", DOC]) == cli.EXIT_FAILURES  # nothing left in the trash
        settings = Settings(data_dir=tmp_path / "cli-data", _env_file=None)
        log = AuditLog(settings.data_dir).entries(DOC)
        assert [e["action"] for e in log] == ["add", "delete", "restore"]
        assert all(e["actor"].startswith("cli:") for e in log)
        assert cli.main(["delete", DOC]) == 0
        assert cli.main(["purge", "--older-than", "0"]) == 0
        assert DOC in capsys.readouterr().out
    finally:
        cli.get_settings.cache_clear()


def test_cli_staff_add(tmp_path, monkeypatch, capsys):
    import io

    monkeypatch.setenv("PANYA_DATA_DIR", str(tmp_path / "staff-data"))
    cli.get_settings.cache_clear()
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO("ข้าวหลามหนองมน2569\n"))
        assert cli.main(["staff", "add", "saijai", "--password-stdin"]) == 0
        monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
        assert cli.main(["staff", "add", "saijai2", "--password-stdin"]) == cli.EXIT_ERROR
        assert cli.main(["staff", "list"]) == 0
        assert capsys.readouterr().out.strip().splitlines()[-1] == "saijai"
    finally:
        cli.get_settings.cache_clear()
