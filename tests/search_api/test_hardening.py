"""Regression tests for the defects found when Panya was probed as an attacker and a careless user."""

from __future__ import annotations

import asyncio
import gc
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import httpx
import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_api.uploads import in_background
from tests.conftest import CORPORA, serve_in_thread
from tests.search_api.conftest import READ_KEY, WRITE_KEY, auth, keyed


def upload(client, *files, folder="products", key=WRITE_KEY):
    parts = [("files", (name, data)) for name, data in files]
    return client.post("/api/sources", headers=auth(key), data={"folder": folder}, files=parts)


def test_a_product_without_a_price_does_not_break_any_page(writable_client):
    assert (
        upload(
            writable_client, ("nopay.csv", "id,name,description\nX-2,ผ้าขาวม้า,ผ้าขาวม้าทอมือ\n".encode())
        ).status_code
        == 201
    )
    assert writable_client.get("/").status_code == 200
    page = writable_client.get("/", params={"q": "ผ้าขาวม้า"})
    assert page.status_code == 200 and "ผ้าขาวม้า" in page.text and "None บาท" not in page.text
    assert writable_client.get("/sources/products/nopay.csv%23X-2").status_code == 200


def test_product_links_encode_the_catalogue_row_id(writable_client):
    upload(writable_client, ("otop.csv", (CORPORA / "products/otop.csv").read_bytes()))
    page = writable_client.get("/", params={"q": "ผ้าไหมมัดหมี่"}).text
    assert "/sources/products/otop.csv%23NNE-001?" in page and 'href="/sources/products/otop.csv#' not in page
    assert writable_client.get("/sources/products/otop.csv%23NNE-001").status_code == 200


def test_a_read_key_trying_to_write_gets_403(writable_client):
    response = upload(writable_client, ("ya.txt", "ยาหม่องไพล".encode()), folder="documents", key=READ_KEY)
    assert response.status_code == 403 and response.json()["error"]["code"] == "read_only_key"
    assert writable_client.delete("/api/sources/x.md", headers=auth(READ_KEY)).status_code == 403


def test_the_upload_report_says_how_long_it_took(writable_client):
    response = upload(writable_client, ("ya.txt", "ยาหม่องไพลช่วยคลายกล้ามเนื้อ".encode()), folder="documents")
    assert response.status_code == 201 and response.json()["seconds"] > 0


def test_a_control_character_query_is_searched_not_refused(client):
    response = client.get("/api/search", params={"q": "\x1d"})
    assert response.status_code == 200 and response.json()["results"] == []


def test_method_not_allowed_says_what_is_allowed(client):
    response = client.put("/api/search")
    assert response.status_code == 405 and "GET" in response.headers["allow"]


def test_a_browser_gets_an_html_error_page_not_json(client):
    response = client.get("/", params={"q": "ก" * 600}, headers={"Accept": "text/html"})
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text and '"error"' not in response.text
    missing = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "ไม่พบ" in missing.text


def test_openapi_lists_the_error_responses_of_every_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    upload_responses = paths["/api/sources"]["post"]["responses"]
    assert {"201", "400", "401", "403", "413", "415", "422"} <= set(upload_responses)
    for path, operations in paths.items():
        if path == "/oai":  # OAI-PMH answers its errors in XML with HTTP 200, as the protocol says
            continue
        for method, operation in operations.items():
            assert {"401", "404", "422"} <= set(operation["responses"]), (method, path)
            for status, response in operation["responses"].items():
                if not status.startswith("2"):  # success may be a file or a table (test_search_routes)
                    assert "application/json" in response.get("content", {}), (method, path, status)


def test_stale_upload_folders_are_removed_on_start(settings):
    leftover = settings.uploads_dir / "upload-killed"
    leftover.mkdir(parents=True)
    (leftover / "half.txt").write_text("ครึ่งไฟล์")
    with TestClient(create_app(settings)):
        assert not leftover.exists()


def test_what_the_server_loaded_at_start_is_kept_out_of_full_collections_until_it_stops(settings):
    """A full collection over the dictionaries, lexicon and model tables stopped a search for
    ~0.3 s at 100k chunks: once warmed up, they are frozen; at shutdown, given back."""
    gc.unfreeze()
    with TestClient(create_app(settings)) as client:
        assert gc.get_freeze_count() > 100_000  # the Thai dictionaries alone are more
        assert client.get("/api/search", params={"q": "ผ้าไหม"}).status_code == 200
    assert gc.get_freeze_count() == 0


def _send_headers_only(url: str, headers: dict[str, str]) -> bytes:
    """Send a request's headers but none of its body; return what the server answers."""
    parsed = urlparse(url)
    with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as sock:
        head = "POST /api/sources HTTP/1.1\r\nHost: x\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()
        )
        sock.sendall((head + "\r\n").encode())
        return sock.recv(4096)


@pytest.mark.integration
def test_refusals_come_before_the_body_is_read(settings):
    multipart = "multipart/form-data; boundary=xyz"
    with serve_in_thread(create_app(keyed(settings))) as url:
        anonymous = _send_headers_only(url, {"Content-Type": multipart, "Content-Length": str(50 * 1024**2)})
        assert anonymous.startswith(b"HTTP/1.1 401")
        too_big = _send_headers_only(
            url,
            {
                "Content-Type": multipart,
                "Content-Length": str(300 * 1024**2),
                "Authorization": f"Bearer {WRITE_KEY}",
            },
        )
        assert too_big.startswith(b"HTTP/1.1 413")
    assert not list(settings.uploads_dir.glob("upload-*"))


@pytest.mark.integration
def test_an_upload_never_freezes_the_server(settings):
    documents = [(p.name, p.read_bytes()) for p in sorted(CORPORA.glob("documents/*.md"))[:8]]
    with (
        serve_in_thread(create_app(keyed(settings))) as url,
        httpx.Client(base_url=url, timeout=120) as client,
    ):
        done = threading.Event()

        def send():
            try:
                assert upload(client, *documents, folder="documents").status_code == 201
            finally:
                done.set()

        sender = threading.Thread(target=send)
        sender.start()
        answered, slowest = 0, 0.0
        while not done.is_set():
            started = time.perf_counter()
            assert client.get("/api/health").status_code == 200
            slowest = max(slowest, time.perf_counter() - started)
            answered += 1
            time.sleep(0.05)
        sender.join()
    # the health check kept answering all through the upload (seconds of embedding on 2 cores)
    assert answered >= 5 and slowest < 2.0, (answered, slowest)


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="the idle scheduling class is a Linux matter")
def test_uploads_are_ingested_only_on_cores_no_search_wants():
    """Ingesting an upload embeds whole documents: it must not take the cores from the searches,
    and neither may the threads it starts (its conversion worker, the model's OpenMP team)."""
    here = os.sched_getscheduler(0)

    def policies() -> tuple[int, int, str]:
        with ThreadPoolExecutor(max_workers=1) as started:
            child = started.submit(os.sched_getscheduler, 0).result()
        return os.sched_getscheduler(0), child, threading.current_thread().name

    policy, child, thread = asyncio.run(in_background(policies))
    assert policy == child == os.SCHED_IDLE
    assert thread.startswith("panya-upload")
    # the request threads that serve searches keep theirs
    assert os.sched_getscheduler(0) == here != os.SCHED_IDLE
