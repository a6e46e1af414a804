"""The archive as a whole, for planners: what has been collected, where, and where to collect next.

Counts are of sources (one first chunk each), through the store's facet and count methods; the
dates and prices are read from the first chunks. The access rule applies to every figure.

>>> month_label("2024-03"), month_label("2023")
('มี.ค. 2567', '2566')
"""

from __future__ import annotations

import csv
import math
import statistics
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from index.stores.protocol import PanyaStore
from query.categories import load_categories
from query.filters import all_of, equals, search_filters
from query.places import REGIONS, load_gazetteer

DEFAULT_GRID = Path(__file__).parent / "data" / "province_grid.csv"
FACET_LIMIT = 500  # more than the 77 provinces, and than any catalogue's categories
UNKNOWN = "ไม่ระบุ"
MAP_LEVELS = 4  # shades of a province with content (0 is "nothing yet")
THAI_MONTHS = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


class ProvinceCount(BaseModel):
    province: str
    english: str
    region: str
    abbr: str = Field(description="the province's Thai abbreviation, for the tile map")
    row: int = Field(description="tile-grid map row (north at 0)")
    col: int = Field(description="tile-grid map column (west at 0)")
    sources: int
    products: int
    level: int = Field(description=f"map shade, 0 (nothing collected) to {MAP_LEVELS}")


class CategoryCount(BaseModel):
    category: str = Field(description="the archive category")
    label: str
    sources: int = Field(description="documents and oral histories")
    products: int = Field(description="products of the product categories mapped to it")
    product_categories: list[str]


class GrowthPoint(BaseModel):
    period: str = Field(description="YYYY-MM (or YYYY when some dates have no month), C.E.")
    label: str = Field(description="the period in Thai, B.E.")
    added: int
    total: int = Field(description="sources up to and including this period")


class PriceRange(BaseModel):
    category: str = Field(description="the product category")
    archive_category: str | None
    products: int
    min: float
    median: float
    max: float


class StatsResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "sources": 86,
                    "restricted_included": False,
                    "by_type": {"document": 29, "oral_history": 6, "product": 37},
                    "by_region": {"อีสาน": 25, "เหนือ": 20, "กลาง": 21, "ใต้": 19},
                    "by_category": {"food": 10, "crafts": 7},
                    "categories": [
                        {"category": "crafts", "label": "หัตถกรรม", "sources": 7, "products": 13,
                         "product_categories": ["handicraft", "textiles"]}
                    ],
                    "provinces": [
                        {"province": "อุบลราชธานี", "english": "Ubon Ratchathani", "region": "อีสาน", "abbr": "อบ",
                         "row": 5, "col": 8, "sources": 4, "products": 2, "level": 4}
                    ],
                    "other_places": {},
                    "covered_provinces": 38,
                    "collect_next": ["กาฬสินธุ์", "บึงกาฬ"],
                    "growth_basis": {"added_at": 0, "date": 35, "none": 37},
                    "growth": [{"period": "2026-11", "label": "พ.ย. 2569", "added": 72, "total": 72}],
                    "recorded": [{"period": "2023", "label": "2566", "added": 14, "total": 20}],
                    "products_by_province": {"นครศรีธรรมราช": 4},
                    "prices": [{"category": "food", "archive_category": "food-preservation", "products": 11,
                                "min": 60, "median": 120, "max": 380}],
                }
            ]
        }
    )  # fmt: skip

    sources: int
    restricted_included: bool = Field(
        description="whether restricted sources are counted (a key that grants them)"
    )
    by_type: dict[str, int]
    by_region: dict[str, int] = Field(
        description="from each source's province (its region field when it has none)"
    )
    by_category: dict[str, int] = Field(description="sources per stored category value")
    categories: list[CategoryCount] = Field(
        description="per archive category, products included by the vocabulary"
    )
    provinces: list[ProvinceCount] = Field(description="all 77 provinces, north to south")
    other_places: dict[str, int] = Field(description="province values the gazetteer does not know")
    covered_provinces: int
    collect_next: list[str] = Field(description="provinces with nothing collected yet: where to collect next")
    growth_basis: dict[str, int] = Field(
        description="sources dated by when they were added (added_at), by their own date (fallback), or undated"
    )
    growth: list[GrowthPoint]
    recorded: list[GrowthPoint] = Field(
        description="sources by their own date (when the knowledge was recorded)"
    )
    products_by_province: dict[str, int]
    prices: list[PriceRange]


@dataclass(frozen=True)
class GridCell:
    abbr: str
    row: int
    col: int


@lru_cache(maxsize=2)
def load_grid(path: Path = DEFAULT_GRID) -> dict[str, GridCell]:
    """The tile-grid map: each province a square at a fixed cell that roughly follows geography."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return {
            row["province"]: GridCell(row["abbr"], int(row["row"]), int(row["col"]))
            for row in csv.DictReader(handle)
        }


#: What the counts below read of each source's first chunk.
STATS_FIELDS = ["type", "category", "province", "region", "date", "added_at", "price"]


def archive_stats(store: PanyaStore, include_restricted: bool = False) -> StatsResponse:
    firsts = all_of(search_filters(include_restricted=include_restricted), equals("chunk_index", 0))
    products_only = all_of(firsts, equals("type", "product"))

    def facet(field: str, filters=firsts) -> dict[str, int]:
        return {str(k): v for k, v in store.facet(f"meta.{field}", filters, FACET_LIMIT).items()}

    total = store.count_documents_by_filter(firsts or {})
    by_province = facet("province")
    products_by_province = facet("province", products_only)
    by_category = facet("category")
    # dates and prices are not payload indexes: read those fields of each source, never its text
    metas = store.meta_of(firsts or {}, STATS_FIELDS)
    provinces, others = _provinces(by_province, products_by_province)
    return StatsResponse(
        sources=total,
        restricted_included=include_restricted,
        by_type=_sorted(facet("type")),
        by_region=_regions(metas),
        by_category=_sorted(by_category),
        categories=_categories(metas),
        provinces=provinces,
        other_places=_sorted(others),
        covered_provinces=sum(1 for p in provinces if p.sources),
        collect_next=[p.province for p in provinces if not p.sources],
        growth_basis=_growth_basis(metas),
        growth=growth(metas),
        recorded=growth([{"date": meta.get("date")} for meta in metas]),
        products_by_province=_sorted(products_by_province),
        prices=price_ranges(metas),
    )


def _sorted(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _provinces(by_province: dict[str, int], products: dict[str, int]) -> tuple[list[ProvinceCount], dict]:
    grid = load_grid()
    known = [place for place in load_gazetteer().places if place.kind == "province"]
    top = max((by_province.get(place.name, 0) for place in known), default=0)
    rows = []
    for place in known:
        cell = grid[place.name]
        count = by_province.get(place.name, 0)
        rows.append(
            ProvinceCount(
                province=place.name,
                english=place.english,
                region=place.region,
                abbr=cell.abbr,
                row=cell.row,
                col=cell.col,
                sources=count,
                products=products.get(place.name, 0),
                level=shade(count, top),
            )
        )
    rows.sort(key=lambda p: (p.row, p.col))
    names = {place.name for place in known}
    return rows, {name: n for name, n in by_province.items() if name not in names}


def shade(count: int, top: int) -> int:
    """A province's shade on the map: 0 for nothing, else 1..MAP_LEVELS relative to the busiest.

    >>> [shade(n, 8) for n in (0, 1, 2, 5, 8)]
    [0, 1, 1, 3, 4]
    """
    if count <= 0 or top <= 0:
        return 0
    return max(1, min(MAP_LEVELS, math.ceil(MAP_LEVELS * count / top)))


def _regions(metas: list[dict[str, Any]]) -> dict[str, int]:
    gazetteer = load_gazetteer()
    counts: Counter[str] = Counter()
    for meta in metas:
        place = gazetteer.by_name(meta.get("province") or "")
        region = place.region if place else meta.get("region")
        counts[region if region in REGIONS else UNKNOWN] += 1
    return {region: counts[region] for region in (*REGIONS, UNKNOWN) if counts[region]}


def _categories(metas: list[dict[str, Any]]) -> list[CategoryCount]:
    vocabulary = load_categories()
    sources: Counter[str] = Counter()
    products: Counter[str] = Counter()
    for meta in metas:
        archive = vocabulary.archive_category(meta.get("category"))
        if archive:
            (products if meta.get("type") == "product" else sources)[archive] += 1
    return [
        CategoryCount(
            category=category.name,
            label=category.label_th,
            sources=sources[category.name],
            products=products[category.name],
            product_categories=list(category.product_categories),
        )
        for category in vocabulary.categories
    ]


def dated(meta: dict[str, Any]) -> tuple[str, str] | None:
    """(basis, ISO date): when the source was added, else its own date; ``None`` when neither.

    >>> dated({"added_at": "2026-11-25T08:00:00Z", "date": "2023-03-12"}), dated({"date": "2566"})
    (('added_at', '2026-11-25T08:00:00Z'), None)
    """
    for basis in ("added_at", "date"):
        value = meta.get(basis)
        if isinstance(value, str) and value[:4].isdigit() and 1800 < int(value[:4]) < 2400:
            return basis, value
    return None


def _growth_basis(metas: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter((dated(meta) or ("none", ""))[0] for meta in metas)
    return {basis: counts[basis] for basis in ("added_at", "date", "none")}


def growth(metas: list[dict[str, Any]]) -> list[GrowthPoint]:
    """Sources per month (per year when some dates have no month), with the running total.

    >>> [(p.period, p.added, p.total) for p in growth([{"date": "2023-03-12"}, {"date": "2023-03-30"},
    ...                                                {"added_at": "2024-01-02T10:00:00Z"}])]
    [('2023-03', 2, 2), ('2024-01', 1, 3)]
    """
    dates = [found[1] for meta in metas if (found := dated(meta))]
    monthly = all(len(value) >= 7 and value[4] == "-" and value[5:7].isdigit() for value in dates)
    counts = Counter(value[:7] if monthly else value[:4] for value in dates)
    points, total = [], 0
    for period in sorted(counts):
        total += counts[period]
        points.append(
            GrowthPoint(period=period, label=month_label(period), added=counts[period], total=total)
        )
    return points


def month_label(period: str) -> str:
    year = int(period[:4]) + 543
    if len(period) >= 7:
        return f"{THAI_MONTHS[int(period[5:7]) - 1]} {year}"
    return str(year)


def price_ranges(metas: list[dict[str, Any]]) -> list[PriceRange]:
    """Lowest, median and highest price per product category.

    >>> [(p.category, p.min, p.median, p.max) for p in price_ranges(
    ...     [{"type": "product", "category": "food", "price": p} for p in (60, 120, 380)])]
    [('food', 60.0, 120.0, 380.0)]
    """
    vocabulary = load_categories()
    prices: dict[str, list[float]] = {}
    for meta in metas:
        if meta.get("type") != "product":
            continue
        try:
            price = float(meta["price"])
        except (KeyError, TypeError, ValueError):
            continue
        prices.setdefault(meta.get("category") or UNKNOWN, []).append(price)
    return [
        PriceRange(
            category=category,
            archive_category=vocabulary.archive_category(category),
            products=len(values),
            min=min(values),
            median=statistics.median(values),
            max=max(values),
        )
        for category, values in sorted(prices.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
