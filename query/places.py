"""Thai places in a query: the 77 provinces and the four regions, as the archive stores them.

The gazetteer (``query/data/places.csv``) holds each province's Thai name exactly as the
catalogues and front matter store it (``อุบลราชธานี``), its region in the corpora's
four-region scheme (เหนือ, อีสาน, กลาง, ใต้; eastern and western provinces count as กลาง),
its English name and the short forms people type (โคราช, อุบลฯ, กทม).

Rules for Thai mentions, which have no spaces around them:

- a match must start and end on PyThaiNLP word boundaries, so ``ตรัง`` inside ``ศรีตรัง``
  or ``กระบี่`` inside ``กระบี่กระบอง`` is no place;
- the longest form wins (``ปากน้ำโพ`` before ``ปากน้ำ``); ``จังหวัด``/``จ.`` before a
  province belongs to the mention;
- forms that are also everyday words (``cue_forms``: ตาก "to dry", เลย "at all",
  แพร่ "to spread", ปากน้ำ "estuary", ประจวบ "to coincide", กาญจน์) count only after
  ``จังหวัด``, ``จ.`` or ``เมือง``; their English names (Tak, Loei, Phrae) always count;
- ร้อยเอ็ด is also the number 101: not a place when it is part of a price or a number.

English names match case-insensitively on word boundaries; a space inside a name may be
missing or a hyphen (``Chiangmai``, ``Chiang-Mai``).

>>> [(p.text, p.name, p.region) for p in find_places("ปลาร้าอุบลฯ กับผ้าไหม จ.สุรินทร์")]
[('อุบลฯ', 'อุบลราชธานี', 'อีสาน'), ('จ.สุรินทร์', 'สุรินทร์', 'อีสาน')]
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index.thai_text import SHORT_TEXT, normalize, word_spans

DEFAULT_GAZETTEER = Path(__file__).parent / "data" / "places.csv"
REGIONS = ("เหนือ", "อีสาน", "กลาง", "ใต้")

#: Words before a province name that belong to the mention ("จ.ตาก" is one chip).
PROVINCE_PREFIXES = ("จังหวัด", "จ.")
#: Words after which a ``cue_forms`` name (ตาก, เลย, แพร่) is a place and not an everyday word.
CUE_PREFIXES = (*PROVINCE_PREFIXES, "เมือง")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_CURRENCY_AFTER = re.compile(r"\s*(?:บาท|บ\.|baht|thb|฿)", re.IGNORECASE)
_NUMBER_WORD_BEFORE = re.compile(r"(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|พัน|หมื่น|แสน|ล้าน|\d)\s*$")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class PlaceName:
    """One gazetteer row: a province or a region and every form it is written in."""

    kind: str  # "province" or "region"
    name: str  # canonical Thai, as stored in metadata
    region: str
    english: str
    thai_forms: tuple[str, ...]
    cue_forms: tuple[str, ...]
    english_forms: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """A place mentioned in a text; ``start``/``end`` index the text as given."""

    text: str
    start: int
    end: int
    kind: str
    name: str
    region: str


@dataclass(frozen=True)
class AlignedText:
    """A text and its normalised form, with a way back from offsets in one to the other.

    >>> aligned = AlignedText.of("  ทํา ๕๐๐")  # leading spaces, ํ+า, Thai digits
    >>> aligned.normalized, aligned.original_span(3, 6)
    ('ทำ 500', (6, 9))
    """

    original: str
    normalized: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> AlignedText:
        """``text`` aligned with its normalised form; kept for short texts (a question is aligned
        for its places, its constraints and "did you mean")."""
        return _aligned(text) if len(text) <= SHORT_TEXT else cls._of(text)

    @classmethod
    def _of(cls, text: str) -> AlignedText:
        normalized = normalize(text)
        starts = [len(text)] * (len(normalized) + 1)
        ends = [0] * (len(normalized) + 1)
        # fold the one-for-one changes first so the diff only has to place the real edits
        folded = text.translate(_THAI_DIGITS)
        matcher = difflib.SequenceMatcher(None, folded, normalized, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            for k in range(j2 - j1):
                if tag == "equal":
                    starts[j1 + k], ends[j1 + k + 1] = i1 + k, i1 + k + 1
                else:  # a rewritten stretch maps as a whole
                    starts[j1 + k], ends[j1 + k + 1] = i1, i2
        return cls(text, normalized, tuple(starts), tuple(ends))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], max(self.ends[end], self.starts[start])


@lru_cache(maxsize=4096)
def _aligned(text: str) -> AlignedText:
    return AlignedText._of(text)


@dataclass(frozen=True)
class Gazetteer:
    places: tuple[PlaceName, ...]

    def by_name(self, name: str) -> PlaceName | None:
        return next((place for place in self.places if place.name == name), None)

    def thai_forms(self) -> list[str]:
        """Every Thai form of every place (for vocabularies such as spelling)."""
        return sorted({form for place in self.places for form in (*place.thai_forms, *place.cue_forms)})


@lru_cache(maxsize=4)
def load_gazetteer(path: Path = DEFAULT_GAZETTEER) -> Gazetteer:
    """The gazetteer at ``path`` (cached).

    >>> load_gazetteer().by_name("นครราชสีมา").thai_forms
    ('นครราชสีมา', 'โคราช')
    """

    def split(cell: str) -> tuple[str, ...]:
        return tuple(form.strip() for form in cell.split("|") if form.strip())

    with Path(path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    places = tuple(
        PlaceName(
            kind=row["kind"],
            name=row["name"],
            region=row["region"],
            english=row["english"],
            thai_forms=tuple(normalize(form) for form in split(row["thai_forms"])),
            cue_forms=tuple(normalize(form) for form in split(row["cue_forms"])),
            english_forms=(row["english"], *split(row["english_forms"])),
        )
        for row in rows
    )
    unknown = {place.region for place in places} - set(REGIONS)
    if unknown:
        raise ValueError(f"{path}: unknown region(s) {sorted(unknown)}; use one of {', '.join(REGIONS)}")
    return Gazetteer(places)


def region_of(province: str, gazetteer: Gazetteer | None = None) -> str | None:
    """The region of a province given by its stored Thai name.

    >>> region_of("พิษณุโลก"), region_of("ปราจีนบุรี"), region_of("Atlantis")
    ('เหนือ', 'กลาง', None)
    """
    place = (gazetteer or load_gazetteer()).by_name(province)
    return place.region if place else None


def find_places(text: str, gazetteer: Gazetteer | None = None) -> list[Place]:
    """Provinces and regions mentioned in ``text``, in order, longest mention first on overlap.

    >>> [p.name for p in find_places("ของฝากโคราช กล้วยตาก ภาคเหนือ")]
    ['นครราชสีมา', 'เหนือ']
    >>> [p.name for p in find_places("silk from Chiangmai or korat")]
    ['เชียงใหม่', 'นครราชสีมา']
    """
    gazetteer = gazetteer or load_gazetteer()
    aligned = AlignedText.of(text)
    candidates = _thai_candidates(aligned.normalized, gazetteer) + _english_candidates(
        aligned.normalized, gazetteer
    )
    chosen: list[tuple[int, int, PlaceName]] = []
    for start, end, place in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if all(end <= other_start or start >= other_end for other_start, other_end, _ in chosen):
            chosen.append((start, end, place))
    mentions = []
    for start, end, place in sorted(chosen, key=lambda c: c[0]):
        original_start, original_end = aligned.original_span(start, end)
        mentions.append(
            Place(
                text=text[original_start:original_end],
                start=original_start,
                end=original_end,
                kind=place.kind,
                name=place.name,
                region=place.region,
            )
        )
    return mentions


def word_edges(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """Offsets where PyThaiNLP words of ``text`` start and where they end."""
    spans = word_spans(text)
    return frozenset(start for start, _ in spans), frozenset(end for _, end in spans)


def _thai_candidates(text: str, gazetteer: Gazetteer) -> list[tuple[int, int, PlaceName]]:
    starts, ends = word_edges(text)
    table = _thai_form_table(gazetteer)
    candidates = []
    for start in sorted(starts):
        forms = table.get(text[start : start + 1])
        if not forms:
            continue
        prefix = _prefix_before(text, start)
        cued = prefix is not None and prefix[1] in CUE_PREFIXES
        for end, place, needs_cue in _forms_at(text, start, ends, forms, cued):
            # the prefix belongs to the mention, but "เมือง" only where it is the cue
            if prefix and place.kind == "province" and (needs_cue or prefix[1] in PROVINCE_PREFIXES):
                candidates.append((prefix[0], end, place))
            else:
                candidates.append((start, end, place))
    return candidates


def _prefix_before(text: str, start: int) -> tuple[int, str] | None:
    """(where it starts, the prefix) when a place prefix ends at ``start``, a space or not between."""
    before = text[:start].rstrip(" ")
    for prefix in CUE_PREFIXES:
        if before.endswith(prefix):
            return len(before) - len(prefix), prefix
    return None


def _forms_at(
    text: str,
    start: int,
    word_ends: frozenset[int],
    forms: tuple[tuple[str, PlaceName, bool], ...],
    cued: bool,
) -> Iterator[tuple[int, PlaceName, bool]]:
    """(end, place, is a cue form) for each form written at ``start`` that ends on a word boundary."""
    for form, place, needs_cue in forms:
        end = start + len(form)
        if (cued or not needs_cue) and text.startswith(form, start) and end in word_ends:
            if not _is_a_number_here(text, start, end, form):
                yield end, place, needs_cue


def _is_a_number_here(text: str, start: int, end: int, form: str) -> bool:
    # ร้อยเอ็ด is 101: "ร้อยเอ็ดบาท", "สองร้อยเอ็ด" and "1ร้อยเอ็ด" are amounts, not Roi Et.
    if not _reads_as_number(form):
        return False
    return bool(_CURRENCY_AFTER.match(text, end) or _NUMBER_WORD_BEFORE.search(text[:start]))


@lru_cache(maxsize=256)
def _reads_as_number(form: str) -> bool:
    from pythainlp.util import thaiword_to_num

    try:
        thaiword_to_num(form)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4)
def _thai_form_table(gazetteer: Gazetteer) -> dict[str, tuple[tuple[str, PlaceName, bool], ...]]:
    """Every Thai form of a place, longest first, by its first letter (a query's word is tried
    only against the forms that can begin there)."""
    table = [(form, place, False) for place in gazetteer.places for form in place.thai_forms]
    table += [(form, place, True) for place in gazetteer.places for form in place.cue_forms]
    by_initial: dict[str, list[tuple[str, PlaceName, bool]]] = {}
    for row in sorted(table, key=lambda row: -len(row[0])):
        by_initial.setdefault(row[0][:1], []).append(row)
    return {initial: tuple(rows) for initial, rows in by_initial.items()}


def _english_candidates(text: str, gazetteer: Gazetteer) -> list[tuple[int, int, PlaceName]]:
    if not _LATIN_LETTER.search(text):  # (most questions are Thai: no need to run the long pattern)
        return []
    pattern, places = _english_pattern(gazetteer)
    return [
        (match.start(), match.end(), places[match.lastgroup])
        for match in pattern.finditer(text)
        if match.lastgroup
    ]


@lru_cache(maxsize=4)
def _english_pattern(gazetteer: Gazetteer) -> tuple[re.Pattern[str], dict[str, PlaceName]]:
    forms = sorted(
        ((form, index) for index, place in enumerate(gazetteer.places) for form in place.english_forms),
        key=lambda row: -len(row[0]),
    )
    groups, places = [], {}
    for number, (form, index) in enumerate(forms):
        words = [re.escape(word) for word in form.split()]
        groups.append(f"(?P<p{number}>{'[ -]?'.join(words)})")
        places[f"p{number}"] = gazetteer.places[index]
    pattern = re.compile(rf"(?<![A-Za-z])(?:{'|'.join(groups)})(?![A-Za-z])", re.IGNORECASE)
    return pattern, places
