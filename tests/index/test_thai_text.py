import pytest

from index.thai_text import normalize, unit_spans, word_spans, words


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ม้ัง", "มั้ง"),  # swapped marks: NFC leaves these alone
        ("น้ํา", "น้ำ"),  # nikhahit + sara aa, as PDFs emit it
        ("ราคา ๓๕๐ บาท", "ราคา 350 บาท"),
        ("ผ้า\u200bไหม", "ผ้าไหม"),  # zero-width space from copy-paste
        ("\uf70fหญิง", "ญหญิง"),  # private-use glyph from a Thai PDF font
        ("เเม่", "แม่"),  # two sara e typed for sara ae
        ("ปลาร้า   หอม\r\n\r\n\r\nมาก", "ปลาร้า หอม\n\nมาก"),
    ],
)
def test_normalize_folds_what_looks_the_same(raw, clean):
    assert normalize(raw) == clean


def test_normalize_is_idempotent():
    text = "ข้าวเหนียวนึ่ง ๒ กิโลกรัม ทํา"
    assert normalize(normalize(text)) == normalize(text)


def test_words_drop_spaces_and_punctuation_and_lowercase_latin():
    assert words("ผ้าไหม (Silk) มัดหมี่!") == ["ผ้าไหม", "silk", "มัดหมี่"]


def test_words_from_document_and_query_agree_after_normalisation():
    document, query = "ปลาร้าต้องหมักนาน ๓ เดือน", "ปลาร้า หมัก 3 เดือน"
    assert set(words(normalize(query))) <= set(words(normalize(document)))


def test_unit_spans_cut_thai_at_spaces_and_newlines_only():
    text = "ตากแดดให้แห้ง แล้วเก็บในไห\nStore it dry. Keep cool."
    assert [text[a:b] for a, b in unit_spans(text)] == [
        "ตากแดดให้แห้ง",
        "แล้วเก็บในไห",
        "Store it dry.",
        "Keep cool.",
    ]


def test_word_spans_point_at_the_words():
    text = "ข้าวเหนียว นึ่ง"
    assert [text[a:b] for a, b in word_spans(text)] == ["ข้าวเหนียว", "นึ่ง"]


def test_unknown_tokenizer_is_refused():
    with pytest.raises(ValueError, match="unknown Thai word tokenizer"):
        words("ข้าว", engine="longest")


def test_word_edges_kept_with_a_chunk_give_back_every_word_of_it():
    from index.thai_text import WordEdges

    text = "แม่เฒ่าบัวลายเล่าว่า ปลาแดกต้องหมักกับรำข้าวคั่ว (ใส่เกลือสามส่วน) ไว้ในไหสามเดือน 1,100 บาท"
    spans = word_spans(text)
    packed = WordEdges.of(text).pack()
    assert packed.isascii() and len(packed) < len(text)  # a chunk's payload grows by less than its text
    edges = WordEdges.kept(packed, text)
    assert edges is not None and edges.length == len(text)
    for start, end in spans:
        assert all(edges.word_at(position) == (start, end) for position in range(start, end))
    inside = {position for start, end in spans for position in range(start, end)}
    assert all(edges.word_at(position) is None for position in set(range(len(text))) - inside)
    # none kept (a chunk indexed before they were), or kept for a text since edited: not trusted
    assert WordEdges.kept("written before edges were kept", text) is None
    assert WordEdges.kept(packed, text.replace("สามเดือน", "สี่เดือน")) is None
