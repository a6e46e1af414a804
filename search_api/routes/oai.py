"""``/oai``: the OAI-PMH 2.0 endpoint (GET or POST, ``application/x-www-form-urlencoded``).

The protocol lives in :mod:`query.oai`; this route only turns the HTTP request into its
arguments and sends back XML. Harvesters have no key: restricted sources are never in it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from panya.ingestion import Tombstones
from query.oai import PAGE_SIZE, OaiProvider, params_of
from search_api.deps import ArchiveDep
from search_api.routes.pages import label, source_url

router = APIRouter(tags=["harvest"])

#: OAI-PMH answers in XML, its errors too (``<error code="badArgument">`` with HTTP 200, as the protocol says)
XML_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"description": "an OAI-PMH response", "content": {"text/xml": {"schema": {"type": "string"}}}}
}

OAI_DESCRIPTION = (
    "OAI-PMH 2.0 data provider (Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords, "
    "GetRecord), metadata as oai_dc; identifiers are oai:panya:<source_id>. Public sources only."
)


def provider(request: Request, archive) -> OaiProvider:
    base = str(request.base_url).rstrip("/")
    settings = archive.settings
    return OaiProvider(
        archive,
        base_url=base + "/oai",
        permalink=lambda source_id: base + source_url(source_id),
        tombstones=Tombstones(settings.data_dir).records,
        admin_email=settings.admin_email,
        page_size=PAGE_SIZE,
        category_label=lambda value: label(value, "category"),
    )


def _xml(body: bytes) -> Response:
    return Response(body, media_type="text/xml; charset=utf-8")


@router.get(
    "/oai",
    summary="OAI-PMH 2.0 (GET)",
    description=OAI_DESCRIPTION,
    response_class=Response,
    responses=XML_RESPONSE,
)
async def oai_get(request: Request, archive: ArchiveDep) -> Response:
    params = params_of(request.query_params.multi_items())
    return _xml(await run_in_threadpool(provider(request, archive).respond, params))


@router.post(
    "/oai",
    summary="OAI-PMH 2.0 (POST)",
    description=OAI_DESCRIPTION,
    response_class=Response,
    responses=XML_RESPONSE,
)
async def oai_post(request: Request, archive: ArchiveDep) -> Response:
    async with request.form(max_files=0, max_fields=20) as form:
        pairs = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    return _xml(await run_in_threadpool(provider(request, archive).respond, params_of(pairs)))
