"""Thai-aware chunking: cut on phrase and sentence boundaries, never inside a word.

Thai writes no full stop; a space closes a phrase or sentence, a newline a paragraph.
Chunks pack whole units up to ``chunk_size`` characters and repeat up to ``overlap``
characters of the previous chunk's last units. A unit longer than a chunk is cut at
word boundaries (PyThaiNLP). Transcripts (Documents carrying ``meta["cues"]``) are cut
between cues, so each chunk knows its speakers and its start and end seconds.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from haystack import Document, component

from index.thai_text import unit_spans, word_spans
from panya.settings import default


@component
class ThaiDocumentSplitter:
    """Splits source Documents into chunk Documents with deterministic ids.

    >>> splitter = ThaiDocumentSplitter(chunk_size=40, overlap=10)
    >>> text = "ปลาร้าเป็นอาหารหมักของชาวอีสาน ทำจากปลาน้ำจืดกับเกลือและรำข้าว หมักในไหนานหลายเดือน"
    >>> chunks = splitter.run([Document(content=text, meta={"source_id": "documents/pla-ra.md"})])["documents"]
    >>> [c.content for c in chunks]
    ['ปลาร้าเป็นอาหารหมักของชาวอีสาน', 'ทำจากปลาน้ำจืดกับเกลือและรำข้าว', 'หมักในไหนานหลายเดือน']
    """

    def __init__(self, chunk_size: int = default("chunk_size"), overlap: int = default("chunk_overlap")):
        if chunk_size < 20 or not 0 <= overlap < chunk_size // 2:
            raise ValueError(
                f"need chunk_size >= 20 and 0 <= overlap < chunk_size/2 (got {chunk_size}, {overlap})"
            )
        self.chunk_size = chunk_size
        self.overlap = overlap

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        chunks = []
        for document in documents:
            if document.meta.get("cues"):
                pieces = self._cue_chunks(document)
            else:
                text, pieces, previous_end = document.content or "", [], 0
                for start, end in self._text_spans(text):
                    # what stood between two chunks (a space, a newline), so the text can be rebuilt
                    gap = text[previous_end:start] if start > previous_end else ""
                    pieces.append(
                        (text[start:end], {"start_char": start, "end_char": end, "gap_before": gap})
                    )
                    previous_end = end
            chunks += _as_chunks(document, pieces)
        return {"documents": chunks}

    def _text_spans(self, text: str) -> list[tuple[int, int]]:
        units = []
        for start, end in unit_spans(text):
            if end - start <= self.chunk_size:
                units.append((start, end))
            else:
                units += _cut_long_unit(text, start, end, self.chunk_size)
        return _pack(units, self.chunk_size, self.overlap)

    def _cue_chunks(self, document: Document) -> list[tuple[str, dict]]:
        cues = document.meta["cues"]
        groups: list[list[dict]] = []
        current: list[dict] = []
        size = 0
        for cue in cues:
            line = cue_line(cue)
            if current and size + len(line) > self.chunk_size:
                groups.append(current)
                current, size = [], 0
            current.append(cue)
            size += len(line) + 1
        if current:
            groups.append(current)
        return [
            (
                "\n".join(cue_line(cue) for cue in group),
                {
                    "start": group[0]["start"],
                    "end": group[-1]["end"],
                    "speakers": sorted({cue["speaker"] for cue in group if cue.get("speaker")}),
                    "cues": group,
                },
            )
            for group in groups
        ]


def cue_line(cue: dict) -> str:
    return f"{cue['speaker']}: {cue['text']}" if cue.get("speaker") else cue["text"]


def _cut_long_unit(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    pieces, piece_start, last_end = [], start, start
    for word_start, word_end in word_spans(text[start:end]):
        word_start, word_end = word_start + start, word_end + start
        if word_end - piece_start > size and last_end > piece_start:
            pieces.append((piece_start, last_end))
            piece_start = word_start
        last_end = word_end
    pieces.append((piece_start, end))
    # a single "word" longer than a chunk (a URL, a run of digits) is cut where it must be
    return [(a, min(a + size, b)) for a, b in pieces for a in range(a, b, size)]


def _pack(units: list[tuple[int, int]], size: int, overlap: int) -> list[tuple[int, int]]:
    spans, first = [], 0
    while first < len(units):
        last = first
        while last + 1 < len(units) and units[last + 1][1] - units[first][0] <= size:
            last += 1
        spans.append((units[first][0], units[last][1]))
        if last + 1 >= len(units):
            break
        following = last + 1
        while following - 1 > first and units[last][1] - units[following - 1][0] <= overlap:
            following -= 1
        first = following
    return spans


def _as_chunks(source: Document, pieces: list[tuple[str, dict]]) -> list[Document]:
    meta = {key: value for key, value in source.meta.items() if key != "cues"}
    source_id = meta["source_id"]
    chunks = []
    for index, (content, position) in enumerate(pieces):
        digest = hashlib.sha256(f"{source_id}\x00{index}\x00{content}".encode()).hexdigest()
        chunks.append(
            replace(
                source,
                id=digest,
                content=content,
                meta={**meta, **position, "chunk_index": index, "chunk_count": len(pieces)},
            )
        )
    return chunks
