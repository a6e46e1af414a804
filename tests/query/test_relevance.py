"""The evidence the relevance cut-off reads: what a source holds of the question."""

from haystack import Document

from query.models import SearchResult
from query.relevance import weigh_evidence


def _product(source_id: str, title: str, province: str) -> SearchResult:
    result = SearchResult(
        source_id=source_id,
        title=title,
        type="product",
        score=1.0,
        meta={"title": title, "province": province, "type": "product"},
    )
    result._passages = [(Document(content=title), 0.82)]
    result._dense = 0.82
    return result


def test_a_product_holds_the_place_it_comes_from_and_the_words_of_buying():
    korat = _product("products/otop.csv#NNE-003", "แจกันดินเผาด่านเกวียน", "นครราชสีมา")
    trang = _product("products/otop.csv#STH-004", "ผ้าคลุมไหล่ทอยกดอก", "ตรัง")
    # "ของฝากโคราช": the plan adds the full name; โคราช and นครราชสีมา are one place
    weigh_evidence([korat, trang], "ซื้อของฝากโคราช นครราชสีมา", [0.8] * 20, same={"นครราชสีมา": "โคราช"})
    assert korat.evidence.coverage == 1.0
    assert trang.evidence.coverage == 0.0


def test_buying_words_alone_do_not_make_a_question_answered():
    silk = _product("products/otop.csv#NNE-001", "ผ้าไหมมัดหมี่", "สุรินทร์")
    weigh_evidence([silk], "ซื้อไอโฟนราคาถูก", [0.8] * 20)
    assert silk.evidence.coverage == 0.0
    weigh_evidence([silk], "ซื้อผ้าไหม", [0.8] * 20)
    assert silk.evidence.coverage == 1.0
