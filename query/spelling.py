"""Spelling suggestions ("did you mean") for Thai typed without tone marks or with a slip of the finger.

Thai is written without spaces, so a misspelt word rarely stands alone: "ผาไหม" (for
ผ้าไหม) segments into two real words, ผา "cliff" and ไหม "silk". Checking word by word
finds nothing wrong. The suggester therefore re-segments each Thai run itself (Viterbi
over Thai character clusters, PyThaiNLP's ``tcc``) with a unigram model, letting a stretch
of text stand for a word it could be a misspelling of, at a price:

- a word costs ``-log P(word)``; frequencies are the Thai National Corpus counts bundled
  with PyThaiNLP (``tnc_freq.txt``) over its bundled dictionaries (``words_th.txt`` and
  the Royal Society list); the archive's own words count as very frequent
  (``ARCHIVE_FREQUENCY``), so they win;
- a stretch that differs from a word only in tone marks (่ ้ ๊ ๋ ์ ็, what tone-less typing
  drops) may stand for it at ``MARK_EDIT_COST`` per mark; marks may only be added (dropping
  typed marks would turn dialect spellings such as จั่ง, ใด๋ into central words), and a
  general word of two letters only if it is very common (``MIN_SHORT_TARGET_FREQUENCY``:
  ให้ yes, ด้น for the Isan ดน no);
- one letter typed wrong, missing, extra or swapped (besides marks) is corrected only
  towards the archive's words of four letters or more, at ``LETTER_EDIT_COST``;
- a cluster that is no word at all costs ``UNKNOWN_COST``.

A stretch that is itself a known word is never corrected (so ได stays ได, a word of its
own). A correction to a general word needs that word to be common
(``MIN_TARGET_FREQUENCY``) and ``FREQUENCY_RATIO`` times more frequent than the corpus's
count of what was typed (the corpus has typos too: ให 166 times, ให้ 360,539). A correction
beside a cluster left unknown is dropped (the southern พรือ is not พ + รื้อ). Words passed
as ``known_words`` (dialect words, names) are left as typed and never suggested. English, digits and
punctuation are left alone. Everything is offline: the word lists ship inside PyThaiNLP,
read through ``pythainlp.corpus``; PyThaiNLP's ``NorvigSpellChecker`` holds the
frequencies. (Its own ``spell`` explores every two-letter edit: 0.3-0.9 s a word here,
and it prefers ไหม for ผาไหม.)

>>> SpellingSuggester(["ผ้าไหม", "มัดหมี่", "ปลาร้า"]).suggest("ผาไหมมัดหมี")
'ผ้าไหมมัดหมี่'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache

from index.thai_text import normalize_name
from query.places import AlignedText

ARCHIVE_FREQUENCY = 50_000  # an archive word counts as often as a common word of the corpus
MARK_EDIT_COST = 4.0  # below log(FREQUENCY_RATIO), so a 100x more frequent spelling can win
LETTER_EDIT_COST = 14.0  # a letter edit needs strong evidence: ปวดเอว must stay, ลิเพา become ลิเภา
UNKNOWN_COST = 22.0  # above any dictionary word (a word seen once costs log(33.5M) = 17.3)
FREQUENCY_RATIO = 100
MIN_TARGET_FREQUENCY = 50
#: Words of one or two letters collide with dialect words (ดน, หม): only the most common count.
MIN_SHORT_TARGET_FREQUENCY = 20_000
MAX_WORD_LENGTH = 24
MIN_FUZZY_LENGTH = 4  # letter edits only towards archive words at least this long (without marks)

_MARKS = str.maketrans("", "", "\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e47")  # ่ ้ ๊ ๋ ์ ็
# Thai letters, vowels and marks; not ๆ, ฯ, ฿ or digits, which are never corrected.
_THAI_RUN = re.compile("[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]+")


class SpellingSuggester:
    """Suggests a corrected query, preferring the archive's own vocabulary.

    >>> speller = SpellingSuggester(["ด่านเกวียน", "เชียงใหม่"])
    >>> speller.suggest("เครื่องปั้นดินเผาดานเกวียน"), speller.suggest("ร่มเชียงใหม่")
    ('เครื่องปั้นดินเผาด่านเกวียน', None)
    """

    def __init__(self, extra_words: Iterable[str] = (), known_words: Iterable[str] = ()) -> None:
        self._lexicon = _base_lexicon()
        self._archive: set[str] = set()
        self._known_only: set[str] = set()
        self._archive_skeletons: dict[str, set[str]] = {}
        self._archive_deletes: dict[str, set[str]] = {}
        self.add_known_words(known_words)
        self.add_words(extra_words)

    def add_words(self, words: Iterable[str]) -> None:
        """Add archive words (titles, places, products, sages); phrases are split on spaces."""
        for phrase in words:
            for word in normalize_name(phrase).split():
                if len(word) >= 2 and _THAI_RUN.fullmatch(word) and word not in self._archive:
                    self._archive.add(word)
                    skeleton = _skeleton(word)
                    self._archive_skeletons.setdefault(skeleton, set()).add(word)
                    for deleted in _deletes(skeleton):
                        self._archive_deletes.setdefault(deleted, set()).add(word)
        self._reset_caches()

    def add_known_words(self, words: Iterable[str]) -> None:
        """Words to leave as typed but never to suggest: dialect words (แอว must not turn
        ปวดเอว into ปวดแอว), names."""
        self._known_only.update(word for phrase in words for word in normalize_name(phrase).split())
        self._reset_caches()

    def is_known(self, word: str) -> bool:
        return word in self._archive or word in self._known_only or self._lexicon.is_known(word)

    def _reset_caches(self) -> None:
        # what a stretch may stand for depends on the vocabulary: start the caches afresh
        self._options = lru_cache(maxsize=65_536)(self._options_uncached)
        self._cached_suggest = lru_cache(maxsize=4_096)(self._suggest_uncached)

    def suggest(self, query: str) -> str | None:
        """The corrected query, or ``None`` when there is nothing to correct.

        >>> SpellingSuggester(["ปลาร้า"]).suggest("วิธีทำปลาราใหหอม")
        'วิธีทำปลาร้าให้หอม'
        """
        return self._cached_suggest(query)

    def _suggest_uncached(self, query: str) -> str | None:
        aligned = AlignedText.of(query)
        edits = [
            (run.start() + start, run.start() + end, word)
            for run in _THAI_RUN.finditer(aligned.normalized)
            for start, end, word in self._corrections(run.group())
        ]
        if not edits:
            return None
        pieces, position = [], 0
        for start, end, word in edits:  # corrected words replace what was typed; the rest stays as typed
            original_start, original_end = aligned.original_span(start, end)
            pieces += [query[position:original_start], word]
            position = original_end
        return "".join(pieces) + query[position:]

    def _corrections(self, run: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of the stretches of a Thai run that read better as another word."""
        from pythainlp.tokenize.tcc import tcc_pos

        bounds = sorted(tcc_pos(run) | {0, len(run)})
        best: dict[int, tuple[float, int, str]] = {0: (0.0, 0, "")}
        for index, start in enumerate(bounds):
            if start not in best:
                continue
            for end in bounds[index + 1 :]:
                if end - start > MAX_WORD_LENGTH:
                    break
                single_cluster = end == bounds[index + 1]
                for word, cost in self._options(run[start:end], single_cluster):
                    total = best[start][0] + cost
                    if end not in best or total < best[end][0]:
                        best[end] = (total, start, word)
        path, end = [], len(run)
        while end:
            _, start, word = best[end]
            path.append((start, end, word))
            end = start
        path.reverse()
        segments = [(run[start:end], word) for start, end, word in path]
        return [
            (start, end, word)
            for index, (start, end, word) in enumerate(path)
            if word != run[start:end] and not _next_to_unknown(segments, index, self.is_known)
        ]

    def _options_uncached(self, text: str, single_cluster: bool) -> tuple[tuple[str, float], ...]:
        """(word, cost) of what ``text`` may stand for: itself, a correction, an unknown cluster."""
        if self.is_known(text):
            return ((text, self._cost(text)),)  # a known word is never corrected
        options: list[tuple[str, float]] = [(text, UNKNOWN_COST)] if single_cluster else []
        skeleton = _skeleton(text)
        # (in order: of two equally good corrections, the same one every time, whatever the hash seed)
        for word in sorted(
            self._archive_skeletons.get(skeleton, set()) | self._lexicon.same_skeleton(skeleton)
        ):
            if self._may_correct(text, word):
                options.append((word, self._cost(word) + MARK_EDIT_COST * _distance(text, word)))
        if len(skeleton) >= MIN_FUZZY_LENGTH:
            for word in sorted(self._near_archive_words(skeleton)):
                marks = max(_distance(text, word) - 1, 0)
                options.append((word, self._cost(word) + LETTER_EDIT_COST + MARK_EDIT_COST * marks))
        return tuple(options)

    def _may_correct(self, text: str, word: str) -> bool:
        # only by adding marks: dropping a typed mark would "correct" dialect spellings
        # (จั่ง, ใด๋, แหน่, ก่) into central words
        if len(word) - len(text) != _distance(text, word) or len(_skeleton(word)) < 2:
            return False
        if word in self._archive:
            return True
        frequency = self._lexicon.frequency(word)
        short = len(_skeleton(word)) <= 2
        if frequency < (MIN_SHORT_TARGET_FREQUENCY if short else MIN_TARGET_FREQUENCY):
            return False
        return frequency >= FREQUENCY_RATIO * max(self._lexicon.corpus_count(text), 1)

    def _near_archive_words(self, skeleton: str) -> set[str]:
        found: set[str] = set()
        for key in (skeleton, *_deletes(skeleton)):
            found |= self._archive_deletes.get(key, set())
        return {word for word in found if _distance(skeleton, _skeleton(word)) == 1}

    def _cost(self, word: str) -> float:
        frequency = self._lexicon.frequency(word)
        if word in self._archive:
            frequency = max(frequency, ARCHIVE_FREQUENCY)
        return math.log(self._lexicon.total / max(frequency, 1))


class _Lexicon:
    """PyThaiNLP's bundled dictionaries with Thai National Corpus frequencies, indexed by skeleton."""

    def __init__(self) -> None:
        from pythainlp.corpus import thai_orst_words, thai_words, tnc
        from pythainlp.spell import NorvigSpellChecker

        self._counts = dict(tnc.word_freqs())
        words = set(thai_words()) | set(thai_orst_words())
        self._checker = NorvigSpellChecker(
            custom_dict=[(w, self._counts.get(w, 1)) for w in words], min_freq=1
        )
        self.total = sum(self._counts.values())
        self._skeletons: dict[str, set[str]] = {}
        for word, frequency in self._checker.dictionary():
            if frequency >= MIN_TARGET_FREQUENCY:
                self._skeletons.setdefault(_skeleton(word), set()).add(word)

    def is_known(self, word: str) -> bool:
        return bool(self._checker.known([word]))

    def frequency(self, word: str) -> int:
        """How often a dictionary word occurs (1 for one the corpus lacks, 0 for no word)."""
        return self._checker.freq(word)

    def corpus_count(self, text: str) -> int:
        """How often the corpus has ``text``, dictionary word or not (typos included)."""
        return self._counts.get(text, 0)

    def same_skeleton(self, skeleton: str) -> set[str]:
        return self._skeletons.get(skeleton, set())


@lru_cache(maxsize=1)
def _base_lexicon() -> _Lexicon:
    return _Lexicon()


def _next_to_unknown(path: list[tuple[str, str]], index: int, is_known) -> bool:
    """Whether a correction sits beside a cluster left unknown: it explained only part of a
    word nobody knows ("พรือ" is not พ + รื้อ), so it is no correction at all."""
    if path[index][0] == path[index][1]:
        return False
    neighbours = path[max(index - 1, 0) : index] + path[index + 1 : index + 2]
    return any(typed == word and not is_known(word) for typed, word in neighbours)


def _skeleton(word: str) -> str:
    """The word without the marks that tone-less typing drops."""
    return word.translate(_MARKS)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _distance(a: str, b: str) -> int:
    """Edit distance with adjacent swaps (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
