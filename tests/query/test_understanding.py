import json

import pytest
from pydantic import ValidationError

from query.understanding import AROUND, Understood, find_prices, parse_amount, thai_number, understand

# query → (price_min, price_max, remainder)
PRICES = [
    ("ผ้าไหมราคาไม่เกิน 5000", None, 5000, "ผ้าไหม"),
    ("ผ้าไหม ไม่เกินห้าพันบาท", None, 5000, "ผ้าไหม"),
    ("ซื้อน้ำพริก ต่ำกว่า ๑๐๐ บาท", None, 100, "ซื้อน้ำพริก"),
    ("silk under 5,000 baht", None, 5000, "silk"),
    ("ผ้าทอ ระหว่าง 500 ถึง 1500 บาท", 500, 1500, "ผ้าทอ"),
    ("ผ้าทอ 500-1500 บาท", 500, 1500, "ผ้าทอ"),
    # "N-กว่า", N and some: up to the next step of N's last place
    ("ผ้าคลุมไหล่ ราคาราวๆ พันกว่าบาท", 1000, 2000, "ผ้าคลุมไหล่"),
    ("น้ำผึ้ง ห้าร้อยกว่าบาท", 500, 600, "น้ำผึ้ง"),
    ("ผ้าไหมงบสองพันห้าร้อยกว่าบาท", 2500, 2600, "ผ้าไหม"),
    ("ราคา 500 - 1,500", 500, 1500, ""),
    ("between 500 and 1000 baht", 500, 1000, ""),
    ("from 500 to 1000 baht", 500, 1000, ""),
    ("ตั้งแต่ 300 ถึง 800", 300, 800, ""),
    ("ของฝาก ราวๆ 300", 240, 360, "ของฝาก"),
    ("ราว ๆ ๓๐๐ บาท", 240, 360, ""),
    ("ประมาณ 1,000 บาท", 800, 1200, ""),
    ("around 300 baht", 240, 360, ""),
    ("ราคา 500", 400, 600, ""),
    ("ผ้าไหม 500 บาท", 400, 600, "ผ้าไหม"),
    ("฿500", 400, 600, ""),
    ("ผ้าไหม 5000฿", 4000, 6000, "ผ้าไหม"),
    ("โฮมสเตย์ คืนละ 1500", 1200, 1800, ""),  # a homestay is a kind of product: a constraint too
    ("ผ้าไหม น้อยกว่า 3,000", None, 3000, "ผ้าไหม"),
    ("ผ้าไหมไม่ถึง 2000", None, 2000, "ผ้าไหม"),
    ("น้ำผึ้ง ถูกกว่า 300", None, 300, "น้ำผึ้ง"),
    ("งบ 500", None, 500, ""),
    ("500 บาทลงมา", None, 500, ""),
    ("cheaper than 300", None, 300, ""),
    ("up to 800 THB", None, 800, ""),
    ("max 500", None, 500, ""),
    ("below ฿1,000", None, 1000, ""),
    ("ผ้าไหมมากกว่า 3000", 3000, None, "ผ้าไหม"),
    ("แพงกว่า 1000 บาท", 1000, None, ""),
    ("เกิน 2000", 2000, None, ""),
    ("ตั้งแต่ 500 บาทขึ้นไป", 500, None, ""),
    ("1000 บาทขึ้นไป", 1000, None, ""),
    ("ไม่ต่ำกว่า 500", 500, None, ""),  # not "ต่ำกว่า": the negation flips it
    ("over 2000", 2000, None, ""),
    ("at least 100 baht", 100, None, ""),
    ("ไม่ต่ำกว่า 500 ไม่เกิน 1500", 500, 1500, ""),
    # how the amount is written
    ("ไม่เกิน 5 พัน", None, 5000, ""),
    ("ไม่เกิน 5พัน", None, 5000, ""),
    ("ไม่เกิน 2 หมื่น", None, 20000, ""),
    ("ไม่เกิน 1.5 พัน", None, 1500, ""),
    ("ราคา 3 ร้อย", 240, 360, ""),
    ("silk under 5k", None, 5000, "silk"),
    ("ไม่เกิน 5K", None, 5000, ""),
    ("ไม่เกินสองพันห้าร้อย", None, 2500, ""),
    ("ต่ำกว่าหนึ่งหมื่นสองพัน", None, 12000, ""),
    ("ต่ำกว่าสามร้อยห้าสิบ", None, 350, ""),
    ("ไม่เกินพันห้า", None, 1500, ""),
    ("ไม่เกิน ๕,๐๐๐ บาท", None, 5000, ""),
    ("ห้าพันบาท", 4000, 6000, ""),
    ("ราคาร้อยเอ็ดบาท", 80.8, 121.2, ""),  # 101 baht, not Roi Et
    # what the price is for belongs to the phrase
    ("โฮมสเตย์ราคาไม่เกิน ๗๐๐ บาทต่อคืน", None, 700, ""),
    ("น้ำปลาร้า 65 บาท/ขวด", 52, 78, "น้ำปลาร้า"),
    ("homestay 1,200 baht per night", 960, 1440, ""),
    ("เรียนทอผ้าตีนจก งบไม่เกิน 5 พัน", None, 5000, "เรียนทอผ้าตีนจก"),
]


@pytest.mark.parametrize(("query", "price_min", "price_max", "remainder"), PRICES)
def test_price_constraints(query, price_min, price_max, remainder):
    understood = understand(query)
    assert (understood.price_min, understood.price_max) == (price_min, price_max)
    assert understood.remainder == remainder
    assert understood.product_intent


@pytest.mark.parametrize(
    "query",
    [
        "ปลาร้าหมัก 3 เดือน",
        "ผ้าไหม 2 ผืน",
        "ปี 2566",
        "อายุ 80 ปี",
        "ผ้าไหม 5000",  # a bare number is no price
        "ผ้าทอ 500-1500",
        "ไม่เกิน 3 เดือน",  # a cue, but a duration
        "หมักไม่ต่ำกว่า 10 วัน",
        "เดินไม่เกิน 10 กม.",
        "ลดราคา 50%",
        "อายุ 60 ขึ้นไป",
        "ตั้งแต่ 2560",  # a Buddhist Era year
        "ระหว่าง 2560 ถึง 2566",
        "since 1990",
        "กินวันละ 3 ครั้ง",
        "ไม่เกินสามีเขา",  # สาม in สามี is no number
        "โทร 081-234-5678",
        "ยายอายุพันกว่าปี",  # N and some years
    ],
)
def test_numbers_that_are_not_prices(query):
    understood = understand(query)
    assert (understood.price_min, understood.price_max) == (None, None)
    assert understood.phrases == []


def test_about_is_plus_or_minus_twenty_percent():
    assert AROUND == 0.2
    (mention,) = find_prices("ประมาณ 1000 บาท")
    assert (mention.minimum, mention.maximum) == (800, 1200)


@pytest.mark.parametrize(
    ("query", "province", "region", "remainder", "phrases"),
    [
        ("ลูกประคบ นครปฐม", "นครปฐม", None, "ลูกประคบ", ["นครปฐม"]),
        ("ปลาร้าอุบลฯ", "อุบลราชธานี", None, "ปลาร้า", ["อุบลฯ"]),
        ("ของฝากโคราช ราวๆ 300", "นครราชสีมา", None, "ของฝาก", ["โคราช", "ราวๆ 300"]),
        ("ซื้อผ้าไหมที่สุรินทร์", "สุรินทร์", None, "ซื้อผ้าไหม", ["สุรินทร์"]),
        ("จิ๊นส้มของจังหวัดแพร่", "แพร่", None, "จิ๊นส้ม", ["จังหวัดแพร่"]),
        ("ผ้าไหม ภาคอีสาน ไม่เกิน 3000", None, "อีสาน", "ผ้าไหม", ["ภาคอีสาน", "ไม่เกิน 3000"]),
        ("cotton in Chiang Mai under 500", "เชียงใหม่", None, "cotton", ["Chiang Mai", "under 500"]),
        ("ตากปลาแห้ง", None, None, "ตากปลาแห้ง", []),
        ("กล้วยตากไม่ใส่น้ำตาลขายที่ไหน", None, None, "กล้วยตากไม่ใส่น้ำตาลขายที่ไหน", []),
        ("ภายในจังหวัดเลย", "เลย", None, "ภายใน", ["จังหวัดเลย"]),  # ใน of ภายใน is no dangling word
    ],
)
def test_places_and_what_is_left_to_search(query, province, region, remainder, phrases):
    understood = understand(query)
    assert (understood.province, understood.region) == (province, region)
    assert understood.remainder == remainder
    assert understood.phrases == phrases


def test_two_provinces_set_no_single_province_but_both_are_listed():
    understood = understand("ของฝากเชียงใหม่ หรือ ลำปาง")
    assert understood.province is None
    assert [place.name for place in understood.places] == ["เชียงใหม่", "ลำปาง"]


def test_places_and_phrases_point_into_the_query_as_typed():
    query = "ซื้อ\u200bน้ำพริก ต่ํากว่า ๑๐๐ บาท จ.อุบล"
    understood = understand(query)
    assert understood.phrases == ["ต่ํากว่า ๑๐๐ บาท", "จ.อุบล"]
    (place,) = understood.places
    assert query[place.start : place.end] == "จ.อุบล"
    assert understood.remainder == "ซื้อน้ำพริก"


def test_a_price_word_is_not_also_a_place():
    understood = understand("บายศรี ร้อยเอ็ดบาท")
    assert understood.places == [] and understood.price_max == 121.2


@pytest.mark.parametrize(
    ("query", "intent"),
    [
        ("ซื้อผ้าไหมที่สุรินทร์", True),
        ("น้ำผึ้งป่าราคาเท่าไหร่", True),
        ("แคนแปดกี่บาท", True),
        ("สั่งบูดูไปทำข้าวยำที่บ้าน", True),
        ("กล้วยตากไม่ใส่น้ำตาลขายที่ไหน", True),
        ("เช่าชุดลิเกไปแสดงงานโรงเรียน", True),
        ("ร้านขายร่มบ่อสร้าง", True),
        ("where to buy silk", True),
        ("ผ้าทอ 300 บาท", True),  # a price is intent enough
        ("จิ๊นส้มทำยังไง ใส่ข้าวเหนียวเท่าไหร่", False),  # how much rice, not money
        ("วิธีทำปลาร้าให้หอม", False),
        ("ครูสอนให้สั่งสอน", False),  # สั่งสอน is teaching, not ordering
        ("ลูกประคบ นครปฐม", False),
    ],
)
def test_product_intent(query, intent):
    assert understand(query).product_intent is intent


@pytest.mark.parametrize(
    ("query", "category", "kind", "remainder"),
    [
        ("ของกินราคาไม่เกิน 100 บาท", "food", "ของกิน", ""),
        ("ซื้อของที่ระลึกพัทลุง", "handicraft", "ของที่ระลึก", "ซื้อ"),
        ("handmade souvenir under 500 baht", "handicraft", "handmade", "souvenir"),
        ("โฮมสเตย์ราคาไม่เกิน ๗๐๐ บาทต่อคืน", "service", "โฮมสเตย์", ""),
        ("ขายผ้าพื้นเมืองลายโบราณ", "textiles", "ผ้าพื้นเมือง", "ขายลายโบราณ"),
        ("อาหารหมักของภาคใต้", None, None, "อาหารหมัก"),  # no wish to buy: อาหาร is the topic
        ("ซื้อของกินกับสิ่งทอ", None, None, "ซื้อของกินกับสิ่งทอ"),  # two kinds: no single category
        ("ราคากินอาหารกลางวันที่โฮมสเตย์", "service", "โฮมสเตย์", "ราคากินอาหารกลางวัน"),  # lunch is one word
    ],
)
def test_a_kind_of_product_is_understood_only_in_a_buying_question(query, category, kind, remainder):
    understood = understand(query)
    assert (understood.category, understood.kind) == (category, kind)
    assert understood.remainder.replace(" ", "") == remainder.replace(" ", "")


def test_the_result_is_a_frozen_model_that_serialises_for_the_api():
    query = "ผ้าไหม ไม่เกิน 5000 ที่สุรินทร์"
    understood = understand(query)
    data = json.loads(understood.model_dump_json())
    assert data["price_max"] == 5000 and data["province"] == "สุรินทร์"
    assert data["places"][0] == {
        "text": "สุรินทร์",
        "start": query.index("สุรินทร์"),
        "end": len(query),
        "kind": "province",
        "name": "สุรินทร์",
        "region": "อีสาน",
    }
    assert Understood.model_validate(data) == understood
    with pytest.raises(ValidationError):
        understood.price_max = 1  # type: ignore[misc]  # frozen


def test_a_query_without_constraints_is_left_as_it_is():
    understood = understand("  ปลาร้า   หมักนาน ")
    assert understood.remainder == "ปลาร้า หมักนาน"
    assert (understood.price_min, understood.price_max, understood.province, understood.places) == (
        None,
        None,
        None,
        [],
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5,000", 5000),
        ("5000.50", 5000.5),
        ("5k", 5000),
        ("2.5k", 2500),
        ("5 พัน", 5000),
        ("1.5 หมื่น", 15000),
        ("3 ร้อย", 300),
        ("ห้าพัน", 5000),
        ("หนึ่งหมื่นสองพัน", 12000),
        ("สามร้อยห้าสิบ", 350),
        ("สองพันห้าร้อย", 2500),
        ("พันห้า", 1500),  # spoken: one thousand five (hundred)
        ("สองหมื่นห้า", 25000),
        ("ร้อยห้า", 105),  # the spoken rule stops at พัน
        ("ร้อยเอ็ด", 101),
        ("พันนึง", 1000),
    ],
)
def test_amounts(text, value):
    assert parse_amount(text) == value


def test_words_that_are_no_numbers():
    assert thai_number("ผ้าไหม") is None
    assert parse_amount("ราคา") is None
