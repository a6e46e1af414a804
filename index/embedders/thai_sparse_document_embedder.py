from __future__ import annotations

from dataclasses import replace

from haystack import Document, component

from index.bm25 import ThaiBM25
from index.thai_text import DEFAULT_WORD_ENGINE, NAME_EDGES, WORD_EDGES, WordEdges

#: Metadata a source holds as words of its own: a question may name its place, its maker or its tags.
NAME_FIELDS = ("title", "province_en", "tags", "village", "district", "province", "region")


@component
class ThaiSparseDocumentEmbedder:
    """Adds a Thai BM25 ``sparse_embedding`` to each Document (title words count too), and the
    edges of its text's words (``meta["word_edges"]``, ``WordEdges``): a search checks a query word
    it finds in the chunk against them instead of segmenting the chunk again.

    >>> from haystack import Document
    >>> out = ThaiSparseDocumentEmbedder().run([Document(content="ผ้าไหมมัดหมี่สุรินทร์")])
    >>> len(out["documents"][0].sparse_embedding.indices) > 0
    True
    >>> WordEdges.kept(out["documents"][0].meta["word_edges"], "ผ้าไหมมัดหมี่สุรินทร์").word_at(0)
    (0, 6)
    """

    def __init__(self, word_engine: str = DEFAULT_WORD_ENGINE, meta_fields_to_embed: list[str] | None = None):
        self.word_engine = word_engine
        self.meta_fields_to_embed = meta_fields_to_embed or []
        self._bm25: ThaiBM25 | None = None

    def warm_up(self) -> None:
        if self._bm25 is None:
            self._bm25 = ThaiBM25(self.word_engine)

    def _loaded(self) -> ThaiBM25:
        self.warm_up()
        assert self._bm25 is not None
        return self._bm25

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        self.warm_up()
        return {
            "documents": [
                replace(
                    doc,
                    sparse_embedding=self._loaded().document(embedding_text(doc, self.meta_fields_to_embed)),
                    meta={**doc.meta, **word_edges(doc, self.word_engine)},
                )
                for doc in documents
            ]
        }


def embedding_text(document: Document, meta_fields: list[str]) -> str:
    """The text a model sees for a chunk: chosen metadata (e.g. the title), then the content."""
    fields = [str(document.meta[key]) for key in meta_fields if document.meta.get(key)]
    return "\n".join([*fields, document.content or ""])


def names_text(meta: dict) -> str:
    """A source's names (``NAME_FIELDS``) as one text, as the query side reads them."""
    return " ".join(_as_text(meta.get(key)) for key in NAME_FIELDS)


def _as_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    return str(value or "")


def word_edges(document: Document, engine: str = DEFAULT_WORD_ENGINE) -> dict[str, str]:
    """The packed ``WordEdges`` of a chunk's text and of its names, as its meta keeps them."""
    return {
        WORD_EDGES: WordEdges.of(document.content or "", engine).pack(),
        NAME_EDGES: WordEdges.of(names_text(document.meta), engine).pack(),
    }
