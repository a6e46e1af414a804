"""Source metadata: the known keys, sidecar files, Buddhist-Era dates, and how layers merge.

Metadata comes in layers, later ones winning: what the converter found in the file (HTML
``<meta>``, a catalogue row's columns, Word properties), then YAML front matter, then the
sidecar ``X.meta.json``. Keys are compared without regard to case or surrounding spaces.

Lenient and honest: a key Panya does not know is never a reason to refuse a file (other
agencies' files carry their own). It is kept, JSON-safe, under the source's ``extra`` mapping
(so it can never overwrite ``source_id``, ``chunk_index`` or any field Panya sets), and the
report gets one notice per file naming it. Only really wrong values refuse a file: a ``date``
that cannot be read, or an ``access`` that is neither public nor restricted (see
:mod:`ingest.access`, where access is decided). A ``type`` Panya does not know is kept under
``extra`` too, with a notice, and the type found from the format stands.

>>> parse_date("12 มีนาคม 2566")
'2023-03-12'
>>> parse_date("2566"), parse_date("มี.ค. 2567"), parse_date("2023-03-12")
('2023', '2024-03', '2023-03-12')
>>> meta, notes = resolve_metadata(Layer.of({"Title ": "ผ้าไหม", "ผู้บันทึก": "สมชาย"}, "the front matter"))
>>> meta["title"], meta["extra"], notes
('ผ้าไหม', {'ผู้บันทึก': 'สมชาย'}, ["unknown keys in the front matter kept under 'extra': ผู้บันทึก"])
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from index.thai_text import normalize
from ingest.access import AccessError, decide_access, fold, is_access_key
from ingest.budgets import read_regular_file

SIDECAR_SUFFIX = ".meta.json"
METADATA_KEYS = (
    "title", "type", "category", "tags", "province", "district", "subdistrict", "village", "region",
    "language", "date", "author", "sage", "source", "license", "access", "audio", "interviewee", "interviewer",
    "speaker_label", "centre",
)  # fmt: skip
TEXT_KEYS = tuple(key for key in METADATA_KEYS if key not in ("tags", "date", "access"))
NORMALIZED_KEYS = ("title", "category", "region", "district", "subdistrict", "village", "province", "author",
                   "sage", "interviewee", "interviewer", "source")  # fmt: skip
SOURCE_TYPES = ("document", "oral_history", "product")
BUDDHIST_ERA_OFFSET = 543
#: A sidecar holds metadata, not documents.
SIDECAR_MAX_BYTES = 1024 * 1024
#: Metadata is copied into every chunk's payload, so a source's whole metadata stays small.
METADATA_MAX_BYTES = 64 * 1024
#: Values (and the items inside them) one layer may hold: a YAML alias bomb stops here.
MAX_VALUE_ITEMS = 10_000
EXTRA = "extra"
_PLACE_PREFIXES = re.compile(r"^(จังหวัด|จ\.|อำเภอ|อ\.|ตำบล|ต\.|บ้าน(?=\S{2,}))\s*")


class MetadataError(ValueError):
    """Metadata a source cannot be stored with (bad sidecar, unreadable date, unknown access level …)."""


@dataclass(frozen=True)
class Layer:
    """One place metadata came from (``origin``, for messages), its keys folded and sorted out."""

    origin: str
    known: dict[str, Any] = field(default_factory=dict)
    access: tuple[tuple[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, values: dict[Any, Any], origin: str) -> Layer:
        known, access, extra = {}, [], {}
        budget = [MAX_VALUE_ITEMS]
        for key, value in values.items():
            name, folded = str(key).strip(), fold(key)
            value = _json_safe(value, budget, f"{origin}: the value of {name!r}")
            if folded == "access" or is_access_key(folded):  # several values (two <meta>s): all count
                access += [(name, item) for item in (value if isinstance(value, list) else [value])]
            elif folded in METADATA_KEYS:
                known[folded] = value
            elif value not in (None, "", [], {}):
                extra[name] = value
        return cls(origin, known, tuple(access), extra)

    def without(self, key: str) -> Layer:
        return Layer(self.origin, {k: v for k, v in self.known.items() if k != key}, self.access, self.extra)


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, Any]:
    """The sidecar of ``path`` if there is one; a broken sidecar is an error, never ignored."""
    sidecar = sidecar_path(path)
    if not sidecar.is_symlink() and not sidecar.exists():
        return {}
    try:
        data = json.loads(read_regular_file(sidecar, SIDECAR_MAX_BYTES).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MetadataError(f"sidecar {sidecar.name} is not valid UTF-8 JSON: {error}") from error
    except (OSError, ValueError) as error:
        raise MetadataError(f"sidecar {sidecar.name}: {error}") from error
    if not isinstance(data, dict):
        raise MetadataError(f"sidecar {sidecar.name} must hold a JSON object, not {type(data).__name__}")
    return data


def resolve_metadata(*layers: Layer | dict) -> tuple[dict[str, Any], list[str]]:
    """One source's metadata from its layers (later ones win; empty values never overwrite),
    cleaned and validated, and the notices its report should carry."""
    sorted_out = [layer if isinstance(layer, Layer) else Layer.of(layer, "metadata") for layer in layers]
    merged: dict[str, Any] = {}
    origins: dict[str, str] = {}
    extra: dict[str, Any] = {}
    notes: list[str] = []
    for layer in sorted_out:
        for key, value in layer.known.items():
            if value in (None, "", [], {}):
                continue
            if key == "type" and fold(value) not in SOURCE_TYPES:
                notes.append(
                    f"{layer.origin}: type {value!r} is not one of {', '.join(SOURCE_TYPES)}; kept under 'extra'"
                )
                extra["type"] = value
                continue
            merged[key], origins[key] = value, layer.origin
        extra |= layer.extra
        if layer.extra:
            notes.append(f"unknown keys in {layer.origin} kept under 'extra': {', '.join(layer.extra)}")
    try:
        found = [(layer.origin, key, value) for layer in sorted_out for key, value in layer.access]
        access, access_notes = decide_access(found)
    except AccessError as error:
        raise MetadataError(str(error)) from None
    meta = clean_metadata(merged, origins, extra) | {"access": access}
    if extra:
        meta[EXTRA] = extra
    size = len(json.dumps(meta, ensure_ascii=False).encode())
    if size > METADATA_MAX_BYTES:
        raise MetadataError(
            f"its metadata takes {size // 1024} KB; the limit is {METADATA_MAX_BYTES // 1024} KB per source "
            "(metadata is copied into every chunk): move long text into the document"
        )
    return meta, notes + access_notes


def merge_metadata(*layers: Layer | dict) -> dict[str, Any]:
    """Later layers win; empty values never overwrite. Values are cleaned and validated."""
    return resolve_metadata(*layers)[0]


def clean_metadata(meta: dict[str, Any], origins: dict[str, str], extra: dict[str, Any]) -> dict[str, Any]:
    clean = dict(meta)
    for key in TEXT_KEYS:
        if key in clean:
            text = _as_text(clean[key])
            if text is None:  # a mapping where text belongs: keep it, but not as this field
                extra[key] = clean.pop(key)
            else:
                clean[key] = normalize(text) if key in NORMALIZED_KEYS else text.strip()
    if clean.get("type"):
        clean["type"] = fold(clean["type"])
    for key in ("province", "district", "subdistrict"):
        if clean.get(key):
            clean[key] = _PLACE_PREFIXES.sub("", clean[key])
    if clean.get("province"):
        clean["province"], english = _province_names(clean["province"])
        if english:
            clean["province_en"] = english
    if "tags" in clean:
        clean["tags"] = parse_tags(clean["tags"])
    if "date" in clean:
        original = clean["date"]
        try:
            clean["date"] = parse_date(original)
        except MetadataError as error:
            raise MetadataError(f"{origins.get('date', 'metadata')}: {error}") from None
        clean["date_original"] = str(original)
    return clean


def _as_text(value: Any) -> str | None:
    if isinstance(value, list) and all(not isinstance(item, list | dict) for item in value):
        return ", ".join(str(item) for item in value)
    if isinstance(value, list | dict):
        return None
    return str(value)


def _json_safe(value: Any, budget: list[int], what: str, depth: int = 0) -> Any:
    """``value`` as plain JSON data (dates as ISO text), refusing more than ``budget`` items."""
    budget[0] -= 1
    if budget[0] < 0 or depth > 20:
        raise MetadataError(f"{what} is too large or too deeply nested (a YAML alias bomb?)")
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(item, budget, what, depth + 1) for item in value]
    if isinstance(value, dict):
        return {str(key).strip(): _json_safe(item, budget, what, depth + 1) for key, item in value.items()}
    return str(value)


def _province_names(name: str) -> tuple[str, str | None]:
    """Canonical Thai name and English name of a province, from either.

    >>> _province_names("Ubon Ratchathani"), _province_names("สุรินทร์")
    (('อุบลราชธานี', 'Ubon Ratchathani'), ('สุรินทร์', 'Surin'))
    """
    return _provinces().get(name.casefold(), (name, None))


@lru_cache(maxsize=1)
def _provinces() -> dict[str, tuple[str, str]]:
    from pythainlp.corpus import provinces

    table = {}
    for province in provinces(details=True):
        details: Any = province  # typed as str | dict by pythainlp
        names = (details["name_th"], details["name_en"])
        table[details["name_th"]] = table[details["name_en"].casefold()] = names
    return table


def parse_tags(value: Any) -> list[str]:
    """``a|b``, ``a, b`` or a list → clean list.

    >>> parse_tags("ผ้าไหม|ของฝาก| ย้อมสีธรรมชาติ")
    ['ผ้าไหม', 'ของฝาก', 'ย้อมสีธรรมชาติ']
    """
    items = value if isinstance(value, list) else re.split(r"[|,]", str(value))
    return [normalize(str(item)) for item in items if str(item).strip()]


def _month_numbers() -> dict[str, int]:
    from pythainlp.util.date import thai_abbr_months, thai_full_months

    names = {name: i + 1 for i, name in enumerate(thai_full_months)}
    names |= {name: i + 1 for i, name in enumerate(thai_abbr_months)}
    names |= {name.replace(".", ""): i + 1 for i, name in enumerate(thai_abbr_months)}
    return names


_THAI_DATE = re.compile(r"^(?:(\d{1,2})\s*)?([ก-๙.]+)?\s*(\d{2,4})$")
_ERA_MARK = re.compile(r"(พ\.\s?ศ\.|พ\.ศ|ค\.\s?ศ\.)\s*")
_ISO_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def parse_date(value: Any) -> str:
    """ISO (C.E.) form of an ISO, Buddhist-Era or Thai-month date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    >>> parse_date("2023-03-12T09:30:00+07:00")
    '2023-03-12'
    """
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    text = _ERA_MARK.sub("", normalize(str(value))).strip()
    with_time = _ISO_DATE_TIME.fullmatch(text)
    if with_time:
        text = with_time.group(1)
    iso = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if iso:
        year, month, day = iso.groups()
        return _iso(_to_common_era(int(year)), _number(month), _number(day), value)
    match = _THAI_DATE.match(text)
    if match:
        day, month_name, year = match.groups()
        month = None
        if month_name:
            month = _month_numbers().get(month_name) or _month_numbers().get(month_name.replace(".", ""))
            if month is None:
                raise MetadataError(f"unknown Thai month {month_name!r} in date {value!r}")
        year_number = int(year)
        if len(year) == 2:  # "มี.ค. 66": two-digit Buddhist-Era year, as Thai forms write it
            year_number += 2500
        return _iso(_to_common_era(year_number), month, _number(day), value)
    raise MetadataError(f"cannot read the date {value!r}: use ISO (2023-03-12) or Thai (12 มีนาคม 2566)")


def _number(digits: str | None) -> int | None:
    return int(digits) if digits else None


def _to_common_era(year: int) -> int:
    return year - BUDDHIST_ERA_OFFSET if year > 2400 else year


def _iso(year: int, month: int | None, day: int | None, original: Any) -> str:
    try:
        if day:
            return dt.date(year, month or 1, day).isoformat()
        if month:
            return dt.date(year, month, 1).isoformat()[:7]
        return f"{year:04d}"
    except ValueError as error:
        raise MetadataError(f"impossible date {original!r}: {error}") from error
