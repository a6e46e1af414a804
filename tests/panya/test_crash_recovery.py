"""`panya ingest` killed with SIGKILL mid-batch, then run again: every source present exactly once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from panya.archive import Archive
from panya.settings import Settings
from tests.conftest import CORPORA


def run_ingest(corpus: Path, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "PANYA_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "panya.cli", "ingest", str(corpus), "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.integration
def test_sigkill_mid_batch_then_rerun_leaves_every_source_exactly_once(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPORA / "documents", corpus / "documents")
    shutil.copytree(CORPORA / "products", corpus / "products")
    data_dir = tmp_path / "data"

    victim = run_ingest(corpus, data_dir)
    originals = data_dir / "originals" / "documents"
    deadline = time.monotonic() + 120
    # kill once several files are in, while later ones are still being embedded
    while time.monotonic() < deadline and len(list(originals.glob("*"))) < 6 and victim.poll() is None:
        time.sleep(0.05)
    assert victim.poll() is None, "ingest finished before it could be killed: give it more files"
    victim.send_signal(signal.SIGKILL)
    victim.wait()

    rerun = run_ingest(corpus, data_dir)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert "0 failed" in out

    with Archive(Settings(data_dir=data_dir, _env_file=None)) as archive:
        chunks = archive.store.filter_documents()
    per_source = Counter(chunk.meta["source_id"] for chunk in chunks)
    assert len(Counter(chunk.id for chunk in chunks)) == len(chunks)  # no chunk twice
    for source_id, count in per_source.items():
        versions = {c.meta["fingerprint"] for c in chunks if c.meta["source_id"] == source_id}
        assert len(versions) == 1, source_id
        expected = next(c.meta["chunk_count"] for c in chunks if c.meta["source_id"] == source_id)
        assert count == expected, source_id
    documents = {
        p.relative_to(corpus).as_posix()
        for p in (corpus / "documents").iterdir()
        if not p.name.endswith(".meta.json")
    }
    assert documents <= set(per_source)
    assert sum(1 for s in per_source if s.startswith("products/")) >= 30
