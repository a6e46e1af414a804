"""The FastAPI app: the JSON API under /api, the web UI (ui/) at /, OpenAPI docs at /docs
(Swagger UI served from the ``fastapi-offline`` package: no CDN, so it works on a centre laptop)."""

from __future__ import annotations

import gc
import logging
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from panya import __version__
from panya.settings import Settings, apply_offline_environment, get_settings
from search_api.errors import install_error_handlers
from search_api.limits import BodySizeLimit
from search_api.routes import (
    catalogue,
    export,
    health,
    oai,
    pages,
    records,
    search,
    sources,
    staff,
    stats,
    sync,
)

logger = logging.getLogger(__name__)
UI_DIR = Path(__file__).resolve().parent.parent / "ui"
WORKER_THREADS_PER_CORE = 2


#: How often the warmer looks at the store's count of writes; it warms after one look with no change.
WARM_AFTER_SECONDS = 0.5


def warm_after_writes(archive, stop: threading.Event, every: float = WARM_AFTER_SECONDS) -> None:
    """Once writes pause, rebuild what a write made stale (``Archive.warm_reads``: the names, the
    recordings, the archive-wide counts), so the first search after an upload does not wait for
    it (~1.5 s at 100k chunks). Both stores count a write as it begins and as it ends: an even
    count unchanged since the last look means no write is under way."""
    warmed = settled = archive.store.writes
    while not stop.wait(every):
        writes = archive.store.writes
        if writes != settled:  # a write began or ended since the last look: wait for a pause
            settled = writes
            continue
        if writes != warmed and writes % 2 == 0:
            try:
                archive.warm_reads()
            except Exception:  # a store gone away, say: the next reader rebuilds, as before
                logger.exception("warming the archive's caches after a write failed")
            warmed = writes


def warm_up(archive) -> None:
    """Everything the first requests would otherwise wait for, loaded before the server says it is
    ready: the tokenizer dictionaries and the model (a first search, and one in English for the
    romanization of sources' names), the archive's names, counts and recordings, and the
    document converters' libraries (~2 s of imports that the first upload would make while
    holding the GIL, stalling every search meanwhile).

    Then what is loaded is moved out of the garbage collector's sight (``gc.freeze``): the
    dictionaries, the spelling lexicon and the model's tables are ~750,000 objects that live as
    long as the process, and each full collection walked them all, stopping a search for ~0.3 s
    (measured at 100k chunks; ~0.05 s after the freeze)."""
    from ingest.source_converter import SourceConverter

    archive.search("ภูมิปัญญา", limit=1)
    archive.search("local wisdom", limit=1)
    archive.warm_reads()
    SourceConverter().warm_up()
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, archive=None) -> FastAPI:
    """``archive`` lets tests share one open archive; by default the app opens its own and owns it."""
    apply_offline_environment()
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from panya.archive import Archive
        from panya.ingestion import clear_stale_uploads

        clear_stale_uploads(settings)  # folders of uploads a crash interrupted
        # sync routes run on worker threads that share one GIL: forty of them at once (AnyIO's
        # default) gain nothing on a few cores and keep the event loop (health checks, reading
        # requests) waiting for it; the rest wait their turn on the loop, holding nothing
        to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS_PER_CORE * settings.threads
        owned = archive is None
        app.state.archive = Archive(settings) if owned else archive
        warm_up(app.state.archive)
        stop = threading.Event()
        warmer = threading.Thread(
            target=warm_after_writes, args=(app.state.archive, stop), name="panya-warmer", daemon=True
        )
        warmer.start()
        try:
            yield
        finally:
            stop.set()
            warmer.join(timeout=30)
            gc.unfreeze()  # (what this app loaded may go when it goes: tests open many)
            if owned:
                app.state.archive.close()

    app = FastAPIOffline(
        title="Panya (ปัญญา) API",
        version=__version__,
        description="Semantic search over Thai community knowledge: local wisdom, oral histories, village products.",
        lifespan=lifespan,
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(search.router)
    app.include_router(sources.router)
    app.include_router(sync.router)
    app.include_router(health.router)
    app.include_router(pages.router)
    app.include_router(export.router)
    app.include_router(oai.router)
    app.include_router(records.router)
    app.include_router(staff.router)
    app.include_router(stats.router)
    app.include_router(catalogue.router)
    app.mount("/static", StaticFiles(directory=UI_DIR / "static"), name="static")
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_mb * 1024 * 1024)
    return app
