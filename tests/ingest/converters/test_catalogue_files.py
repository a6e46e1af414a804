"""Catalogues: a broken row fails alone, the rest go on."""

from __future__ import annotations

import csv
import json

from ingest.converters.catalogue_files import convert_csv, convert_jsonl

HEADER = "id,name,description,price\n"


def test_an_oversized_csv_field_fails_only_its_row():
    huge = "ผ้าไหม" * (csv.field_size_limit() // 6 + 10)
    data = (
        HEADER + "NNE-1,ข้าวฮาง,ข้าวฮางงอก,120\n" + f"NNE-2,ผ้าไหม,{huge},4500\n" + "NNE-3,ปลาร้า,ปลาร้าต้มสุก,65\n"
    )
    rows = convert_csv(data.encode())
    assert [row.key for row in rows if not row.error] == ["NNE-1", "NNE-3"]
    (broken,) = [row for row in rows if row.error]
    assert broken.error.startswith("row 3: a field is longer than 131,072 characters")


def test_a_row_without_a_price_keeps_price_none():
    rows = convert_csv((HEADER + "NNE-1,ข้าวฮาง,ข้าวฮางงอก,\n").encode()) + convert_csv(
        "id,name,description\nNNE-2,ผ้าไหม,ผ้าไหมมัดหมี่\n".encode()
    )
    assert [(row.error, row.fields["price"]) for row in rows] == [(None, None), (None, None)]


def test_non_numeric_and_infinite_prices_fail_their_row():
    rows = convert_csv((HEADER + "NNE-1,ข้าวฮาง,ข้าวฮางงอก,หกสิบ\nNNE-2,ผ้าไหม,ผ้าไหมทอมือ,inf\n").encode())
    assert [row.error.split(":")[0] for row in rows] == ["row 2", "row 3"]


def test_header_names_ignore_case_and_spaces():
    (row,) = convert_csv(" ID , Name ,Description,Price\nNNE-1,ข้าวฮาง,ข้าวฮางงอก,120\n".encode())
    assert (row.key, row.fields["price"], row.found["title"]) == ("NNE-1", 120.0, "ข้าวฮาง")


def test_deeply_nested_jsonl_line_fails_alone():
    good = json.dumps({"id": "NNE-1", "name": "ข้าวฮาง", "description": "ข้าวฮางงอก"}, ensure_ascii=False)
    rows = convert_jsonl((good + "\n" + "[" * 100_000 + "\n").encode())
    assert rows[0].key == "NNE-1" and rows[1].error.startswith("line 2: not valid JSON")
