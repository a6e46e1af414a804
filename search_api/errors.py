"""One JSON error shape for every error, mapped in one place.

``{"error": {"status": 422, "code": "invalid_query", "message": "...", "message_th": "..."}}``
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from index.stores.schema import EmbeddingModelMismatch, StoreLocked


class PanyaError(Exception):
    def __init__(self, status: int, code: str, message: str, message_th: str, detail=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message, self.message_th = status, code, message, message_th
        self.detail, self.headers = detail, headers


def error_body(status: int, code: str, message: str, message_th: str, detail=None) -> dict:
    body = {"status": status, "code": code, "message": message, "message_th": message_th}
    if detail is not None:
        body["detail"] = detail
    return {"error": body}


_VALIDATION_TH = {
    "q": "กรุณาพิมพ์คำค้น (ไม่เกิน 500 ตัวอักษร)",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PanyaError)
    async def panya_error(request: Request, error: PanyaError):
        body = error_body(error.status, error.code, error.message, error.message_th, error.detail)
        return JSONResponse(body, status_code=error.status, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        problems = [
            {"field": ".".join(str(part) for part in problem["loc"][1:]), "problem": problem["msg"]}
            for problem in error.errors()
        ]
        fields = [problem["field"] for problem in problems]
        message = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        message_th = next((_VALIDATION_TH[f] for f in fields if f in _VALIDATION_TH), "ข้อมูลที่ส่งมาไม่ถูกต้อง")
        return JSONResponse(
            error_body(422, "invalid_request", message, message_th, problems), status_code=422
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        message_th = {404: "ไม่พบหน้าที่ต้องการ", 405: "ไม่รองรับวิธีเรียกนี้"}.get(error.status_code, "เกิดข้อผิดพลาด")
        body = error_body(error.status_code, "http_error", str(error.detail), message_th)
        return JSONResponse(body, status_code=error.status_code, headers=getattr(error, "headers", None))

    @app.exception_handler(EmbeddingModelMismatch)
    async def model_mismatch(request: Request, error: EmbeddingModelMismatch):
        body = error_body(409, "model_mismatch", str(error), "ดัชนีนี้สร้างด้วยโมเดลอื่น")
        return JSONResponse(body, status_code=409)

    @app.exception_handler(StoreLocked)
    async def store_locked(request: Request, error: StoreLocked):
        return JSONResponse(
            error_body(503, "store_locked", str(error), "คลังข้อมูลกำลังถูกใช้งาน"), status_code=503
        )
