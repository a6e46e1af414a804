"""From what a person typed to what Panya searches with, and back to how results are ordered.

- **Price** (``ไม่เกิน 5000``, ``under 500 baht``) becomes a *filter*: a person who says "not over
  5,000 baht" never wants a 12,000-baht cloth, however well it matches. A price range set
  explicitly (``price_min``/``price_max``) wins over one parsed from the words.
- **Place** (``ลูกประคบ นครปฐม``, ``ปลาร้าอุบลฯ``) becomes a *boost*: sources of that province
  (or region) move up, others stay. A filter would hide the only source about a craft when it
  was recorded one province away, and place words are often part of a name (``ผ้าไหมสุรินทร์``).
  The place is also written out in full in the text searched (``โคราช`` → ``นครราชสีมา``).
- **Product intent** (``ซื้อ``, ``ราคา``, a price) gives products a small boost, and products of the
  kind of product it names (``ซื้อของกิน``, ``handmade … under 500 baht``) as much again: a *boost*,
  since the catalogue's categories are coarse and a kind noun is often part of what is sought.
- **Dialect words** add their central Thai (``เฮ็ด`` → ``ทำ``) to the text searched.
- **A question that is only constraints** (``ของฝากโคราช``, ``ซื้ออะไรได้บ้างไม่เกิน 100 บาท``: buying
  words, a place, a price, a kind of product, nothing else) asks for a listing: the products of
  that place, price or kind, all of them answers. Its place and its kind become filters and the relevance cut-off does not apply (there
  is no topic for it to judge); it is ranked as any search.

>>> plan = plan_search(SearchRequest(q="ผ้าไหมราคาไม่เกิน 5000"))
>>> plan.request.price_max, plan.understood.product_intent
(5000.0, True)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from index.thai_text import question_text, sort_key
from query.categories import load_categories
from query.expansion import ENGLISH, ExpandedQuery, expand_query
from query.models import SearchResult
from query.relevance import content_words, rarity
from query.request import SearchRequest
from query.understanding import BUYING_WORDS, Understood, understand

PLACE_BOOST = 0.25  # fused scores run 0..1; a named place is worth about a quarter of the range
PRODUCT_BOOST = 0.1
EVERYDAY_THAI = 5.0  # word_weight below this: a word common in general Thai (about 1 in 1,100 words or more)


@dataclass(frozen=True)
class SearchPlan:
    request: SearchRequest  # with the price range the words asked for
    text: str  # what is embedded and matched
    understood: Understood
    expanded: ExpandedQuery
    listing: bool = False  # only constraints: every product that meets them answers

    @property
    def same(self) -> dict[str, str]:
        """Words of the searched text that stand for another of its words, so that a source is not
        asked to say one thing twice: the central Thai a dialect word was expanded with (ทำ → เฮ็ด),
        the full name a place typed in short was given (นครราชสีมา → โคราช).

        >>> plan_search(SearchRequest(q="ของฝากโคราช")).same
        {'นครราชสีมา': 'โคราช'}
        """
        same = {central: e.word for e in self.expanded.expansions for central in e.central}
        for e in self.expanded.expansions:
            if e.dialects == (ENGLISH,) and len(e.parts) > 1:  # fermented + fish, and ปลาร้า: one concept
                same.update((word, e.parts[0]) for word in (*e.central, *e.parts[1:]))
        for place in self.understood.places:
            # one place, one concept: the words it was typed in (ชายแดน + ใต้) and its full name
            typed = sorted(content_words(place.text))
            if typed:
                same.update((word, typed[0]) for word in content_words(place.name) | set(typed[1:]))
                same.pop(typed[0], None)
        return same


def plan_search(request: SearchRequest) -> SearchPlan:
    """What to search for ``request``: its question without the marks that say nothing
    (``question_text``: ``ปลาร้าทำยังไง??`` is ``ปลาร้าทำยังไง``), read and expanded; the plan's request
    carries that question and the constraints it states."""
    question = question_text(request.query) or request.query
    understood, expanded = read_query(question)
    updates: dict[str, object] = {"q": question}
    if request.price_min is None and request.price_max is None:
        updates.update(price_min=understood.price_min, price_max=understood.price_max)
    listing = is_listing(understood)
    if listing:
        updates["type"] = request.type or "product"
        if understood.province and not (request.province or request.region):
            updates["province"] = understood.province
        elif understood.region and not (request.province or request.region):
            updates["region"] = understood.region
        if understood.category and not request.category:
            updates["category"] = understood.category
    return SearchPlan(request.model_copy(update=updates), expanded.text, understood, expanded, listing)


@lru_cache(maxsize=4096)  # the same questions come back again and again: read each once
def read_query(query: str) -> tuple[Understood, ExpandedQuery]:
    """What a question says (constraints, places) and the text to search by meaning, expanded.

    The price phrase says nothing about meaning: it goes; the rest stays as typed (the model reads
    word order), and a place typed in short (โคราช, อุบลฯ) gets its full name added. Shared
    between searches: never change what it returns.
    """
    understood = understand(query)
    text = query
    kept = {place.text for place in understood.places} | {understood.kind}
    for phrase in understood.phrases:
        if phrase not in kept:
            text = text.replace(phrase, " ")
    text = " ".join(text.split())
    text = " ".join([text, *(p.name for p in understood.places if p.name not in text)]).strip() or query
    return understood, distinctive(expand_query(text))


def is_listing(understood: Understood) -> bool:
    """Whether a question says nothing but what to buy within (a place, a price, a kind of product).

    >>> [is_listing(understand(q)) for q in ("ของฝากโคราช", "ผ้าไหมโคราช", "ของฝาก", "ซื้อของไม่เกิน 100 บาท")]
    [True, False, False, True]
    >>> [is_listing(understand(q)) for q in ("ซื้อของกิน", "handmade souvenir under 500 baht", "ของกิน")]
    [True, True, False]
    """
    constrained = (
        understood.price_min is not None
        or understood.price_max is not None
        or bool(understood.province or understood.region or understood.category)
    )
    topic = content_words(understood.remainder) - BUYING_WORDS
    return understood.product_intent and constrained and not topic


def distinctive(expanded: ExpandedQuery) -> ExpandedQuery:
    """Keep the expansions of words that are dialect, not everyday Thai too: ``เฮ็ด`` → ``ทำ`` helps,
    but ``งาม`` or ``จัง`` (listed as dialect, common in central Thai) would only add noise. An
    English word is kept with the Thai words of it that say something (``silk`` → ผ้าไหม, not
    ไหม, also the question particle); ``how to`` → วิธี, ขั้นตอน says nothing of the topic and
    would match every recipe in the archive, so it adds nothing."""
    kept = []
    for e in expanded.expansions:
        if e.dialects == (ENGLISH,):
            central = tuple(word for word in e.central if _says_something(word))
            if central:
                kept.append(replace(e, central=central))
        elif rarity(e.word) >= EVERYDAY_THAI:
            kept.append(e)
    if kept == list(expanded.expansions):
        return expanded
    added = tuple(dict.fromkeys(word for e in kept for word in e.central if word in expanded.added))
    text = " ".join([expanded.query.strip(), *added]) if added else expanded.query
    return ExpandedQuery(query=expanded.query, text=text, expansions=tuple(kept), added=added)


def _says_something(thai: str) -> bool:
    """A Thai word or phrase holding a word rarer than everyday Thai (วิธีทำ is วิธี + ทำ: no)."""
    return any(rarity(word) >= EVERYDAY_THAI for word in content_words(thai))


def rerank(results: list[SearchResult], plan: SearchPlan) -> list[SearchResult]:
    """Boost what the question named, then order as the request asks (relevance by default)."""
    understood = plan.understood
    kinds = load_categories().expand(understood.category) if understood.category else ()
    if understood.province or understood.region or understood.product_intent:
        for result in results:
            boost = 0.0
            if understood.province and result.meta.get("province") == understood.province:
                boost += PLACE_BOOST
            elif understood.region and result.meta.get("region") == understood.region:
                boost += PLACE_BOOST
            if understood.product_intent and result.type == "product":
                boost += PRODUCT_BOOST
                if result.meta.get("category") in kinds:
                    boost += PRODUCT_BOOST
            result.score = round(result.score + boost, 4)
        results = sorted(results, key=lambda r: -r.score)
    return sort_results(results, plan.request.sort)


def sort_results(results: list[SearchResult], sort: str) -> list[SearchResult]:
    """Order results by relevance (as ranked), price, date (newest first) or title (Thai order)."""
    if sort == "relevance":
        return results
    if sort in ("price_asc", "price_desc"):
        priced = [r for r in results if isinstance(r.meta.get("price"), int | float)]
        rest = [r for r in results if r not in priced]
        return sorted(priced, key=lambda r: r.meta["price"], reverse=sort == "price_desc") + rest
    if sort == "date":
        dated = [r for r in results if r.meta.get("date")]
        return sorted(dated, key=lambda r: str(r.meta["date"]), reverse=True) + [
            r for r in results if r not in dated
        ]
    return sorted(results, key=lambda r: (sort_key(r.title), r.source_id))
