from __future__ import annotations

from fastapi import APIRouter

from query.models import HealthResponse
from search_api.deps import ArchiveDep
from search_api.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api", tags=["health"], responses=ERROR_RESPONSES)


@router.get("/health", summary="Store reachable, model loaded, counts")
async def health(archive: ArchiveDep) -> HealthResponse:
    # on the event loop, not in the worker threads busy with searches and uploads: two store
    # counts take well under a millisecond, so a monitor gets its answer under any load
    return archive.health()
