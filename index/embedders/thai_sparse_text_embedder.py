from __future__ import annotations

from haystack import component
from haystack.dataclasses import SparseEmbedding

from index.bm25 import ThaiBM25
from index.thai_text import DEFAULT_WORD_ENGINE


@component
class ThaiSparseTextEmbedder:
    """Turns a query into its Thai BM25 sparse vector (one entry per distinct word).

    >>> ThaiSparseTextEmbedder().run("ทอผ้าไหม")["sparse_embedding"].values
    [1.0, 1.0]
    """

    def __init__(self, word_engine: str = DEFAULT_WORD_ENGINE):
        self.word_engine = word_engine
        self._bm25: ThaiBM25 | None = None

    def warm_up(self) -> None:
        if self._bm25 is None:
            self._bm25 = ThaiBM25(self.word_engine)

    def _loaded(self) -> ThaiBM25:
        self.warm_up()
        assert self._bm25 is not None
        return self._bm25

    @component.output_types(sparse_embedding=SparseEmbedding)
    def run(self, text: str) -> dict[str, SparseEmbedding]:
        self.warm_up()
        return {"sparse_embedding": self._loaded().query(text)}
