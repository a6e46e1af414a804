"""The answer on the screen: within a result's best chunks, the phrases (or, in a transcript, the
cues) that answer the query, so the snippet and "ฟังช่วงนี้" point at the answer, not at the
chunk that happened to rank.

A source's candidate chunks are first ordered by their own evidence (raw e5 cosine plus the
query words they hold); inside the chosen chunk, windows of a few phrases (or 1-3 cues) are
scored by the query's content words they hold, longer words weighing more (a Thai word's
length is a fair proxy for how specific it is: ``ปลาร้า`` says more than ``ทำ``).

>>> window = best_window(["ขายที่ตลาดนัดทุกวันพุธ", "เอาปลามาคลุกเกลือกับรำข้าว", "หมักไว้สามเดือน"], {"ปลา", "เกลือ", "หมัก"})
>>> window.first, window.last
(1, 2)
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, replace

from haystack import Document

from index.embedders.cue_pair_embedder import CUE_VECTORS, decode_vector, pair_text
from index.thai_text import DEFAULT_WORD_ENGINE, WORD_EDGES, WordEdges, unit_spans
from query.models import AnswerBox, SearchResult
from query.relevance import (
    MAX_TRIES,
    RelevanceCutoff,
    chunk_edges,
    chunk_words_in,
    content_words,
    parts_in,
    word_hits,
    words_in,
)
from query.snippets import highlight, marked_terms

MAX_WINDOW_CHARS = 200
MAX_WINDOW_CUES = 3
CHUNK_WORDS_WEIGHT = 0.1  # cosines differ by hundredths; holding every query word is worth 0.1
WORDS_IN_WINDOW = 0.05
PART_WEIGHT = 0.5  # a query word found only inside a longer word (แช่ in แช่น้ำ) weighs half
WORDS_SETTLE = 0.75  # share of the query's word weight one window must hold to skip the model
MAX_SEMANTIC_WINDOWS = 6  # cue pairs compared for the top transcript
MIN_TOLD = 2  # content words an answer box says beyond the question's


@dataclass(frozen=True)
class Window:
    first: int  # index of the first phrase (or cue) in the window
    last: int  # index of the last one
    score: float
    tied: bool = False  # another window, starting elsewhere, holds as much of the query's words


def weight(words: Set[str]) -> float:
    return float(sum(len(word) for word in words))


def best_window(
    pieces: list[str],
    query_words: Set[str],
    max_pieces: int = 4,
    max_chars: int = MAX_WINDOW_CHARS,
    engine: str = DEFAULT_WORD_ENGINE,
    starts: Set[int] | None = None,
    edges: WordEdges | None = None,
    offsets: Sequence[int] = (),
    reach: int = 0,
    text: str | None = None,
) -> Window:
    """The run of consecutive pieces (phrases, cues) holding most of the query's words; with
    ``starts``, only runs that begin at one of those pieces, and a run that begins before piece
    ``reach`` only if it reaches it. ``edges``: the word edges of a text the pieces are parts of,
    each at its ``offsets``; ``text``: that text (its words are then found once, for all pieces).

    >>> best_window(["แล้วแช่ไว้คืนนึง", "แล้วเอาไปโม่", "ใส่เกลือ"], {"แช่", "โม่"}, starts={0, 1, 2}, reach=1)
    Window(first=0, last=1, score=5.99, tied=False)
    """
    found, present = _pieces_words(text, pieces, query_words, engine, edges, offsets) or (
        [words_in(p, query_words, engine, edges, at) for p, at in zip(pieces, offsets, strict=True)]
        if edges is not None and len(offsets) == len(pieces)
        else [words_in(piece, query_words, engine) for piece in pieces],
        [set(query_words)] * len(pieces),
    )
    # a query word inside a word the segmenter keeps whole (แช่ in แช่น้ำ) counts half
    parts = [
        parts_in(piece, wanted - held, engine) if wanted - held else set()
        for piece, wanted, held in zip(pieces, present, found, strict=True)
    ]
    firsts = sorted(starts) if starts else range(len(pieces))
    best = Window(firsts[0] if firsts else 0, firsts[0] if firsts else 0, -1.0)
    holding: list[float] = []  # the most each start's windows hold
    for first in firsts:
        held: set[str] = set()
        halves: set[str] = set()
        held_weight = chars = 0.0
        for last in range(first, min(len(pieces), first + max_pieces)):
            chars += len(pieces[last])
            if last > first and chars > max_chars:
                break
            if new := found[last] - held:
                held |= new
                held_weight += weight(new)
            halves |= parts[last]
            if last < reach:  # (it must reach the pieces the caller chose)
                continue
            # a longer window must earn its length: ties go to the shorter, earlier one
            score = held_weight - 0.01 * (last - first)
            if halves:
                score += PART_WEIGHT * weight(halves - held)
            if score > best.score:
                best = Window(first, last, score)
        holding.append(held_weight if last >= reach else 0.0)
    most = max(holding, default=0.0)
    return replace(best, tied=most > 0 and sum(1 for held in holding if held == most) > 1)


def _pieces_words(
    text: str | None,
    pieces: list[str],
    query_words: Set[str],
    engine: str,
    edges: WordEdges | None,
    offsets: Sequence[int],
) -> tuple[list[set[str]], list[set[str]]] | None:
    """For pieces of ``text`` (at ``offsets`` in it; ``edges``: its word edges): the query words
    each holds as words (``words_in`` of each piece) and those it holds at all, as substrings;
    read off the whole text's ``word_hits``, once per word rather than piece by piece. None when
    there is no such text."""
    if text is None or edges is None or len(offsets) != len(pieces) or not pieces:
        return None
    ends = [at + len(piece) for piece, at in zip(pieces, offsets, strict=True)]
    found: list[set[str]] = [set() for _ in pieces]
    present: list[set[str]] = [set() for _ in pieces]
    for word in query_words:
        hits = word_hits(text, word, engine, edges)
        if hits is None:
            return None
        tries: dict[int, int] = {}
        for start, ok in hits:
            i = bisect_right(offsets, start) - 1
            if i < 0 or start + len(word) > ends[i]:
                continue  # (across the gap between two pieces)
            present[i].add(word)
            if tries.get(i, 0) < MAX_TRIES:
                tries[i] = tries.get(i, 0) + 1
                if ok:
                    found[i].add(word)
    return found, present


def choose_chunk(
    result: SearchResult,
    query_words: Set[str],
    engine: str = DEFAULT_WORD_ENGINE,
    same: Mapping[str, str] | None = None,
) -> Document | None:
    """The candidate chunk of ``result`` that best answers: raw cosine plus the query words it holds.

    Only words that tell the candidates apart count: in an interview about pla daek every chunk
    says ปลาแดก, so holding it says nothing about which chunk answers "how is the fish prepared".
    ``same`` maps each word of the query to the concept it stands for (a dialect word and the
    central Thai it was expanded with are one: เฮ็ด and ทำ), so a chunk is not counted twice for
    saying a thing in both dialect and central Thai.

    >>> from query.models import SearchResult
    >>> intro = Document(content="แม่เริ่มเฮ็ดปลาแดก ทำปลาร้าตั้งแต่อายุสิบห้า", meta={"chunk_index": 0})
    >>> answer = Document(content="เฮ็ดปลาแดกต้องขอดเกล็ดก่อนเด้อ", meta={"chunk_index": 2})
    >>> result = SearchResult.model_construct()
    >>> result._passages = [(intro, 0.912), (answer, 0.9121)]
    >>> words = {"เฮ็ด", "ปลาแดก", "ทำ", "ปลาร้า"}
    >>> choose_chunk(result, words).meta["chunk_index"]  # the intro says it twice over
    0
    >>> choose_chunk(result, words, same={"ทำ": "เฮ็ด", "ปลาร้า": "ปลาแดก"}).meta["chunk_index"]
    2
    """
    if not result._passages:
        return None
    same = same or {}
    # a concept weighs what its plainest form weighs: พรือ stands for อย่างไร ("how"), a word too
    # common to be a content word, so it says nothing about which chunk answers
    weights: dict[str, float] = {}
    for word in query_words:
        concept = same.get(word, word)
        weights[concept] = min(weights.get(concept, float("inf")), weight({word}))
    for central, concept in same.items():
        if concept in weights:
            weights[concept] = min(weights[concept], weight({central}) if content_words(central) else 0.0)

    def concepts(words: Set[str]) -> set[str]:
        return {same.get(word, word) for word in words}

    held = [concepts(chunk_words_in(chunk, query_words, engine)) for chunk, _ in result._passages]
    everywhere = set.intersection(*held) if len(held) > 1 else set()
    telling = set(weights) - everywhere
    total = sum(weights[concept] for concept in telling) or 1.0
    merits = [
        cosine + CHUNK_WORDS_WEIGHT * sum(weights[concept] for concept in words & telling) / total
        for (_, cosine), words in zip(result._passages, held, strict=True)
    ]
    return result._passages[max(range(len(merits)), key=merits.__getitem__)][0]


@dataclass(frozen=True)
class Answer:
    """Where in a result the answer is: a span of its chunk's text, or a run of its cues."""

    chunk: Document
    start_char: int
    end_char: int
    start: float | None = None  # seconds, for a transcript
    end: float | None = None
    held: float = 0.0  # share of the query's word weight the answer holds
    chunk_index: int | None = None  # the stored chunk the answer starts in


def transcript_span(chosen: Document, neighbours: list[Document]) -> Document:
    """The chosen transcript chunk with its neighbours' cues around it, as one passage (chunks
    overlap: a cue seen twice is kept once); each cue remembers which chunk it is stored in."""
    cues, seen = [], set()
    for chunk in sorted(neighbours, key=lambda c: c.meta.get("chunk_index", 0)):
        chunk_cues = chunk.meta.get("cues") or []
        vectors = chunk.meta.get(CUE_VECTORS) or []
        if len(vectors) != len(chunk_cues):  # stored before cue pairs were embedded at ingest
            vectors = [None] * len(chunk_cues)
        for cue, vector in zip(chunk_cues, vectors, strict=True):
            key = (cue["start"], cue["text"])
            if key not in seen:
                seen.add(key)
                cues.append(
                    {
                        **cue,
                        "chunk_index": chunk.meta.get("chunk_index", 0),
                        "home": chosen.meta.get("chunk_index"),
                        "pair_vector": vector,
                    }
                )
    if not cues:
        return chosen
    return Document(
        id=chosen.id,
        content="\n".join(cue["text"] for cue in cues),
        # another text than the chunk's: its word edges are not these
        meta={**{k: v for k, v in chosen.meta.items() if k != WORD_EDGES}, "cues": cues},
        score=chosen.score,
    )


def through_the_reply(cues: list[dict], window: Window, replies: int = 2, sage: str | None = None) -> Window:
    """An interviewer's question holds the words a person searches for; the answer is the sage's
    reply after it. A window that ends on someone other than the chunk's main speaker runs on
    through (up to ``replies``) cues of the reply. ``sage``: the main speaker's label, if known.

    >>> cues = [{"speaker": "ผู้สัมภาษณ์", "text": "ทำปลาร้ายังไงคะ"}, {"speaker": "แม่บัวลาย", "text": "เอาปลามาขอดเกล็ดก่อน"},
    ...         {"speaker": "แม่บัวลาย", "text": "แล้วคลุกเกลือกับรำ"}, {"speaker": "แม่บัวลาย", "text": "หมักไว้ในไห"}]
    >>> through_the_reply(cues, Window(0, 0, 1.0))
    Window(first=0, last=2, score=1.0, tied=False)
    """
    main = _main_speaker(cues, sage)
    if main is None or (cues[window.last].get("speaker") or "") == main:
        return window
    last = window.last
    while (
        last + 1 < len(cues)
        and last - window.last < replies
        and (cues[last + 1].get("speaker") or "") == main
    ):
        last += 1
    return Window(window.first, last, window.score)


ECHO = 0.6  # share of the question's letter trigrams an interviewer's cue must hold to be asking it


def echoing_question(
    cues: list[dict], question: str, home: Set[int] | None = None, sage: str | None = None
) -> int | None:
    """The interviewer's cue that asks what the question asks, nearly in its words, if one does:
    in an interview the reply to it is the answer, whatever words the reply is told in.
    Compared by letter trigrams, so Thai word boundaries (เรียกขวัญ, เกี่ยวข้าว) do not matter.

    >>> cues = [{"speaker": "ป้าลำดวน", "text": "ตอนเกี่ยวข้าวเสร็จมีพิธีรับขวัญข้าว"},
    ...         {"speaker": "ผู้สัมภาษณ์", "text": "ทำไมต้องเรียกขวัญตอนเกี่ยวข้าวด้วยคะ"},
    ...         {"speaker": "ป้าลำดวน", "text": "คนแก่เขาว่าขวัญข้าวมันตกใจ"}]
    >>> echoing_question(cues, "ทำไมต้องเรียกขวัญข้าวหลังเกี่ยว"), echoing_question(cues, "ขวัญข้าวคืออะไร")
    (1, None)
    """
    asked = _trigrams(question)
    main = _main_speaker(cues, sage)
    if not asked or main is None:
        return None
    best, found = ECHO, None
    for at, cue in enumerate(cues):
        if (cue.get("speaker") or "") == main or (home is not None and at not in home):
            continue
        share = len(asked & _trigrams(cue["text"])) / len(asked)
        if share >= best:
            best, found = share, at
    return found


def _trigrams(text: str) -> set[str]:
    letters = "".join(char for char in text.lower() if char.isalnum() or "\u0e00" <= char <= "\u0e7f")
    return {letters[i : i + 3] for i in range(len(letters) - 2)}


def _main_speaker(cues: list[dict], label: str | None = None) -> str | None:
    """The sage, when more than one speaks in these cues: the ``speaker_label`` its metadata gives
    (``label``) when the cues use it, else who speaks the most (an interviewer's long question
    may outweigh a short reply).

    >>> cues = [{"speaker": "ผู้สัมภาษณ์", "text": "แล้วตอนนึ่งข้าวแคบบนผ้าปากหม้อ ทำยังไงครับ"}, {"speaker": "แม่อุ๊ย", "text": "ขึงผ้าก่อน"}]
    >>> _main_speaker(cues), _main_speaker(cues, "แม่อุ๊ย"), _main_speaker(cues, "ป้าศรี")
    ('ผู้สัมภาษณ์', 'แม่อุ๊ย', 'ผู้สัมภาษณ์')
    """
    spoken: dict[str, int] = {}
    for cue in cues:
        spoken[cue.get("speaker") or ""] = spoken.get(cue.get("speaker") or "", 0) + len(cue["text"])
    if len(spoken) < 2:
        return None
    return label if label in spoken else max(spoken, key=spoken.__getitem__)


def semantic_window(cues: list[dict], query_vector, embed, query_words: Set[str], engine: str) -> Window:
    """The pair of consecutive cues closest in meaning to the question (the same e5 model that
    ranked the chunk), the query's words breaking near-ties; ``embed`` maps texts to vectors."""
    import numpy as np

    home = cues[0].get("home")
    pairs = [
        (i, min(i + 1, len(cues) - 1))
        for i in range(max(len(cues) - 1, 1))
        if home is None or cues[i].get("chunk_index") == home
    ][:MAX_SEMANTIC_WINDOWS] or [(0, min(1, len(cues) - 1))]
    texts = [pair_text([cues[k]["text"] for k in range(a, b + 1)]) for a, b in pairs]
    # made at ingest (a cue with the one after it); only a store from before that embeds them now
    stored = [cues[a].get("pair_vector") if b == a + 1 or a == len(cues) - 1 else None for a, b in pairs]
    missing = [text for text, vector in zip(texts, stored, strict=True) if vector is None]
    fresh = iter(embed(missing) if missing else [])
    vectors = np.asarray(
        [decode_vector(vector) if vector is not None else next(fresh) for vector in stored], dtype=np.float32
    )
    query = np.asarray(query_vector, dtype=np.float32)
    cosines = vectors @ query / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(query) + 1e-9)
    total = weight(query_words) or 1.0
    scores = [
        float(c) + WORDS_IN_WINDOW * weight(words_in(t, query_words, engine)) / total
        for c, t in zip(cosines, texts, strict=True)
    ]
    best = int(np.argmax(scores))
    return Window(pairs[best][0], pairs[best][1], scores[best])


def locate_answer(
    chunk: Document,
    query_words: Set[str],
    engine: str = DEFAULT_WORD_ENGINE,
    query_vector=None,
    embed=None,
    question: str = "",
) -> Answer:
    """Where in ``chunk`` the answer is. In a transcript, the reply to an interviewer's cue that
    asks the ``question`` nearly in its words; else, with ``query_vector`` and ``embed``, its cues
    are also compared in meaning (used for the top result; the cue pairs' vectors were made at
    ingest, ``embed`` makes those a store from before then lacks)."""
    text = chunk.content or ""
    total = weight(query_words) or 1.0
    cues = chunk.meta.get("cues") or []
    if cues:
        # the chosen chunk answers; its neighbours' cues are there for an answer that runs on
        home = {i for i, cue in enumerate(cues) if cue.get("home") in (None, cue.get("chunk_index"))}
        # an answer may begin in the cues just before the chunk (chunking split the reply from its
        # question, or the reply itself): a window may start there if it runs on into the chunk
        first_home = min(home, default=0)
        starts = home | set(range(max(0, first_home - MAX_WINDOW_CUES + 1), first_home))
        window = best_window(
            [c["text"] for c in cues],
            query_words,
            MAX_WINDOW_CUES,
            10_000,
            engine,
            starts or None,
            reach=first_home,
        )
        sage = chunk.meta.get("speaker_label")  # the sage's label in the cues, when the metadata says
        asking = echoing_question(cues, question, home or None, sage) if question else None
        if asking is not None:
            window = Window(asking, asking, window.score)
        # the words alone settle it when one window holds most of them; else ask the model (costly)
        elif (
            embed is not None
            and query_vector is not None
            and len(cues) > 1
            and (window.score < WORDS_SETTLE * total or window.tied)
        ):
            window = semantic_window(cues, query_vector, embed, query_words, engine)
        window = through_the_reply(cues, window, sage=sage)
        start_char = text.find(cues[window.first]["text"])
        end_char = text.find(cues[window.last]["text"], max(start_char, 0)) + len(cues[window.last]["text"])
        return Answer(
            chunk,
            max(start_char, 0),
            max(end_char, 0),
            cues[window.first]["start"],
            cues[window.last]["end"],
            max(window.score, 0.0) / total,
            cues[window.first].get("chunk_index", chunk.meta.get("chunk_index")),
        )
    spans = unit_spans(text)  # Thai phrase and sentence boundaries: the one rule, in index.thai_text
    if not spans:
        return Answer(chunk, 0, 0)
    window = best_window(
        [text[a:b] for a, b in spans],
        query_words,
        engine=engine,
        edges=chunk_edges(chunk),
        offsets=[a for a, _ in spans],
        text=text,
    )
    return Answer(chunk, spans[window.first][0], spans[window.last][1], held=max(window.score, 0.0) / total)


def tells_more(text: str, query: str, engine: str = DEFAULT_WORD_ENGINE) -> bool:
    """Whether ``text`` says something the question did not: ``MIN_TOLD`` content words beyond the
    question's own. A product's tag line (``แก้ปวดเมื่อย``) holds the words of
    ``ยาสมุนไพรแก้ปวดเมื่อย`` and nothing else: it is where the words are, not an answer.

    >>> tells_more("แก้ปวดเมื่อย", "ยาสมุนไพรแก้ปวดเมื่อย")
    False
    >>> tells_more("ต้มไพลกับขมิ้นชัน ทาแก้ปวดเมื่อย", "ยาสมุนไพรแก้ปวดเมื่อย")
    True
    """
    rest = text
    for word in sorted(content_words(query, engine), key=len, reverse=True):
        rest = rest.replace(word, " ")  # (as typed: the segmenter may cut the same words otherwise)
    return len(content_words(rest, engine)) >= MIN_TOLD


def _first_phrases(text: str, max_chars: int = MAX_WINDOW_CHARS) -> tuple[int, int]:
    """The phrases that open the first line of ``text``, up to ``max_chars`` (at least one)."""
    line_end = text.find("\n") % (len(text) + 1)  # (no newline: the whole text)
    spans = unit_spans(text[:line_end])
    end = spans[0][1] if spans else line_end
    for _, b in spans[1:]:
        if b > max_chars:
            break
        end = b
    return (spans[0][0] if spans else 0), end


def _widened(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` with the phrase before it and the one after, on its own line; a line of
    its own (a heading: การทำหน้ากากผีตาโขน) with the first phrases of the line that follows."""
    spans = unit_spans(text)
    inside = [i for i, (a, b) in enumerate(spans) if a < end and b > start]
    if not inside:
        return start, end
    first, last = inside[0], inside[-1]
    wider = start, end
    if first > 0 and "\n" not in text[spans[first - 1][0] : spans[first][0]]:
        wider = spans[first - 1][0], wider[1]
    if last + 1 < len(spans) and "\n" not in text[spans[last][1] : spans[last + 1][1]]:
        wider = wider[0], spans[last + 1][1]
    if wider == (start, end) and last + 1 < len(spans):  # a line of its own: read on
        following = spans[last + 1][0]
        _, stop = _first_phrases(text[following:], max(MAX_WINDOW_CHARS - (end - start), 1))
        wider = start, following + stop
    return wider


def answer_box(
    result: SearchResult, query: str, cutoff: RelevanceCutoff, engine: str = DEFAULT_WORD_ENGINE
) -> AnswerBox | None:
    """The top result's answer, when it is confident enough to stand above the list."""
    answer: Answer | None = result._answer
    if answer is None or result.evidence is None or not cutoff.is_confident(result, answer.held):
        return None
    content = answer.chunk.content or ""
    start, end = answer.start_char, answer.end_char
    if result.type == "product" and answer.chunk.meta.get("chunk_index", 0) == 0 and "\n" in content[:start]:
        # a product answers with what it is: its description, the first line of its text (the
        # producer, place and tags after it are there to be found by, not to be read)
        start, end = _first_phrases(content)
    if answer.start is None and not tells_more(content[start:end], query, engine):
        start, end = _widened(content, start, end)  # the phrase before or after may say it
    text = content[start:end].strip()
    if not text or not tells_more(text, query, engine):
        return None
    return AnswerBox(
        source_id=result.source_id,
        title=result.title,
        text=text,
        snippet=highlight(text, marked_terms(query, engine), width=len(text) + 1, engine=engine),
        chunk_index=result.chunk_index,
        start=answer.start,
        end=answer.end,
    )
