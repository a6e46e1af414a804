from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from query.models import FacetsResponse, SearchResponse
from query.request import MAX_QUERY_CHARS, SearchRequest
from query.vocabulary import SuggestResponse
from search_api.deps import ArchiveDep, CallerDep
from search_api.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api", tags=["search"], responses=ERROR_RESPONSES)


class SearchQuery(SearchRequest):
    """A search through the API needs words; browsing without them is ``/api/facets`` and the UI."""

    q: str = Field(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        pattern=r"\S",
        description="คำค้น / the query, in everyday Thai or English",
        examples=["ปลาแดกเฮ็ดจั่งใด๋"],
    )


@router.get("/search", summary="Search the archive (hybrid Thai search, grouped per source)")
def search(
    archive: ArchiveDep, caller: CallerDep, request: Annotated[SearchQuery, Query()]
) -> SearchResponse:
    return archive.search(request, include_restricted=caller.sees_restricted)


@router.get("/facets", summary="Sources per type, province and category, for the query (or for everything)")
def facets(
    archive: ArchiveDep, caller: CallerDep, request: Annotated[SearchRequest, Query()]
) -> FacetsResponse:
    return archive.facets(request, include_restricted=caller.sees_restricted)


@router.get("/suggest", summary="Autocomplete: titles, sages, places, products and categories (public only)")
def suggest(
    archive: ArchiveDep,
    q: Annotated[
        str, Query(max_length=100, description="what has been typed so far", examples=["ผ้าไหม"])
    ] = "",
    limit: Annotated[int, Query(ge=1, le=20)] = 8,
) -> SuggestResponse:
    return archive.suggest(q, limit)
