import csv
import json
import re
from collections import Counter

import pytest
import yaml

from query.places import AlignedText, find_places, load_gazetteer, region_of
from tests.conftest import CORPORA


def provinces():
    return [place for place in load_gazetteer().places if place.kind == "province"]


def test_the_gazetteer_has_every_province_as_pythainlp_spells_it():
    from pythainlp.corpus import provinces as pythainlp_provinces

    assert len(provinces()) == 77
    bundled = pythainlp_provinces(details=True)
    assert {p.name for p in provinces()} == {str(p["name_th"]) for p in bundled}  # type: ignore[index]


def test_regions_follow_the_corpora_four_region_scheme():
    counts = Counter(p.region for p in provinces())
    assert counts == {"เหนือ": 17, "อีสาน": 20, "กลาง": 26, "ใต้": 14}
    assert region_of("พิษณุโลก") == region_of("สุโขทัย") == "เหนือ"
    assert region_of("ปราจีนบุรี") == region_of("สมุทรปราการ") == region_of("ชลบุรี") == "กลาง"
    assert region_of("กาญจนบุรี") == "กลาง"  # the west counts as กลาง too


def corpus_regions():
    """(province, region) pairs as the sample corpora's metadata records them."""
    pairs = set()
    for path in CORPORA.glob("*/*.meta.json"):
        meta = json.loads(path.read_text())
        if meta.get("province") and meta.get("region"):
            pairs.add((meta["province"], meta["region"]))
    for path in CORPORA.glob("documents/*.md"):
        front = re.match(r"---\n(.*?)\n---", path.read_text(), re.S)
        meta = yaml.safe_load(front.group(1)) if front else {}
        if meta.get("province") and meta.get("region"):
            pairs.add((meta["province"], meta["region"]))
    return sorted(pairs)


@pytest.mark.parametrize(("province", "region"), corpus_regions())
def test_every_province_of_the_corpora_is_known_with_the_same_region(province, region):
    assert region_of(province) == region


def test_every_catalogue_province_is_a_stored_name():
    with (CORPORA / "products/otop.csv").open(encoding="utf-8") as handle:
        names = {row["province"] for row in csv.DictReader(handle)}
    assert names and all(region_of(name) for name in names)


@pytest.mark.parametrize(
    ("text", "mention", "name"),
    [
        ("ปลาร้าอุบลฯ", "อุบลฯ", "อุบลราชธานี"),
        ("ของฝากโคราช", "โคราช", "นครราชสีมา"),
        ("ซื้อผ้าไหมที่สุรินทร์", "สุรินทร์", "สุรินทร์"),
        ("ไปเที่ยวกทม.", "กทม.", "กรุงเทพมหานคร"),
        ("ร้านในกรุงเทพฯ", "กรุงเทพฯ", "กรุงเทพมหานคร"),
        ("ไข่เค็มไชยา สุราษฎร์", "สุราษฎร์", "สุราษฎร์ธานี"),
        ("มังคุดนครศรีฯ", "นครศรีฯ", "นครศรีธรรมราช"),
        ("ลิเกอยุธยา", "อยุธยา", "พระนครศรีอยุธยา"),
        ("ไปน่านหน้าหนาว", "น่าน", "น่าน"),
        ("ไปกระบี่", "กระบี่", "กระบี่"),
        ("ปลาร้า จ.อุบล", "จ.อุบล", "อุบลราชธานี"),
        ("ลูกประคบ จังหวัดนครปฐม", "จังหวัดนครปฐม", "นครปฐม"),
        ("ปากน้ำโพ", "ปากน้ำโพ", "นครสวรรค์"),  # longer than ปากน้ำ
        ("silk from Korat", "Korat", "นครราชสีมา"),
        ("umbrellas chiangmai", "chiangmai", "เชียงใหม่"),
        ("UBON fermented fish", "UBON", "อุบลราชธานี"),
        ("Chiang-Mai", "Chiang-Mai", "เชียงใหม่"),
        ("Phang Nga", "Phang Nga", "พังงา"),
    ],
)
def test_provinces_by_name_short_form_prefix_and_english(text, mention, name):
    (place,) = find_places(text)
    assert (place.text, place.name, place.kind) == (mention, name, "province")
    assert text[place.start : place.end] == mention


@pytest.mark.parametrize(
    ("text", "mention", "name"),
    [
        ("ผ้าทอภาคอีสาน", "ภาคอีสาน", "อีสาน"),
        ("อาหารอีสาน", "อีสาน", "อีสาน"),
        ("ภาคตะวันออกเฉียงเหนือ", "ภาคตะวันออกเฉียงเหนือ", "อีสาน"),  # not ภาคตะวันออก
        ("ระบบเหมืองฝาย ล้านนา", "ล้านนา", "เหนือ"),
        ("ขนมปักษ์ใต้", "ปักษ์ใต้", "ใต้"),
        ("ภาคกลาง", "ภาคกลาง", "กลาง"),
        ("weaving in the north-east", "north-east", "อีสาน"),
        ("Isan food", "Isan", "อีสาน"),
        ("northern Thailand", "northern Thailand", "เหนือ"),
    ],
)
def test_regions_and_their_synonyms(text, mention, name):
    (place,) = find_places(text)
    assert (place.text, place.name, place.region, place.kind) == (mention, name, name, "region")


@pytest.mark.parametrize(
    "text",
    [
        "ตากปลาแห้ง",  # ตาก: to dry in the sun
        "กล้วยตากไม่ใส่น้ำตาล",
        "ตากแดดให้แห้ง",
        "ดีเลย",  # เลย: at all, so
        "เที่ยวเลยหน้าหนาว",
        "ของฝากจากเลย",  # still ambiguous without a prefix
        "ข่าวแพร่ระบาด",  # แพร่: to spread
        "เผยแพร่ความรู้",
        "กระบี่กระบอง",  # the sword-fighting art, not Krabi
        "น่านน้ำไทย",  # territorial waters
        "นานมาแล้ว",  # นาน (long) is not น่าน
        "ผ้าทอนาหมื่นศรีตรัง",  # ศรีตรัง is a tree, not Trang
        "ราคาร้อยเอ็ดบาท",  # 101 baht
        "สองร้อยเอ็ด",
        "ปลาที่ปากน้ำ",  # an estuary
        "ประจวบกับวันหยุด",  # to coincide
        "เรียนภาคกลางคืน",  # the night session
        "อยู่ใต้ถุนบ้าน",
        "อาหารเหนือ",  # เหนือ alone is "above"; only ภาคเหนือ is the region
        "nanny",
    ],
)
def test_everyday_words_are_not_places(text):
    assert find_places(text) == []


@pytest.mark.parametrize(
    ("text", "mention", "name"),
    [
        ("จังหวัดตาก", "จังหวัดตาก", "ตาก"),
        ("จ. ตาก", "จ. ตาก", "ตาก"),
        ("เมืองตาก", "เมืองตาก", "ตาก"),
        ("ผีตาโขน จังหวัดเลย", "จังหวัดเลย", "เลย"),
        ("เที่ยวเมืองเลย", "เมืองเลย", "เลย"),
        ("ผ้าหม้อห้อมเมืองแพร่", "เมืองแพร่", "แพร่"),  # the segmenter glues ห้อมเมือง
        ("เมืองปากน้ำ", "เมืองปากน้ำ", "สมุทรปราการ"),
        ("Loei", "Loei", "เลย"),
        ("Phrae silk", "Phrae", "แพร่"),
        ("dried bananas from Tak", "Tak", "ตาก"),
        ("บายศรีร้อยเอ็ด", "ร้อยเอ็ด", "ร้อยเอ็ด"),
    ],
)
def test_ambiguous_names_count_after_a_place_prefix_or_in_english(text, mention, name):
    (place,) = find_places(text)
    assert (place.text, place.name) == (mention, name)


def test_a_prefix_is_part_of_the_mention_but_เมือง_only_when_it_is_the_cue():
    (place,) = find_places("อำเภอเมืองเชียงใหม่")
    assert place.text == "เชียงใหม่"


def test_several_places_in_order_with_spans_in_the_text_as_typed():
    text = "ทํา\u200bปลาร้า อุบลฯ ๒ ขวด หรือ จ.ตาก"
    places = find_places(text)
    assert [(text[p.start : p.end], p.name, p.region) for p in places] == [
        ("อุบลฯ", "อุบลราชธานี", "อีสาน"),
        ("จ.ตาก", "ตาก", "เหนือ"),
    ]


def test_aligned_text_maps_normalised_offsets_back():
    aligned = AlignedText.of("ผ้า\u200bไหม  ราคา ๕๐๐")
    assert aligned.normalized == "ผ้าไหม ราคา 500"
    start = aligned.normalized.index("500")
    assert aligned.original[slice(*aligned.original_span(start, start + 3))] == "๕๐๐"


def test_every_thai_form_is_listed_for_vocabularies():
    forms = load_gazetteer().thai_forms()
    assert {"โคราช", "อุบลฯ", "ตาก", "ภาคอีสาน"} <= set(forms)


def test_a_gazetteer_with_an_unknown_region_is_refused(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(
        "kind,name,region,english,thai_forms,cue_forms,english_forms\n"
        "province,เชียงใหม่,ตะวันตก,Chiang Mai,เชียงใหม่,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="ตะวันตก"):
        load_gazetteer(path)
