"""When nothing answers: a relevance cut-off calibrated on data.

Fused hybrid scores are min-max normalised per query, so the best candidate always scores about
1.0, even for ``zzzzqqq``: they rank, they cannot say "nothing here". The cut-off reads what does
carry absolute meaning, for each candidate source:

- ``dense``: the raw cosine of the multilingual-e5 embeddings of its best passage;
- ``margin``: how far that cosine stands above the query's background (the median cosine of the
  dense candidate chunks ranked 11th and lower): gibberish and off-topic questions are about as
  close to everything as to anything, an answer stands out;
- ``lead``: how far it stands above the other candidate sources, all but the closest one (so
  that a source told twice, by two centres, still leads): a question the archive answers has a
  source that stands out from the pack, and a dish it does not hold has several half-close ones;
- ``coverage``: the share of the query's word weight its passages hold, words weighted by their
  rarity in general Thai (``word_weight``), so ``ข้าวซอย`` must be found, ``ทำ`` barely counts;
- ``latin``: a question typed in English meets Thai text with lower cosines and no shared words.

A logistic model over these (``query/data/relevance_model.json``, fitted by
``benchmarks/calibrate_cutoff.py`` on the tune half of the sample queries, reported on the
held-out half and on iApp) gives each candidate a probability of answering. A query is
answered when its best candidate reaches ``answerable``; then every candidate reaching ``keep``
is a result. Nothing reaching ``answerable`` means ``total: 0``. The same evidence decides which
of the hybrid ranking's first five comes first (:class:`Order`, fitted on iApp train questions).
"""

from __future__ import annotations

import json
import math
import re
import statistics
import threading
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from haystack import Document

from index.embedders.thai_sparse_document_embedder import names_text
from index.thai_text import (
    DEFAULT_WORD_ENGINE,
    NAME_EDGES,
    WORD_EDGES,
    WordEdges,
    kept_edges,
    latin_key,
    romanized,
    word_spans,
    words,
)
from query.models import SearchResult
from query.places import Place
from query.understanding import BUYING_WORDS

MODEL_PATH = Path(__file__).resolve().parent / "data" / "relevance_model.json"
FEATURES = ("dense", "margin", "coverage", "latin", "latin_dense", "latin_margin", "lead")
BACKGROUND_FROM = 10  # dense candidate chunks ranked below this many make up a query's background
LEAD_OVER = 2  # a source's lead is over the LEAD_OVER-th closest other source (one may retell it)
_LATIN, _THAI = re.compile(r"[A-Za-z]"), re.compile(r"[\u0e00-\u0e7f]")


@dataclass(frozen=True)
class Evidence:
    dense: float
    coverage: float
    margin: float = 0.0
    latin: bool = False
    lead: float = 0.0

    def features(self) -> dict[str, float]:
        latin = float(self.latin)
        return {
            "dense": self.dense,
            "margin": self.margin,
            "coverage": self.coverage,
            "latin": latin,
            "latin_dense": latin * self.dense,
            "latin_margin": latin * self.margin,
            "lead": self.lead,
        }


@dataclass(frozen=True)
class Order:
    """How the evidence orders the first ``depth`` sources of the hybrid ranking: by a source's
    coverage, plus ``dense`` times its cosine and ``lead`` times its lead, less ``place`` for each
    place it stands down the ranking. Only the first few move, so what is in the top five never
    changes, only which of them comes first. (Fitted on iApp *train* questions by
    ``benchmarks/calibrate_cutoff.py --iapp-index``.)

    >>> order = Order(dense=2.0, lead=4.0, place=0.0667)
    >>> order.permutation([Evidence(0.86, 0.3, lead=0.01), Evidence(0.85, 1.0, lead=0.0), Evidence(0.8, 0.2)])
    [1, 0, 2]
    """

    dense: float = 0.0
    lead: float = 0.0
    place: float = 1.0
    depth: int = 5

    def permutation(self, evidence: Sequence[Evidence | None]) -> list[int]:
        """The new order of positions: the first ``depth`` by their key, the rest as they were."""
        head = min(self.depth, len(evidence))
        if head < 2 or any(found is None for found in evidence[:head]):
            return list(range(len(evidence)))
        keys = [self.key(found, at) for at, found in enumerate(evidence[:head]) if found is not None]
        return sorted(range(head), key=lambda at: -keys[at]) + list(range(head, len(evidence)))

    def key(self, evidence: Evidence, at: int) -> float:
        return evidence.coverage + self.dense * evidence.dense + self.lead * evidence.lead - self.place * at


@dataclass(frozen=True)
class RelevanceModel:
    weights: dict[str, float]
    bias: float
    embedder: str  # the dense model whose cosines it was fitted on
    order: Order = Order()

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> RelevanceModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = {name: float(data["weights"][name]) for name in FEATURES}
        return cls(weights, float(data["bias"]), data["embedder"], Order(**data.get("order", {})))

    def as_json(self) -> str:
        data = {
            "embedder": self.embedder,
            "weights": self.weights,
            "bias": self.bias,
            "order": asdict(self.order),
        }
        return json.dumps(data, indent=2) + "\n"

    def probability(self, evidence: Evidence) -> float:
        z = self.bias + sum(self.weights[name] * value for name, value in evidence.features().items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass(frozen=True)
class RelevanceCutoff:
    model: RelevanceModel
    answerable: float = 0.6
    keep: float = 0.1
    enabled: bool = True
    #: ``keep`` for a question typed in English. Its Thai words (the glossary's) are found in many
    #: sources it does not ask about, and the model rates those 0.1–0.5: at 0.1 an English question
    #: listed a third of the sample archive (median 20 of 69). Chosen on the tune half's English
    #: questions (0.3 before the model read a source's lead).
    keep_english: float = 0.25
    #: ``answerable`` for a question every word of which the archive holds somewhere. A question that
    #: names what the archive has never seen (ไส้อั่ว, บาติก, ชักพระ in a northeastern archive) is a
    #: near miss however alike it sounds, and needs 0.6; one asked in the archive's own words is
    #: vague rather than elsewhere (ตีพิมพ์ในปัจจุบันกี่เล่ม: "how many volumes are in print"), and its
    #: likeliest source usually answers it. Chosen on iApp *train* questions and the tune halves
    #: of both sample archives (``benchmarks/calibrate_cutoff.py``).
    answerable_known: float = 0.25

    def order(self, ranked: list[SearchResult]) -> list[SearchResult]:
        """The hybrid ranking with its first few sources re-ordered by their evidence
        (:class:`Order`); each place keeps its score, so scores still fall down the list."""
        moved = [ranked[at] for at in self.model.order.permutation([result.evidence for result in ranked])]
        scores = [result.score for result in ranked]
        for result, score in zip(moved, scores, strict=True):
            result.score = score
        return moved

    def apply(
        self, ranked: list[SearchResult], knows: Callable[[], bool] | None = None
    ) -> list[SearchResult]:
        """The relevant sources, in rank order (all of them when the cut-off is off). ``knows``:
        whether every word the question asks is a word of the archive (see :meth:`answers`)."""
        if not self.enabled:
            return ranked
        for result in ranked:
            result._probability = self.model.probability(result.evidence)
        if not ranked or not self.answers(max(result._probability for result in ranked), knows):
            return []
        keep = max(self.keep, self.keep_english) if ranked[0].evidence.latin else self.keep
        return [result for result in ranked if result._probability >= keep]

    def answers(self, best: float, knows: Callable[[], bool] | None = None) -> bool:
        """Whether a question whose likeliest source has probability ``best`` is answered here:
        from ``answerable`` on, or from ``answerable_known`` on when every word it asks is a word
        of the archive (``knows()``, asked only then: a look-up in the store per word).

        >>> cutoff = RelevanceCutoff(RelevanceModel({}, 0.0, "any"))
        >>> cutoff.answers(0.3), cutoff.answers(0.3, lambda: True), cutoff.answers(0.3, lambda: False)
        (False, True, False)
        """
        if best >= self.answerable:
            return True
        return best >= self.answerable_known and knows is not None and knows()

    def is_confident(self, result: SearchResult, held: float) -> bool:
        """Sure enough to put the answer above the list: very likely relevant, and the answer passage
        holds most of the question's word weight."""
        probability = result._probability if self.enabled else self.model.probability(result.evidence)
        return probability >= CONFIDENT and held >= CONFIDENT_WORDS


CONFIDENT = 0.9
CONFIDENT_WORDS = 0.5


def is_latin(query: str) -> bool:
    """Typed mostly in Latin letters (an English question over a Thai archive)."""
    return len(_LATIN.findall(query)) > len(_THAI.findall(query))


#: Function words PyThaiNLP's list lacks: "for", "about" (เนื้อหาสอนเรื่องข้าวแคบ สำหรับนักเรียน).
FUNCTION_WORDS = frozenset({"สำหรับ", "เรื่อง"})


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    """PyThaiNLP's Thai stopwords, and the dialect words that only stand for some (หยัง: อะไร,
    จั่งใด๋: อย่างไร, บ่: ไม่): a question word says no more in Isan than in central Thai.

    >>> {"อะไร", "หยัง", "จั่งใด๋"} <= _stopwords(), "เฮ็ด" in _stopwords()
    (True, False)
    """
    from pythainlp.corpus import thai_stopwords

    central = frozenset(thai_stopwords()) | FUNCTION_WORDS
    return central | {
        word
        for word, forms in _dialect_forms().items()
        if all(part in central or not part.strip() for form in forms for part in words(form))
    }


@lru_cache(maxsize=1)
def _dialect_forms() -> dict[str, tuple[str, ...]]:
    from query.expansion import DialectLexicon

    return DialectLexicon.load().central_forms()


@lru_cache(maxsize=8192)  # the same chunks come back query after query: segment each once
def content_words(text: str, engine: str = DEFAULT_WORD_ENGINE) -> frozenset[str]:
    """The words of ``text`` that carry meaning: no stopwords, spaces, punctuation or single letters.

    >>> sorted(content_words("ปลาร้าทำยังไงให้หอม")), sorted(content_words("สถานที่เกิดของกิมย้ง?"))
    (['ทำ', 'ปลาร้า', 'หอม'], ['กิมย้ง', 'ที่เกิด', 'สถาน'])
    """
    stripped = (word.lower().strip(_PUNCTUATION) for word in words(text, engine))
    return frozenset(
        word
        for word in stripped
        if len(word) > 1 and word not in _stopwords() and any(char.isalnum() for char in word)
    )


#: Punctuation a tokenizer may leave on a word it does not know (``กิมย้ง?``).
_PUNCTUATION = "?!.,;:\"'()[]{}“”‘’…"


@lru_cache(maxsize=1)
def _thai_frequencies() -> tuple[dict[str, int], int]:
    from pythainlp.corpus import tnc  # the Thai National Corpus counts bundled with PyThaiNLP

    counts = dict(tnc.word_freqs())
    return counts, sum(counts.values())


GENERIC_LOG_ODDS = 5.0  # words more common than ~1 in 150 Thai words (ทำ, ที่) weigh next to nothing
NON_THAI_WEIGHT = 4.0  # English words and numbers: a middling weight


@lru_cache(maxsize=65536)
def word_weight(word: str) -> float:
    """How much a word says about what is asked: its rarity in general Thai (an IDF that does not
    depend on the archive's size), so ``ข้าวซอย`` outweighs ``ยังไง``, which outweighs ``ทำ``.

    >>> word_weight("ข้าวซอย") > 2 * word_weight("ยังไง") > 2 * word_weight("ทำ")
    True
    """
    if not _THAI.search(word):
        return NON_THAI_WEIGHT
    own = rarity(word)
    forms = _dialect_forms().get(word)
    if forms:  # a dialect word weighs what its central Thai weighs (เฮ็ด: ทำ), not what its rarity in
        # central Thai text says (it is rare there because it is dialect, not because it is specific)
        return min(own, *(max(0.1, sum(rarity(part) for part in content_words(form))) for form in forms))
    return own


def rarity(word: str) -> float:
    """How rare a Thai word is in general Thai (the Thai National Corpus): an IDF, floored at 0.1."""
    counts, total = _thai_frequencies()
    return max(0.1, math.log(total / (counts.get(word, 0) + 1)) - GENERIC_LOG_ODDS)


def weighted_share(query_words: Set[str], found: Set[str], same: Mapping[str, str] | None = None) -> float:
    """Share of the query's word weight among ``found``. With ``same`` (word → the word it stands
    for), words that stand for one another are one concept, found when either is, weighed once.

    >>> weighted_share({"เฮ็ด", "ทำ", "ปลาแดก"}, {"ทำ", "ปลาแดก"}, {"ทำ": "เฮ็ด"})
    1.0
    """
    same = same or {}
    concepts: dict[str, float] = {}
    held: set[str] = set()
    for word in query_words:
        concept = same.get(word, word)
        concepts[concept] = max(concepts.get(concept, 0.0), word_weight(word))
        if word in found:
            held.add(concept)
    total = sum(concepts.values())
    return sum(concepts[concept] for concept in held) / total if total else 0.0


def coverage(
    query_words: Set[str], passage: str, title: str = "", engine: str = DEFAULT_WORD_ENGINE
) -> float:
    """Share of the query's word weight that the passage (or its title) holds.

    >>> coverage({"ปลาร้า", "หอม"}, "ปลาร้าหมักนานจะหอม"), coverage({"ปลาร้า", "หอม"}, "ผ้าไหมทอมือ")
    (1.0, 0.0)
    """
    return weighted_share(query_words, content_words(passage, engine) | content_words(title, engine))


def background(chunk_cosines: list[float]) -> float:
    """The query's background: the median cosine of the dense candidates below the first few
    chunks. Read over chunks, not sources, so a ten-source archive has as much of a background
    as a ten-thousand-source one.

    >>> background([0.9, 0.88] + [0.8] * 20 + [0.7] * 10)
    0.8
    """
    ranked = sorted((c for c in chunk_cosines if c > 0), reverse=True)
    return statistics.median(ranked[BACKGROUND_FROM:] or ranked[-1:] or [0.0])


def dense_leads(cosines: list[float]) -> list[float]:
    """Each source's lead: its best cosine less that of the ``LEAD_OVER``-th closest other source;
    nothing when there are too few others (a narrow filter) or its cosine is unknown (0).

    >>> [round(lead, 2) for lead in dense_leads([0.9, 0.89, 0.8, 0.79, 0.0])]
    [0.1, 0.09, -0.09, -0.1, 0.0]
    """
    ranked = sorted((cosine for cosine in cosines if cosine > 0), reverse=True)
    if len(ranked) <= LEAD_OVER:
        return [0.0] * len(cosines)
    # the others of one of the top LEAD_OVER sources lack it, so their LEAD_OVER-th is one further down
    return [
        cosine - (ranked[LEAD_OVER] if cosine >= ranked[LEAD_OVER - 1] else ranked[LEAD_OVER - 1])
        if cosine > 0
        else 0.0
        for cosine in cosines
    ]


#: What a teacher wants a source for, not what it is about: no archive text need hold these. (Not
#: ครู alone: it is also a word of the archive's, ไหครู the pla daek jar.)
LESSON_PHRASES = re.compile(
    "|".join(
        sorted(
            ("สื่อการสอน", "สื่อการเรียนรู้", "สื่อการเรียนการสอน", "แผนการสอน", "แผนการจัดการเรียนรู้",
             "ใบความรู้", "ใบงาน", "ใบกิจกรรม", "บทเรียน", "การสอน", "สอนเรื่อง", "ให้นักเรียน", "นักเรียน",
             "ห้องเรียน", "ในชั้นเรียน", "สื่อสอน", "เนื้อหาการสอน", "เนื้อหาสอน", "เนื้อหาสำหรับสอน",
             "แหล่งเรียนรู้", "หน่วยการเรียนรู้", "กิจกรรมการเรียนรู้", "หลักสูตรท้องถิ่น",
             "ใช้สอน", "นำไปสอน", "สำหรับสอน", "สอนเด็ก", "คุณครู", "ครูอยากได้", "ครูต้องการ", "วิชาการงานอาชีพ", "การงานอาชีพ",
             "วิชา", "ชั้นประถม", "ชั้นมัธยม", "ประถมศึกษา", "มัธยมศึกษา", "ประถม", "มัธยม", "ทัศนศึกษา",
             "lesson plan", "lesson", "lessons", "worksheet", "worksheets", "teaching material",
             "teaching materials", "teaching", "teach", "teacher", "teachers", "classroom", "students",
             "pupils", "school", "curriculum", "learning resource", "learning resources"),
            key=len,
            reverse=True,
        )
    ),
    re.IGNORECASE,
)  # fmt: skip


#: What every source of this archive is (local wisdom, folk, traditional): a question saying so asks
#: no more than one that does not, and no source need say it.
ARCHIVE_WORDS = frozenset(
    {"ภูมิปัญญา", "ภูมิปัญญาท้องถิ่น", "ภูมิปัญญาชาวบ้าน", "ท้องถิ่น", "พื้นบ้าน", "พื้นเมือง", "local",
     "traditional", "wisdom", "folk"}
)  # fmt: skip

#: Asking for a sage's own telling (บทสัมภาษณ์ผู้รู้, an interview with an elder): an oral history
#: holds the words these phrases are segmented into, whether or not its text says them.
INTERVIEW_PHRASES = re.compile(
    "|".join(
        sorted(
            ("บทสัมภาษณ์", "ให้สัมภาษณ์", "สัมภาษณ์", "เรื่องเล่า", "คำบอกเล่า", "ปราชญ์ชาวบ้าน", "ปราชญ์",
             "ผู้รู้", "ผู้เฒ่าผู้แก่", "oral history", "oral histories", "interviews", "interview",
             "elders", "elder", "sages", "sage", "recordings", "recording"),
            key=len,
            reverse=True,
        )
    ),
    re.IGNORECASE,
)  # fmt: skip


def weigh_evidence(
    results: list[SearchResult],
    query: str,
    chunk_cosines: list[float],
    engine: str = DEFAULT_WORD_ENGINE,
    same: Mapping[str, str] | None = None,
    places: Sequence[Place] = (),
    typed: str | None = None,
) -> None:
    """Attach each result's evidence: its best cosine, how far that stands above the query's
    background, and the query's word weight its best passages (or its metadata) hold. Words of
    buying (``ซื้อ``, ``ของฝาก``, ``price``) and of teaching (``ใบความรู้``, ``แผนการสอน``) say what
    the source is wanted for, not what it is about: they are left out (products are boosted for
    buying words later), unless they are all the query says, and then a product holds buying words;
    so are the words of what every source here is (``ARCHIVE_WORDS``: ภูมิปัญญา, พื้นบ้าน).
    A place the query names (``places``: ชายแดนใต้, โคราช) is held by a source of that place, the
    words of its category's names by a source of that category (เกษตร by a farming source), and
    the words of asking for an interview (``INTERVIEW_PHRASES``: บทสัมภาษณ์, ผู้รู้) by an oral
    history. ``same``: see :func:`weighted_share`. ``typed``: the question as typed, when ``query`` was
    expanded (an English question expanded with Thai words is still an English question)."""
    query_words = asked_words(query, engine)
    floor = background(chunk_cosines)
    latin = is_latin(typed if typed is not None else query)
    query_latin = tuple(word for word in words(query, engine) if _LATIN.search(word)) if latin else ()
    buying = query_words & BUYING_WORDS
    interview = query_words - content_words(INTERVIEW_PHRASES.sub(" ", query), engine)
    leads = dense_leads([result._dense for result in results])
    wanted = with_parts(query_words)
    for result, lead in zip(results, leads, strict=True):
        meta = result.meta
        names = names_text(meta)
        kept = result._passages[0][0].meta.get(NAME_EDGES) if result._passages else None
        # the query's words (and their parts) among the passages' and the metadata's words
        held = words_in(names, wanted, engine, kept_edges(kept, names) if kept else None)
        if result._passages:
            held = held.union(
                *(chunk_words_in(chunk, wanted - held, engine) for chunk, _ in result._passages)
            )
        else:
            held |= words_in(result.content, wanted - held, engine)
        found = held_of(query_words, held)
        for place in places:
            if place.name in (meta.get("province"), meta.get("region")):
                found |= content_words(place.text, engine) & query_words
        if latin:  # Bo Sang, budu, Mae Chaem: Thai names the question spells in Latin letters
            found |= spelled_names(query_latin, latin_names(names, engine))
        # a source is about its category (a farming source about เกษตร), whether or not it says so
        found |= held_of(query_words, category_words(meta.get("category"), engine))
        if result.type == "product":
            found |= buying
        elif result.type == "oral_history":
            found |= interview
        dense = result._dense
        margin = dense - floor if dense > 0 else 0.0
        result._evidence = Evidence(dense, weighted_share(query_words, found, same), margin, latin, lead)


def asked_words(query: str, engine: str = DEFAULT_WORD_ENGINE) -> frozenset[str]:
    """The words of a question a source must hold: its content words, less the words of buying,
    of teaching and of what every source here is (unless they are all it says).

    >>> sorted(asked_words("ใบความรู้เรื่องผ้าไหมสุรินทร์ ราคาเท่าไร"))
    ['ผ้าไหม', 'สุรินทร์']
    """
    query_words = content_words(query, engine)
    query_words = (query_words - BUYING_WORDS - ARCHIVE_WORDS) or query_words
    topic = content_words(LESSON_PHRASES.sub(" ", query), engine)
    return (query_words & topic) or query_words


@lru_cache(maxsize=64)
def category_words(category: str | None, engine: str = DEFAULT_WORD_ENGINE) -> frozenset[str]:
    """The words of a category's Thai and English names, and their dictionary parts: what a source
    of that category is about (``farming``: เกษตรกรรม, เกษตร, farming).

    >>> sorted(held_of({"เกษตร", "ปลูก"}, category_words("farming"))), held_of({"หัตถกรรม"}, category_words("textiles"))
    (['เกษตร'], {'หัตถกรรม'})
    """
    from query.categories import load_categories

    if not category:
        return frozenset()
    vocabulary = load_categories()
    names = f"{vocabulary.label(category)} {vocabulary.label(category, english=True)}"
    return with_parts(content_words(names, engine))


def with_parts(query_words: Set[str]) -> frozenset[str]:
    """The words to look for in a text: the query's, and the dictionary parts of its compounds."""
    return frozenset(query_words).union(*(compound_parts(word) for word in query_words))


def held_of(query_words: Set[str], found: Set[str]) -> set[str]:
    """The query's words a text holds, from the words of :func:`with_parts` found in it: a compound
    is held as its parts too (ชาวมุสลิม by มุสลิม, ขวัญข้าว by ขวัญ and ข้าว).

    >>> sorted(held_of({"ขวัญข้าว", "เกี่ยว"}, {"ขวัญ", "ข้าว"})), held_of({"ขวัญข้าว"}, {"ข้าว"})
    (['ขวัญข้าว'], set())
    """
    return {
        word
        for word in query_words
        if word in found or ((parts := compound_parts(word)) and all(part in found for part in parts))
    }


@lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, ...]:
    """The two dictionary words a Thai compound the tokenizer keeps whole is made of (``ชาวมุสลิม``:
    ชาว + มุสลิม), without stopwords (ชาว is one); empty when it is no such compound. The most even split wins.

    >>> compound_parts("ชาวมุสลิม"), compound_parts("ข้าวสาร"), compound_parts("บูดู")
    (('มุสลิม',), ('ข้าว', 'สาร'), ())
    """
    if not _THAI.search(word) or len(word) < 4:
        return ()
    dictionary = _dictionary()
    splits = [
        (word[:i], word[i:])
        for i in range(2, len(word) - 1)
        if word[:i] in dictionary and word[i:] in dictionary
    ]
    if not splits:
        return ()
    head, tail = max(splits, key=lambda split: min(len(split[0]), len(split[1])))
    return tuple(part for part in (head, tail) if part not in _stopwords())


def parts_in(text: str, wanted: Set[str], engine: str = DEFAULT_WORD_ENGINE) -> set[str]:
    """The ``wanted`` words that are a dictionary part of one of the words of ``text``:
    the segmenter keeps แช่น้ำ ("soak in water") whole, and a question asking how long to แช่ does
    not find it (nor does BM25). A part is weaker evidence than a word (ข้าว is a part of ข้าวซอย too),
    so the answer windows count it at half weight (:func:`query.passages.best_window`).

    >>> sorted(parts_in("แล้วแช่น้ำไว้คืนนึง", {"แช่", "น้ำ", "คืน"}))
    ['น้ำ', 'แช่']
    """
    lowered = text.lower()
    wanted = {word for word in wanted if word in lowered}
    if not wanted:
        return set()
    return {
        part for token in content_words(lowered, engine) for part in compound_parts(token) if part in wanted
    }


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


NAME_WEIGHT = 5.0  # a Thai word this rare in general Thai may be a name (บูดู, แจ่ม); ทะเล is not
SOUNDS_ALIKE = 0.8  # how alike two Latin keys of six letters or more must be (bosang ~ bosrang)
MIN_KEY = 4  # shorter Latin keys (na, ta, bo) say too little alone


@lru_cache(maxsize=8192)
def latin_names(text: str, engine: str = DEFAULT_WORD_ENGINE) -> frozenset[str]:
    """The keys of :func:`name_spellings`, kept (a source's names come back query after query).

    >>> sorted(latin_names("บูดูและไตปลา ทะเล"))
    ['budu', 'budulae', 'budulaetapaila', 'laetapaila', 'laetapailatale', 'tapaila', 'tapailatale']
    """
    return frozenset(name_spellings(text, engine))


def name_spellings(text: str, engine: str = DEFAULT_WORD_ENGINE) -> dict[str, str]:
    """The Thai names of ``text`` (a source's title, tags and places) by the keys of their Latin
    spellings: each rare word, and each two or three neighbouring words written as one
    (แม่ + แจ่ม: Mae Chaem, Maechaem). Common words alone are left out, so that ``tale`` never
    finds ทะเล nor ``thai`` ไทย.

    >>> name_spellings("ร่มบ่อสร้าง")
    {'bosang': 'บ่อสร้าง', 'rombo': 'ร่มบ่อ', 'rombosang': 'ร่มบ่อสร้าง'}
    """
    thai = [word for word in words(text, engine) if _THAI.search(word)]
    names = {latin_key(romanized(word)): word for word in thai if word_weight(word) >= NAME_WEIGHT}
    for size in (2, 3):
        for i in range(len(thai) - size + 1):
            run = thai[i : i + size]
            names.setdefault(latin_key("".join(romanized(word) for word in run)), "".join(run))
    return {key: name for key, name in sorted(names.items()) if len(key) >= MIN_KEY}


def latin_runs(query_words: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """Each run of one to three neighbouring Latin words of a query, by its key (long enough to
    say something).

    >>> latin_runs(("bo", "sang"))
    [('sang', ('sang',)), ('bosang', ('bo', 'sang'))]
    """
    runs = []
    for size in (1, 2, 3):
        for i in range(len(query_words) - size + 1):
            span = query_words[i : i + size]
            key = latin_key("".join(span))
            if len(key) >= MIN_KEY:
                runs.append((key, span))
    return runs


def spelled_names(query_words: tuple[str, ...], names: frozenset[str]) -> set[str]:
    """The Latin words of a query (in order) that spell one of ``names``, alone or with their
    neighbours (``Bo Sang`` → บ่อสร้าง), exactly or, for longer names, nearly.

    >>> sorted(spelled_names(("bo", "sang", "paper", "umbrella"), latin_names("ร่มบ่อสร้าง")))
    ['bo', 'sang']
    >>> spelled_names(("a", "folk", "tale"), latin_names("นิทานทะเลสาบ"))
    set()
    """
    found: set[str] = set()
    for key, span in latin_runs(query_words):
        if key in names or _nearly_one_of(key, names):
            found.update(span)
    return found


def _nearly_one_of(key: str, names: frozenset[str]) -> bool:
    if len(key) < 6:
        return False
    from rapidfuzz import fuzz, process

    return process.extractOne(key, names, scorer=fuzz.ratio, score_cutoff=SOUNDS_ALIKE * 100) is not None


WORD_WINDOW = 30  # characters of context either side of a match that settle its word boundaries


def words_in(
    text: str,
    wanted: Set[str],
    engine: str = DEFAULT_WORD_ENGINE,
    edges: WordEdges | None = None,
    offset: int = 0,
) -> set[str]:
    """The ``wanted`` words (lower-cased content words) that are words of ``text``, found as
    substrings and confirmed on word boundaries. ``edges``: those of a text ``text`` is part of,
    starting at ``offset`` (a chunk's, made when it was indexed: :func:`chunk_words_in`). Without
    them, only a short window around a match is segmented: a candidate chunk is new to nearly
    every question in a large archive, and segmenting it whole cost more than the rest of the
    evidence. ``ข้าว`` is not a word of ``ข้าวซอย``.

    >>> sorted(words_in("ปลาร้าหมักนานจะหอม ข้าวซอยเชียงใหม่", {"ปลาร้า", "หอม", "ข้าว", "silk"}))
    ['ปลาร้า', 'หอม']
    >>> words_in("ราคา 1,100 บาท", {"100"}), words_in("ราคา 100 บาท", {"100"})
    (set(), {'100'})
    >>> chunk = "ปลาร้าหมักนาน ข้าวซอยเชียงใหม่"
    >>> sorted(words_in(chunk[14:], {"ข้าวซอย", "ข้าว"}, edges=WordEdges.of(chunk), offset=14))
    ['ข้าวซอย']

    A text asked about before (a small archive's chunks come back question after question) is
    segmented whole once and kept (:func:`content_words`), since that then costs less.
    """
    if edges is not None and offset == 0 and edges.length == len(text):  # (a whole chunk, its own edges)
        hits = [(word, word_hits(text, word, engine, edges)) for word in wanted]
        if all(found is not None for _, found in hits):
            return {word for word, found in hits if found and any(ok for _, ok in found[:MAX_TRIES])}
    lowered = text.lower()
    if edges is not None and (len(lowered) != len(text) or offset + len(text) > edges.length):
        edges = None  # (lower-casing moved the offsets, or they are another text's)
    if edges is None and _seen_before(text):
        return set(content_words(text, engine) & wanted)
    found = set()
    for word in wanted:
        start, tries = lowered.find(word), 0
        while start >= 0 and tries < MAX_TRIES:
            if _word_at(lowered, start, start + len(word), engine, edges, offset):
                found.add(word)
                break
            start, tries = lowered.find(word, start + 1), tries + 1
    return found


@lru_cache(maxsize=65_536)
def word_hits(text: str, word: str, engine: str, edges: WordEdges) -> tuple[tuple[int, bool], ...] | None:
    """Where ``word`` occurs in ``text`` (lower-cased; overlapping occurrences too), each with
    whether it is a whole word there by the text's ``edges``; None when lower-casing moves the
    offsets (or the edges are another text's). Kept: the evidence, the chosen chunk, the answer
    window and the next question read the same chunk for the same words.

    >>> text = "ข้าวซอยและข้าว"
    >>> word_hits(text, "ข้าว", DEFAULT_WORD_ENGINE, WordEdges.of(text))
    ((0, False), (10, True))
    """
    lowered = text.lower()
    if len(lowered) != len(text) or edges.length != len(text):
        return None
    hits, start = [], lowered.find(word)
    while start >= 0:
        hits.append((start, _word_at(lowered, start, start + len(word), engine, edges)))
        start = lowered.find(word, start + 1)
    return tuple(hits)


def chunk_words_in(chunk: Document, wanted: Set[str], engine: str = DEFAULT_WORD_ENGINE) -> set[str]:
    """``words_in`` a stored chunk's text, by the word edges kept with it (segmenting, for a chunk
    indexed before they were kept)."""
    return words_in(chunk.content or "", wanted, engine, chunk_edges(chunk))


def chunk_edges(chunk: Document) -> WordEdges | None:
    kept = chunk.meta.get(WORD_EDGES)
    return kept_edges(kept, chunk.content or "") if kept else None


SEEN_TEXTS = 8192  # texts remembered as asked about (their hashes only)
_seen: dict[int, None] = {}
_seen_lock = threading.Lock()


def _seen_before(text: str) -> bool:
    key = hash(text)
    with _seen_lock:
        if key in _seen:
            return True
        if len(_seen) >= SEEN_TEXTS:  # forget the oldest
            del _seen[next(iter(_seen))]
        _seen[key] = None
        return False


_IN_NUMBER = re.compile(r"\d[,.]|[,.]\d")  # 100 in 1,100 or 2.100 is no number of its own
MAX_TRIES = 8  # matches of one word checked before it is taken as not a word of the text


def _word_at(
    text: str, start: int, end: int, engine: str, edges: WordEdges | None = None, offset: int = 0
) -> bool:
    if text[start:end].isascii():  # Latin words and numbers: their edges are no letters or digits
        before, after = text[max(0, start - 2) : start], text[end : end + 2]
        return not (before[-1:].isalnum() or _IN_NUMBER.fullmatch(before)) and not (
            after[:1].isalnum() or _IN_NUMBER.fullmatch(after)
        )
    if edges is not None:
        found = edges.word_at(start + offset)
        spans = [(found[0] - offset, found[1] - offset)] if found else []
    else:
        left, right = max(0, start - WORD_WINDOW), min(len(text), end + WORD_WINDOW)
        spans = [(a + left, b + left) for a, b in word_spans(text[left:right], engine)]
    return any(
        (a, b) == (start, end) or text[max(a, 0) : b].strip(_PUNCTUATION + "ฯ") == text[start:end]
        for a, b in spans
        if a <= start < b
    )
