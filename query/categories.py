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
