"""The village pages on a phone: the product catalogue, a product, a sage, and the planners' map."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest

pytestmark = pytest.mark.browser

#: Full-page screenshots, to be looked at (the page fixture keeps only the first screen).
SHOTS = Path(tempfile.gettempdir()) / "panya-village-screenshots"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def prices(page) -> list[float]:
    texts = page.locator(".product-card .price").all_inner_texts()
    return [float(re.sub(r"[^\d.]", "", text.split("บาท")[0])) for text in texts]


def test_products_filter_by_price_sort_and_open_a_product(page, server_url):
    page.goto(server_url + "/products")
    shot(page, "products")
    assert page.locator(".product-card").count() == 24  # a page of cards, then the pager
    assert "ถัดไป" in page.locator(".pager").inner_text()
    # nothing overflows a phone's width
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 412
    page.locator("a.chip[data-filter=price]", has_text="ไม่เกิน 100 บาท").click()
    page.wait_for_function("() => location.search.includes('price_max=100')")
    cheap = prices(page)
    assert cheap and all(price <= 100 for price in cheap)
    page.locator(".sorts a[data-sort=price_desc]").click()
    page.wait_for_function("() => location.search.includes('sort=price_desc')")
    ordered = prices(page)
    assert ordered == sorted(ordered, reverse=True) and ordered[0] <= 100
    shot(page, "products-cheap")
    first = page.locator(".product-card h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_selector("a.contact.call")
    assert page.locator("h1").inner_text() == title
    assert page.locator("a.contact.call").get_attribute("href").startswith("tel:0")
    shot(page, "product")


def test_product_page_lists_the_producers_other_products(page, server_url):
    # the silk weavers of บ้านสะเร็น sell cloth and a one-day workshop
    page.goto(server_url + "/sources/products/otop.csv%23NNE-001")
    others = page.locator(".village-links .product-card h3").all_inner_texts()
    assert any("เวิร์กช็อปมัดหมี่" in title for title in others)
    page.locator(".village-links a.place-link", has_text="บ้านสะเร็น").click()
    page.wait_for_selector("article.place")
    assert "บ้านสะเร็น" in page.locator("h1").inner_text()
    shot(page, "village")


def test_sage_page_from_an_oral_history_result(page, server_url):
    page.goto(server_url + "/")
    page.fill("#q", "ปลาแดกเฮ็ดจั่งใด๋")
    page.press("#q", "Enter")
    page.wait_for_selector(".card.oral_history a.sage-link")
    page.locator(".card.oral_history a.sage-link").first.click()
    page.wait_for_selector("article.person")
    assert unquote(urlparse(page.url).path) == "/sages/บัวลาย ศรีวงษา"
    assert page.locator("h1").inner_text() == "บัวลาย ศรีวงษา"
    assert page.locator(".knowledge a.chip").first.inner_text() == "การถนอมอาหาร"
    assert page.locator(".card.oral_history h3").count() >= 1
    # her village's products are promoted on her page, and the village is one tap away
    assert "แจ่วบอง" in page.locator(".village-products").inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 412
    shot(page, "sage")


def test_stats_map_and_where_to_collect_next(page, server_url):
    page.goto(server_url + "/stats")
    tiles = page.locator(".tile-map a.tile")
    assert tiles.count() == 77
    # every square is on screen, side by side, inside a phone's width
    box = page.locator(".tile-map").bounding_box()
    assert box["width"] <= 412
    assert page.locator(".tile[data-province=อุบลราชธานี]").get_attribute("class").split()[1] != "level-0"
    assert page.locator(".tile[data-province=บึงกาฬ]").get_attribute("class").split()[1] == "level-0"
    assert page.locator("#collect a.chip", has_text="บึงกาฬ").count() == 1
    shot(page, "stats")
    page.locator(".tile[data-province=อุบลราชธานี]").click()
    page.wait_for_selector("article.place")
    assert parse_qs(urlparse(page.url).query) == {}
    assert page.locator(".product-card").count() >= 1
