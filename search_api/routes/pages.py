"""The web UI's pages: server-rendered (works without JavaScript), from the same service as the API."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

from ingest.discovery import MEDIA_SUFFIXES
from search_api.deps import ArchiveDep, Caller
from search_api.errors import PanyaError
from search_api.results import clock
from search_api.service import MAX_QUERY_CHARS, audio_url, find, source_view

UI_DIR = Path(__file__).resolve().parent.parent.parent / "ui"
PAGE_SIZE = 10
PUBLIC = Caller()  # the web UI shows public sources only

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def labels() -> dict:
    return json.loads((UI_DIR / "labels.json").read_text(encoding="utf-8"))


def baht(price) -> str:
    if price is None:
        return ""
    return f"{price:,.0f} บาท" if float(price).is_integer() else f"{price:,.2f} บาท"


def label(value: str | None, group: str) -> str:
    return labels().get(group, {}).get(value or "", value or "")


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=UI_DIR / "templates")
    templates.env.filters.update(clock=clock, baht=baht, label=label)
    return templates


templates = _templates()


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    archive: ArchiveDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
    type: str | None = None,
    province: str | None = None,
    category: str | None = None,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
    partial: bool = False,
):
    query = q.strip()
    filters = {"type": type or None, "province": province or None, "category": category or None}
    page = find(archive, PUBLIC, query, limit=PAGE_SIZE, offset=offset, **filters)
    active = {key: value for key, value in filters.items() if value}

    def link(**changes) -> str:
        params = {"q": query, **active, **changes}
        return "/?" + urlencode({k: v for k, v in params.items() if v not in (None, "", 0)})

    context = {
        "q": query,
        "page": page,
        "facets": archive.facets(page),
        "active": active,
        "link": link,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "labels": labels(),
    }
    template = "_results.html" if partial else "search.html"
    return templates.TemplateResponse(request, template, context)


@router.get("/sources/{source_id:path}", response_class=HTMLResponse)
def source_page(request: Request, archive: ArchiveDep, source_id: str, chunk: int | None = None, q: str = ""):
    try:
        view = source_view(archive, PUBLIC, source_id)
    except PanyaError:
        return templates.TemplateResponse(
            request, "not_found.html", {"source_id": source_id, "q": q}, status_code=404
        )
    passage = next((span for span in view.chunks if span["chunk_index"] == chunk), None)
    context = {"view": view, "meta": view.meta, "passage": passage, "q": q, "labels": labels()}
    return templates.TemplateResponse(request, "source.html", context)


@router.get("/media/{path:path}")
def media(path: str, archive: ArchiveDep):
    """Recordings kept beside their transcripts (so 'ฟังช่วงนี้' can jump into them); only those of
    sources the UI may show, so a restricted interview's recording stays hidden too."""
    root = archive.settings.originals_dir.resolve()
    target = (root / path).resolve()
    playable = target.suffix.lower() in MEDIA_SUFFIXES and target.is_relative_to(root) and target.is_file()
    if not playable or f"/media/{path}" not in public_recordings(archive):
        raise PanyaError(404, "media_not_found", f"no recording {path!r}", "ไม่พบไฟล์เสียง")
    return FileResponse(target)


def public_recordings(archive) -> set[str]:
    transcripts = archive.browse(type="oral_history", limit=1).ranked
    return {audio_url(archive, result.meta) for result in transcripts} - {None}
