"""The staff's side of the web UI: sign in, upload with a Thai metadata form, edit metadata, add a
product, delete and restore. Every write goes through ``panya.ingestion`` / ``panya.trash``, the same
code as ``panya ingest``, ``POST /api/sources`` and the CLI, so the audit log sees them alike.

GET pages send a signed-out visitor to the sign-in page; POSTs refuse them (401) and refuse a
missing or wrong CSRF token (403) before reading anything else.
"""

from __future__ import annotations

import json
import re
import time
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pythainlp.util import collate
from starlette.datastructures import FormData, UploadFile

from ingest.discovery import MEDIA_SUFFIXES
from ingest.metadata import MetadataError, parse_date, read_sidecar, sidecar_path
from panya.archive import SourceNotFound
from panya.audit import AuditLog, set_actor
from panya.ingestion import IngestReport, delete_source, ingest_uploads
from panya.staff import StaffAccounts
from panya.trash import NothingToRestore, RestoreConflict, restore, trashed
from query.models import ErrorBody
from query.places import load_gazetteer
from search_api.deps import ArchiveDep, write_key_name
from search_api.errors import PanyaError
from search_api.routes.pages import error_page, labels, source_url, templates
from search_api.session import (
    CSRF_FIELD,
    csrf_nonce,
    csrf_ok,
    csrf_token,
    keep_nonce,
    sign_in,
    sign_out,
    staff_of,
)
from search_api.uploads import check_upload, in_background, safe_relative

router = APIRouter(prefix="/staff", include_in_schema=False)

FOLDERS = {".vtt": "oral_histories", ".srt": "oral_histories", ".csv": "products", ".jsonl": "products"}
PRODUCT_CATEGORIES = ("food", "textiles", "herbal", "handicraft", "service")
META_FIELDS = ("title", "category", "province", "district", "village", "sage", "date", "access", "license")
PRODUCT_FIELDS = ("id", "name", "description", "category", "price", "unit", "producer", "village",
                  "district", "province", "contact", "tags", "access")  # fmt: skip
_PRODUCT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,39}$")
# what a recording starts with: WAV, Ogg, MP3 (ID3 or a frame sync), MP4/M4A, WebM
_AUDIO_MAGIC = (b"RIFF", b"OggS", b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2", b"\x1aE\xdf\xa3")


@lru_cache(maxsize=1)
def provinces() -> list[str]:
    return collate([place.name for place in load_gazetteer().places if place.kind == "province"])


class Form:
    """What a page needs to render a staff form: values as typed, an error per field, a CSRF token."""

    def __init__(self, values: dict[str, str], errors: dict[str, str] | None = None):
        self.values, self.errors = values, errors or {}


def _render(request: Request, template: str, context: dict, status: int = 200) -> Response:
    settings = request.app.state.archive.settings
    nonce, new = csrf_nonce(request)
    context = {
        "q": "",
        "staff": staff_of(request, settings),
        "csrf": csrf_token(settings, nonce),
        "csrf_field": CSRF_FIELD,
        "province_options": [(name, name) for name in provinces()],
        "labels": labels(),
        **context,
    }
    response = templates.TemplateResponse(request, template, context, status_code=status)
    if new:
        keep_nonce(response, request, nonce)
    return response


def render_with_panel(request: Request, template: str, context: dict, source_id: str) -> Response:
    """A source page for staff: its history from the audit log, and edit, delete buttons."""
    settings = request.app.state.archive.settings
    history = list(reversed(AuditLog(settings.data_dir).entries(source_id)))
    panel = {
        "recent": history,
        "edit_href": edit_url(source_id),
        "delete_action": "/staff/delete/" + quote(source_id, safe="/"),
        "saved": request.query_params.get("saved", "")[:300],
    }
    return _render(request, template, {**context, "panel": panel})


def _signed_in(request: Request) -> str | None:
    who = staff_of(request, request.app.state.archive.settings)
    if who:
        set_actor(who)
    return who


def _to_sign_in(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/staff/signin?" + urlencode({"next": target}), status_code=303)


async def _checked_form(request: Request, files: bool = False) -> FormData:
    """The POSTed form of a signed-in staff member with a valid CSRF token; raises otherwise."""
    settings = request.app.state.archive.settings
    if not _signed_in(request):
        raise PanyaError(401, "staff_sign_in_required", "sign in as staff first", "กรุณาเข้าสู่ระบบเจ้าหน้าที่ก่อน")
    form = await request.form(max_files=4 if files else 0, max_fields=40)
    if not csrf_ok(request, settings, form.get(CSRF_FIELD)):
        raise csrf_refused()
    return form


def csrf_refused() -> PanyaError:
    return PanyaError(
        403, "csrf_failed", "the form's CSRF token is missing or wrong", "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาลองใหม่"
    )


# -- signing in -----------------------------------------------------------------------------------


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, next: str = "/staff"):
    return _render(request, "staff_signin.html", {"form": Form({"name": ""}), "next": _local(next)})


@router.post("/signin", response_class=HTMLResponse)
async def signin(request: Request):
    settings = request.app.state.archive.settings
    form = await request.form(max_files=0, max_fields=10)
    next_page = _local(str(form.get("next") or "/staff"))
    if not csrf_ok(request, settings, form.get(CSRF_FIELD)):
        raise csrf_refused()
    name, secret = str(form.get("name") or "").strip(), str(form.get("password") or "")
    if name:
        known = await run_in_threadpool(StaffAccounts(settings.data_dir).check, name, secret)
        who = f"staff:{name}" if known else None
    else:
        who = write_key_name(secret, settings) if secret else None
    if who is None:
        failed = Form({"name": name}, {"password": "ชื่อผู้ใช้ รหัสผ่าน หรือกุญแจไม่ถูกต้อง"})
        return _render(request, "staff_signin.html", {"form": failed, "next": next_page}, status=401)
    response = RedirectResponse(next_page, status_code=303)
    sign_in(response, request, settings, who)
    return response


@router.post("/signout")
async def signout(request: Request):
    await _checked_form(request)
    response = RedirectResponse("/", status_code=303)
    sign_out(response, request)
    return response


def _local(target: str) -> str:
    """Only a path on this site (``/sources/…``), never ``//evil.example`` or ``https://…``."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/staff"


# -- the staff's home: trash and recent changes ---------------------------------------------------


@router.get("", response_class=HTMLResponse)
def home(request: Request, archive: ArchiveDep, done: str = ""):
    if not _signed_in(request):
        return _to_sign_in(request)
    recent = list(reversed(AuditLog(archive.settings.data_dir).entries()[-20:]))
    return _render(
        request, "staff_home.html", {"trash": trashed(archive.settings), "recent": recent, "done": done[:300]}
    )


# -- upload with a metadata form ------------------------------------------------------------------


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request):
    if not _signed_in(request):
        return _to_sign_in(request)
    return _render(request, "staff_upload.html", {"form": Form({"access": "public"}), "editing": None})


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request, archive: ArchiveDep):
    form = await _checked_form(request, files=True)
    values = {name: str(form.get(name) or "").strip() for name in META_FIELDS}
    meta, errors = _metadata(values)
    max_bytes = archive.settings.max_upload_mb * 1024 * 1024
    upload, recording = form.get("file"), form.get("recording")
    files: list[tuple[str, bytes]] = []
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = "กรุณาเลือกไฟล์"
    else:
        name = PurePosixPath(upload.filename).name
        data = await upload.read(max_bytes + 1)
        suffix = PurePosixPath(name).suffix.lower()
        try:
            check_upload(name, data, max_bytes)
            relative = safe_relative(FOLDERS.get(suffix, "documents"), name)
        except PanyaError as error:
            errors["file"] = error.body.message_th
        else:
            files.append((relative, data))
            if suffix not in (".csv", ".jsonl") and not values["title"]:
                errors["title"] = "กรุณาใส่ชื่อเรื่อง"
        if isinstance(recording, UploadFile) and recording.filename and not errors.get("file"):
            sound = await recording.read(max_bytes + 1)
            problem = _recording_problem(recording.filename, sound, max_bytes, suffix)
            if problem:
                errors["recording"] = problem
            else:
                stem = PurePosixPath(name).stem
                audio = f"{stem}-recording{PurePosixPath(recording.filename).suffix.lower()}"
                meta["audio"] = audio
                files.append((str(PurePosixPath(files[0][0]).parent / audio), sound))
    if errors:
        values["file_name"] = (upload.filename or "") if isinstance(upload, UploadFile) else ""
        return _render(
            request, "staff_upload.html", {"form": Form(values, errors), "editing": None}, status=422
        )
    first = files[0][0]
    if PurePosixPath(first).suffix.lower() in (".csv", ".jsonl"):
        # a catalogue's sidecar speaks for every row: never a title, and "public" (the form's default)
        # must not open up rows the catalogue's own access column restricts
        meta.pop("title", None)
        if meta.get("access") == "public":
            meta.pop("access")
    if meta:
        sidecar = sidecar_path(PurePosixPath(first))  # type: ignore[arg-type]
        files.insert(1, (str(sidecar), json.dumps(meta, ensure_ascii=False).encode()))
    who = staff_of(request, archive.settings) or "staff"
    report = await in_background(ingest_uploads, archive, files, None, who)
    return _after_ingest(request, report, values, first)


def _after_ingest(
    request: Request, report: IngestReport, values: dict, first: str, template: str = "staff_upload.html"
):
    if report.failed:
        errors = {"file": "อ่านไฟล์ไม่ได้: " + "; ".join(f.reason for f in report.failed)}
        return _render(request, template, {"form": Form(values, errors), "editing": None}, status=422)
    done = report.added + report.updated + report.unchanged + report.skipped
    if len(done) == 1 and "#" not in done[0]:
        return RedirectResponse(
            source_url(done[0]) + "?" + urlencode({"saved": thai_summary(report)}), status_code=303
        )
    return RedirectResponse("/staff?" + urlencode({"done": thai_summary(report)}), status_code=303)


def thai_summary(report: IngestReport) -> str:
    """What an ingest did, for the staff.

    >>> thai_summary(IngestReport(updated=["documents/pla-ra-ubon.md"], chunks=8, seconds=0.7))
    'แก้ไข 1 รายการ · เขียนใหม่ 8 ส่วน ใน 0.7 วินาที'
    """
    counts = [("เพิ่ม", report.added), ("แก้ไข", report.updated), ("ไม่เปลี่ยน", report.unchanged),
              ("ถูกลบไว้ก่อน (ข้าม)", report.skipped)]  # fmt: skip
    done = " · ".join(f"{name} {len(ids)} รายการ" for name, ids in counts if ids)
    return f"{done or 'ไม่มีการเปลี่ยนแปลง'} · เขียนใหม่ {report.chunks} ส่วน ใน {report.seconds:.1f} วินาที"


def _metadata(values: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """The sidecar a form makes, and what is wrong with it, field by field (in Thai)."""
    errors: dict[str, str] = {}
    meta = {key: value for key, value in values.items() if value}
    if values.get("province") and values["province"] not in provinces():
        errors["province"] = "กรุณาเลือกจังหวัดจากรายการ"
    if values.get("category") and values["category"] not in labels()["category"]:
        errors["category"] = "กรุณาเลือกหมวดจากรายการ"
    if values.get("access", "public") not in ("public", "restricted", ""):
        errors["access"] = "เลือกได้เฉพาะ เปิดเผย หรือ จำกัดสิทธิ์"
    if values.get("date"):
        try:
            parse_date(values["date"])
        except MetadataError:
            errors["date"] = "อ่านวันที่ไม่ได้ ใช้รูปแบบ 12 มีนาคม 2566 หรือ 2023-03-12"
    for key in ("title", "district", "village", "sage", "license"):
        if len(values.get(key, "")) > 300:
            errors[key] = "ยาวเกิน 300 ตัวอักษร"
    return meta, errors


def _recording_problem(name: str, data: bytes, max_bytes: int, transcript_suffix: str) -> str | None:
    if transcript_suffix not in (".vtt", ".srt"):
        return "ไฟล์เสียงแนบได้กับบทถอดเสียง (.vtt หรือ .srt) เท่านั้น"
    if PurePosixPath(name).suffix.lower() not in MEDIA_SUFFIXES:
        return "ไฟล์เสียงต้องเป็น " + " ".join(MEDIA_SUFFIXES)
    if len(data) > max_bytes:
        return "ไฟล์เสียงใหญ่เกินกำหนด"
    if not data.startswith(_AUDIO_MAGIC) and data[4:8] != b"ftyp":
        return "เนื้อไฟล์ไม่ใช่ไฟล์เสียง"
    return None


# -- edit a source's metadata (no re-upload) ------------------------------------------------------


def _editable(archive, source_id: str):
    view = archive.source(source_id, include_restricted=True)
    file_id = view.meta.get("file") or source_id
    if "#" in source_id or not (archive.settings.originals_dir / file_id).is_file():
        return view, None
    return view, file_id


@router.get("/edit/{source_id:path}", response_class=HTMLResponse)
def edit_page(request: Request, archive: ArchiveDep, source_id: str):
    if not _signed_in(request):
        return _to_sign_in(request)
    try:
        view, file_id = _editable(archive, source_id)
    except SourceNotFound:
        return _not_found(request, source_id)
    meta = view.meta
    values = {key: str(meta.get(key) or "") for key in META_FIELDS}
    values["date"] = str(meta.get("date_original") or meta.get("date") or "")
    values["access"] = meta.get("access") or "public"
    context = {"form": Form(values), "editing": view, "file_id": file_id}
    return _render(request, "staff_upload.html", context)


@router.post("/edit/{source_id:path}", response_class=HTMLResponse)
async def edit(request: Request, archive: ArchiveDep, source_id: str):
    form = await _checked_form(request)
    try:
        view, file_id = _editable(archive, source_id)
    except SourceNotFound:
        return _not_found(request, source_id)
    values = {name: str(form.get(name) or "").strip() for name in META_FIELDS}
    changes, errors = _metadata(values)
    if file_id is None:
        errors["title"] = "แก้ไขสินค้าในแค็ตตาล็อกได้โดยอัปโหลดแค็ตตาล็อกใหม่"
    if errors:
        context = {"form": Form(values, errors), "editing": view, "file_id": file_id}
        return _render(request, "staff_upload.html", context, status=422)
    original = archive.settings.originals_dir / str(file_id)
    sidecar = sidecar_path(original)
    meta = read_sidecar(original) if sidecar.is_file() else {}
    meta = {k: v for k, v in meta.items() if k not in META_FIELDS} | changes
    files = [
        (str(file_id), original.read_bytes()),
        (
            str(PurePosixPath(str(file_id)).parent / sidecar.name),
            json.dumps(meta, ensure_ascii=False).encode(),
        ),
    ]
    started = time.perf_counter()
    who = staff_of(request, archive.settings) or "staff"
    report = await in_background(ingest_uploads, archive, files, None, who)
    report.seconds = time.perf_counter() - started
    return _after_ingest(request, report, values, str(file_id))


# -- a product through a form ---------------------------------------------------------------------


@router.get("/product", response_class=HTMLResponse)
def product_page(request: Request):
    if not _signed_in(request):
        return _to_sign_in(request)
    context = {"form": Form({"access": "public"}), "categories": _product_categories()}
    return _render(request, "staff_product.html", context)


@router.post("/product", response_class=HTMLResponse)
async def product(request: Request, archive: ArchiveDep):
    form = await _checked_form(request)
    values = {name: str(form.get(name) or "").strip() for name in PRODUCT_FIELDS}
    errors = {}
    if not _PRODUCT_ID.match(values["id"]):
        errors["id"] = "รหัสสินค้า 2–40 ตัว ใช้ A–Z a–z 0–9 และ - เช่น UBN-101"
    for key, message in (
        ("name", "กรุณาใส่ชื่อสินค้า"),
        ("description", "กรุณาใส่รายละเอียดสินค้า"),
        ("producer", "กรุณาใส่ผู้ผลิต"),
    ):
        if not values[key]:
            errors[key] = message
    if values["category"] not in PRODUCT_CATEGORIES:
        errors["category"] = "กรุณาเลือกหมวดสินค้า"
    if values["province"] not in provinces():
        errors["province"] = "กรุณาเลือกจังหวัดจากรายการ"
    if values["access"] not in ("", "public", "restricted"):
        errors["access"] = "เลือกได้เฉพาะ เปิดเผย หรือ จำกัดสิทธิ์"
    try:
        price = float(values["price"].replace(",", ""))
        if price < 0:
            raise ValueError
    except ValueError:
        errors["price"] = "ราคาต้องเป็นตัวเลข เช่น 350"
    if errors:
        context = {"form": Form(values, errors), "categories": _product_categories()}
        return _render(request, "staff_product.html", context, status=422)
    row: dict[str, object] = {key: value for key, value in values.items() if value} | {"price": price}
    row["tags"] = [tag.strip() for tag in re.split(r"[,|]", values["tags"]) if tag.strip()]
    relative = f"products/staff/{values['id']}.jsonl"
    files = [(relative, (json.dumps(row, ensure_ascii=False) + "\n").encode())]
    who = staff_of(request, archive.settings) or "staff"
    report = await in_background(ingest_uploads, archive, files, None, who)
    if report.failed:
        errors = {"id": "บันทึกไม่ได้: " + "; ".join(f.reason for f in report.failed)}
        context = {"form": Form(values, errors), "categories": _product_categories()}
        return _render(request, "staff_product.html", context, status=422)
    return RedirectResponse(source_url(f"{relative}#{values['id']}") + "?saved=1", status_code=303)


def _product_categories() -> list[tuple[str, str]]:
    return [(key, labels()["category"].get(key, key)) for key in PRODUCT_CATEGORIES]


# -- delete and restore ---------------------------------------------------------------------------


@router.post("/delete/{source_id:path}")
async def delete(request: Request, archive: ArchiveDep, source_id: str):
    await _checked_form(request)
    removed = await run_in_threadpool(delete_source, archive, source_id)
    if not removed:
        return _not_found(request, source_id)
    return RedirectResponse("/staff?" + urlencode({"done": f"ย้าย {source_id} ไปถังขยะแล้ว"}), status_code=303)


@router.post("/restore/{source_id:path}")
async def restore_source(request: Request, archive: ArchiveDep, source_id: str):
    await _checked_form(request)
    try:
        report = await in_background(restore, archive, source_id)
    except NothingToRestore:
        return _not_found(request, source_id)
    except RestoreConflict:
        raise PanyaError(
            409,
            "restore_conflict",
            f"{source_id!r} is in the archive again",
            "มีแหล่งข้อมูลชื่อนี้ในคลังอยู่แล้ว (ฉบับใหม่กว่า)",
        ) from None
    if report.failed:
        raise PanyaError(422, "unreadable_file", "; ".join(map(str, report.failed)), "กู้คืนไม่สำเร็จ: อ่านไฟล์ไม่ได้")
    return RedirectResponse(source_url(source_id) + "?" + urlencode({"saved": "กู้คืนแล้ว"}), status_code=303)


def _not_found(request: Request, source_id: str):
    body = ErrorBody(
        status=404, code="source_not_found", message=f"no source {source_id!r}", message_th="ไม่พบแหล่งข้อมูลนี้"
    )
    return error_page(request, body, source_id=source_id)


def edit_url(source_id: str) -> str:
    return "/staff/edit/" + quote(source_id, safe="/")
