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
