"""Which files an ingest covers: links, FIFOs and the like are refused with a reason, never read."""

from __future__ import annotations

import os
import socket

import pytest

from ingest.discovery import discover
from tests.conftest import CORPORA

GOOD = "ผักกาดดองแบบคนเมือง หมักกับน้ำซาวข้าวสามวัน"


def ids(folder, skipped=None):
    return [source.source_id for source in discover(folder, skipped)]


def test_corpora_walk_skips_sidecars_docs_and_queries():
    found = ids(CORPORA)
    assert "documents/pla-ra-ubon.md" in found and "products/otop.csv" in found
    assert not [i for i in found if i.endswith(".meta.json")]
    assert "README.md" not in found and "queries.jsonl" not in found
    assert found == sorted(found)


def test_symlink_to_a_file_outside_is_refused_with_a_reason(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text(GOOD)
    (corpus / "p.txt").symlink_to("/etc/passwd")
    skipped = []
    assert ids(corpus, skipped) == ["ok.txt"]
    assert [(f.source_id, "symbolic link to a file" in f.reason) for f in skipped] == [("p.txt", True)]


def test_symlink_to_a_file_inside_and_a_dangling_one_are_refused_too(tmp_path):
    (tmp_path / "ok.txt").write_text(GOOD)
    (tmp_path / "alias.txt").symlink_to(tmp_path / "ok.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nothing.txt")
    skipped = []
    assert ids(tmp_path, skipped) == ["ok.txt"]
    assert {f.source_id: f.reason.split(",")[0] for f in skipped} == {
        "alias.txt": "a symbolic link to a file",
        "gone.txt": "a symbolic link to nothing",
    }


def test_symlinked_folder_is_reported_and_not_walked(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("ความลับของหน่วยงาน")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text(GOOD)
    (corpus / "linked").symlink_to(outside, target_is_directory=True)
    skipped = []
    assert ids(corpus, skipped) == ["ok.txt"]
    assert [f.source_id for f in skipped] == ["linked"] and "folder" in skipped[0].reason


def test_fifo_and_socket_are_refused_without_blocking(tmp_path):
    (tmp_path / "ok.txt").write_text(GOOD)
    os.mkfifo(tmp_path / "pipe.txt")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock.txt"))
        skipped = []
        assert ids(tmp_path, skipped) == ["ok.txt"]
    assert {f.source_id: f.reason.split(",")[0] for f in skipped} == {
        "pipe.txt": "a FIFO (named pipe)",
        "sock.txt": "a socket",
    }


def test_a_single_file_path_that_is_a_symlink_is_refused(tmp_path):
    (tmp_path / "p.txt").symlink_to("/etc/passwd")
    skipped = []
    assert ids(tmp_path / "p.txt", skipped) == []
    assert skipped[0].source_id == "p.txt" and "symbolic link" in skipped[0].reason


def test_a_root_folder_given_as_a_link_is_walked_but_links_inside_are_not(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "ok.txt").write_text(GOOD)
    (tmp_path / "real" / "p.txt").symlink_to("/etc/passwd")
    (tmp_path / "corpus").symlink_to(tmp_path / "real", target_is_directory=True)
    skipped = []
    assert ids(tmp_path / "corpus", skipped) == ["ok.txt"]
    assert [f.source_id for f in skipped] == ["p.txt"]


def test_a_single_device_path_is_refused():
    skipped = []
    assert ids("/dev/null", skipped) == []
    assert "character device" in skipped[0].reason


def test_a_single_regular_file_is_its_own_source(tmp_path):
    (tmp_path / "ปลาร้า.txt").write_text(GOOD)
    assert ids(tmp_path / "ปลาร้า.txt") == ["ปลาร้า.txt"]


def test_hidden_files_and_editor_backups_are_skipped_silently(tmp_path):
    for name in (
        "ok.md",
        ".hidden.md",
        "ok.md~",
        ".ok.md.swp",
        "ok.swp",
        "ok.md.bak",
        "ok.md.orig",
        "#ok.md#",
    ):
        (tmp_path / name).write_text(GOOD)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("ref: refs/heads/main")
    skipped = []
    assert ids(tmp_path, skipped) == ["ok.md"]
    assert skipped == []


def test_names_with_control_characters_are_refused_and_printed_escaped(tmp_path):
    (tmp_path / "ok.txt").write_text(GOOD)
    (tmp_path / "บรรทัด\nใหม่.txt").write_text(GOOD)
    skipped = []
    assert ids(tmp_path, skipped) == ["ok.txt"]
    assert skipped[0].source_id == "บรรทัด\\nใหม่.txt" and "control character" in skipped[0].reason


def test_names_that_are_not_utf8_are_refused(tmp_path):
    (tmp_path / "ok.txt").write_text(GOOD)
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"), "w") as handle:
        handle.write(GOOD)
    skipped = []
    assert ids(tmp_path, skipped) == ["ok.txt"]
    assert "not valid UTF-8" in skipped[0].reason and "\\udce9" in skipped[0].source_id


def test_thai_names_with_spaces_and_long_names_are_sources(tmp_path):
    long_name = "ผ" * 80 + ".txt"  # 244 bytes: near the file system's limit of 255
    for name in ("ผ้าไหม มัดหมี่ สุรินทร์.txt", long_name):
        (tmp_path / name).write_text(GOOD)
    assert sorted(ids(tmp_path)) == sorted(["ผ้าไหม มัดหมี่ สุรินทร์.txt", long_name])


def test_panyaignore_patterns_are_honoured(tmp_path):
    (tmp_path / ".panyaignore").write_text("# not sources\nREADME.md\ndrafts/*\n")
    (tmp_path / "README.md").write_text("# อ่านก่อน")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "x.md").write_text(GOOD)
    (tmp_path / "ok.md").write_text(GOOD)
    assert ids(tmp_path) == ["ok.md"]


def test_a_missing_target_is_an_error():
    with pytest.raises(FileNotFoundError):
        discover(CORPORA / "nothing-here")
