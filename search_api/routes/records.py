"""A source for researchers and other systems: citations (Thai, English, BibTeX, CSL-JSON) and its
record as Dublin Core (oai_dc XML) or schema.org JSON-LD; and the source page's "อ้างอิง" block.

The permalink of a source is ``/sources/{id}``; of a moment of a recording ``/sources/{id}?t=SECONDS``.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from lxml import etree
from markupsafe import Markup

from query.citation import bibtex_key, citation
from query.models import SourceResponse
from query.records import dublin_core, json_ld, script_json
from search_api.deps import ArchiveDep, CallerDep
from search_api.errors import ERROR_RESPONSES
from search_api.routes.pages import label, source_url
from search_api.routes.sources import original_available

router = APIRouter(prefix="/api", tags=["cite"], responses=ERROR_RESPONSES)

CiteFormat = Literal["bibtex", "csl-json", "text"]
RecordFormat = Literal["oai_dc", "jsonld"]


def permalink(request: Request, source_id: str, t: float | None = None) -> str:
    url = str(request.base_url).rstrip("/") + source_url(source_id)
    return url + f"?t={t:g}" if t is not None else url


def _category(view: SourceResponse) -> str | None:
    category = view.meta.get("category")
    return label(category, "category") if category else None


def _absolute(request: Request, url: str | None) -> str | None:
    return str(request.base_url).rstrip("/") + url if url and url.startswith("/") else url


def cite_context(request: Request, archive, view: SourceResponse, t: float | None) -> dict:
    """What the source page's "อ้างอิง" block and its JSON-LD need."""
    url = permalink(request, view.source_id)
    moment = permalink(request, view.source_id, round(t)) if t is not None and view.cues else None
    data = json_ld(view.meta, url, view.text, _category(view), _absolute(request, view.audio_url))
    quoted = source_url(view.source_id).removeprefix("/sources/")
    return {
        "cite": citation(view.source_id, view.meta, moment or url),
        "permalink": url,
        "moment_url": moment,
        "cite_path": quoted,
        "original_url": f"/api/sources/{quoted}/original" if original_available(archive, view) else None,
        "json_ld": Markup(script_json(data)),  # escaped for a <script> element by script_json
    }


TEXT = {"type": "string"}
CITE_RESPONSES: dict[int | str, dict] = {
    200: {
        "description": "the citation in the asked format",
        "content": {
            "application/x-bibtex": {"schema": TEXT},
            "application/vnd.citationstyles.csl+json": {
                "schema": {"type": "array", "items": {"type": "object"}}
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"thai": TEXT, "english": TEXT, "url": TEXT},
                    "required": ["thai", "english", "url"],
                }
            },
        },
    }
}
RECORD_RESPONSES: dict[int | str, dict] = {
    200: {
        "description": "the record in the asked format",
        "content": {
            "application/ld+json": {"schema": {"type": "object"}},
            "application/xml": {"schema": TEXT},
        },
    }
}


@router.get(
    "/cite/{source_id:path}",
    summary="How to cite a source: BibTeX, CSL-JSON, or Thai and English text",
    responses=CITE_RESPONSES,
)
def cite(
    source_id: str,
    request: Request,
    archive: ArchiveDep,
    caller: CallerDep,
    format: Annotated[CiteFormat, Query(description="bibtex, csl-json or text")] = "bibtex",
    t: Annotated[float | None, Query(ge=0, description="cite a moment of a recording")] = None,
) -> Response:
    view = archive.source(source_id, include_restricted=caller.sees_restricted)
    url = permalink(request, source_id, round(t) if t is not None and view.cues else None)
    found = citation(source_id, view.meta, url)
    name = bibtex_key(source_id, view.meta)
    if format == "bibtex":
        return _download(found.bibtex, "application/x-bibtex; charset=utf-8", f"{name}.bib")
    if format == "csl-json":
        body = json.dumps([found.csl], ensure_ascii=False, indent=2)
        return _download(body, "application/vnd.citationstyles.csl+json; charset=utf-8", f"{name}.json")
    return JSONResponse({"thai": found.thai, "english": found.english, "url": url})


@router.get(
    "/records/{source_id:path}",
    summary="A source's record: Dublin Core (oai_dc XML) or schema.org JSON-LD",
    response_class=Response,
    responses=RECORD_RESPONSES,
)
def record(
    source_id: str,
    request: Request,
    archive: ArchiveDep,
    caller: CallerDep,
    format: Annotated[RecordFormat, Query(description="oai_dc or jsonld")] = "jsonld",
) -> Response:
    view = archive.source(source_id, include_restricted=caller.sees_restricted)
    url = permalink(request, source_id)
    if format == "oai_dc":
        element = dublin_core(view.meta, url, view.text, _category(view))
        body = etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return Response(body, media_type="application/xml")
    data = json_ld(view.meta, url, view.text, _category(view), _absolute(request, view.audio_url))
    return JSONResponse(data, media_type="application/ld+json")


def _download(body: str, media_type: str, filename: str) -> Response:
    return Response(
        body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
