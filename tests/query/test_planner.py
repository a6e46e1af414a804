"""What a question is searched as: constraints, places and expansions (``query.planner``)."""

from query.planner import plan_search
from query.request import SearchRequest


def test_an_english_phrase_and_the_thai_it_was_expanded_with_are_one_concept():
    plan = plan_search(SearchRequest(q="fermented fish recipe"))
    assert "ปลาร้า" in plan.expanded.added and "ปลาร้า" in plan.text
    # a source that says ปลาร้า holds "fermented fish": neither English word is asked of it again
    assert plan.same["ปลาร้า"] == plan.same["fish"] == "fermented"
    # English words are kept even though, as "words", they weigh like everyday ones
    assert plan_search(SearchRequest(q="silk")).expanded.added


def test_a_question_mark_or_an_emoji_changes_nothing_that_is_searched():
    plain = plan_search(SearchRequest(q="ผ้าไหมสุรินทร์ราคาไม่เกิน 5,000 บาท"))
    for typed in ("ผ้าไหมสุรินทร์ราคาไม่เกิน 5,000 บาท??", '"ผ้าไหม"สุรินทร์ ราคาไม่เกิน 5,000 บาท! 🙏'):
        plan = plan_search(SearchRequest(q=typed))
        assert plan.request.price_max == plain.request.price_max == 5000
        assert plan.understood.province == plain.understood.province == "สุรินทร์"
        assert "?" not in plan.text and "🙏" not in plan.text and '"' not in plan.text
    # a dialect word the tokenizer does not know no longer carries the mark into the search
    assert (
        plan_search(SearchRequest(q="ปลาแดกเฮ็ดจั่งใด๋?")).text
        == plan_search(SearchRequest(q="ปลาแดกเฮ็ดจั่งใด๋")).text
    )


def test_dialect_words_are_expanded_however_little_they_weigh_as_evidence():
    # เฮ็ด and จั่งใด๋ weigh what ทำ and อย่างไร weigh (nearly nothing) but are still dialect, not
    # everyday central Thai: the question is searched with the central words too
    plan = plan_search(SearchRequest(q="ปลาแดกเฮ็ดจั่งใด๋"))
    assert plan.text == "ปลาแดกเฮ็ดจั่งใด๋ ปลาร้า ทำอย่างไร"
    assert plan_search(SearchRequest(q="ละอ่อนจะเริ่มหัดจกต้องเยียะอะหยังก่อน")).expanded.added == (
        "เด็ก",
        "ทำ",
        "อะไร",
    )
