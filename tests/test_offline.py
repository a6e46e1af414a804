"""Nothing reaches the network at run time: ingest every format and search with only loopback open."""

from __future__ import annotations

import socket

import pytest

from panya.archive import Archive
from panya.ingestion import ingest_path

pytestmark = pytest.mark.integration


@pytest.fixture
def no_network(monkeypatch):
    attempts = []
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if self.family == socket.AF_UNIX or host in ("127.0.0.1", "::1", "localhost"):
            return real_connect(self, address)
        attempts.append(address)
        raise OSError(f"network access attempted at run time: {address}")

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: (_ for _ in ()).throw(OSError("DNS at run time"))
    )
    yield attempts
    assert not attempts


def test_ingest_and_search_every_format_offline(no_network, settings, tmp_path):
    import shutil

    from tests.conftest import CORPORA

    corpus = tmp_path / "offline-corpus"
    for pattern in (
        "documents/*.docx",
        "documents/*.pdf",
        "documents/*.html",
        "documents/pla-ra-ubon.md",
        "documents/*.txt",
        "oral_histories/*.srt",
        "products/*.jsonl",
    ):
        for path in sorted(CORPORA.glob(pattern))[:1]:
            for item in (path, path.with_name(path.stem + ".meta.json")):
                if item.exists():
                    (corpus / path.parent.name).mkdir(parents=True, exist_ok=True)
                    shutil.copy2(item, corpus / path.parent.name / item.name)
    with Archive(settings) as archive:
        report = ingest_path(archive, corpus, progress=False)
        assert report.ok, report.failed
        assert {source.split("/")[0] for source in report.added} == {
            "documents",
            "oral_histories",
            "products",
        }
        assert archive.search("ปลาร้า", limit=3).results
