"""Source metadata: the allowed keys, sidecar files, Buddhist-Era dates, and their merge order.

Sidecar ``X.meta.json`` beats front matter beats values found in the file.

>>> parse_date("12 มีนาคม 2566")
'2023-03-12'
>>> parse_date("2566"), parse_date("มี.ค. 2567"), parse_date("2023-03-12")
('2023', '2024-03', '2023-03-12')
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from index.thai_text import normalize

SIDECAR_SUFFIX = ".meta.json"
METADATA_KEYS = (
    "title", "type", "category", "tags", "province", "district", "subdistrict", "village", "region",
    "language", "date", "author", "sage", "source", "license", "access", "audio", "interviewee", "interviewer",
)  # fmt: skip
ACCESS_LEVELS = ("public", "restricted")
SOURCE_TYPES = ("document", "oral_history", "product")
BUDDHIST_ERA_OFFSET = 543
_PLACE_PREFIXES = re.compile(r"^(จังหวัด|จ\.|อำเภอ|อ\.|ตำบล|ต\.|บ้าน(?=\S{2,}))\s*")


class MetadataError(ValueError):
    """Metadata a source cannot be stored with (bad sidecar, unknown access level …)."""


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, Any]:
    """The sidecar of ``path`` if there is one; a broken sidecar is an error, never ignored."""
    sidecar = sidecar_path(path)
    if not sidecar.exists():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MetadataError(f"sidecar {sidecar.name} is not valid UTF-8 JSON: {error}") from error
    if not isinstance(data, dict):
        raise MetadataError(f"sidecar {sidecar.name} must hold a JSON object, not {type(data).__name__}")
    unknown = sorted(set(data) - set(METADATA_KEYS))
    if unknown:
        raise MetadataError(
            f"sidecar {sidecar.name} has unknown keys {unknown}; allowed: {', '.join(METADATA_KEYS)}"
        )
    return data


def merge_metadata(*layers: dict[str, Any]) -> dict[str, Any]:
    """Later layers win; empty values never overwrite. Values are cleaned and validated."""
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update({key: value for key, value in layer.items() if value not in (None, "", [])})
    return clean_metadata(merged)


def clean_metadata(meta: dict[str, Any]) -> dict[str, Any]:
    clean = dict(meta)
    for key in (
        "title",
        "category",
        "region",
        "district",
        "subdistrict",
        "village",
        "province",
        "author",
        "sage",
        "interviewee",
        "interviewer",
        "source",
    ):
        if isinstance(clean.get(key), str):
            clean[key] = normalize(clean[key])
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
        clean["date"] = parse_date(original)
        clean["date_original"] = str(original)
    access = clean.setdefault("access", "public")
    if access not in ACCESS_LEVELS:
        raise MetadataError(f"access must be one of {ACCESS_LEVELS}, got {access!r}")
    if clean.get("type") and clean["type"] not in SOURCE_TYPES:
        raise MetadataError(f"type must be one of {SOURCE_TYPES}, got {clean['type']!r}")
    return clean


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
        names = (province["name_th"], province["name_en"])
        table[province["name_th"]] = table[province["name_en"].casefold()] = names
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


def parse_date(value: Any) -> str:
    """ISO (C.E.) form of an ISO, Buddhist-Era or Thai-month date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    text = _ERA_MARK.sub("", normalize(str(value))).strip()
    iso = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if iso:
        year, month, day = iso.groups()
        return _iso(_to_common_era(int(year)), month and int(month), day and int(day), value)
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
        return _iso(_to_common_era(year_number), month, day and int(day), value)
    raise MetadataError(f"cannot read the date {value!r}: use ISO (2023-03-12) or Thai (12 มีนาคม 2566)")


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
