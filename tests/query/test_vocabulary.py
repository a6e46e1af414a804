"""Autocomplete over the archive's names (``query.vocabulary``)."""

from query.vocabulary import Entry, Vocabulary

NAMES = Vocabulary(
    [
        Entry("ผ้าไหมมัดหมี่เขวาสินรินทร์: จากใบหม่อนถึงผืนผ้าโฮล", "title"),
        Entry("ผ้าไหม", "tag"),
        Entry("หมอลำหมู่", "tag"),
        Entry("ร่มบ่อสร้าง", "title"),
        Entry("จ.สุรินทร์", "place"),
    ]
)


def completions(typed: str) -> list[str]:
    return [entry.text for entry in NAMES.complete(typed)]


def test_a_name_typed_a_word_at_a_time_or_with_a_mark_is_still_completed():
    solid = completions("ผ้าไหม")
    assert solid == ["ผ้าไหม", "ผ้าไหมมัดหมี่เขวาสินรินทร์: จากใบหม่อนถึงผืนผ้าโฮล"]
    assert completions("ผ้า ไหม") == completions("ผ้าไหม?") == completions(" ผ้า  ไหม!! ") == solid
    assert completions("หมอ ลำ") == ["หมอลำหมู่"]
    # what a title says past its colon is reached whether or not the colon is typed
    assert completions("ผืนผ้า") == completions("ถึง ผืน ผ้า") == [solid[1]]
    assert completions("จ.สุ") == ["จ.สุรินทร์"]


def test_nothing_typed_or_nothing_known_offers_nothing():
    assert completions("") == completions("??") == completions("ปลาทู") == []
