"""Browsing like an archive, on a phone: copy a citation, open a moment's permalink, filter by
region, sort by date (Thai dates in B.E.), and the planners' /stats page on screen and on paper."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from query.places import region_of
from tests.ui.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

STORY = "oral_histories/bualai-pla-daek.vtt"
THAI_DATE = re.compile(r"^\d{1,2} (มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม) 25\d\d$|^25\d\d$|^\S+ 25\d\d$")  # fmt: skip


def full_page(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_copy_a_citation(page, server_url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server_url)
    page.goto(server_url + "/sources/documents/pla-ra-ubon.md")
    cite = page.locator("#cite")
    cite.scroll_into_view_if_needed()
    thai = page.locator("#cite-th").inner_text()
    assert thai.startswith("นิภาพร ทองสุข. (12 มีนาคม 2566 / ค.ศ. 2023). ปลาร้าริมฝั่งมูล")
    assert thai.endswith(server_url + "/sources/documents/pla-ra-ubon.md")
    button = page.locator("button[data-copy=cite-th]")
    button.click()
    page.wait_for_function(
        "() => document.querySelector('button[data-copy=cite-th]').textContent === 'คัดลอกแล้ว'"
    )
    assert page.evaluate("() => navigator.clipboard.readText()") == thai
    page.locator("button[data-copy=cite-en]").click()
    assert page.evaluate("() => navigator.clipboard.readText()").startswith(
        "นิภาพร ทองสุข. (March 12, 2023; B.E. 2566)"
    )
    # the downloads are real files
    bibtex = page.locator("#cite a", has_text="BibTeX").get_attribute("href")
    assert httpx.get(server_url + bibtex).text.startswith("@misc{panya2023pla-ra-ubon,")
    added = page.locator(".provenance time").first.inner_text()
    assert re.fullmatch(r"\d{1,2} \S+ 25\d\d เวลา \d\d:\d\d น\.", added)  # provenance in B.E., Thai time
    full_page(page, "archive_cite")


def test_open_a_moment_permalink(page, server_url):
    cues = httpx.get(f"{server_url}/api/sources/{STORY}").json()["cues"]
    cue = cues[len(cues) // 2]
    moment = int(cue["start"]) + 1 if int(cue["start"]) + 1 < cue["end"] else cue["start"]  # inside the cue
    page.goto(f"{server_url}/sources/{STORY}?t={moment}")
    match = page.locator("#match")
    assert match.get_attribute("data-start") == str(cue["start"])
    assert "passage" in match.get_attribute("class") and cue["text"][:20] in match.inner_text()
    box = match.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 915  # scrolled into view on the phone
    assert page.locator(".cue.passage").count() == 1  # the cue that holds the moment, no other
    link = page.locator("#cite a.moment")
    assert link.get_attribute("href").endswith(f"/sources/{STORY}?t={moment}")
    assert page.locator("#cite-th").inner_text().endswith(f"?t={moment}")  # the citation cites the moment


def test_filter_by_region(page, server_url):
    page.goto(server_url + "/")
    chip = page.locator("a.chip[data-filter=region]", has_text="อีสาน")
    assert page.locator("a.chip[data-filter=region]").count() == 4
    chip.click()
    page.wait_for_function("() => location.search.includes('region=')")
    page.wait_for_selector("a.chip.on[data-filter=region]")
    assert parse_qs(urlparse(page.url).query)["region"] == ["อีสาน"]
    total = int(re.search(r"\d+", page.locator(".summary").inner_text()).group())
    cards = page.locator(".card")
    assert cards.count() == min(total, 10) and total >= 15
    provinces = [where.split(" · ")[-1].split(" ")[0] for where in cards.locator(".where").all_inner_texts()]
    assert provinces and all(region_of(province) == "อีสาน" for province in provinces), provinces
    # a district chip appears once a province narrows them
    page.locator("a.chip[data-filter=province]", has_text="อุบลราชธานี").click()
    page.wait_for_selector("a.chip[data-filter=district]")
    assert page.locator("a.chip[data-filter=district]", has_text="พิบูลมังสาหาร").count() == 1
    full_page(page, "archive_region")


def test_sort_by_date(page, server_url):
    page.goto(server_url + "/?type=document")
    page.locator(".sorts a", has_text="ใหม่ล่าสุด").click()
    page.wait_for_function("() => location.search.includes('sort=date')")
    page.wait_for_selector(".sorts b:has-text('ใหม่ล่าสุด')")
    stamps = page.locator(".card .where time.date")
    shown, iso = (
        stamps.all_inner_texts(),
        [stamps.nth(i).get_attribute("datetime") for i in range(stamps.count())],
    )
    assert len(iso) == page.locator(".card").count() == 10  # the first page: every card dated
    assert iso == sorted(iso, reverse=True) and iso[0] > iso[-1]  # newest first
    assert all(THAI_DATE.match(text) for text in shown), shown  # B.E. with Thai month names
    years = [int(text.split()[-1]) for text in shown]
    assert years == [int(value[:4]) + 543 for value in iso]
    page.locator(".pager a", has_text="ถัดไป").click()
    page.wait_for_function("() => location.search.includes('offset=10')")
    later = [page.locator(".card .where time.date").nth(i).get_attribute("datetime")
             for i in range(page.locator(".card .where time.date").count())]  # fmt: skip
    assert not later or max(later) <= iso[-1]


def test_stats_on_a_phone_and_on_paper(page, server_url):
    page.goto(server_url + "/stats")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 412  # nothing wider than the phone
    for selector in (".tile-map", ".bars", ".columns", ".prices table"):
        box = page.locator(selector).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 412, selector
    full_page(page, "archive_stats_phone")
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible() and not page.locator("form.search").is_visible()
    assert page.locator(".tile-map").is_visible() and page.locator(".prices table").is_visible()
    colour = page.evaluate("() => getComputedStyle(document.querySelector('.tile.level-4')).printColorAdjust")
    assert colour == "exact"  # the map's shades print
    full_page(page, "archive_stats_print")
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pdf.startswith(b"%PDF") and 1 <= pages <= 8, pages
