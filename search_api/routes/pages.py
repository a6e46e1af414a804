"""The web UI's pages: server-rendered (works without JavaScript), from the same archive calls as the API."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Undefined

from ingest.discovery import MEDIA_SUFFIXES
from panya.archive import SourceNotFound
from query.categories import load_categories
from query.citation import date_original_differs, display_date
from query.models import ChunkSpan, ErrorBody, SearchResponse
from query.request import SearchRequest
from query.sources import audio_url, clock
from search_api.deps import PUBLIC, ArchiveDep
from search_api.errors import PanyaError
from search_api.routes.links import place_url, sage_url, source_links
from search_api.session import staff_of

UI_DIR = Path(__file__).resolve().parent.parent.parent / "ui"
PAGE_SIZE = 10

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def labels() -> dict:
    return json.loads((UI_DIR / "labels.json").read_text(encoding="utf-8"))


def baht(price) -> str:
    """A price as Thai readers write it; nothing at all when a product has none.

    >>> baht(12000), baht(35.5), baht(None)
    ('12,000 บาท', '35.50 บาท', '')
    """
    if isinstance(price, Undefined):  # a product without a price field
        return ""
    try:
        value = float(price)
    except (TypeError, ValueError):  # no price, or one that is not a number
        return ""
    return f"{value:,.0f} บาท" if value.is_integer() else f"{value:,.2f} บาท"


def source_url(source_id: str) -> str:
    """A source page's address: the id quoted, so a catalogue row's ``#`` is not taken for a fragment.

    >>> source_url("products/otop.csv#STH-002")
    '/sources/products/otop.csv%23STH-002'
    """
    return "/sources/" + quote(source_id, safe="/")


def label(value: str | None, group: str) -> str:
    return labels().get(group, {}).get(value or "", value or "")


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=UI_DIR / "templates")
    templates.env.filters.update(clock=clock, baht=baht, label=label, source_url=source_url)
    templates.env.filters.update(sage_url=sage_url, place_url=place_url)  # the village pages
    templates.env.globals["categories"] = load_categories()  # archive category ↔ product categories
    # every date on every page through one formatter: B.E. and Thai months (``lang="en"``: C.E.)
    templates.env.filters.update(thai_date=display_date, date_original_differs=date_original_differs)
    return templates


templates = _templates()


def error_page(request: Request, error: ErrorBody, headers=None, **context) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "error.html", {"error": error, "q": "", **context}, status_code=error.status, headers=headers
    )


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    archive: ArchiveDep,
    search: Annotated[SearchRequest, Query()],
    partial: bool = False,
):
    search = search.model_copy(update={"limit": PAGE_SIZE})
    page = archive.search(search, include_restricted=PUBLIC.sees_restricted)  # the UI shows public sources
    active: dict = search.filters_set()
    kept = {"sort": search.sort if search.sort != "relevance" else None,
            "price_min": search.price_min, "price_max": search.price_max}  # fmt: skip
    active |= {key: _plain(value) for key, value in kept.items() if value is not None}

    def link(**changes) -> str:
        params = {"q": search.query, **active, **changes}
        return "/?" + urlencode({k: v for k, v in params.items() if v not in (None, "", 0)})

    context = {
        "q": search.query,
        "page": page,
        "facets": archive.facets_of(page).facets if search.query else archive.facets(search).facets,
        "active": active,
        "link": link,
        "offset": search.offset,
        "page_size": PAGE_SIZE,
        "labels": labels(),
        "understood_chips": understood_chips(page, link),
        "answer": answer_card(page),
        "browse": archive.facets().facets["category"] if search.query and not page.results else {},
        "sort": search.sort,
        "sorts": SORTS,
        "recording": lambda meta: audio_url(meta, archive.settings.originals_dir),
    }
    template = "_results.html" if partial else "search.html"
    return templates.TemplateResponse(request, template, context)


def _plain(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


SORTS = {
    "relevance": "ตรงที่สุด",
    "price_asc": "ราคาต่ำ→สูง",
    "price_desc": "ราคาสูง→ต่ำ",
    "date": "ใหม่ล่าสุด",
    "title": "ชื่อ ก–ฮ",
}


def understood_chips(page: SearchResponse, link) -> list[dict]:
    """What Panya took from the question (a price range, a place, a kind of product), each a chip
    that removes it: its link searches the question without that phrase."""
    understood = page.understood
    if understood is None:
        return []
    chips = []
    if understood.price_min is not None or understood.price_max is not None:
        low, high = understood.price_min, understood.price_max
        text = (
            f"{baht(low)} – {baht(high)}" if low is not None and high is not None
            else f"ไม่เกิน {baht(high)}" if high is not None else f"ตั้งแต่ {baht(low)}"
        )  # fmt: skip
        chips.append({"kind": "price", "label": "ราคา " + text, "phrases": _price_phrases(understood)})
    for place in understood.places:
        label = ("ภาค" if place.kind == "region" else "จังหวัด") + place.name
        chips.append({"kind": place.kind, "label": label, "phrases": [place.text]})
    if understood.kind:
        chips.append({"kind": "category", "label": "ประเภท " + understood.kind, "phrases": [understood.kind]})
    for chip in chips:
        without = page.query
        for phrase in chip.pop("phrases"):
            without = without.replace(phrase, " ")
        chip["href"] = link(q=" ".join(without.split()), offset=0)
    return chips


def _price_phrases(understood) -> list[str]:
    others = {place.text for place in understood.places} | {understood.kind}
    return [phrase for phrase in understood.phrases if phrase not in others]


def answer_card(page: SearchResponse) -> dict | None:
    if page.answer is None:
        return None
    answer = page.answer
    moment = {"t": answer.start, "until": answer.end} if answer.start is not None else {}
    href = (
        source_url(answer.source_id)
        + "?"
        + urlencode({"chunk": answer.chunk_index, "q": page.query, **moment})
    )
    href += "#match"
    return {**answer.model_dump(), "href": href}


@router.get("/sources/{source_id:path}", response_class=HTMLResponse)
def source_page(
    request: Request,
    archive: ArchiveDep,
    source_id: str,
    chunk: int | None = None,
    q: str = "",
    t: Annotated[float | None, Query(ge=0, description="a moment of the recording, in seconds")] = None,
    until: Annotated[float | None, Query(ge=0)] = None,
):
    staff = staff_of(request, archive.settings)
    try:  # staff see restricted sources too: they curate them
        view = archive.source(source_id, include_restricted=staff is not None)
    except SourceNotFound as missing:
        body = ErrorBody(
            status=404, code="source_not_found", message=str(missing), message_th="ไม่พบแหล่งข้อมูลนี้"
        )
        return error_page(request, body, source_id=source_id)
    passage = next((span for span in view.chunks if span.chunk_index == chunk), None)
    if t is not None:  # a moment (a permalink's ?t=): from the cue that holds t to until, or that cue's end
        holding = next((cue for cue in view.cues if cue.end > t), None)
        start = holding.start if holding else t
        end = until if until is not None and until >= t else holding.end if holding else t
        passage = ChunkSpan(chunk_index=chunk or 0, start=start, end=end)
    context = {"view": view, "meta": view.meta, "passage": passage, "q": q[:500], "labels": labels()}
    context |= source_links(archive, view.source_id, view.meta, include_restricted=staff is not None)
    from search_api.routes.records import cite_context  # it imports this module

    context |= cite_context(request, archive, view, t)
    if staff:
        from search_api.routes.staff import render_with_panel  # it imports this module

        return render_with_panel(request, "source.html", context, source_id)
    return templates.TemplateResponse(request, "source.html", context)


@router.get("/media/{path:path}")
def media(path: str, archive: ArchiveDep):
    """Recordings kept beside their transcripts (so 'ฟังช่วงนี้' can jump into them); only those of
    sources the UI may show, so a restricted interview's recording stays hidden too."""
    root = archive.settings.originals_dir.resolve()
    target = (root / path).resolve()
    playable = target.suffix.lower() in MEDIA_SUFFIXES and target.is_relative_to(root) and target.is_file()
    if not playable or f"/media/{path}" not in archive.recordings():
        raise PanyaError(404, "media_not_found", f"no recording {path!r}", "ไม่พบไฟล์เสียง")
    return FileResponse(target)
