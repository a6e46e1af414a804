"""Understanding a search query: price limits, places and buying intent, in Thai and English.

``understand`` reads the constraints a person types along with what they look for
("ผ้าไหม ไม่เกินห้าพันบาท แถวโคราช") and returns them as filters plus the ``remainder``,
the words left to search by meaning.

Prices. A number is a price only with a price cue: a currency word (บาท, บ., baht, THB, ฿)
or a cue before it (ไม่เกิน, ต่ำกว่า, ตั้งแต่, ราคา, ประมาณ, under, over, between …).
A number followed by a unit that is not money (3 เดือน, 2 ผืน, 80 ปี, 5 km) is never a
price, and neither is a bare number ("ปี 2566"). Bounds are inclusive ("ต่ำกว่า 100"
gives ``price_max=100``). "About N" (ราว, ราวๆ, ประมาณ, สัก, around, about) and an exact
"ราคา N" or "N บาท" mean N ± 20 % (``AROUND``), since a typed price is rarely a
catalogue's exact figure. Year-like numbers after ตั้งแต่/ระหว่าง/from/between with no
currency ("ตั้งแต่ 2560") are years, not prices. A leading ราคา/งบ and what the price is
per ("บาทต่อคืน", "baht per night", "คนละ 300") belong to the parsed phrase.

Numbers may be Arabic or Thai digits, with thousands separators (5,000), ``k`` (5k),
Thai magnitude words (5 พัน, 1.5 หมื่น) or spelled out (ห้าพัน, สามร้อยห้าสิบ), read by
PyThaiNLP's ``thaiword_to_num`` plus the spoken short forms พันห้า = 1,500 and
สองหมื่นห้า = 25,000 (a trailing digit after พัน and above counts in the next lower
place) and พันนึง = 1,000.

Places come from ``query.places``; ``province`` is set when exactly one province is named,
``region`` when a region is named (each place carries its own region).

Kind of product: in a buying question, a generic noun for a kind of product (ของกิน, อาหาร,
งานฝีมือ, ที่พัก; food, handmade, homestay: ``query/data/product_kinds.csv``) sets ``category``
when it names one kind only.

Product intent: a parsed price, or a buying word (ซื้อ, ราคา, ขาย, สั่ง, กี่บาท, ร้าน,
สินค้า, ของฝาก, เช่า, จอง, buy, price, order, shop …).

>>> u = understand("ผ้าไหมราคาไม่เกิน 5000 ที่สุรินทร์")
>>> u.price_max, u.province, u.remainder, u.phrases
(5000.0, 'สุรินทร์', 'ผ้าไหม', ['ราคาไม่เกิน 5000', 'สุรินทร์'])
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from index.thai_text import words
from query.categories import find_kinds
from query.places import AlignedText, Place, find_places, word_edges

AROUND = 0.2  # "about N" and an exact "ราคา N" cover N ± 20 %

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MAGNITUDES = {"ร้อย": 100, "พัน": 1_000, "หมื่น": 10_000, "แสน": 100_000, "ล้าน": 1_000_000,
               "k": 1_000, "thousand": 1_000, "million": 1_000_000}  # fmt: skip
_THAI_NUMBER_WORDS = "หนึ่ง|เอ็ด|สอง|ยี่|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ร้อย|พัน|หมื่น|แสน|ล้าน|นึง"
_SPELLED = rf"(?:{_THAI_NUMBER_WORDS})+"
_MAGNITUDE = r"(?:thousand|million|ร้อย|พัน|หมื่น|แสน|ล้าน|k)(?![a-z])"
_AMOUNT = rf"(?<![\d.,])(?>(?:{_DIGITS})(?:\s*{_MAGNITUDE})?|{_SPELLED})"
_CURRENCY = r"(?:บาท|บ\.|baht|thb|฿)"
_CURRENCY_BEFORE = r"(?:(?:฿|thb)\s*)?"
#: Units after a number that make it a duration, a count or a size, never a price.
_UNIT_AFTER = re.compile(
    r"\s*(?:ปี|เดือน|วัน|สัปดาห์|อาทิตย์|ชั่วโมง|ชม\.|นาที|วินาที|คืน|ครั้ง|รอบ|คน|ท่าน|ผืน|ชิ้น|อัน"
    r"|ตัว|ใบ|ขวด|กระปุก|ถุง|ห่อ|แพ็ค|กล่อง|ชุด|เส้น|เมตร|ม\.|เซนติเมตร|เซน|ซม\.|กิโลเมตร|กม\.|กิโลกรัม"
    r"|กิโล|กก\.|กรัม|ลิตร|มล\.|ซีซี|องศา|ไร่|ตารางวา|ต้น|ลูก|เม็ด|ดอก|แผ่น|เล่ม|คู่|โหล|เท่า|ขั้น|ชั้น"
    r"|สี|ลาย|เปอร์เซ็นต์|%|°|years?\b|months?\b|days?\b|weeks?\b|hours?\b|minutes?\b|nights?\b|people\b"
    r"|persons?\b|pieces?\b|pcs\b|kg\b|g\b|km\b|m\b|cm\b|ml\b|l\b|times\b)",
    re.IGNORECASE,
)
_PRICE_WORD = r"(?:(?:ราคา|งบประมาณ|งบ)\s*)?"
_PRICED_UNITS = "คืน|คน|ท่าน|ชิ้น|ผืน|ขวด|กระปุก|ชุด|อัน|ตัว|ใบ|กิโล|ห่อ|ถุง|กล่อง|เส้น|ลูก|คู่|วัน|ครั้ง|หัว|ที่"
#: "คืนละ 1500", "คนละ 300": a price per night, per person, per piece.
_PER_UNIT = rf"(?:ราคา\s*)?(?:{_PRICED_UNITS})ละ\s*"
#: "700 บาทต่อคืน", "65 บาท/ขวด", "1,200 baht per person" belong to the price phrase.
_PER_UNIT_AFTER = (
    rf"(?:\s*(?:ต่อ|/)\s*(?:{_PRICED_UNITS})"
    r"|\s*(?:per|/|a)\s*(?:night|person|people|piece|item|bottle|jar|set|day|kg)(?![a-z]))?"
)


def _cues(*cues: str) -> str:
    """An alternation that tries longer cues first; English ones only as whole words."""
    parts = []
    for cue in sorted(cues, key=len, reverse=True):
        escaped = re.escape(cue).replace(r"\ ", r"\s+")
        parts.append(rf"(?<![a-z]){escaped}(?![a-z])" if cue[0].isascii() and cue[0].isalpha() else escaped)
    return "(?:" + "|".join(parts) + ")"


_NOT_NEGATED = r"(?<!ไม่)"
_AT_MOST = _cues("ไม่เกิน", "ไม่เกินกว่า", "ไม่ถึง", "ไม่แพงกว่า", "ไม่มากกว่า", "ไม่สูงกว่า", "ภายใน", "งบ",
                 "งบประมาณ", "under", "below", "less than", "cheaper than", "up to", "max", "maximum",
                 "at most", "no more than", "not more than", "within", "<=", "<", "≤")  # fmt: skip
_AT_MOST_PLAIN = _NOT_NEGATED + _cues("ต่ำกว่า", "ถูกกว่า", "น้อยกว่า")
_AT_LEAST = _cues("ไม่ต่ำกว่า", "ไม่น้อยกว่า", "ไม่ถูกกว่า", "อย่างน้อย", "ตั้งแต่", "over", "above", "more than",
                  "at least", "min", "minimum", "no less than", "from", "more expensive than", ">=", ">", "≥")  # fmt: skip
_AT_LEAST_PLAIN = _NOT_NEGATED + _cues("มากกว่า", "เกินกว่า", "เกิน", "แพงกว่า", "สูงกว่า")
_ABOUT = _cues("ราวๆ", "ราว ๆ", "ราว", "ประมาณ", "สัก", "around", "about", "approx.", "approx", "approximately",
               "roughly", "~")  # fmt: skip
_RANGE_START = _cues("ระหว่าง", "ตั้งแต่", "between", "from")
_RANGE_JOIN = _cues("ถึง", "และ", "กับ", "to", "and", "-", "–")
_YEAR_CUES = ("ระหว่าง", "ตั้งแต่", "between", "from")


def _amount(name: str) -> str:
    return rf"{_CURRENCY_BEFORE}(?P<{name}>{_AMOUNT})(?P<{name}_cur>\s*{_CURRENCY}{_PER_UNIT_AFTER})?"


#: (pattern, reading) in order of precedence: an earlier pattern's match wins an overlap.
_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        rf"(?P<cue>{_PRICE_WORD}{_RANGE_START}\s*|ราคา\s*)?{_amount('a')}\s*{_RANGE_JOIN}\s*{_amount('b')}",
        "range",
    ),
    (
        rf"{_PRICE_WORD}(?:{_AT_MOST}|{_AT_MOST_PLAIN})\s*{_amount('a')}(?!\s*กว่า)(?:\s*(?:ลงมา|ลงไป))?",
        "at_most",
    ),
    (rf"(?P<cue>{_PRICE_WORD}(?:{_AT_LEAST}|{_AT_LEAST_PLAIN}))\s*{_amount('a')}(?:\s*ขึ้นไป)?", "at_least"),
    (
        rf"(?P<cue>(?:{_PRICE_WORD}{_ABOUT}|ราคา|งบประมาณ|งบ)\s*)?{_CURRENCY_BEFORE}(?P<a>{_AMOUNT})\s*กว่า"
        rf"(?P<a_cur>\s*{_CURRENCY}{_PER_UNIT_AFTER})?",
        "and_some",
    ),
    (rf"{_PRICE_WORD}{_ABOUT}\s*{_amount('a')}|(?:{_PER_UNIT}|ราคา\s*){_amount('b')}", "about"),
    (rf"(?P<cue>ราคา\s*)?{_amount('a')}\s*(?P<dir>ขึ้นไป|ลงมา|ลงไป|or\s+more|or\s+less|and\s+up|\+)", "open"),
    (rf"(?:฿|thb)\s*(?P<a>{_AMOUNT})|(?P<b>{_AMOUNT})\s*{_CURRENCY}{_PER_UNIT_AFTER}", "about"),
)
_COMPILED = tuple((re.compile(pattern, re.IGNORECASE), reading) for pattern, reading in _PATTERNS)

BUYING_WORDS = frozenset(
    {"ซื้อ", "สั่งซื้อ", "ซื้อขาย", "ราคา", "ขาย", "จำหน่าย", "สั่ง", "ร้าน", "ร้านค้า", "สินค้า", "ของฝาก", "เช่า",
     "จอง", "buy", "buying", "purchase", "price", "prices", "order", "shop", "store", "sell", "sale",
     "souvenir", "souvenirs", "rent", "otop", "โอทอป"}
)  # fmt: skip
_BUYING_PHRASES = ("กี่บาท", "ราคาเท่าไหร่", "ราคาเท่าไร", "how much", "for sale")
#: Words left dangling before a removed constraint ("ผ้าไหมที่สุรินทร์" → "ผ้าไหม").
_CONNECTORS = ("ที่", "จาก", "ใน", "แถว", "ย่าน", "ของ", "in", "from", "at", "near", "for", "of")
_SPACES = re.compile(r"\s+")


class Understood(BaseModel):
    """What a query asks for besides its meaning; the API echoes it as ``understood``."""

    model_config = ConfigDict(frozen=True)

    price_min: float | None = None
    price_max: float | None = None
    province: str | None = Field(None, description="the one province named, as stored (อุบลราชธานี)")
    region: str | None = Field(None, description="a region named: เหนือ, อีสาน, กลาง or ใต้")
    category: str | None = Field(
        None,
        description="the kind of product a buying question names (ของกิน → food, handmade → crafts)",
    )
    kind: str | None = Field(None, description="the words that named that kind, as typed")
    places: list[Place] = Field(default_factory=list, description="every place mentioned")
    product_intent: bool = False
    remainder: str = Field("", description="the query without the parsed phrases: what to search by meaning")
    phrases: list[str] = Field(
        default_factory=list, description="the parsed substrings of the query, in order"
    )


@dataclasses.dataclass(frozen=True)
class PriceMention:
    start: int
    end: int
    minimum: float | None
    maximum: float | None


def understand(query: str) -> Understood:
    """The constraints of ``query`` and what is left to search by meaning.

    >>> u = understand("ของฝากโคราช ราวๆ 300")
    >>> u.price_min, u.price_max, u.province, u.product_intent, u.remainder
    (240.0, 360.0, 'นครราชสีมา', True, 'ของฝาก')
    """
    aligned = AlignedText.of(query)
    text = aligned.normalized
    prices = find_prices(text)
    places = [place for place in find_places(text) if not any(_overlaps(place, price) for price in prices)]
    product_intent = bool(prices) or has_buying_words(text)
    # a kind of product (ของกิน, handmade) is a constraint only in a buying question: elsewhere
    # "อาหาร" or "ผ้าทอ" is what the question is about
    taken = [(p.start, p.end) for p in prices] + [(p.start, p.end) for p in places]
    kinds = [
        kind
        for kind in (find_kinds(text, *word_edges(text)) if product_intent else [])
        if not any(kind.start < end and start < kind.end for start, end in taken)
    ]
    categories = list(dict.fromkeys(kind.category for kind in kinds))
    kind = kinds[0] if len(categories) == 1 else None
    spans = sorted(taken + ([(kind.start, kind.end)] if kind else []))
    price_min, price_max = _combine(prices)
    provinces = list(dict.fromkeys(place.name for place in places if place.kind == "province"))
    regions = [place.name for place in places if place.kind == "region"]
    return Understood(
        price_min=price_min,
        price_max=price_max,
        province=provinces[0] if len(provinces) == 1 else None,
        region=regions[0] if regions else None,
        places=[_in_original(aligned, place) for place in places],
        category=kind.category if kind else None,
        kind=query[slice(*aligned.original_span(kind.start, kind.end))] if kind else None,
        product_intent=product_intent,
        remainder=_remainder(text, spans),
        phrases=[query[slice(*aligned.original_span(start, end))] for start, end in spans],
    )


def find_prices(text: str) -> list[PriceMention]:
    """Price constraints in normalised ``text``, in order of appearance.

    >>> [(p.minimum, p.maximum) for p in find_prices("ผ้าทอ ระหว่าง 500 ถึง 1,500 บาท")]
    [(500.0, 1500.0)]
    >>> find_prices("ปลาร้าหมัก 3 เดือน อายุ 80 ปี ปี 2566")
    []
    """
    starts, ends = word_edges(text)
    found: list[PriceMention] = []
    for pattern, reading in _COMPILED:
        for match in pattern.finditer(text):
            if any(match.start() < other.end and other.start < match.end() for other in found):
                continue
            if not _has_currency(match) and _UNIT_AFTER.match(text, match.end()):
                continue  # "ไม่เกิน 3 เดือน", "2 ผืน": a duration or a count
            mention = _READINGS[reading](match)
            if mention and _spelled_on_word_edges(match, starts, ends):
                found.append(mention)
    return sorted(found, key=lambda mention: mention.start)


def parse_amount(text: str) -> float | None:
    """The value of an amount as typed: digits, separators, magnitude words or Thai words.

    >>> [parse_amount(t) for t in ("5,000", "5k", "1.5 พัน", "สองพันห้าร้อย", "พันห้า", "หนึ่งหมื่นสองพัน")]
    [5000.0, 5000.0, 1500.0, 2500.0, 1500.0, 12000.0]
    """
    text = text.strip().lower()
    digits = re.match(rf"({_DIGITS})\s*(\D*)$", text)
    if digits:
        value = float(digits.group(1).replace(",", ""))
        magnitude = digits.group(2).strip()
        return value * _MAGNITUDES[magnitude] if magnitude else value
    return thai_number(text)


@lru_cache(maxsize=1024)
def thai_number(text: str) -> float | None:
    """A number spelled in Thai words, as people say prices; ``None`` if it is not one.

    >>> thai_number("สามร้อยห้าสิบ"), thai_number("สองหมื่นห้า"), thai_number("พันนึง"), thai_number("ผ้า")
    (350.0, 25000.0, 1000.0, None)
    """
    from pythainlp.util import thaiword_to_num

    text = re.sub(r"(ร้อย|พัน|หมื่น|แสน|ล้าน)นึง$", r"\1", text)
    spoken = re.fullmatch(r"(.*(ร้อย|พัน|หมื่น|แสน|ล้าน))(หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า)", text)
    try:
        if spoken and spoken.group(2) != "ร้อย":  # พันห้า = 1,500, but ร้อยห้า stays 105
            head, place = thaiword_to_num(spoken.group(1)), _MAGNITUDES[spoken.group(2)]
            return float(head + thaiword_to_num(spoken.group(3)) * place // 10)
        return float(thaiword_to_num(text))
    except ValueError:
        return None


def has_buying_words(text: str) -> bool:
    """Whether normalised ``text`` asks to buy, order or price something.

    >>> has_buying_words("น้ำผึ้งป่าราคาเท่าไหร่"), has_buying_words("ใส่ข้าวเหนียวเท่าไหร่")
    (True, False)
    """
    lowered = text.lower()
    return bool(BUYING_WORDS.intersection(words(text))) or any(
        phrase in lowered for phrase in _BUYING_PHRASES
    )


def _around(value: float) -> tuple[float, float]:
    return round(value * (1 - AROUND), 2), round(value * (1 + AROUND), 2)


def _value(match: re.Match[str], name: str) -> float | None:
    return parse_amount(match.group(name)) if match.group(name) else None


def _has_currency(match: re.Match[str]) -> bool:
    return bool(re.search(_CURRENCY, match.group(0), re.IGNORECASE))


def _looks_like_year(value: float | None) -> bool:
    return value is not None and value == int(value) and (1900 <= value <= 2100 or 2400 <= value <= 2700)


def _read_range(match: re.Match[str]) -> PriceMention | None:
    low, high = _value(match, "a"), _value(match, "b")
    cue = (match.group("cue") or "").strip().lower()
    if low is None or high is None or not (cue or _has_currency(match)):
        return None
    if not _has_currency(match) and cue != "ราคา" and _looks_like_year(low) and _looks_like_year(high):
        return None
    return PriceMention(match.start(), match.end(), min(low, high), max(low, high))


def _read_at_most(match: re.Match[str]) -> PriceMention | None:
    value = _value(match, "a")
    return None if value is None else PriceMention(match.start(), match.end(), None, value)


def _read_at_least(match: re.Match[str]) -> PriceMention | None:
    value = _value(match, "a")
    cue = match.group("cue").lower()
    if value is None or (
        any(word in cue for word in _YEAR_CUES) and not _has_currency(match) and _looks_like_year(value)
    ):
        return None
    return PriceMention(match.start(), match.end(), value, None)


def _read_about(match: re.Match[str]) -> PriceMention | None:
    value = _value(match, "a") if match.group("a") else _value(match, "b")
    return None if value is None else PriceMention(match.start(), match.end(), *_around(value))


def _read_and_some(match: re.Match[str]) -> PriceMention | None:
    """ "พันกว่าบาท" (a thousand and some): from 1,000 up to the next step of its last place, 2,000;
    "ห้าร้อยกว่า" 500 to 600, "2,500 กว่าบาท" 2,500 to 2,600."""
    value = _value(match, "a")
    if value is None or not (match.group("cue") or _has_currency(match)):
        return None  # "พันกว่าปี" is an age
    step = 1
    while value >= step * 10 and value % (step * 10) == 0:
        step *= 10
    return PriceMention(match.start(), match.end(), value, value + step)


def _read_open(match: re.Match[str]) -> PriceMention | None:
    value = _value(match, "a")
    if value is None or not (match.group("cue") or _has_currency(match)):
        return None  # "อายุ 60 ขึ้นไป" is an age
    direction = match.group("dir").lower()
    upward = direction == "ขึ้นไป" or direction == "+" or "more" in direction or "up" in direction
    return PriceMention(match.start(), match.end(), value if upward else None, None if upward else value)


_READINGS: dict[str, Callable[[re.Match[str]], PriceMention | None]] = {
    "range": _read_range,
    "at_most": _read_at_most,
    "at_least": _read_at_least,
    "about": _read_about,
    "and_some": _read_and_some,
    "open": _read_open,
}


def _spelled_on_word_edges(match: re.Match[str], starts: frozenset[int], ends: frozenset[int]) -> bool:
    # "สาม" in "สามี" or "ห้า" in "ห้าม" is no number: spelled amounts must be whole words
    for name, value in match.groupdict().items():
        if value and name in ("a", "b") and re.fullmatch(_SPELLED, value):
            if match.start(name) not in starts or match.end(name) not in ends:
                return False
    return True


def _combine(prices: list[PriceMention]) -> tuple[float | None, float | None]:
    minimums = [p.minimum for p in prices if p.minimum is not None]
    maximums = [p.maximum for p in prices if p.maximum is not None]
    low, high = (max(minimums) if minimums else None), (min(maximums) if maximums else None)
    if low is not None and high is not None and low > high:  # "over 500 under 300": take it as a range
        low, high = high, low
    return low, high


def _overlaps(place: Place, price: PriceMention) -> bool:
    return place.start < price.end and price.start < place.end


def _in_original(aligned: AlignedText, place: Place) -> Place:
    start, end = aligned.original_span(place.start, place.end)
    return dataclasses.replace(place, text=aligned.original[start:end], start=start, end=end)


def _remainder(text: str, spans: list[tuple[int, int]]) -> str:
    starts, _ = word_edges(text)
    pieces, position = [], 0
    for start, end in spans:
        before = text[position:start]
        pieces.append(_drop_dangling_connector(before, position, starts))
        position = max(position, end)
    pieces.append(text[position:])
    return _SPACES.sub(" ", " ".join(pieces)).strip(" ,;:/-–")


def _drop_dangling_connector(piece: str, offset: int, word_starts: frozenset[int]) -> str:
    stripped = piece.rstrip()
    for connector in _CONNECTORS:
        start = len(stripped) - len(connector)
        if start >= 0 and stripped[start:].lower() == connector and offset + start in word_starts:
            if connector.isascii() and start > 0 and stripped[start - 1].isalnum():
                continue  # "cotton" does not end with the word "on"
            return stripped[:start]
    return piece
