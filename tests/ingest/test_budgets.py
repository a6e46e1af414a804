"""Budgets: declared once in Settings, checked early, every message naming its setting."""

from __future__ import annotations

import os

import pytest

from ingest.budgets import Budgets, read_regular_file
from ingest.errors import BudgetExceeded, NotARegularFile
from panya.settings import Settings


def test_budgets_come_from_settings_and_the_defaults_agree():
    assert Budgets.from_settings(Settings(_env_file=None)) == Budgets()
    assert Budgets.from_settings(Settings(_env_file=None, max_file_mb=1)).max_bytes == 1024 * 1024


def test_budgets_are_set_from_the_environment(monkeypatch):
    monkeypatch.setenv("PANYA_MAX_CHARS_PER_SOURCE", "1000")
    monkeypatch.setenv("PANYA_MAX_SECONDS_PER_FILE", "2.5")
    budgets = Budgets.from_settings(Settings(_env_file=None))
    assert (budgets.max_chars_per_source, budgets.max_seconds_per_file) == (1000, 2.5)


@pytest.mark.parametrize(
    ("check", "setting"),
    [
        (lambda b: b.check_bytes(30 * 1024 * 1024), "PANYA_MAX_FILE_MB"),
        (lambda b: b.check_ratio(200 * 1024 * 1024, 1024 * 1024), "PANYA_MAX_COMPRESSION_RATIO"),
        (lambda b: b.check_blocks(20_001, "paragraphs"), "PANYA_MAX_BLOCKS_PER_FILE"),
        (lambda b: b.check_chars(2_000_001), "PANYA_MAX_CHARS_PER_SOURCE"),
        (lambda b: b.check_chunks(2_000_401), "PANYA_MAX_CHUNKS_PER_SOURCE"),
    ],
)
def test_each_budget_names_its_setting(check, setting):
    with pytest.raises(BudgetExceeded, match=setting):
        check(Budgets().start())


def test_limits_themselves_pass():
    budget = Budgets().start()
    budget.check_bytes(25 * 1024 * 1024)
    budget.check_blocks(20_000, "paragraphs")
    budget.check_chars(2_000_000)
    budget.check_chunks(2_000_000)  # 2,000,000 / (500 - 100) = 5,000 chunks
    budget.check_ratio(100 * 1024 * 1024, 1024 * 1024)  # 100:1
    budget.check_ratio(1024 * 1024, 100)  # 10,000:1 but under 1 MiB unpacked: not a bomb


def test_the_deadline_is_per_file():
    assert (
        Budgets(max_seconds_per_file=0).start().deadline <= Budgets(max_seconds_per_file=60).start().deadline
    )
    with pytest.raises(BudgetExceeded, match=r"took longer than 0 s \(stopped converting\)"):
        Budgets(max_seconds_per_file=0).start().check_time("converting")


def test_read_regular_file_refuses_links_fifos_and_big_files(tmp_path):
    (tmp_path / "ok.txt").write_text("ผักกาดดอง")
    assert read_regular_file(tmp_path / "ok.txt", 100).decode() == "ผักกาดดอง"
    with pytest.raises(BudgetExceeded, match="27 bytes, over the limit of 10 bytes"):
        read_regular_file(tmp_path / "ok.txt", 10)
    (tmp_path / "link.txt").symlink_to(tmp_path / "ok.txt")
    with pytest.raises(NotARegularFile, match="symbolic link"):
        read_regular_file(tmp_path / "link.txt", 100)
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(NotARegularFile, match="FIFO"):
        read_regular_file(tmp_path / "pipe.txt", 100)
