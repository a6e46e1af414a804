"""How to cite a source: a Thai and an English reference (APA-like), BibTeX and CSL-JSON.

Every form names the sage (or author, interviewee, producer), the title, the place, the date in
both eras (B.E. = C.E. + 543), the archive "Panya (ปัญญา)", the permalink and the day it was
read. The permalink comes from the web layer (``/sources/{id}``, ``?t=SECONDS`` for a moment of a
recording); nothing here knows the routes.

>>> meta = {"title": "แม่บัวลายเล่าเรื่องปลาแดก", "type": "oral_history", "sage": "บัวลาย ศรีวงษา",
...         "province": "อุบลราชธานี", "province_en": "Ubon Ratchathani", "date": "2024-01-15"}
>>> cite = citation("oral_histories/bualai-pla-daek.vtt", meta, "https://panya.example/sources/x",
...                 accessed=dt.date(2026, 11, 25))
>>> cite.thai
'บัวลาย ศรีวงษา. (15 มกราคม 2567 / ค.ศ. 2024). แม่บัวลายเล่าเรื่องปลาแดก [เรื่องเล่าปราชญ์]. จังหวัดอุบลราชธานี. ปัญญา (Panya). สืบค้นเมื่อ 25 พฤศจิกายน 2569, จาก https://panya.example/sources/x'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

ARCHIVE_NAME = "Panya (ปัญญา)"
ARCHIVE_NAME_TH = "ปัญญา (Panya)"
BUDDHIST_ERA_OFFSET = 543
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")  # fmt: skip
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")  # fmt: skip
KIND_TH = {"document": "เอกสารภูมิปัญญา", "oral_history": "เรื่องเล่าปราชญ์", "product": "สินค้าชุมชน"}
KIND_EN = {
    "document": "Local wisdom document",
    "oral_history": "Oral history",
    "product": "Community product",
}
#: CSL item types (https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types).
CSL_TYPES = {"document": "document", "oral_history": "interview", "product": "webpage"}
#: Who a source is by, first found wins.
CREATOR_KEYS = ("sage", "author", "interviewee", "producer")


@dataclass(frozen=True)
class Citation:
    thai: str
    english: str
    bibtex: str
    csl: dict[str, Any]


def citation(source_id: str, meta: dict[str, Any], url: str, accessed: dt.date | None = None) -> Citation:
    """Every citation form of one source (``meta`` as the archive stores it)."""
    accessed = accessed or dt.datetime.now(BANGKOK).date()  # the reader's day, as provenance shows times
    return Citation(
        thai=thai_reference(meta, url, accessed),
        english=english_reference(meta, url, accessed),
        bibtex=bibtex(source_id, meta, url, accessed),
        csl=csl_json(source_id, meta, url, accessed),
    )


def creator(meta: dict[str, Any]) -> str | None:
    return next((str(meta[key]) for key in CREATOR_KEYS if meta.get(key)), None)


def date_parts(meta: dict[str, Any]) -> list[int]:
    """``[year, month, day]`` (as much as is known) of the source's C.E. date; [] when it has none.

    >>> date_parts({"date": "2023-03"}), date_parts({"date": "ไม่ทราบ"}), date_parts({})
    ([2023, 3], [], [])
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(meta.get("date") or ""))
    return [int(part) for part in match.groups() if part] if match else []


def thai_date(parts: list[int]) -> str:
    """A date as Thai readers write it, in B.E.

    >>> thai_date([2023, 3, 12]), thai_date([2023, 3]), thai_date([2023])
    ('12 มีนาคม 2566', 'มีนาคม 2566', '2566')
    """
    if not parts:
        return ""
    year = str(parts[0] + BUDDHIST_ERA_OFFSET)
    month = THAI_MONTHS[parts[1] - 1] if len(parts) > 1 else ""
    day = str(parts[2]) if len(parts) > 2 else ""
    return " ".join(part for part in (day, month, year) if part)


def english_date(parts: list[int]) -> str:
    """A date as English readers write it, in C.E.

    >>> english_date([2023, 3, 12]), english_date([2023])
    ('March 12, 2023', '2023')
    """
    if len(parts) == 3:
        return f"{ENGLISH_MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{ENGLISH_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0]) if parts else ""


BANGKOK = dt.timezone(dt.timedelta(hours=7), "ICT")  # no daylight saving


def display_date(value: Any, lang: str = "th") -> str:
    """Any date the archive stores, as its readers write it: B.E. with Thai month names in Thai,
    C.E. in English; a time (provenance, UTC) in Thai time. The one date formatter of the UI.

    >>> display_date("2023-03-12"), display_date("2023-03", "en"), display_date("2026-11-25T13:27:05Z")
    ('12 มีนาคม 2566', 'March 2023', '25 พฤศจิกายน 2569 เวลา 20:27 น.')
    >>> display_date("2026-11-25T13:27:05Z", "en"), display_date(None), display_date("ไม่ทราบ")
    ('November 25, 2026, 20:27 ICT', '', 'ไม่ทราบ')
    """
    text = str(value or "").strip()
    stamp = re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?", text)
    if stamp:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        local = moment.astimezone(BANGKOK) if moment.tzinfo else moment
        parts = [local.year, local.month, local.day]
        if lang == "en":
            return f"{english_date(parts)}, {local:%H:%M} ICT"
        return f"{thai_date(parts)} เวลา {local:%H:%M} น."
    parts = date_parts({"date": text})
    if not parts:
        return text
    return english_date(parts) if lang == "en" else thai_date(parts)


def date_original_differs(meta: dict[str, Any]) -> bool:
    """Whether the date as first written says more than its display (``๐๓/๐๗/๒๕๖๕``, not ``2566``).

    >>> date_original_differs({"date": "2023", "date_original": "2566"})
    False
    >>> date_original_differs({"date": "2022-07-03", "date_original": "๐๓/๐๗/๒๕๖๕"})
    True
    """
    original = str(meta.get("date_original") or "").strip()
    if not original or original == meta.get("date"):
        return False
    shown = display_date(meta.get("date"))
    return original not in (shown, shown.split(" ")[-1], f"พ.ศ. {shown}")


def place_th(meta: dict[str, Any]) -> str:
    """Where a source is from, as a Thai address reads.

    >>> place_th({"village": "บ้านสะเร็น", "district": "เขวาสินรินทร์", "province": "สุรินทร์"})
    'บ้านสะเร็น อำเภอเขวาสินรินทร์ จังหวัดสุรินทร์'
    """
    parts = [
        str(meta.get("village") or ""),
        "อำเภอ" + str(meta["district"]) if meta.get("district") else "",
        "จังหวัด" + str(meta["province"]) if meta.get("province") else "",
    ]
    return " ".join(part for part in parts if part)


def place_en(meta: dict[str, Any]) -> str:
    province = meta.get("province_en") or meta.get("province")
    parts = [meta.get("village"), meta.get("district"), province, "Thailand" if province else None]
    return ", ".join(str(part) for part in parts if part)


def thai_reference(meta: dict[str, Any], url: str, accessed: dt.date) -> str:
    parts = date_parts(meta)
    when = f"{thai_date(parts)} / ค.ศ. {parts[0]}" if parts else "ม.ป.ป."  # ไม่ปรากฏปีที่พิมพ์
    kind = KIND_TH.get(str(meta.get("type")), "")
    pieces = [
        f"{creator(meta) or meta.get('title', '')}.",
        f"({when}).",
        f"{meta.get('title', '')}{f' [{kind}]' if kind else ''}." if creator(meta) else f"[{kind}].",
        f"{place_th(meta)}." if place_th(meta) else "",
        f"{ARCHIVE_NAME_TH}.",
        f"สืบค้นเมื่อ {thai_date([accessed.year, accessed.month, accessed.day])}, จาก {url}",
    ]
    return " ".join(piece for piece in pieces if piece)


def english_reference(meta: dict[str, Any], url: str, accessed: dt.date) -> str:
    """The same, APA-like in English; Thai names stay in Thai (there is no agreed romanisation)."""
    parts = date_parts(meta)
    when = f"{english_date(parts)}; B.E. {parts[0] + BUDDHIST_ERA_OFFSET}" if parts else "n.d."
    kind = KIND_EN.get(str(meta.get("type")), "")
    interviewer = f", interviewed by {meta['interviewer']}" if meta.get("interviewer") else ""
    pieces = [
        f"{creator(meta) or meta.get('title', '')}.",
        f"({when}).",
        f"{meta.get('title', '')} [{kind}{interviewer}]." if creator(meta) else f"[{kind}{interviewer}].",
        f"{place_en(meta)}." if place_en(meta) else "",
        f"{ARCHIVE_NAME}.",
        f"Retrieved {english_date([accessed.year, accessed.month, accessed.day])}, from {url}",
    ]
    return " ".join(piece for piece in pieces if piece)


def bibtex_key(source_id: str, meta: dict[str, Any]) -> str:
    """An ASCII key BibTeX accepts: ``panya`` + year + the file's stem (+ a catalogue row's id).

    >>> bibtex_key("products/otop.csv#NNE-001", {"date": "2023"})
    'panya2023otop-NNE-001'
    """
    stem = re.sub(r"\.[A-Za-z0-9]+(?=#|$)", "", source_id.rsplit("/", 1)[-1]).replace("#", "-")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "", stem) or "source"
    year = date_parts(meta)[:1]
    return f"panya{year[0] if year else ''}{stem}"


def _bib(value: Any) -> str:
    """A field value BibTeX reads as written: specials escaped, braces balanced, no newlines."""
    text = " ".join(str(value).split())
    text = text.replace("\\", r"\textbackslash{}").replace("{", r"\{").replace("}", r"\}")
    return (
        re.sub(r"([&%$#_~^])", r"\\\1", text)
        .replace(r"\~", r"\textasciitilde{}")
        .replace(r"\^", r"\textasciicircum{}")
    )


def bibtex(source_id: str, meta: dict[str, Any], url: str, accessed: dt.date) -> str:
    """A ``@misc`` entry (biblatex reads ``urldate``; classic BibTeX shows ``note``)."""
    parts = date_parts(meta)
    fields: list[tuple[str, str]] = []
    if creator(meta):
        fields.append(("author", "{" + _bib(creator(meta)) + "}"))  # a Thai name is one name, not split
    fields.append(("title", "{" + _bib(meta.get("title", "")) + "}"))
    if parts:
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", ENGLISH_MONTHS[parts[1] - 1][:3].lower()))
    if place_th(meta):
        fields.append(("address", _bib(place_th(meta))))
    fields += [
        ("howpublished", _bib(ARCHIVE_NAME)),
        ("url", url.replace("%", r"\%").replace("#", r"\#")),
        ("urldate", accessed.isoformat()),
        ("note", _bib(f"{KIND_EN.get(str(meta.get('type')), 'Source')}; accessed {accessed.isoformat()}")),
    ]
    if meta.get("language"):
        fields.append(("language", _bib(meta["language"])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(source_id, meta)},\n{body}\n}}\n"


def csl_json(source_id: str, meta: dict[str, Any], url: str, accessed: dt.date) -> dict[str, Any]:
    """One CSL-JSON item (Zotero, Pandoc and citeproc read it)."""
    item: dict[str, Any] = {
        "id": bibtex_key(source_id, meta),
        "type": CSL_TYPES.get(str(meta.get("type")), "document"),
        "title": meta.get("title", ""),
        "genre": KIND_EN.get(str(meta.get("type")), ""),
        "publisher": ARCHIVE_NAME,
        "archive": ARCHIVE_NAME,
        "archive_location": source_id,
        "URL": url,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
    }
    if creator(meta):
        item["author"] = [{"literal": creator(meta)}]
    if meta.get("interviewer"):
        item["interviewer"] = [{"literal": meta["interviewer"]}]
    if date_parts(meta):
        item["issued"] = {"date-parts": [date_parts(meta)]}
    if place_th(meta):
        item["publisher-place"] = place_th(meta)
    if meta.get("language"):
        item["language"] = meta["language"]
    if meta.get("date_original") and meta.get("date_original") != meta.get("date"):
        item["note"] = f"date as given: {meta['date_original']}"
    return item
