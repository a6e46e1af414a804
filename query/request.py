"""A search request, declared once: FastAPI reads it from the query string, ``panya search`` builds
its options from it, and the archive takes it as it is.

>>> SearchRequest(q="ผ้าไหม", province="สุรินทร์", limit=5).filters_set()
{'province': 'สุรินทร์'}
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_QUERY_CHARS = 500
MAX_LIMIT = 50
MAX_OFFSET = 1000

SourceType = Literal["document", "oral_history", "product"]
Mode = Literal["hybrid", "dense", "keyword"]
Sort = Literal["relevance", "price_asc", "price_desc", "date", "title"]

#: The facet fields a request can narrow by (each is a payload index in the store).
FACET_FIELDS = ("type", "province", "category", "region", "district", "centre")
SPACES = " \t\n\r\x0b\x0c\u00a0\u2000\u2001\u2002\u2003\u2009\u200b\u3000\ufeff"


class SearchRequest(BaseModel):
    """What a person asks: words, facets, a page, and how to rank."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={"examples": [{"q": "ปลาแดกเฮ็ดจั่งใด๋", "type": "oral_history", "limit": 5}]},
    )

    q: str = Field(
        "",
        max_length=MAX_QUERY_CHARS,
        description="คำค้น / the query, in everyday Thai or English (empty: browse by facet)",
        examples=["ผ้าไหมมัดหมี่สุรินทร์"],
    )
    type: SourceType | None = Field(None, description="ชนิดแหล่งข้อมูล / source type")
    province: str | None = Field(None, max_length=100, description="จังหวัด / province", examples=["อุบลราชธานี"])
    category: str | None = Field(None, max_length=100, description="หมวด / category", examples=["crafts"])
    region: str | None = Field(None, max_length=100, description="ภาค / region", examples=["อีสาน"])
    district: str | None = Field(None, max_length=100, description="อำเภอ / district", examples=["วารินชำราบ"])
    centre: str | None = Field(
        None, max_length=64, description="ศูนย์ที่ส่งข้อมูล / the centre a source was synced from"
    )
    limit: int = Field(10, ge=1, le=MAX_LIMIT, description="results per page")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="results to skip (paging)")
    mode: Mode = Field("hybrid", description="hybrid (dense + Thai BM25), dense only, or keyword only")
    price_min: float | None = Field(None, ge=0, le=1e9, description="ราคาต่ำสุด (บาท) / lowest price in baht")
    price_max: float | None = Field(None, ge=0, le=1e9, description="ราคาสูงสุด (บาท) / highest price in baht")
    sort: Sort = Field("relevance", description="relevance, price_asc, price_desc, date or title")

    @field_validator("type", "province", "category", "region", "district", "centre", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        # a cleared filter box sends ``province=``: that means "any province", not "province ''"
        if isinstance(value, str):
            value = value.strip()
        return value or None

    @model_validator(mode="after")
    def _price_range_in_order(self) -> SearchRequest:
        if self.price_min is not None and self.price_max is not None and self.price_min > self.price_max:
            self.price_min, self.price_max = self.price_max, self.price_min
        return self

    @property
    def query(self) -> str:
        """The words, without surrounding spaces (a control character alone is not "nothing")."""
        return self.q.strip(SPACES)

    def filters_set(self) -> dict[str, str]:
        """The facet filters this request narrows by."""
        return {name: getattr(self, name) for name in FACET_FIELDS if getattr(self, name)}
