from haystack import Document

from index.fusion import linear_fusion, min_max


def doc(doc_id, score):
    return Document(id=doc_id, content=doc_id, score=score)


def test_min_max_scales_to_unit_interval_and_handles_ties():
    assert min_max([2.0, 4.0, 3.0]) == [0.0, 1.0, 0.5]
    assert min_max([5.0, 5.0]) == [1.0, 1.0]
    assert min_max([]) == []


def test_chunk_found_by_both_retrievers_beats_one_found_by_either():
    dense = [doc("a", 0.90), doc("both", 0.89), doc("x", 0.5)]
    sparse = [doc("b", 20.0), doc("both", 19.0), doc("y", 1.0)]
    assert linear_fusion(dense, sparse, 0.5)[0].id == "both"


def test_weight_one_is_dense_order_and_zero_is_sparse_order():
    dense = [doc("a", 0.9), doc("b", 0.8)]
    sparse = [doc("b", 9.0), doc("a", 1.0)]
    assert [d.id for d in linear_fusion(dense, sparse, 1.0)] == ["a", "b"]
    assert [d.id for d in linear_fusion(dense, sparse, 0.0)] == ["b", "a"]


def test_inputs_are_not_mutated():
    dense = [doc("a", 0.9), doc("b", 0.1)]
    linear_fusion(dense, [], 0.5)
    assert [d.score for d in dense] == [0.9, 0.1]
