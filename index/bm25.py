"""Thai BM25 as a sparse vector: term-frequency saturation on the client, IDF in Qdrant.

A document's vector holds, for each of its PyThaiNLP words, the BM25 term weight
``tf·(k1+1) / (tf + k1·(1-b+b·len/avg_len))``; a query's holds 1.0 per distinct word.
The collection's sparse vector carries Qdrant's IDF modifier, so the dot product the
store computes is the BM25 score. Words map to indices by CRC-32 (stable across
processes, machines and Python versions, unlike ``hash()``).

>>> bm25 = ThaiBM25()
>>> q = bm25.query("ปลาร้า อุบล")
>>> len(q.indices), q.values
(2, [1.0, 1.0])
"""

from __future__ import annotations

import zlib
from collections import Counter

from haystack.dataclasses import SparseEmbedding

from index.thai_text import DEFAULT_WORD_ENGINE, normalize, words

#: Identifies the sparse encoding; a collection built with another one is refused.
SPARSE_ENCODING = "thai-bm25-crc32-v1"


def term_index(term: str) -> int:
    return zlib.crc32(term.encode("utf-8"))


class ThaiBM25:
    def __init__(
        self, word_engine: str = DEFAULT_WORD_ENGINE, k1: float = 1.2, b: float = 0.75, avg_len: float = 90.0
    ) -> None:
        self.word_engine = word_engine
        self.k1, self.b, self.avg_len = k1, b, avg_len

    def terms(self, text: str) -> list[str]:
        return words(normalize(text), self.word_engine)

    def document(self, text: str) -> SparseEmbedding:
        terms = self.terms(text)
        counts = Counter(term_index(term) for term in terms)
        norm = self.k1 * (1 - self.b + self.b * len(terms) / self.avg_len)
        indices = sorted(counts)
        values = [counts[i] * (self.k1 + 1) / (counts[i] + norm) for i in indices]
        return SparseEmbedding(indices=indices, values=values)

    def query(self, text: str) -> SparseEmbedding:
        indices = sorted({term_index(term) for term in self.terms(text)})
        return SparseEmbedding(indices=indices, values=[1.0] * len(indices))
