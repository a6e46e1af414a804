"""The pages that promote the village: the product catalogue, a sage's page, a province's and a
village's page. Each links to the others; the source page links back to them (``links``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from query.catalogue import (
    CatalogueQuery,
    most_common,
    people,
    person_sources,
    place_sources,
    products,
    sort_products,
)
from query.categories import load_categories
from query.filters import all_of, equals, search_filters
from query.places import load_gazetteer
from query.request import MAX_LIMIT, SearchRequest
from search_api.deps import ArchiveDep, CallerDep
from search_api.errors import PanyaError
from search_api.routes.links import products_url, sees_restricted
from search_api.routes.pages import labels, templates

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 24
#: Price ranges offered as one-tap filters (baht): (label, low, high).
PRICE_RANGES = (("ไม่เกิน 100 บาท", None, 100), ("100–500 บาท", 100, 500), ("500–2,000 บาท", 500, 2000),
                ("2,000 บาทขึ้นไป", 2000, None))  # fmt: skip
SORTS = {"title": "ชื่อ ก–ฮ", "price_asc": "ราคาต่ำ→สูง", "price_desc": "ราคาสูง→ต่ำ"}


@router.get("/products", response_class=HTMLResponse)
def products_page(
    request: Request,
    archive: ArchiveDep,
    caller: CallerDep,
    catalogue: Annotated[CatalogueQuery, Query()],
    q: Annotated[str, Query(max_length=500)] = "",
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
):
    include = sees_restricted(request, archive, caller)
    query = q.strip()
    if query:  # words: the search ranks, the catalogue narrows and sorts
        search = SearchRequest(
            q=query, type="product", province=catalogue.province, price_min=catalogue.price_min,
            price_max=catalogue.price_max, limit=MAX_LIMIT,
        )  # fmt: skip
        found = archive.search(search, include_restricted=include, answers=False).ranked
        wanted = set(load_categories().expand(catalogue.category)) if catalogue.category else None
        found = [r for r in found if wanted is None or r.meta.get("category") in wanted]
        results = sort_products(found, catalogue.sort)
    else:
        results = products(archive.store, catalogue, include)
    everything = all_of(
        search_filters(include_restricted=include), equals("chunk_index", 0), equals("type", "product")
    )
    chosen = {key: _plain(value) for key, value in catalogue.model_dump(exclude_none=True).items()}
    chosen |= {"q": query} if query else {}
    if chosen.get("sort") == "title":
        chosen.pop("sort")

    def link(**changes) -> str:
        return products_url(**(chosen | changes))

    context = {
        "q": "",
        "query": query,
        "results": results[offset : offset + PAGE_SIZE],
        "total": len(results),
        "offset": offset,
        "page_size": PAGE_SIZE,
        "catalogue": catalogue,
        "chosen": chosen,
        "link": link,
        "categories": archive.store.facet("meta.category", everything, 100),
        "provinces": archive.store.facet("meta.province", everything, 100),
        "price_ranges": PRICE_RANGES,
        "sorts": SORTS,
        "vocabulary": load_categories(),
        "labels": labels(),
    }
    return templates.TemplateResponse(request, "products.html", context)


@router.get("/sages/{name}", response_class=HTMLResponse)
def sage_page(request: Request, archive: ArchiveDep, caller: CallerDep, name: str):
    name = name.strip()
    include = sees_restricted(request, archive, caller)
    sources = person_sources(archive.store, name, include)
    if not sources:
        raise PanyaError(
            404, "sage_not_found", f"no sources by or about {name!r}", "ไม่พบปราชญ์หรือผู้ผลิตชื่อนี้ในคลัง"
        )
    vocabulary = load_categories()
    fields = most_common(sources, "category")
    places = _places(sources)
    home = next((p for p in places if p["village"]), None)
    own = {r.source_id for r in sources}
    neighbours = [
        r for r in place_sources(archive.store, home["province"], home["village"], include) if r.type == "product"
    ] if home else []  # fmt: skip
    context = {
        "q": "",
        "name": name,
        "sources": [r for r in sources if r.type != "product"],
        "products": [r for r in sources if r.type == "product"],
        "roles": _roles(sources, name),
        "knowledge": list(dict.fromkeys(vocabulary.archive_category(c) or c for c in fields)),
        "places": places,
        "home": home,
        "village_products": [r for r in neighbours if r.source_id not in own],
        "labels": labels(),
        "vocabulary": vocabulary,
    }
    return templates.TemplateResponse(request, "sage.html", context)


def _plain(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _roles(sources, name: str) -> list[str]:
    roles = {"sage": "ปราชญ์ชาวบ้าน", "interviewee": "ผู้ให้สัมภาษณ์", "author": "ผู้เขียน/ผู้บันทึก",
             "producer": "ผู้ผลิตสินค้าชุมชน"}  # fmt: skip
    found = {field for r in sources for field in roles if r.meta.get(field) == name}
    if "sage" in found:
        found.discard("interviewee")
    return [label for field, label in roles.items() if field in found]


def _places(sources) -> list[dict]:
    """Where a person's sources come from: (province, district, village), most common first."""
    seen: dict[tuple, int] = {}
    for r in sources:
        if r.meta.get("province"):
            key = (r.meta["province"], r.meta.get("district"), r.meta.get("village"))
            seen[key] = seen.get(key, 0) + 1
    ordered = sorted(seen, key=lambda key: -seen[key])
    return [{"province": p, "district": d, "village": v} for p, d, v in ordered]


@router.get("/places/{province}", response_class=HTMLResponse)
def province_page(request: Request, archive: ArchiveDep, caller: CallerDep, province: str):
    place = load_gazetteer().by_name(province.strip())
    if place is None or place.kind != "province":
        raise PanyaError(404, "place_not_found", f"no province {province!r}", "ไม่พบจังหวัดนี้")
    sources = place_sources(archive.store, place.name, None, sees_restricted(request, archive, caller))
    return _place_page(request, sources, place.name, None, place.region)


@router.get("/places/{province}/{village}", response_class=HTMLResponse)
def village_page(request: Request, archive: ArchiveDep, caller: CallerDep, province: str, village: str):
    place = load_gazetteer().by_name(province.strip())
    include = sees_restricted(request, archive, caller)
    sources = place_sources(archive.store, province.strip(), village.strip(), include) if place else []
    if place is None or not sources:
        raise PanyaError(404, "place_not_found", f"no village {village!r} in {province!r}", "ไม่พบหมู่บ้านนี้ในคลัง")
    return _place_page(request, sources, place.name, village.strip(), place.region)


def _place_page(request: Request, sources, province: str, village: str | None, region: str) -> HTMLResponse:
    knowledge = [r for r in sources if r.type != "product"]
    villages: dict[str, int] = {}
    for r in sources:
        if r.meta.get("village"):
            villages[r.meta["village"]] = villages.get(r.meta["village"], 0) + 1
    context = {
        "q": "",
        "province": province,
        "village": village,
        "region": region,
        "district": next(iter(most_common(sources, "district")), None) if village else None,
        "knowledge": knowledge,
        "products": [r for r in sources if r.type == "product"],
        "sages": people(knowledge),
        "producers": most_common([r for r in sources if r.type == "product"], "producer"),
        "villages": dict(sorted(villages.items(), key=lambda kv: (-kv[1], kv[0]))) if not village else {},
        "labels": labels(),
        "vocabulary": load_categories(),
    }
    return templates.TemplateResponse(request, "place.html", context)
