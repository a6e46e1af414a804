"""Village E-Commerce catalogues: one product (or service) per CSV row or JSONL line.

A broken row fails alone (``row 7: …``, ``line 3: …``) and the rest of the catalogue goes on,
including a CSV field longer than ``csv.field_size_limit()``. Columns Panya does not know are
kept as the product's metadata (under ``extra``), an ``access`` column counts like a sidecar's.
A product without a price keeps ``price`` None.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from typing import Any

from ingest.access import fold
from ingest.budgets import Budgets, FileBudget
from ingest.converters.base import ConversionError, Converted, read_rows, read_text, sniff_text

COLUMNS = ("id", "name", "description", "category", "price", "unit", "producer", "village", "district",
           "province", "contact", "tags")  # fmt: skip
REQUIRED = ("id", "name", "description")
#: Set on the product as they are; the other columns are metadata, cleaned like a sidecar's.
PRODUCT_FIELDS = ("unit", "producer", "contact")
_CONTENT_COLUMNS = ("id", "name", "description", "price", *PRODUCT_FIELDS)


def looks_like_csv(data: bytes) -> bool:
    text = sniff_text(data)
    return text is not None and "," in text.split("\n", 1)[0]


def looks_like_jsonl(data: bytes) -> bool:
    text = sniff_text(data)
    first = next((line for line in (text or "").splitlines() if line.strip()), "")
    try:
        return isinstance(json.loads(first), dict)
    except json.JSONDecodeError:
        return False


def convert_csv(data: bytes, budget: FileBudget | None = None) -> list[Converted]:
    budget = budget or Budgets().start()
    reader = csv.DictReader(io.StringIO(read_text(data)))
    try:
        header = [fold(name) for name in reader.fieldnames or []]
    except csv.Error as error:
        raise ConversionError(f"broken CSV header: {error}") from error
    _check_header(header)
    return _products(_csv_rows(reader), budget)


def _csv_rows(reader: csv.DictReader) -> Iterator[tuple[Any, str]]:
    """Each row, or the error that broke it; the reader goes on at the next line after an error."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line = reader.reader.line_num  # DictReader.line_num is only updated after a good row
            yield ConversionError(f"row {line}: {_csv_problem(error)}"), f"row {line}"
            continue
        yield {key: value for key, value in row.items() if key}, f"row {reader.line_num}"


def _csv_problem(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a field is longer than {csv.field_size_limit():,} characters; the row is skipped"
    return f"broken CSV ({error}); the row is skipped"


def convert_jsonl(data: bytes, budget: FileBudget | None = None) -> list[Converted]:
    budget = budget or Budgets().start()
    lines = read_text(data).splitlines()
    budget.check_blocks(sum(1 for line in lines if line.strip()), "rows")
    rows: list[tuple[Any, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rows.append((json.loads(line), f"line {number}"))
        except (json.JSONDecodeError, RecursionError) as error:
            message = getattr(error, "msg", "nested too deeply")
            rows.append((ConversionError(f"line {number}: not valid JSON ({message})"), f"line {number}"))
    if not rows:
        raise ConversionError("the catalogue is empty")
    return _products(rows, budget)


def _check_header(header: list[str]) -> None:
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ConversionError(f"catalogue header lacks {missing}; expected columns: {', '.join(COLUMNS)}")


def _products(rows, budget: FileBudget) -> list[Converted]:
    """Each row a product (or its error)."""
    return read_rows(rows, budget, _product)


def _product(row: Any, where: str) -> Converted:
    if not isinstance(row, dict):
        raise ConversionError(f"{where}: expected an object")
    row = {(fold(k) if fold(k) in COLUMNS else str(k).strip()): value for k, value in row.items()}
    missing = [column for column in REQUIRED if not str(row.get(column) or "").strip()]
    if missing:
        raise ConversionError(f"{where}: empty {', '.join(missing)}")
    price = row.get("price")
    if price in (None, ""):
        price = None
    else:
        try:
            price = float(str(price).replace(",", ""))
        except ValueError:
            price = math.nan
        if not math.isfinite(price):
            raise ConversionError(f"{where}: price {row['price']!r} is not a number")
    key = str(row["id"]).strip()
    found = {column: value for column, value in row.items() if column not in _CONTENT_COLUMNS}
    found |= {"title": row["name"], "type": "product"}
    fields = {column: _text_or_none(row.get(column)) for column in PRODUCT_FIELDS}
    fields |= {"product_id": key, "price": price}
    return Converted(content=_product_text(row), found=found, fields=fields, key=key)


def _text_or_none(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _product_text(row: dict) -> str:
    """What a shopper's query should match: description, then what, who, where."""
    tags = row.get("tags")
    tags = " ".join(map(str, tags)) if isinstance(tags, list) else str(tags or "").replace("|", " ")
    place = " ".join(str(row.get(key) or "") for key in ("village", "district", "province")).strip()
    lines = [str(row["description"]).strip(), str(row.get("producer") or "").strip(), place, tags]
    return "\n".join(line for line in lines if line)
