"""Shared fixtures. Everything runs offline on the bundled model; nothing is downloaded."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from panya.settings import Settings, apply_offline_environment

apply_offline_environment()

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO / "corpora"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", _env_file=None)


@pytest.fixture
def archive(settings):
    from panya.archive import Archive

    with Archive(settings) as archive:
        yield archive


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("corpus") / "data", _env_file=None)


@pytest.fixture(scope="session")
def corpus_archive(corpus_settings):
    """The sample corpora, ingested once for the whole session (read-only for tests)."""
    from panya.archive import Archive
    from panya.ingestion import ingest_path

    with Archive(corpus_settings) as archive:
        report = ingest_path(archive, CORPORA, progress=False)
        assert report.ok, report.failed
        archive.report = report
        yield archive


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of a few sample sources (one per format family)."""
    target = tmp_path / "corpus"
    for pattern in (
        "documents/pla-ra-ubon.*",
        "documents/mat-mi-silk-surin.*",
        "oral_histories/*.vtt",
        "oral_histories/*.vtt.meta.json",
        "products/otop.csv",
    ):
        for path in sorted(CORPORA.glob(pattern))[:2]:
            destination = target / path.relative_to(CORPORA)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            sidecar = path.with_name(path.stem + ".meta.json")
            if sidecar.exists():
                shutil.copy2(sidecar, destination.with_name(sidecar.name))
    return target


@contextmanager
def serve_in_thread(app):
    """Run ``app`` with uvicorn on a free loopback port; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def pytest_collection_modifyitems(config, items):
    # one marker per speed class, from the folder a test lives in and the fixtures it uses
    for item in items:
        if "browser" in item.keywords:
            continue
        uses_model = {"archive", "corpus_archive", "client", "server_url"} & set(
            getattr(item, "fixturenames", ())
        )
        if uses_model and "integration" not in item.keywords:
            item.add_marker(pytest.mark.integration)
