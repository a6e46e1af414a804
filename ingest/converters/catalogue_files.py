"""Village E-Commerce catalogues: one product (or service) per CSV row or JSONL line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from ingest.converters.base import ConversionError, Converted, read_text

COLUMNS = ("id", "name", "description", "category", "price", "unit", "producer", "village", "district",
           "province", "contact", "tags")  # fmt: skip
REQUIRED = ("id", "name", "description")
PRODUCT_FIELDS = ("price", "unit", "producer", "contact")


def convert_csv(path: Path) -> list[Converted]:
    reader = csv.DictReader(io.StringIO(read_text(path.read_bytes())))
    header = [name.strip() for name in reader.fieldnames or []]
    _check_header(header)
    try:
        rows = [({k.strip(): v for k, v in row.items() if k}, f"row {reader.line_num}") for row in reader]
    except csv.Error as error:
        raise ConversionError(f"broken CSV near line {reader.line_num}: {error}") from error
    return _products(rows)


def convert_jsonl(path: Path) -> list[Converted]:
    rows: list[tuple[Any, str]] = []
    for number, line in enumerate(read_text(path.read_bytes()).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((json.loads(line), f"line {number}"))
        except json.JSONDecodeError as error:
            rows.append((None, f"line {number}: not valid JSON ({error.msg})"))
    if not rows:
        raise ConversionError("the catalogue is empty")
    return _products(rows)


def _check_header(header: list[str]) -> None:
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ConversionError(f"catalogue header lacks {missing}; expected columns: {', '.join(COLUMNS)}")


def _products(rows: list[tuple[Any, str]]) -> list[Converted]:
    products, seen = [], set()
    for row, where in rows:
        try:
            product = _product(row, where)
        except ConversionError as error:
            products.append(Converted(content="", key=where, error=str(error)))
            continue
        if product.key in seen:
            products.append(Converted(content="", key=where, error=f"{where}: duplicate id {product.key!r}"))
            continue
        seen.add(product.key)
        products.append(product)
    return products


def _product(row: Any, where: str) -> Converted:
    if not isinstance(row, dict):
        raise ConversionError(where if "not valid JSON" in where else f"{where}: expected an object")
    missing = [column for column in REQUIRED if not str(row.get(column) or "").strip()]
    if missing:
        raise ConversionError(f"{where}: empty {', '.join(missing)}")
    price = row.get("price")
    if price not in (None, ""):
        try:
            price = float(str(price).replace(",", ""))
        except ValueError:
            raise ConversionError(f"{where}: price {row['price']!r} is not a number") from None
    found = {key: row.get(key) for key in COLUMNS if key not in ("id", "name", "description", "price")}
    found |= {
        "title": row["name"],
        "type": "product",
        "product_id": str(row["id"]).strip(),
        "price": price if price not in (None, "") else None,
    }
    return Converted(content=_product_text(row), found=found, key=str(row["id"]).strip())


def _product_text(row: dict) -> str:
    """What a shopper's query should match: description, then what, who, where."""
    tags = row.get("tags")
    tags = " ".join(tags) if isinstance(tags, list) else str(tags or "").replace("|", " ")
    place = " ".join(str(row.get(key) or "") for key in ("village", "district", "province")).strip()
    lines = [str(row["description"]).strip(), str(row.get("producer") or "").strip(), place, tags]
    return "\n".join(line for line in lines if line)
