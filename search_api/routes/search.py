from __future__ import annotations

from fastapi import APIRouter

from search_api.deps import ArchiveDep, CallerDep
from search_api.errors import PanyaError
from search_api.service import Limit, Mode, Offset, QueryText, SourceType, clean_query, find

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", summary="Search the archive (hybrid Thai search, grouped per source)")
def search(
    archive: ArchiveDep,
    caller: CallerDep,
    q: QueryText,
    limit: Limit = 10,
    offset: Offset = 0,
    type: SourceType | None = None,
    province: str | None = None,
    category: str | None = None,
    mode: Mode = "hybrid",
) -> dict:
    query = clean_query(q)
    if not query:
        raise PanyaError(422, "invalid_query", "the query is empty", "กรุณาพิมพ์คำค้น")
    page = find(
        archive,
        caller,
        query,
        type=type,
        province=province,
        category=category,
        limit=limit,
        offset=offset,
        mode=mode,
    )
    return page.as_json() | {"limit": limit, "offset": offset}


@router.get("/facets", summary="Sources per type, province and category, for the query (or for everything)")
def facets(
    archive: ArchiveDep,
    caller: CallerDep,
    q: str = "",
    type: SourceType | None = None,
    province: str | None = None,
    category: str | None = None,
) -> dict:
    page = find(archive, caller, clean_query(q), type=type, province=province, category=category, limit=1)
    return {"query": page.query, "total": page.total, "facets": archive.facets(page)}
