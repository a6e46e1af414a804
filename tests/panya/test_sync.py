"""Centre → province sync between two real ``panya serve`` processes on loopback, each with its own
data directory, through a proxy that cuts the connection mid-sync."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from panya.sync import centre_folder

pytestmark = pytest.mark.integration

CENTRE, PROVINCE = "centre-key-for-tests", "province-key-for-tests"
NAME = "ubon-warinchamrap-01"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def panya_serve(data_dir: Path, key: str):
    port = free_port()
    env = os.environ | {
        "PANYA_DATA_DIR": str(data_dir),
        "PANYA_PORT": str(port),
        "PANYA_WRITE_KEYS": json.dumps([key]),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "panya.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


class CuttingProxy:
    """Forwards loopback TCP to ``target``; once ``cut_after`` uploads have gone through, it drops
    every connection (the next upload never arrives) until ``heal()``."""

    def __init__(self, target_port: int, cut_after: int):
        self.target_port, self.cut_after, self.uploads, self.cut = target_port, cut_after, 0, False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def heal(self) -> None:
        self.cut = False
        self.cut_after = 10**9

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            if self.cut:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, outbound: bool) -> None:
        try:
            while data := source.recv(65536):
                if outbound and b"POST /api/sources" in data:
                    if self.uploads >= self.cut_after:
                        self.cut = True
                    self.uploads += 1
                if self.cut:
                    break
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()


def push(centre_url: str, province_url: str) -> httpx.Response:
    return httpx.post(
        centre_url + "/api/sync/push",
        json={"to": province_url, "key": PROVINCE, "centre": NAME},
        headers={"Authorization": f"Bearer {CENTRE}"},
        timeout=600,
    )


def held(province_url: str) -> dict:
    response = httpx.get(
        province_url + "/api/sync/manifest",
        params={"centre": NAME},
        headers={"Authorization": f"Bearer {PROVINCE}"},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()["files"]


def test_a_cut_sync_resumes_and_both_sides_agree_source_by_source(corpus_copy, tmp_path):
    (corpus_copy / "documents" / "secret-recipe.md").write_text(
        "---\naccess: Restricted\ntitle: สูตรน้ำพริกประจำตระกูล\n---\nสูตรน้ำพริกเผาของยาย ใช้พริกแห้งคั่วกับหอมแดง\n",
        encoding="utf-8",
    )
    centre_dir, province_dir = tmp_path / "centre", tmp_path / "province"
    env = os.environ | {"PANYA_DATA_DIR": str(centre_dir)}
    subprocess.run(
        [sys.executable, "-m", "panya.cli", "ingest", str(corpus_copy), "--no-progress"], env=env, check=True
    )
    with panya_serve(centre_dir, CENTRE) as centre, panya_serve(province_dir, PROVINCE) as province:
        centre_sources = httpx.get(
            centre + "/api/facets", headers={"Authorization": f"Bearer {CENTRE}"}
        ).json()["total"]
        proxy = CuttingProxy(int(province.rsplit(":", 1)[1]), cut_after=2)
        cut = push(centre, f"http://127.0.0.1:{proxy.port}")
        assert cut.status_code == 502 and cut.json()["error"]["code"] == "sync_interrupted"
        assert len(held(province)) == 2  # what went through before the cut is kept

        proxy.heal()
        resumed = push(centre, f"http://127.0.0.1:{proxy.port}")
        assert resumed.status_code == 200, resumed.text
        report = resumed.json()
        assert len(report["unchanged"]) == 2 and report["sent"] and not report["failed"]

        files = held(province)
        sources = [source for file in files.values() for source in file["sources"]]
        assert len(sources) == len(set(sources)) == centre_sources  # every source once, none twice
        assert all(source.startswith(NAME + "/") for source in sources)
        province_view = httpx.get(
            province + "/api/facets", params={"centre": NAME}, headers={"Authorization": f"Bearer {PROVINCE}"}
        ).json()
        assert province_view["total"] == centre_sources and province_view["facets"]["centre"] == {
            NAME: centre_sources
        }
        # the restricted source travelled as restricted: the public never sees it on the province
        public = httpx.get(province + "/api/search", params={"q": "สูตรน้ำพริกเผาของยาย"}).json()
        assert all("secret-recipe" not in r["source_id"] for r in public["results"])

        again = push(centre, province).json()  # nothing new: nothing sent
        assert not again["sent"] and not again["deleted"] and len(again["unchanged"]) == len(files)

        # a deletion at the centre travels too
        gone = httpx.delete(
            centre + "/api/sources/documents/secret-recipe.md", headers={"Authorization": f"Bearer {CENTRE}"}
        )
        assert gone.status_code == 200, gone.text
        after = push(centre, province).json()
        assert after["deleted"] == ["documents/secret-recipe.md"]
        assert "documents/secret-recipe.md" not in held(province)


def test_a_centre_name_is_a_safe_folder():
    assert centre_folder("nong-bua-03") == "nong-bua-03"
    for bad in ("../etc", "ศูนย์หนองบัว", "", "a/b"):
        with pytest.raises(ValueError, match="centre name"):
            centre_folder(bad)
