import re

import pytest

from query.expansion import DEFAULT_LEXICON, ENGLISH_GLOSSARY, DialectLexicon, Expansion, expand, expand_query

LEXICON_CSV = """dialect,word,central
isan,เฮ็ด,ทำ
isan,จั่งใด๋,อย่างไร
isan,เฮ็ดจั่งใด๋,ทำอย่างไร
isan,ปลาแดก,ปลาร้า
isan,บ่,ไม่
isan,บ่,ไหม
lanna,บ่,ไม่
isan,ดน,นาน
southern,หรอยแรง,อร่อยมาก
lanna,จิ๊นส้ม,แหนม
lanna,ซิ่น,ผ้าถุง|ผ้านุ่ง
"""


@pytest.fixture
def lexicon(tmp_path):
    path = tmp_path / "dialect_lexicon.csv"
    path.write_text(LEXICON_CSV, encoding="utf-8")
    return DialectLexicon.load(path)


def test_loads_every_word_with_its_dialects_and_meanings(lexicon):
    assert len(lexicon) == 9
    (expansion,) = lexicon.expand(["บ่"])
    assert expansion == Expansion(word="บ่", central=("ไม่", "ไหม"), dialects=("isan", "lanna"), parts=("บ่",))
    (expansion,) = lexicon.expand(["ซิ่น"])
    assert expansion.central == ("ผ้าถุง", "ผ้านุ่ง")


def test_matches_whole_words_and_prefers_the_longest(lexicon):
    found = lexicon.expand(["ปลาแดก", "เฮ็ด", "จั่งใด๋"])
    assert [(e.word, e.central) for e in found] == [("ปลาแดก", ("ปลาร้า",)), ("เฮ็ดจั่งใด๋", ("ทำอย่างไร",))]


def test_matches_a_dialect_word_the_segmenter_split_into_pieces(lexicon):
    assert [e.word for e in lexicon.expand(["หรอย", "แรง"])] == ["หรอยแรง"]
    assert [e.word for e in lexicon.expand(["ปลา", "แดก", "จั่ง", "ใด๋"])] == ["ปลาแดก", "จั่งใด๋"]


def test_matches_inside_a_segment_the_segmenter_could_not_read(lexicon):
    # nlpo3 reads "ดนปานใด๋จั่งนัว" as ดน | ปาน | ใด๋จั่ง | นัว
    assert [e.word for e in lexicon.expand(["หมัก", "ดน", "ปาน", "ใด๋จั่ง", "นัว"])] == ["ดน"]
    assert [e.word for e in lexicon.expand(["เฮ็ดจั่ง", "ใด๋"])] == ["เฮ็ดจั่งใด๋"]


def test_never_matches_inside_a_dictionary_word(lexicon):
    assert lexicon.expand(["สื่อ", "ดนตรี", "พื้นบ้าน"]) == []  # ดน in ดนตรี
    assert lexicon.expand(["บ่อ", "น้ำ"]) == []  # บ่ in บ่อ


def test_expand_query_appends_central_words_and_says_so(lexicon):
    expanded = expand_query("ปลาแดกเฮ็ดจั่งใด๋", lexicon)
    assert expanded.text == "ปลาแดกเฮ็ดจั่งใด๋ ปลาร้า ทำอย่างไร"
    assert expanded.added == ("ปลาร้า", "ทำอย่างไร")
    assert expanded.notice == "ค้นหารวมถึง: ปลาร้า, ทำอย่างไร"


def test_expand_query_normalises_before_matching(lexicon):
    expanded = expand_query("จิ๊นส้ม\u200bทํายังไง", lexicon)  # zero-width space, ํ + า
    assert [e.word for e in expanded.expansions] == ["จิ๊นส้ม"]
    assert expanded.text.endswith(" แหนม")


def test_central_words_already_in_the_query_are_not_added_twice(lexicon):
    expanded = expand_query("ปลาแดก ปลาร้า", lexicon)
    assert expanded.added == () and expanded.notice is None
    assert expanded.text == "ปลาแดก ปลาร้า"


def test_a_central_thai_query_is_searched_as_typed(lexicon):
    expanded = expand_query("วิธีทำปลาร้าให้หอม", lexicon)
    assert (expanded.text, expanded.expansions, expanded.notice) == ("วิธีทำปลาร้าให้หอม", (), None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("dialect,word\nisan,เฮ็ด\n", "central"),
        ("dialect,word,central\nkhmer,ซัมบาย,สบาย\n", "khmer"),
    ],
)
def test_a_malformed_lexicon_is_refused(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        DialectLexicon.load(path)


@pytest.mark.skipif(not DEFAULT_LEXICON.exists(), reason="the bundled lexicon is written separately")
def test_the_bundled_lexicon_loads_and_expands_a_sages_question():
    lexicon = DialectLexicon.load(DEFAULT_LEXICON)  # refuses unknown dialects and a wrong header
    assert len(lexicon) > 0
    assert expand(["ปลาแดก"]) or expand(["เฮ็ด"])  # at least one Isan staple is in it


GLOSSARY_CSV = """english,thai
silk,ผ้าไหม|ไหม
weave,ทอ|ทอผ้า
fermented fish,ปลาร้า|ปลาแดก
sun-dried,ตากแห้ง|แดดเดียว
art,ศิลปะ
"""


@pytest.fixture
def with_english(tmp_path, lexicon):
    (tmp_path / "dialect_lexicon.csv").write_text(LEXICON_CSV, encoding="utf-8")
    (tmp_path / "english_glossary.csv").write_text(GLOSSARY_CSV, encoding="utf-8")
    return DialectLexicon.with_glossary(tmp_path / "dialect_lexicon.csv", tmp_path / "english_glossary.csv")


def test_an_english_question_is_searched_with_its_thai_words_too(with_english):
    expanded = expand_query("How to WEAVE silk", with_english)
    assert expanded.text == "How to WEAVE silk ทอ ทอผ้า ผ้าไหม ไหม"
    assert expanded.notice == "ค้นหารวมถึง: ทอ, ทอผ้า, ผ้าไหม, ไหม"
    assert [e.dialects for e in expanded.expansions] == [("english",), ("english",)]
    # a phrase is matched as one, and remembers the words it was typed as
    (fish,) = expand_query("fermented fish recipe", with_english).expansions
    assert (fish.central, fish.parts) == (("ปลาร้า", "ปลาแดก"), ("fermented", "fish"))
    assert expand_query("sun-dried fish", with_english).added == ("ตากแห้ง", "แดดเดียว")
    # never inside another English word, and dialect words still expand beside English ones
    assert expand_query("start a farm", with_english).added == ()
    assert expand_query("ปลาแดกเฮ็ดจั่งใด๋", with_english).added == ("ปลาร้า", "ทำอย่างไร")
    assert "silk" not in with_english.words()  # (the speller's vocabulary: Thai words only)


@pytest.mark.parametrize(
    "content", ["english,thai\nผ้าไหม,ไหม\n", "english,thai\nsilk,silk\n", "word,thai\nsilk,ไหม\n"]
)
def test_a_malformed_glossary_is_refused(tmp_path, content):
    (tmp_path / "dialect_lexicon.csv").write_text(LEXICON_CSV, encoding="utf-8")
    (tmp_path / "g.csv").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="g.csv"):
        DialectLexicon.with_glossary(tmp_path / "dialect_lexicon.csv", tmp_path / "g.csv")


def test_the_bundled_glossary_covers_the_archives_subjects_in_english():
    lexicon = DialectLexicon.with_glossary(DEFAULT_LEXICON, ENGLISH_GLOSSARY)
    english = [word for word in lexicon._entries if re.search("[a-z]", word)]
    assert len(english) >= 300
    for question, thai in [
        ("how to weave silk", "ผ้าไหม"),
        ("herbal compress", "ลูกประคบ"),
        ("shadow puppet theatre", "หนังตะลุง"),
        ("fermented fish", "ปลาร้า"),
    ]:
        assert thai in expand_query(question, lexicon).added, question
