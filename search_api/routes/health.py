from __future__ import annotations

from fastapi import APIRouter

from panya import __version__
from search_api.deps import ArchiveDep

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", summary="Store reachable, model loaded, counts")
def health(archive: ArchiveDep) -> dict:
    stats = archive.stats()
    backend = "qdrant-server" if archive.settings.qdrant_url else "qdrant-edge"
    return {
        "status": "ok",
        "version": __version__,
        "store": {"backend": backend, "reachable": True, **stats},
        "model": {
            "name": archive.info.model,
            "dimension": archive.info.dimension,
            "loaded": True,
            "sparse": archive.info.sparse,
        },
    }
