"""The village-facing views of the archive: the product catalogue, a sage's sources, a place's
sources. Each reads first chunks (one per source) from the store, with the access rule applied.

>>> contact_links("081-234-5678")
{'tel': 'tel:0812345678', 'line': None}
>>> contact_links("LINE: @banthungho")["line"]
'https://line.me/R/ti/p/@banthungho'
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from index.stores.protocol import PanyaStore
from query.categories import load_categories
from query.filters import all_of, equals, search_filters
from query.grouping import to_result
from query.models import SearchResult

#: The metadata fields that name a person a source is by or about.
PERSON_FIELDS = ("sage", "interviewee", "author", "producer")
CatalogueSort = Literal["title", "price_asc", "price_desc"]

_LINE_ID = re.compile(r"(?:line(?:\s*id)?\s*[:：]?\s*)(@?[\w.\-]+)", re.IGNORECASE)
_LINE_URL = re.compile(r"https?://(?:line\.me|lin\.ee)/\S+", re.IGNORECASE)
_PHONE = re.compile(r"\+?\d[\d\s\-]{7,}\d")


class CatalogueQuery(BaseModel):
    """What the catalogue page narrows by (no words: words go through the search)."""

    category: str | None = Field(None, max_length=100, description="an archive or a product category")
    province: str | None = Field(None, max_length=100)
    price_min: float | None = Field(None, ge=0, le=1e9)
    price_max: float | None = Field(None, ge=0, le=1e9)
    sort: CatalogueSort = "title"

    @field_validator("category", "province", "price_min", "price_max", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        # an empty box in the filter form sends ``price_min=``: no bound, not an error
        if isinstance(value, str):
            value = value.strip()
        return None if value == "" else value

    @model_validator(mode="after")
    def _range_in_order(self) -> CatalogueQuery:
        if self.price_min is not None and self.price_max is not None and self.price_min > self.price_max:
            self.price_min, self.price_max = self.price_max, self.price_min
        return self


def first_chunks(store: PanyaStore, *conditions: dict[str, Any] | None, include_restricted: bool) -> list:
    """The first chunk of every source matching ``conditions``, by title."""
    filters = all_of(
        search_filters(include_restricted=include_restricted), equals("chunk_index", 0), *conditions
    )
    return sorted(store.filter_documents(filters), key=lambda d: (d.meta.get("title", ""), d.id))


def one_of(key: str, values: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {"field": f"meta.{key}", "operator": "in", "value": list(values)}


def products(store: PanyaStore, query: CatalogueQuery, include_restricted: bool) -> list[SearchResult]:
    """The catalogue: products narrowed by category (an archive category takes its product
    categories), province and price, sorted by price or name."""
    conditions = [equals("type", "product")]
    if query.category:
        conditions.append(one_of("category", load_categories().expand(query.category)))
    if query.province:
        conditions.append(equals("province", query.province))
    if query.price_min is not None:
        conditions.append({"field": "meta.price", "operator": ">=", "value": query.price_min})
    if query.price_max is not None:
        conditions.append({"field": "meta.price", "operator": "<=", "value": query.price_max})
    results = [
        to_result(chunk) for chunk in first_chunks(store, *conditions, include_restricted=include_restricted)
    ]
    return sort_products(results, query.sort)


def sort_products(results: list[SearchResult], sort: str) -> list[SearchResult]:
    """Cheapest or dearest first (products without a price last), or kept in the order given."""
    if sort not in ("price_asc", "price_desc"):
        return results
    priced = [r for r in results if _price(r) is not None]
    unpriced = [r for r in results if _price(r) is None]
    priced.sort(key=lambda r: _price(r) or 0.0, reverse=sort == "price_desc")
    return priced + unpriced


def _price(result: SearchResult) -> float | None:
    try:
        return float(result.meta["price"])
    except (KeyError, TypeError, ValueError):
        return None


def person_sources(store: PanyaStore, name: str, include_restricted: bool) -> list[SearchResult]:
    """Every source by or about a person: as sage, interviewee, author or a product's producer."""
    about = {"operator": "OR", "conditions": [equals(field, name) for field in PERSON_FIELDS]}
    return [to_result(chunk) for chunk in first_chunks(store, about, include_restricted=include_restricted)]


def place_sources(
    store: PanyaStore, province: str, village: str | None, include_restricted: bool
) -> list[SearchResult]:
    conditions = [equals("province", province), equals("village", village) if village else None]
    return [
        to_result(chunk) for chunk in first_chunks(store, *conditions, include_restricted=include_restricted)
    ]


def other_products(store: PanyaStore, meta: dict[str, Any], source_id: str, include_restricted: bool) -> list:
    """The same producer's other products."""
    if not meta.get("producer"):
        return []
    chunks = first_chunks(
        store,
        equals("type", "product"),
        equals("producer", meta["producer"]),
        include_restricted=include_restricted,
    )
    return [result for result in map(to_result, chunks) if result.source_id != source_id]


def people(results: list[SearchResult], fields: tuple[str, ...] = ("sage", "interviewee")) -> list[str]:
    """The people named in ``fields`` of the results, most often named first."""
    counts = Counter(r.meta[field] for r in results for field in fields if isinstance(r.meta.get(field), str))
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def most_common(results: list[SearchResult], field: str) -> list[str]:
    counts = Counter(r.meta[field] for r in results if isinstance(r.meta.get(field), str) and r.meta[field])
    return [value for value, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def contact_links(contact: str | None) -> dict[str, str | None]:
    """A product's contact as links a phone can follow: ``tel:`` for a number, LINE for a LINE id."""
    text = contact or ""
    phone = _PHONE.search(text)
    url = _LINE_URL.search(text)
    line_id = _LINE_ID.search(text)
    line = url.group(0) if url else None
    if line is None and line_id:
        line = "https://line.me/R/ti/p/" + line_id.group(1)
    tel = "tel:" + re.sub(r"[^\d+]", "", phone.group(0)) if phone else None
    return {"tel": tel, "line": line}
