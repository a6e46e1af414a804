"""The planners' figures over the sample corpora: counts, the map, where to collect next, prices."""

from __future__ import annotations

import csv
import json

import pytest

from query.places import load_gazetteer
from query.stats import archive_stats, growth, load_grid, shade
from tests.conftest import CORPORA

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def public(corpus_archive):
    return archive_stats(corpus_archive.store)


@pytest.fixture(scope="module")
def everything(corpus_archive):
    return archive_stats(corpus_archive.store, include_restricted=True)


def catalogue_rows() -> list[dict]:
    with (CORPORA / "products" / "otop.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    lines = (CORPORA / "products" / "village-shop.jsonl").read_text(encoding="utf-8").splitlines()
    return rows + [json.loads(line) for line in lines]


def test_the_grid_places_every_province_once():
    grid = load_grid()
    provinces = {place.name for place in load_gazetteer().places if place.kind == "province"}
    assert set(grid) == provinces and len(provinces) == 77
    assert len({(cell.row, cell.col) for cell in grid.values()}) == 77
    # north is up and the south's tail is down: เชียงราย above กรุงเทพฯ above นราธิวาส
    assert grid["เชียงราย"].row < grid["กรุงเทพมหานคร"].row < grid["นราธิวาส"].row
    assert grid["แม่ฮ่องสอน"].col < grid["อุบลราชธานี"].col


def test_counts_add_up_and_agree_with_the_archive(public, corpus_archive):
    assert public.sources == corpus_archive.facets().total
    assert sum(public.by_type.values()) == public.sources
    assert sum(public.by_region.values()) == public.sources
    assert public.by_type["product"] == len(catalogue_rows())
    assert sum(p.sources for p in public.provinces) + sum(public.other_places.values()) <= public.sources
    ubon = next(p for p in public.provinces if p.province == "อุบลราชธานี")
    assert ubon.region == "อีสาน" and ubon.sources >= 3 and ubon.products == 2 and ubon.level >= 1


def test_where_to_collect_next_lists_the_empty_provinces(public):
    assert len(public.provinces) == 77
    assert "บึงกาฬ" in public.collect_next and "อุบลราชธานี" not in public.collect_next
    assert public.covered_provinces + len(public.collect_next) == 77
    assert all(p.level == 0 for p in public.provinces if p.province in public.collect_next)


def test_restricted_sources_count_only_with_a_grant(public, everything):
    # the Songkhla bone-setting family manual is restricted, and Songkhla's only source
    songkhla = {s.province: s for s in public.provinces}["สงขลา"]
    songkhla_all = {s.province: s for s in everything.provinces}["สงขลา"]
    assert (songkhla.sources, songkhla_all.sources) == (0, 1)
    assert "สงขลา" in public.collect_next and "สงขลา" not in everything.collect_next
    assert everything.sources == public.sources + 1
    assert not public.restricted_included and everything.restricted_included
    assert sum(public.by_region.values()) == public.sources


def test_price_ranges_per_category_match_the_catalogues(public):
    rows = catalogue_rows()
    food = sorted(float(row["price"]) for row in rows if row["category"] == "food")
    found = {p.category: p for p in public.prices}
    assert (found["food"].min, found["food"].max, found["food"].products) == (food[0], food[-1], len(food))
    assert found["food"].min <= found["food"].median <= found["food"].max
    assert found["textiles"].archive_category == "crafts" and found["textiles"].max == 18500
    assert public.products_by_province["เชียงใหม่"] == sum(row["province"] == "เชียงใหม่" for row in rows)


def test_categories_gather_mapped_products(public):
    crafts = {c.category: c for c in public.categories}["crafts"]
    rows = catalogue_rows()
    assert crafts.products == sum(row["category"] in ("handicraft", "textiles") for row in rows)
    assert crafts.sources == public.by_category["crafts"]


def test_growth_runs_to_the_total_and_says_its_basis(public):
    assert public.growth and public.growth[-1].total == public.sources - public.growth_basis["none"]
    assert sum(public.growth_basis.values()) == public.sources
    assert public.recorded and [p.period for p in public.recorded] == sorted(
        p.period for p in public.recorded
    )


def test_growth_falls_back_to_the_sources_date_and_months_become_years_when_some_lack_one():
    points = growth(
        [{"date": "2023-03-12"}, {"date": "2023"}, {"added_at": "2024-05-01T00:00:00Z", "date": "1999"}]
    )
    assert [(p.period, p.label, p.added, p.total) for p in points] == [
        ("2023", "2566", 2, 2),
        ("2024", "2567", 1, 3),
    ]
    assert shade(0, 10) == 0 and shade(10, 10) == 4 and shade(1, 100) == 1
