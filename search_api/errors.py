"""Errors, mapped in one place, in one shape, rendered two ways: JSON for ``/api/…`` (and any
client that does not ask for HTML), an HTML page in Thai for a browser.

``{"error": {"status": 422, "code": "invalid_request", "message": "...", "message_th": "..."}}``
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from index.stores.schema import EmbeddingModelMismatch, StoreLocked
from panya.archive import SourceNotFound
from query.models import ErrorBody, ErrorResponse
from search_api.limits import BodyTooLarge


class PanyaError(Exception):
    def __init__(
        self, status: int, code: str, message: str, message_th: str, detail: Any = None, headers=None
    ):
        super().__init__(message)
        self.body = ErrorBody(status=status, code=code, message=message, message_th=message_th, detail=detail)
        self.headers = headers

    @property
    def status(self) -> int:
        return self.body.status


#: The responses every API route may give besides its own, for the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in {
        400: "malformed request",
        401: "missing or unknown key",
        403: "the key may not do this",
        404: "not found (or hidden from this caller)",
        409: "the store was built with another embedding model",
        413: "too large",
        415: "the content is not what its name says",
        422: "invalid parameters or unreadable file",
        503: "the store is busy or unreachable",
    }.items()
}

_HTTP_TH = {
    400: "คำขอไม่ถูกต้อง",
    404: "ไม่พบหน้าที่ต้องการ",
    405: "ไม่รองรับวิธีเรียกนี้",
    413: "ข้อมูลที่ส่งมาใหญ่เกินกำหนด",
}
_VALIDATION_TH = {"q": "กรุณาพิมพ์คำค้น (ไม่เกิน 500 ตัวอักษร)"}


def wants_html(request: Request) -> bool:
    """Pages get pages; the API, the OpenAPI document and files get JSON."""
    return not request.url.path.startswith(("/api/", "/openapi", "/media/", "/static/"))


def render(request: Request, error: PanyaError) -> Response:
    if wants_html(request):
        from search_api.routes.pages import error_page

        return error_page(request, error.body, error.headers)
    body = ErrorResponse(error=error.body).model_dump(mode="json", exclude_none=True)
    return JSONResponse(body, status_code=error.status, headers=error.headers)


def _validation_error(error: RequestValidationError) -> PanyaError:
    problems = [
        {"field": ".".join(str(part) for part in problem["loc"][1:]), "problem": problem["msg"]}
        for problem in error.errors()
    ]
    message = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
    message_th = next(
        (_VALIDATION_TH[p["field"]] for p in problems if p["field"] in _VALIDATION_TH), "ข้อมูลที่ส่งมาไม่ถูกต้อง"
    )
    return PanyaError(422, "invalid_request", message, message_th, problems)


#: Errors from below the web layer, and how the API reports them.
DOMAIN_ERRORS = {
    SourceNotFound: lambda e: PanyaError(404, "source_not_found", str(e), "ไม่พบแหล่งข้อมูลนี้"),
    EmbeddingModelMismatch: lambda e: PanyaError(409, "model_mismatch", str(e), "ดัชนีนี้สร้างด้วยโมเดลอื่น"),
    StoreLocked: lambda e: PanyaError(503, "store_locked", str(e), "คลังข้อมูลกำลังถูกใช้งาน"),
    BodyTooLarge: lambda e: PanyaError(413, "too_large", str(e), "ข้อมูลที่ส่งมาใหญ่เกินกำหนด"),
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PanyaError)
    async def panya_error(request: Request, error: PanyaError):
        return render(request, error)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        return render(request, _validation_error(error))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        message_th = _HTTP_TH.get(error.status_code, "เกิดข้อผิดพลาด")
        return render(
            request,
            PanyaError(error.status_code, "http_error", str(error.detail), message_th, headers=error.headers),
        )

    for kind, to_panya in DOMAIN_ERRORS.items():

        async def domain_error(request: Request, error: Exception, to_panya=to_panya):
            return render(request, to_panya(error))

        app.add_exception_handler(kind, domain_error)
