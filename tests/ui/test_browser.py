"""The real UI in headless Chromium: a villager's question, filters, a source page, a recording."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

pytestmark = pytest.mark.browser


def search(page, server_url, question):
    page.goto(server_url + "/")
    page.fill("#q", question)
    page.press("#q", "Enter")
    page.wait_for_selector(".card")


def test_a_thai_question_gives_ranked_cards(page, server_url):
    search(page, server_url, "ทำปลาร้ายังไงให้หอม")
    cards = page.locator(".card")
    assert cards.count() >= 3
    titles = cards.locator("h2").all_inner_texts()
    assert any("ปลาร้า" in title or "ปลาแดก" in title for title in titles[:2])
    assert page.locator(".card mark").first.is_visible()
    assert "พบ" in page.locator(".summary").inner_text()
    # Thai is laid out by a Thai font: the text keeps its marks, and the glyphs take real width
    width = page.evaluate("() => document.querySelector('.card h2').getBoundingClientRect().width")
    assert width > 100


def test_province_filter_chip_narrows_the_results(page, server_url):
    search(page, server_url, "ผ้าทอมือ")
    chip = page.locator("a.chip[data-filter=province]", has_text="เชียงใหม่").first
    chip.click()
    page.wait_for_function("() => location.search.includes('province=')")
    page.wait_for_selector("a.chip.on[data-filter=province]")
    assert parse_qs(urlparse(page.url).query)["province"] == ["เชียงใหม่"]
    places = page.locator(".card .where").all_inner_texts()
    assert places and all("เชียงใหม่" in place for place in places)
    # the search box keeps the filter for the next question
    assert page.locator("form.search input[name=province]").get_attribute("value") == "เชียงใหม่"


def test_source_page_highlights_and_scrolls_to_the_passage(page, server_url):
    search(page, server_url, "หน้ากากผีตาโขนทำจากหวดนึ่งข้าว")
    page.locator(".card h2 a").first.click()
    page.wait_for_selector("#match")
    assert "/sources/documents/phi-ta-khon-loei.md" in page.url
    match = page.locator("#match")
    assert match.is_visible() and "หวด" in page.locator(".text").inner_text()
    box = match.bounding_box()
    assert 0 <= box["y"] < 915  # scrolled into view


def test_oral_history_result_opens_at_its_timestamp(page, server_url):
    search(page, server_url, "ปลาแดกเฮ็ดจั่งใด๋")
    listen = page.locator(".card.oral_history a.listen").first
    label = listen.inner_text()
    assert "ดูช่วงนี้ในบันทึก" in label  # the sample corpora keep no recordings: it says what it does
    start = re.search(r"(\d+):(\d\d)", label)
    listen.click()
    page.wait_for_selector("#match")
    cue = page.locator("#match")
    assert cue.is_visible() and "passage" in cue.get_attribute("class")
    seconds = float(cue.get_attribute("data-start"))
    assert int(seconds) // 60 == int(start.group(1)) and int(seconds) % 60 == int(start.group(2))


def test_basic_search_works_without_javascript(browser, server_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server_url + "/?q=" + "ผ้าไหมมัดหมี่")
    assert page.locator(".card").count() >= 3
    context.close()


def test_document_strings_are_escaped(page, server_url):
    page.goto(server_url + "/?q=" + "<script>window.pwned=1</script>ปลาร้า")
    assert page.evaluate("() => window.pwned") is None
    assert "<script>" in page.locator("#q").input_value()


def test_a_question_nothing_answers_shows_the_empty_state(page, server_url):
    page.goto(server_url + "/?q=zzzzqqq")
    empty = page.locator("section.empty")
    empty.wait_for()
    assert "ยังไม่พบ" in empty.inner_text()
    assert page.locator(".cards .card").count() == 0
    assert "0 แหล่งข้อมูล" in page.locator(".summary").inner_text()
    assert empty.locator("a.chip").count() >= 3  # browse by category instead


def test_a_price_in_the_question_becomes_a_chip_that_can_be_removed(page, server_url):
    page.goto(server_url + "/?" + urlencode({"q": "ผ้าไหมไม่เกิน 5000 บาท"}))
    chip = page.locator("a.understood-chip[data-understood=price]")
    chip.wait_for()
    assert "5,000" in chip.inner_text()
    prices = [
        int(re.sub(r"\D", "", text.split("บาท")[0]))
        for text in page.locator(".card .price").all_inner_texts()
    ]
    assert prices and max(prices) <= 5000
    chip.click()
    page.wait_for_function("() => !decodeURIComponent(location.search).includes('5000')")
    page.wait_for_selector(".card")
    assert page.locator("a.understood-chip[data-understood=price]").count() == 0
    assert "ผ้าไหม" in page.locator("#q").input_value()


def test_a_kind_of_product_in_a_buying_question_is_a_chip_beside_the_price(page, server_url):
    page.goto(server_url + "/?" + urlencode({"q": "ของกินราคาไม่เกิน 100 บาท"}))
    kind = page.locator("a.understood-chip[data-understood=category]")
    kind.wait_for()
    assert "ของกิน" in kind.inner_text()
    assert page.locator("a.understood-chip[data-understood=price]").count() == 1
    assert page.locator(".card").count() >= 3  # the food products up to 100 baht
    kind.click()
    page.wait_for_function("() => !decodeURIComponent(location.search).includes('ของกิน')")
    assert page.locator("a.understood-chip[data-understood=category]").count() == 0
    assert page.locator("a.understood-chip[data-understood=price]").count() == 1
