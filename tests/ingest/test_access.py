"""Access is decided in one place, from every metadata source, and never opened by a slip of the keyboard."""

from __future__ import annotations

import json

import pytest

from ingest.access import decide_access, is_access_key
from ingest.discovery import discover
from ingest.source_converter import SourceConverter

BODY = "# ตำรายาต่อกระดูก\n\nน้ำมันเพชรสังฆาตสูตรประจำตระกูล เคี่ยวกับน้ำมันงาเจ็ดวัน\n"


def convert(folder):
    return SourceConverter().run(discover(folder))


def only_document(folder):
    out = convert(folder)
    assert not out["failures"], out["failures"]
    (document,) = out["documents"]
    return document, out["warnings"]


@pytest.mark.parametrize("key", ["access", "Access", "ACCESS", "access ", " Access"])
@pytest.mark.parametrize("value", ["restricted", "Restricted", "RESTRICTED ", " restricted"])
def test_access_keys_and_values_ignore_case_and_spaces(key, value):
    assert decide_access([("the front matter", key, value)]) == ("restricted", [])


def test_front_matter_access_capitalised_stays_restricted(tmp_path):
    (tmp_path / "ya.md").write_text("---\nAccess: Restricted\n---\n" + BODY)
    document, _ = only_document(tmp_path)
    assert document.meta["access"] == "restricted"


def test_front_matter_access_key_with_trailing_space_stays_restricted(tmp_path):
    (tmp_path / "ya.md").write_text('---\n"access ": restricted\n---\n' + BODY)
    document, _ = only_document(tmp_path)
    assert document.meta["access"] == "restricted"


@pytest.mark.parametrize("key", ["acess", "acces", "accsess", "Acsess", "ACESS"])
def test_misspelt_access_key_keeps_the_source_restricted(tmp_path, key):
    (tmp_path / "ya.md").write_text(f"---\n{key}: restricted\n---\n" + BODY)
    document, warnings = only_document(tmp_path)
    assert document.meta["access"] == "restricted"
    assert "extra" not in document.meta
    assert [w.source_id for w in warnings] == ["ya.md"] and repr(key) in warnings[0].message


def test_misspelt_access_key_with_another_value_refuses_the_file_naming_the_key(tmp_path):
    (tmp_path / "ya.md").write_text(BODY)
    (tmp_path / "ya.meta.json").write_text(json.dumps({"acess": "private"}))
    out = convert(tmp_path)
    assert out["documents"] == []
    (failure,) = out["failures"]
    assert failure.source_id == "ya.md"
    assert "'acess'" in failure.reason and "misspelt" in failure.reason and "ya.meta.json" in failure.reason


def test_html_meta_access_restricted_is_honoured(tmp_path):
    (tmp_path / "ya.html").write_text(
        '<html><head><title>ตำรายา</title><meta name="Access" content="Restricted"></head>'
        "<body><p>น้ำมันเพชรสังฆาตสูตรประจำตระกูล เคี่ยวกับน้ำมันงาเจ็ดวัน</p></body></html>"
    )
    document, _ = only_document(tmp_path)
    assert document.meta["access"] == "restricted"


def test_html_with_two_access_metas_keeps_the_restrictive_one(tmp_path):
    (tmp_path / "ya.html").write_text(
        '<html><head><meta name="access" content="restricted"><meta name="access" content="public">'
        "</head><body><p>น้ำมันเพชรสังฆาตสูตรประจำตระกูล</p></body></html>"
    )
    document, _ = only_document(tmp_path)
    assert document.meta["access"] == "restricted"


def test_sidecar_access_with_capital_and_trailing_space_stays_restricted(tmp_path):
    (tmp_path / "ya.txt").write_text("น้ำมันเพชรสังฆาตสูตรประจำตระกูล")
    (tmp_path / "ya.meta.json").write_text(json.dumps({"access": "Restricted "}))
    document, _ = only_document(tmp_path)
    assert document.meta["access"] == "restricted"


def test_most_restrictive_wins_over_sidecar_precedence(tmp_path):
    (tmp_path / "ya.md").write_text("---\naccess: restricted\ntitle: จาก front matter\n---\n" + BODY)
    (tmp_path / "ya.meta.json").write_text(json.dumps({"access": "public", "title": "จาก sidecar"}))
    document, _ = only_document(tmp_path)
    assert document.meta["title"] == "จาก sidecar"  # precedence still holds for everything else
    assert document.meta["access"] == "restricted"


def test_catalogue_access_column_restricts_its_row(tmp_path):
    (tmp_path / "shop.csv").write_text(
        "id,name,description,Access\n"
        "NNE-1,ยาหม่องไพล,ยาหม่องสมุนไพรไพลสูตรบ้านนา,\n"
        "NNE-2,น้ำมันเพชรสังฆาต,น้ำมันสมุนไพรสูตรประจำตระกูล,Restricted\n"
    )
    out = convert(tmp_path)
    access = {d.meta["product_id"]: d.meta["access"] for d in out["documents"]}
    assert access == {"NNE-1": "public", "NNE-2": "restricted"}


def test_unknown_access_value_refuses_the_file(tmp_path):
    (tmp_path / "ya.md").write_text("---\naccess: secret\n---\n" + BODY)
    out = convert(tmp_path)
    assert out["documents"] == []
    assert "public or restricted" in out["failures"][0].reason and "secret" in out["failures"][0].reason


def test_keys_far_from_access_are_not_access():
    assert not any(is_access_key(k) for k in ("address", "title", "access_level", "หมวด", "accessibility"))
