"""One category vocabulary for documents and products.

The archive files knowledge under its own categories (``crafts``, ``food-preservation`` …);
village catalogues file products under theirs (``handicraft``, ``textiles``, ``food`` …).
``query/data/categories.csv`` says which archive category each product category belongs to, so a
product shows the archive category it belongs to and an archive category gathers its products.

>>> vocabulary = load_categories()
>>> vocabulary.archive_category("textiles"), vocabulary.label("crafts")
('crafts', 'หัตถกรรม')
>>> vocabulary.expand("crafts")
('crafts', 'handicraft', 'textiles')
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_CATEGORIES = Path(__file__).parent / "data" / "categories.csv"
#: The generic nouns people use for a kind of product ("ของกิน", "handmade"), per stored category.
DEFAULT_KINDS = Path(__file__).parent / "data" / "product_kinds.csv"


@dataclass(frozen=True)
class ArchiveCategory:
    """One archive category, its names, and the product categories filed under it."""

    name: str
    label_th: str
    label_en: str
    product_categories: tuple[str, ...]


@dataclass(frozen=True)
class CategoryVocabulary:
    categories: tuple[ArchiveCategory, ...]

    def by_name(self, name: str | None) -> ArchiveCategory | None:
        return next((category for category in self.categories if category.name == name), None)

    def archive_category(self, category: str | None) -> str | None:
        """The archive category a category belongs to: itself for an archive category, the mapped
        one for a product category, ``None`` when the vocabulary does not know it.

        >>> load_categories().archive_category("food"), load_categories().archive_category("อื่น ๆ")
        ('food-preservation', None)
        """
        if self.by_name(category):
            return category
        return next((c.name for c in self.categories if category in c.product_categories), None)

    def expand(self, category: str) -> tuple[str, ...]:
        """Every stored category value a filter on ``category`` should match: an archive category
        and its product categories; a product (or unknown) category only itself."""
        known = self.by_name(category)
        return (category, *known.product_categories) if known else (category,)

    def label(self, category: str | None, english: bool = False) -> str:
        known = self.by_name(self.archive_category(category))
        if known is None:
            return category or ""
        return known.label_en if english else known.label_th

    def product_categories(self) -> tuple[str, ...]:
        return tuple(name for category in self.categories for name in category.product_categories)


@lru_cache(maxsize=4)
def load_categories(path: Path = DEFAULT_CATEGORIES) -> CategoryVocabulary:
    """The vocabulary at ``path`` (cached); a product category mapped twice is an error."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    categories = tuple(
        ArchiveCategory(
            name=row["category"].strip(),
            label_th=row["label_th"].strip(),
            label_en=row["label_en"].strip(),
            product_categories=tuple(
                part.strip() for part in (row["product_categories"] or "").split("|") if part.strip()
            ),
        )
        for row in rows
    )
    seen: dict[str, str] = {}
    for category in categories:
        for product_category in category.product_categories:
            if product_category in seen:
                raise ValueError(
                    f"{path}: product category {product_category!r} is mapped to both "
                    f"{seen[product_category]!r} and {category.name!r}"
                )
            seen[product_category] = category.name
    return CategoryVocabulary(categories)


@dataclass(frozen=True)
class KindMention:
    """A kind of product named in a text (``ของกิน`` → ``food``); offsets index the text as given."""

    text: str
    start: int
    end: int
    category: str


@lru_cache(maxsize=4)
def kind_forms(path: Path = DEFAULT_KINDS) -> tuple[tuple[str, str], ...]:
    """(form, category) for every generic kind noun, longest form first; every category must be
    one the vocabulary knows (an archive category or a product category filed under one)."""
    vocabulary = load_categories()
    known = {c.name for c in vocabulary.categories} | set(vocabulary.product_categories())
    forms: list[tuple[str, str]] = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            category = row["category"].strip()
            if category not in known:
                raise ValueError(f"{path}: unknown category {category!r}; use one of {sorted(known)}")
            for cell in (row["thai_forms"], row["english_forms"]):
                forms.extend((form.strip(), category) for form in cell.split("|") if form.strip())
    return tuple(sorted(forms, key=lambda item: -len(item[0])))


def find_kinds(text: str, starts: frozenset[int], ends: frozenset[int]) -> list[KindMention]:
    """Generic kind nouns in normalised ``text`` on word edges (``starts``/``ends``: where its
    words start and end), longest first on overlap: Thai forms on PyThaiNLP word boundaries,
    English ones as whole words, case-insensitively.

    >>> from query.places import word_edges
    >>> text = "ของกินเล่นกับ handmade bags"
    >>> [(k.text, k.category) for k in find_kinds(text, *word_edges(text))]
    [('ของกินเล่น', 'food'), ('handmade', 'handicraft')]
    >>> [k.category for k in find_kinds("ผ้าพื้นเมือง", *word_edges("ผ้าพื้นเมือง"))]
    ['textiles']
    >>> find_kinds("กินอาหารกลางวัน", *word_edges("กินอาหารกลางวัน"))  # lunch is one word, no kind
    []
    """
    lowered = text.lower()
    found: list[KindMention] = []
    for form, category in kind_forms():
        needle = form.lower()
        position = lowered.find(needle)
        while position >= 0:
            end = position + len(needle)
            if needle.isascii():
                on_edges = (position == 0 or not lowered[position - 1].isalnum()) and (
                    end == len(lowered) or not lowered[end].isalnum()
                )
            else:
                on_edges = position in starts and end in ends
            if on_edges and all(end <= k.start or position >= k.end for k in found):
                found.append(KindMention(text[position:end], position, end, category))
            position = lowered.find(needle, position + 1)
    return sorted(found, key=lambda kind: kind.start)
