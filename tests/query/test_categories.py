"""The one category vocabulary: every product category of the sample catalogues has an archive home."""

from __future__ import annotations

import csv
import json

import pytest

from query.categories import DEFAULT_CATEGORIES, load_categories
from tests.conftest import CORPORA, REPO


def catalogue_categories() -> set[str]:
    with (CORPORA / "products" / "otop.csv").open(encoding="utf-8") as handle:
        found = {row["category"] for row in csv.DictReader(handle)}
    for line in (CORPORA / "products" / "village-shop.jsonl").read_text(encoding="utf-8").splitlines():
        found.add(json.loads(line)["category"])
    return found


def test_every_product_category_of_the_catalogues_maps_to_an_archive_category():
    vocabulary = load_categories()
    unmapped = {
        c for c in catalogue_categories() if vocabulary.by_name(vocabulary.archive_category(c)) is None
    }
    assert catalogue_categories() >= {"food", "textiles", "herbal", "handicraft", "service"}
    assert unmapped == set()
    assert vocabulary.archive_category("textiles") == vocabulary.archive_category("handicraft") == "crafts"
    assert vocabulary.archive_category("herbal") == "herbal-medicine"


def test_an_archive_category_expands_to_its_product_categories_and_nothing_else():
    vocabulary = load_categories()
    assert vocabulary.expand("crafts") == ("crafts", "handicraft", "textiles")
    assert vocabulary.expand("rituals") == ("rituals",)
    assert vocabulary.expand("textiles") == ("textiles",)  # a product category is not widened
    assert vocabulary.archive_category("ไม่มีหมวดนี้") is None
    assert (
        vocabulary.label("textiles") == "หัตถกรรม" and vocabulary.label("textiles", english=True) == "Crafts"
    )


def test_archive_categories_of_the_documents_are_all_in_the_vocabulary_and_labelled():
    vocabulary = load_categories()
    used = set()
    for path in CORPORA.rglob("*.meta.json"):
        used.add(json.loads(path.read_text(encoding="utf-8")).get("category"))
    used.discard(None)
    assert used and all(vocabulary.by_name(category) for category in used)
    labels = json.loads((REPO / "ui" / "labels.json").read_text(encoding="utf-8"))["category"]
    assert all(labels.get(category.name) == category.label_th for category in vocabulary.categories)


def test_a_product_category_mapped_twice_is_refused(tmp_path):
    rows = DEFAULT_CATEGORIES.read_text(encoding="utf-8") + "weaving,การทอ,Weaving,textiles\n"
    path = tmp_path / "categories.csv"
    path.write_text(rows, encoding="utf-8")
    with pytest.raises(ValueError, match="textiles"):
        load_categories(path)
