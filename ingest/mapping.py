"""Other agencies' tables read as they are: a YAML mapping says which of their columns is which
Panya field, the values every row gets, and how their dates are written.

A ministry spreadsheet (CSV, UTF-8 or TIS-620) or JSON lines file keeps its own Thai headers;
the mapping sits beside it as ``<stem>.mapping.yaml`` (found like a ``.meta.json`` sidecar) or is
named on the command line (``panya ingest FILE --mapping M.yaml``). Each row becomes one source,
``<file>#<id>`` like a catalogue row. The mapping's keys:

- ``columns`` (required): foreign column → Panya field. ``id``, ``title`` and ``text`` must be
  there; ``text`` may take several columns (their text is joined, each after the first headed by
  its column name). Other fields: the sidecar keys (``province``, ``sage``, ``date``, ``tags`` …)
  and a product's ``price``, ``unit``, ``producer``, ``contact``.
- ``fixed``: Panya field → the value every row gets (``type: document``, ``source: …``).
- ``values``: Panya field → {their value: Panya's value}, e.g. their ``หัตถกรรม`` is the archive
  category ``crafts``; values not listed are kept as written.
- ``date_format``: ``strptime`` format(s) of the date column (``%d/%m/%Y``); a year above 2400 is
  Buddhist Era. Without it, dates are read like a sidecar's (ISO, ``12 มีนาคม 2566``, ``2566``).
  The date as written is kept as ``date_original``.
- ``ignore``: columns left out. Columns neither mapped nor ignored are kept under ``extra``.

A mapping that cannot work is refused before any row is read, naming the file and the problem.

>>> mapping = Mapping.parse({"columns": {"รหัส": "id", "ชื่อภูมิปัญญา": "title", "รายละเอียด": "text",
...     "วันที่บันทึก": "date", "จังหวัด": "province"}, "fixed": {"type": "document"},
...     "date_format": "%d/%m/%Y"}, "กรม.mapping.yaml")
>>> table = "รหัส,ชื่อภูมิปัญญา,รายละเอียด,วันที่บันทึก,จังหวัด\\nW-1,ปลาร้าบ้านนาเยีย,หมักปลากับเกลือและรำข้าว,12/03/2566,อุบลราชธานี\\n"
>>> row = mapping.convert(table.encode(), ".csv")[0]
>>> row.key, row.found["title"], row.found["date"], row.fields["date_original"]
('W-1', 'ปลาร้าบ้านนาเยีย', '2023-03-12', '12/03/2566')
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from index.thai_text import normalize
from ingest.budgets import Budgets, FileBudget, read_regular_file
from ingest.converters.base import ConversionError, Converted, read_rows, read_text
from ingest.metadata import (
    BUDDHIST_ERA_OFFSET,
    METADATA_KEYS,
    SOURCE_TYPES,
    MetadataError,
    parse_date,
    sidecar_path,
)

MAPPING_SUFFIX = ".mapping.yaml"
MAPPED_SUFFIXES = (".csv", ".jsonl")
MAPPING_MAX_BYTES = 256 * 1024
#: Every field a column may fill: the row's identity and text, metadata, a product's fields.
ROW_FIELDS = ("id", "title", "text")
PRODUCT_FIELDS = ("price", "unit", "producer", "contact")
FIELDS = (*ROW_FIELDS, *(key for key in METADATA_KEYS if key != "title"), *PRODUCT_FIELDS)
REQUIRED = ROW_FIELDS
TOP_KEYS = ("columns", "fixed", "values", "date_format", "ignore")


class MappingError(ConversionError):
    """A mapping file that cannot be used; the message names the file and the problem."""


def mapping_path(data_path: Path) -> Path:
    """Where the mapping of a data file is looked for: ``กรม.csv`` → ``กรม.mapping.yaml``."""
    return data_path.with_name(data_path.stem + MAPPING_SUFFIX)


def find_mapping(data_path: Path) -> Mapping | None:
    """The mapping beside a CSV or JSONL file, if it has one (a broken one is an error)."""
    path = mapping_path(data_path)
    if data_path.suffix.lower() not in MAPPED_SUFFIXES or not (path.is_symlink() or path.exists()):
        return None
    return load_mapping(path)


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file."""
    name = Path(path).name
    try:
        raw = read_regular_file(Path(path), MAPPING_MAX_BYTES)
    except FileNotFoundError:
        raise MappingError(f"mapping {path}: no such file") from None
    except (OSError, ConversionError) as error:
        raise MappingError(f"mapping {name}: {error}") from None
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError) as error:
        raise MappingError(f"mapping {name} is not valid UTF-8 YAML: {error}") from None
    return Mapping.parse(data, name)


@contextmanager
def beside(data_file: Path, mapping_file: Path) -> Iterator[Path]:
    """``data_file`` (and its sidecar) copied into a temporary folder with ``mapping_file`` beside
    it as ``<stem>.mapping.yaml``: ingesting the copy is ingesting the file (same source_id, the
    file's own name) through that mapping, and the agency's folder is never written to."""
    data_file = Path(data_file)
    if data_file.suffix.lower() not in MAPPED_SUFFIXES or data_file.is_dir():
        raise MappingError(
            f"--mapping applies to one CSV or JSONL file, not {data_file}; "
            f"for a folder, put <name>{MAPPING_SUFFIX} beside each table"
        )
    if data_file.is_symlink() or not data_file.is_file():
        raise MappingError(f"{data_file}: not a regular file (links are not followed)")
    load_mapping(mapping_file)  # a bad mapping is refused before anything is copied
    with tempfile.TemporaryDirectory(prefix="panya-mapped-") as folder:
        staged = Path(folder) / data_file.name
        shutil.copyfile(data_file, staged)
        sidecar = sidecar_path(data_file)
        if sidecar.is_file() and not sidecar.is_symlink():
            shutil.copyfile(sidecar, sidecar_path(staged))
        mapping_path(staged).write_bytes(Path(mapping_file).read_bytes())
        yield staged


@dataclass(frozen=True)
class Mapping:
    name: str  # the mapping file's name, for messages
    columns: dict[str, str]  # foreign column (as cleaned by _header) → Panya field
    fixed: dict[str, Any] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # field → {their value: ours}
    date_formats: tuple[str, ...] = ()
    ignore: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, data: Any, name: str) -> Mapping:
        def refuse(problem: str) -> MappingError:
            return MappingError(f"mapping {name}: {problem}")

        if not isinstance(data, dict):
            raise refuse(f"must be a YAML mapping with 'columns', not {type(data).__name__}")
        unknown = [str(key) for key in data if key not in TOP_KEYS]
        if unknown:
            raise refuse(f"unknown key(s) {', '.join(unknown)}; a mapping has {', '.join(TOP_KEYS)}")
        columns, fixed = data.get("columns"), data.get("fixed") or {}
        if not isinstance(columns, dict) or not columns:
            raise refuse("'columns' must map each foreign column name to a Panya field")
        if not isinstance(fixed, dict):
            raise refuse("'fixed' must map Panya fields to the value every row gets")
        cleaned: dict[str, str] = {}
        for column, target in columns.items():
            target = str(target).strip().lower()
            if target not in FIELDS:
                raise refuse(
                    f"column {column!r} maps to {target!r}, not a Panya field; use one of {', '.join(FIELDS)}"
                )
            cleaned[_header(column)] = target
        targets = list(cleaned.values())
        twice = sorted({t for t in targets if targets.count(t) > 1 and t != "text"})
        if twice:
            raise refuse(f"more than one column maps to {', '.join(twice)}")
        missing = [f for f in REQUIRED if f not in targets]
        if missing:
            raise refuse(
                f"no column maps to {', '.join(missing)} (each row needs an id, a title and its text)"
            )
        fixed = {str(key).strip().lower(): value for key, value in fixed.items()}
        wrong = [key for key in fixed if key not in FIELDS or key in ROW_FIELDS]
        if wrong:
            raise refuse(f"'fixed' cannot set {', '.join(wrong)} (only metadata every row shares)")
        both = sorted(set(fixed) & set(targets))
        if both:
            raise refuse(f"{', '.join(both)} is both a column and a fixed value; keep one")
        if "type" in fixed and fixed["type"] not in SOURCE_TYPES:
            raise refuse(f"fixed type {fixed['type']!r} is not one of {', '.join(SOURCE_TYPES)}")
        values = data.get("values") or {}
        if not isinstance(values, dict) or not all(isinstance(table, dict) for table in values.values()):
            raise refuse("'values' must map a Panya field to {their value: Panya's value}")
        values = {
            str(key).strip().lower(): {_header(k): v for k, v in table.items()}
            for key, table in values.items()
        }
        unused = [key for key in values if key not in targets]
        if unused:
            raise refuse(f"'values' translates {', '.join(unused)}, which no column maps to")
        formats = data.get("date_format") or ()
        formats = (formats,) if isinstance(formats, str) else formats
        if not isinstance(formats, list | tuple) or not all(
            isinstance(f, str) and "%Y" in f for f in formats
        ):
            raise refuse("'date_format' must be a strptime format with a year, e.g. '%d/%m/%Y', or a list")
        ignore = data.get("ignore") or []
        if not isinstance(ignore, list):
            raise refuse("'ignore' must be a list of column names")
        ignored = frozenset(_header(column) for column in ignore)
        return cls(name, cleaned, fixed, values, tuple(formats), ignored)

    def convert(self, data: bytes, suffix: str, budget: FileBudget | None = None) -> list[Converted]:
        """The rows of a CSV or JSONL file as sources (a broken row fails alone)."""
        budget = budget or Budgets().start()
        rows = self._csv_rows(data) if suffix == ".csv" else self._jsonl_rows(data)
        items = read_rows(rows, budget, self._row, errors=(ConversionError, MetadataError))
        if not items:
            raise ConversionError(f"no rows to read with the mapping {self.name}")
        return items

    def _csv_rows(self, data: bytes) -> list[tuple[Any, str]]:
        reader = csv.DictReader(io.StringIO(read_text(data)))
        try:
            header = [_header(column) for column in reader.fieldnames or []]
        except csv.Error as error:
            raise ConversionError(f"broken CSV header: {error}") from None
        self._check_header(header)
        rows: list[tuple[Any, str]] = []
        try:
            for row in reader:
                rows.append(({_header(k): v for k, v in row.items() if k}, f"row {reader.line_num}"))
        except csv.Error as error:
            raise ConversionError(f"broken CSV at line {reader.line_num}: {error}") from None
        return rows

    def _jsonl_rows(self, data: bytes) -> list[tuple[Any, str]]:
        rows: list[tuple[Any, str]] = []
        for number, line in enumerate(read_text(data).splitlines(), start=1):
            if line.strip():
                try:
                    row = json.loads(line)
                except (json.JSONDecodeError, RecursionError):
                    row = None
                if isinstance(row, dict):
                    row = {_header(key): value for key, value in row.items()}
                rows.append((row, f"line {number}"))
        if rows and isinstance(rows[0][0], dict):
            self._check_header(list(rows[0][0]))
        return rows

    def _check_header(self, header: list[str]) -> None:
        needed = [c for c, target in self.columns.items() if target in REQUIRED]
        missing = [column for column in needed if column not in header]
        if missing:
            raise ConversionError(
                f"the mapping {self.name} names column(s) {', '.join(missing)} that the file lacks; "
                f"its columns are: {', '.join(header)}"
            )

    def _row(self, row: Any, where: str) -> Converted:
        if not isinstance(row, dict):
            raise ConversionError(f"{where}: not a row (broken JSON, or not an object)")
        mapped: dict[str, list[tuple[str, Any]]] = {}
        extra: dict[str, Any] = {}
        for column, value in row.items():
            if column in self.columns:
                mapped.setdefault(self.columns[column], []).append((column, value))
            elif column not in self.ignore and _cell(value):
                extra[column] = value
        values = {target: pairs[0][1] for target, pairs in mapped.items() if _cell(pairs[0][1])}
        for target, table in self.values.items():
            if target in values and _header(_cell(values[target])) in table:
                values[target] = table[_header(_cell(values[target]))]
        key, title = _cell(values.get("id")), _cell(values.get("title"))
        paragraphs = [
            (f"{column}: {_cell(value)}" if n else _cell(value))
            for n, (column, value) in enumerate(mapped.get("text", []))
            if _cell(value)
        ]
        if not key or not title or not paragraphs:
            empty = [
                name for name, value in (("id", key), ("title", title), ("text", paragraphs)) if not value
            ]
            raise ConversionError(f"{where}: empty {', '.join(empty)}")
        found: dict[str, Any] = {"type": "document", **self.fixed}
        found |= {t: v for t, v in values.items() if t in METADATA_KEYS and t not in ("date", "tags")}
        found |= extra
        fields: dict[str, Any] = {}
        if "tags" in values:
            tags = values["tags"]
            found["tags"] = tags if isinstance(tags, list) else re.split(r"[|,;]", str(tags))
        if "date" in values:
            fields["date_original"] = _cell(values["date"])
            found["date"] = self._date(fields["date_original"], where)
        product = {t: _cell(values.get(t)) or None for t in PRODUCT_FIELDS if t != "price"}
        fields |= {t: v for t, v in product.items() if v}
        if "price" in self.columns.values():
            fields["price"] = _price(values.get("price"), where)
        if found.get("type") == "product":
            fields["product_id"] = key
        return Converted(content="\n".join(paragraphs), found=found, fields=fields, key=key)

    def _date(self, text: str, where: str) -> str:
        folded = normalize(text)  # Thai digits ๑๒/๐๓/๒๕๖๖ read as 12/03/2566
        for form in self.date_formats:
            try:
                parsed = dt.datetime.strptime(folded, form)
            except ValueError:
                continue
            year = parsed.year - BUDDHIST_ERA_OFFSET if parsed.year > 2400 else parsed.year
            try:
                day = dt.date(year, parsed.month, parsed.day).isoformat()
            except ValueError as error:  # 29/02 of a B.E. year that is not leap in C.E.
                raise ConversionError(f"{where}: impossible date {text!r}: {error}") from None
            return day if "%d" in form else day[:7] if "%m" in form else day[:4]
        if self.date_formats:
            raise ConversionError(f"{where}: date {text!r} does not match {' or '.join(self.date_formats)}")
        try:
            return parse_date(folded)
        except MetadataError as error:
            raise ConversionError(f"{where}: {error}; give the mapping a date_format") from None


def _header(name: Any) -> str:
    """A column name as compared: spaces and Thai marks normalised (``' ชื่อ  ปราชญ์ '`` = ``ชื่อ ปราชญ์``)."""
    return " ".join(normalize(str(name)).split())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(str(item) for item in value)
    return str(value).strip()


def _price(value: Any, where: str) -> float | None:
    text = _cell(value).replace(",", "").removesuffix("บาท").strip()
    if not text:
        return None
    try:
        price = float(normalize(text))
    except ValueError:
        price = math.nan
    if not math.isfinite(price):
        raise ConversionError(f"{where}: price {value!r} is not a number")
    return price
