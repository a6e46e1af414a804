"""The app's own machinery: the warmer that rebuilds what a write made stale."""

from __future__ import annotations

import threading
import time

from panya.ingestion import ingest_path
from search_api.app import warm_after_writes


def names(archive) -> list[str]:
    vocabulary = archive._vocabulary  # what is kept, read without rebuilding it
    return vocabulary.words() if vocabulary is not None else []


def test_the_warmer_rebuilds_the_names_once_writes_pause_so_no_reader_waits(archive, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "khao-soi.md").write_text("---\ntitle: ข้าวซอยไก่\n---\nข้าวซอยของเชียงใหม่", encoding="utf-8")
    ingest_path(archive, folder, progress=False)
    assert "ข้าวซอยไก่" in archive.vocabulary().words()
    stop = threading.Event()
    warmer = threading.Thread(target=warm_after_writes, args=(archive, stop, 0.05), daemon=True)
    warmer.start()
    try:
        (folder / "sai-ua.md").write_text("---\ntitle: ไส้อั่วสมุนไพร\n---\nไส้อั่วของลำปาง", encoding="utf-8")
        ingest_path(archive, folder, progress=False)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (
            "ไส้อั่วสมุนไพร" in names(archive) and archive._recordings is not None
        ):
            time.sleep(0.05)
        # nobody read after the write: the warmer did, and kept the new names and the counts
        assert "ไส้อั่วสมุนไพร" in names(archive)
        assert archive._recordings is not None
        assert archive.warm_reads() is False  # nothing stale left
    finally:
        stop.set()
        warmer.join(timeout=10)
    assert not warmer.is_alive()
