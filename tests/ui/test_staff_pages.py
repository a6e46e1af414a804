"""The staff's side on a phone, in headless Chromium: sign in, upload with the Thai form, find it,
edit its province, delete it, restore it from the trash, and a recording whose highlighted cue
follows the audio."""

from __future__ import annotations

import re
import shutil
import wave
from urllib.parse import unquote

import numpy as np
import pytest

from ingest.converters.subtitle_files import convert_vtt
from panya.archive import Archive
from panya.ingestion import ingest_path
from panya.settings import Settings
from search_api.app import create_app
from tests.conftest import CORPORA, serve_in_thread
from tests.search_api.conftest import WRITE_KEY, keyed
from tests.ui.conftest import SCREENSHOTS

TRANSCRIPT = CORPORA / "oral_histories/saijai-khao-lam-nong-mon.vtt"
RECORDING = CORPORA / "oral_histories/audio/saijai-khao-lam-nong-mon.wav"

# Written for these tests: บุญข้าวจี่ (merit-making with grilled sticky rice, the third lunar month)
KHAO_JI = """ข้าวจี่เป็นอาหารเช้าของชาวอีสาน นำข้าวเหนียวนึ่งมาปั้นเป็นก้อนแบน ทาเกลือเล็กน้อย
ย่างบนเตาถ่านไฟอ่อนจนผิวเกรียม แล้วชุบไข่ไก่ที่ตีกับน้ำปลา ย่างต่อจนไข่สุกเป็นเปลือกสีทอง
บางบ้านเสียบไม้ไผ่ให้พลิกง่าย

ในเดือนสามมีบุญข้าวจี่ ชาวบ้านลุกขึ้นก่อรีตั้งแต่ตีสี่ ยัดน้ำอ้อยไว้กลางก้อนข้าวจี่
แล้วนำไปถวายพระที่วัดตอนเช้า ข้าวจี่ที่เหลือแบ่งกันกินในหมู่บ้าน
"""
# and a northern craft: brooms of tiger grass (ดอกหญ้าก๋ง) cut in the cool season
BROOM = """ไม้กวาดดอกหญ้าทำจากดอกหญ้าก๋งที่ตัดบนดอยช่วงเดือนมกราคม นำมาตากแดดให้แห้งสนิท
ฟาดเอาเมล็ดออก คัดก้านที่ยาวเท่ากัน แล้วมัดรวมกับด้ามไม้ไผ่ด้วยลวดและเชือกฟางให้แน่น
ไม้กวาดที่มัดดีใช้ได้หลายปีโดยดอกหญ้าไม่หลุดร่วง
"""

pytestmark = pytest.mark.browser


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"staff-{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory):
    """A writable archive of its own (the session's corpus archive is read-only), served on loopback."""
    root = tmp_path_factory.mktemp("staff-browser")
    corpus = root / "corpus" / "documents"
    corpus.mkdir(parents=True)
    for name in ("pla-ra-ubon.md", "jin-som-phrae.txt", "jin-som-phrae.meta.json"):
        shutil.copy2(CORPORA / "documents" / name, corpus / name)
    settings = keyed(Settings(data_dir=root / "data", _env_file=None))
    with Archive(settings) as archive:
        assert ingest_path(archive, root / "corpus", progress=False).ok
        with serve_in_thread(create_app(settings, archive=archive)) as url:
            yield url, root


def sign_in(page, url: str, then: str = "/staff") -> None:
    page.goto(url + then)
    assert "/staff/signin" in page.url  # signed out: sent to sign in, and back afterwards
    page.fill("#f-password", WRITE_KEY)
    page.locator("form.staff button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(then) + "$"))


def search_cards(page, url: str, question: str):
    page.goto(url + "/")
    page.fill("#q", question)
    page.press("#q", "Enter")
    page.wait_for_selector(".summary")
    return page.locator(".card")


def card_of(page, source_id: str):
    return page.locator(f'.card:has(a[href^="/sources/{source_id}"])')


def test_upload_find_edit_province_and_find_the_change(page, staff_server):
    url, root = staff_server
    document = root / "khao-ji-warin.md"
    document.write_text(KHAO_JI, encoding="utf-8")
    sign_in(page, url, "/staff/upload")

    # a wrong date is named on its own field, and what was typed stays
    page.set_input_files("#f-file", str(document))
    page.fill("#f-title", "บุญข้าวจี่เดือนสาม")
    page.select_option("#f-category", "food-preservation")
    page.select_option("#f-province", "อุบลราชธานี")
    page.fill("#f-district", "วารินชำราบ")
    page.fill("#f-sage", "คำปุน ศรีใส")
    page.fill("#f-date", "เดือนสามปีที่แล้ว")
    page.locator("form.staff button.primary").click()
    page.wait_for_selector("#e-date")
    assert "วันที่" in page.locator("#e-date").inner_text()
    assert page.locator(".field-error").count() == 1
    assert page.input_value("#f-title") == "บุญข้าวจี่เดือนสาม"
    assert page.input_value("#f-province") == "อุบลราชธานี"
    assert page.input_value("#f-district") == "วารินชำราบ"
    assert "khao-ji-warin.md" in page.locator(".form-errors").inner_text()  # choose the file again
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 412
    shot(page, "upload-error")

    page.set_input_files("#f-file", str(document))
    page.fill("#f-date", "3 กุมภาพันธ์ 2567")
    page.locator("form.staff button.primary").click()
    page.wait_for_selector(".notice.saved")
    assert unquote(page.url).startswith(url + "/sources/documents/khao-ji-warin.md")
    assert page.locator("h1").inner_text() == "บุญข้าวจี่เดือนสาม"
    assert "เพิ่ม 1 รายการ" in page.locator(".notice.saved").inner_text()
    assert "เพิ่ม" in page.locator(".staff-panel .history li").first.inner_text()

    cards = search_cards(page, url, "ข้าวจี่ชุบไข่")
    card = card_of(page, "documents/khao-ji-warin.md")
    assert cards.first.locator("h2").inner_text() == "บุญข้าวจี่เดือนสาม"
    assert "อุบลราชธานี" in card.locator(".where").inner_text()

    card.locator("h2 a").click()
    page.locator(".staff-panel a.button", has_text="แก้ไขข้อมูล").click()
    page.wait_for_selector("#f-province")
    assert page.input_value("#f-province") == "อุบลราชธานี" and page.input_value("#f-date") == "3 กุมภาพันธ์ 2567"
    page.select_option("#f-province", "ศรีสะเกษ")
    page.fill("#f-district", "กันทรลักษ์")
    shot(page, "edit-form")
    page.locator("form.staff button.primary").click()
    page.wait_for_selector(".notice.saved")
    assert "แก้ไข 1 รายการ" in page.locator(".notice.saved").inner_text()
    history = page.locator(".staff-panel .history li b").all_inner_texts()
    assert history == ["แก้ไข", "เพิ่ม"]  # newest first
    shot(page, "source-after-edit")

    search_cards(page, url, "ข้าวจี่ชุบไข่")
    where = card_of(page, "documents/khao-ji-warin.md").locator(".where").inner_text()
    assert "ศรีสะเกษ" in where and "กันทรลักษ์" in where and "อุบลราชธานี" not in where
    page.goto(url + "/?" + "province=ศรีสะเกษ")  # and it is under its new province when browsing
    assert card_of(page, "documents/khao-ji-warin.md").count() == 1


def test_delete_restore_from_the_trash_and_find_it_again(page, staff_server):
    url, root = staff_server
    document = root / "mai-kwad-dok-ya.md"
    document.write_text(BROOM, encoding="utf-8")
    sign_in(page, url, "/staff/upload")
    page.set_input_files("#f-file", str(document))
    page.fill("#f-title", "ไม้กวาดดอกหญ้า")
    page.select_option("#f-province", "เชียงราย")
    page.locator("form.staff button.primary").click()
    page.wait_for_selector(".notice.saved")
    source_id = "documents/mai-kwad-dok-ya.md"
    search_cards(page, url, "ไม้กวาดดอกหญ้าก๋ง")
    assert card_of(page, source_id).count() == 1

    page.goto(url + "/sources/" + source_id)
    page.locator(".staff-panel button.danger").click()
    page.wait_for_url(re.compile(r"/staff\?done="))
    assert "ถังขยะ" in page.locator(".notice").inner_text()
    item = page.locator(".trash li", has_text=source_id)
    assert item.count() == 1
    shot(page, "trash")
    search_cards(page, url, "ไม้กวาดดอกหญ้าก๋ง")
    assert card_of(page, source_id).count() == 0
    assert page.goto(url + "/sources/" + source_id).status == 404

    page.goto(url + "/staff")
    page.locator(".trash li", has_text=source_id).locator("button", has_text="กู้คืน").click()
    page.wait_for_selector(".notice.saved")
    assert "กู้คืนแล้ว" in page.locator(".notice.saved").inner_text()
    assert page.locator("h1").inner_text() == "ไม้กวาดดอกหญ้า"
    actions = page.locator(".staff-panel .history li b").all_inner_texts()
    assert actions == ["กู้คืน", "ลบ (ย้ายไปถังขยะ)", "เพิ่ม"]
    search_cards(page, url, "ไม้กวาดดอกหญ้าก๋ง")
    assert card_of(page, source_id).count() == 1
    page.goto(url + "/staff")
    assert page.locator(".trash li", has_text=source_id).count() == 0


def test_the_shipped_recording_matches_its_transcript():
    """Sound inside every cue, silence in the gaps between them and before the first."""
    with wave.open(str(RECORDING)) as wav:
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.uint8).astype(float) - 128
        duration = wav.getnframes() / rate
    cues = convert_vtt(TRANSCRIPT.read_bytes())[0].cues
    assert cues[-1]["end"] <= duration <= cues[-1]["end"] + 1

    def loudness(start: float, end: float) -> float:
        return float(np.sqrt(np.mean(samples[int(start * rate) : int(end * rate)] ** 2)))

    assert loudness(0, cues[0]["start"]) < 1
    for cue, following in zip(cues, cues[1:], strict=False):
        assert loudness(cue["start"], cue["end"]) > 5, cue["text"]
        assert loudness(cue["end"] + 0.05, following["start"]) < 1, cue["text"]


def test_the_highlighted_cue_follows_the_recording(page, server_url):
    page.goto(server_url + "/sources/oral_histories/saijai-khao-lam-nong-mon.vtt")
    player = page.locator("audio#player")
    assert player.is_visible()
    cues = page.locator(".transcript .cue")
    starts = [float(cue.get_attribute("data-start")) for cue in cues.all()]
    assert starts == [0.5, 6.0, 12.5, 19.5, 27.5]
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    assert abs(page.evaluate("() => document.getElementById('player').duration") - 31.0) < 0.1

    # tap the first cue: it plays from there, and the light moves on to the next cue by itself
    cues.nth(0).locator("b.speaker").click()
    page.wait_for_function("() => !document.getElementById('player').paused")
    page.wait_for_function("() => document.getElementById('player').currentTime > 1")
    assert page.locator(".cue.playing").count() == 1
    assert page.locator(".cue.playing").get_attribute("data-start") == "0.5"
    page.wait_for_function(
        "() => document.querySelector('.cue.playing').dataset.start === '6.0'", timeout=15000
    )
    heard = page.evaluate("() => document.getElementById('player').currentTime")
    # the page lights a cue 50 ms early (a seek to a cue's start may land a hair before it)
    assert 6.0 - 0.05 <= heard < 12.5
    assert "ข้าวเหนียวแช่น้ำ" in page.locator(".cue.playing").inner_text()
    shot(page, "player")

    # tap a later cue: the recording jumps there and keeps playing, lit at that cue
    cues.nth(3).locator("b.speaker").click()
    page.wait_for_function("() => document.getElementById('player').currentTime >= 19.5")
    assert page.locator(".cue.playing").get_attribute("data-start") == "19.5"
    page.wait_for_function("() => document.getElementById('player').currentTime > 20.5")
    assert not page.evaluate("() => document.getElementById('player').paused")
    assert page.locator(".cue.playing").count() == 1
