"""Vectors for a transcript's cue pairs, made while ingesting, so that no search has to embed them.

A search finds the moment of an oral history that answers by comparing the query with each cue
read together with the cue after it (``query.passages.semantic_window``). Embedding those pairs
when the question comes costs about 60 ms of model time per search (most of what a search
costs); made once here, they travel with their chunk as ``meta["cue_vectors"]``: one float16
vector per cue of the chunk, base64-encoded, aligned with ``meta["cues"]``.

>>> vector = decode_vector(encode_vector([0.25, -0.5, 1.0]))
>>> [round(float(x), 3) for x in vector]
[0.25, -0.5, 1.0]
>>> pair_text(["ปลาแดกต้องขอดเกล็ดก่อน", "แล้วคลุกเกลือกับรำ"])
'ปลาแดกต้องขอดเกล็ดก่อน แล้วคลุกเกลือกับรำ'
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from haystack import Document, component

#: The chunk field that holds the vectors (never shown: ``query.models.CHUNK_FIELDS``).
CUE_VECTORS = "cue_vectors"


def pair_text(texts: Sequence[str]) -> str:
    """The text a cue pair is embedded as (the same at ingest and at search)."""
    return " ".join(texts)


def encode_vector(vector: Sequence[float] | np.ndarray) -> str:
    """float16, little-endian, base64: 384 dimensions in 1,024 characters of payload."""
    return base64.b64encode(np.asarray(vector, dtype="<f2").tobytes()).decode("ascii")


def decode_vector(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f2").astype(np.float32)


@component
class CuePairEmbedder:
    """Adds ``meta["cue_vectors"]`` to every transcript chunk (one carrying ``meta["cues"]``).

    A cue's vector is that of its text followed by the next cue's, across chunk boundaries (the
    last cue of a transcript is embedded alone). The chunks of a source must come in one run, as the
    splitter gives them; other documents pass through untouched. ``embedder`` is a Haystack
    document embedder of the store's model (passage side), run on bare texts.
    """

    def __init__(self, embedder: Any):
        self.embedder = embedder

    def warm_up(self) -> None:
        if hasattr(self.embedder, "warm_up"):
            self.embedder.warm_up()

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        transcripts: dict[str, list[int]] = {}
        for position, document in enumerate(documents):
            if document.meta.get("cues"):
                source = str(document.meta.get("source_id", document.id))
                transcripts.setdefault(source, []).append(position)
        if not transcripts:
            return {"documents": documents}
        texts: list[str] = []
        for positions in transcripts.values():
            positions.sort(key=lambda p: documents[p].meta.get("chunk_index", 0))
            cues = [cue["text"] for p in positions for cue in documents[p].meta["cues"]]
            texts += [pair_text(cues[n : n + 2]) for n in range(len(cues))]
        embedded = self.embedder.run(documents=[Document(content=text) for text in texts])["documents"]
        vectors = iter(doc.embedding for doc in embedded)
        documents = list(documents)
        for positions in transcripts.values():
            for p in positions:
                chunk = documents[p]
                encoded = [encode_vector(next(vectors)) for _ in chunk.meta["cues"]]
                documents[p] = replace(chunk, meta={**chunk.meta, CUE_VECTORS: encoded})
        return {"documents": documents}
