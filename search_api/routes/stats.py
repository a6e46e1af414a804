"""The archive as a whole, for planners: ``/api/stats`` (JSON) and ``/stats`` (the same figures as
charts and a tile-grid map of the provinces, drawn on the server: no script, no CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from query.stats import MAP_LEVELS, StatsResponse, archive_stats
from search_api.deps import ArchiveDep, CallerDep
from search_api.errors import ERROR_RESPONSES
from search_api.routes.links import sees_restricted
from search_api.routes.pages import labels, templates

router = APIRouter(tags=["stats"], responses=ERROR_RESPONSES)


@router.get(
    "/api/stats",
    summary="Sources by region, province, category and type; growth; where to collect next; product prices",
)
async def stats(archive: ArchiveDep, caller: CallerDep) -> StatsResponse:
    """Public sources only, unless the key grants restricted ones (``restricted_included`` says which)."""
    return await run_in_threadpool(archive_stats, archive.store, caller.sees_restricted)


@router.get("/stats", response_class=HTMLResponse, include_in_schema=False)
async def stats_page(request: Request, archive: ArchiveDep, caller: CallerDep):
    include = sees_restricted(request, archive, caller)
    figures = await run_in_threadpool(archive_stats, archive.store, include)
    grid = figures.provinces
    context = {
        "q": "",
        "stats": figures,
        "labels": labels(),
        "levels": range(MAP_LEVELS + 1),
        "grid_rows": max(p.row for p in grid) + 1,
        "grid_cols": max(p.col for p in grid) + 1,
        "top_province": max((p.sources for p in grid), default=0),
        "by_region": {region: [p for p in grid if p.region == region] for region in figures.by_region},
    }
    return templates.TemplateResponse(request, "stats.html", context)
