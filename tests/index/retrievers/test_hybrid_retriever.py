"""The hybrid retriever's evidence: the raw scores the relevance cut-off judges by."""

import pytest
from haystack import Document

from index.bm25 import ThaiBM25
from index.retrievers.hybrid_retriever import HybridRetriever
from index.stores.edge_document_store import EdgeDocumentStore
from index.stores.schema import StoreInfo

BM25 = ThaiBM25()


def chunk(doc_id, text, vector):
    return Document(
        id=doc_id,
        content=text,
        embedding=vector,
        sparse_embedding=BM25.document(text),
        meta={"source_id": f"{doc_id}.md", "access": "public", "chunk_index": 0},
    )


@pytest.fixture
def store(tmp_path):
    store = EdgeDocumentStore(tmp_path / "store", StoreInfo(model="test-model", dimension=3))
    store.write_documents(
        [
            chunk("khao-soi", "ข้าวซอยไก่เชียงใหม่", [1.0, 0.0, 0.0]),
            chunk("larb", "ลาบหมูคั่วเครื่องเทศ", [0.9, 0.1, 0.0]),
            # far from the query's vector: only its words can find it
            chunk("umbrella", "ร่มบ่อสร้างทำจากกระดาษสา", [0.0, 0.6, 0.8]),
        ]
    )
    yield store
    store.close()


def test_a_chunk_found_by_its_words_alone_is_judged_by_its_real_cosine(store):
    retriever = HybridRetriever(store, dense_weight=0.5, candidates=2)
    found = retriever.run([1.0, 0.0, 0.0], BM25.query("ร่มกระดาษสา"))
    ids = [document.id for document in found["documents"]]
    assert "umbrella" in ids  # the keyword side brought it in, past the two dense candidates
    cosine, bm25 = found["evidence"]["umbrella"]
    assert cosine == pytest.approx(0.0, abs=1e-6) and bm25 > 0  # orthogonal to the query: truly 0
    query = [1.0, 0.0, 0.3]
    dense_ranked = store.rank_dense(query, top_k=2)
    assert len(dense_ranked) == 2 and all(cosine > 0.9 for _, cosine in dense_ranked)
    found = retriever.run(query, BM25.query("ร่มกระดาษสา"))
    cosine, _ = found["evidence"]["umbrella"]
    assert cosine == pytest.approx(0.24 / 1.09**0.5)  # not in the dense top 2, yet scored exactly
    # the query's background is read over the kept chunks the dense side ranked: a keyword find
    # does not lower it
    assert len(found["background"]) == len(found["documents"]) - 1
    assert set(found["background"]) <= {cosine for _, cosine in dense_ranked}


def test_what_a_retrieval_ranked_changes_only_when_a_new_chunk_enters_a_ranking(store):
    """``ranked`` is the witness a kept answer is checked against after new sources are added."""
    retriever = HybridRetriever(store, dense_weight=0.5, candidates=2)
    query, words = [1.0, 0.0, 0.0], BM25.query("ข้าวซอยไก่")
    ranked = retriever.run(query, words)["ranked"]
    dense, sparse = retriever.rank(query, words)
    assert ranked == (tuple(point for point, _ in dense), tuple(point for point, _ in sparse))
    assert len(ranked[0]) == 2 and len(ranked[1]) == 1  # the dense top 2; only ข้าวซอยไก่ has the words
    store.write_documents([chunk("mat-mi", "ผ้าไหมมัดหมี่สุรินทร์", [0.0, 1.0, 0.0])])  # far, other words
    assert retriever.run(query, words)["ranked"] == ranked
    store.write_documents([chunk("khao-soi-nuea", "ข้าวซอยเนื้อน่าน", [0.95, 0.05, 0.0])])  # close
    assert retriever.run(query, words)["ranked"] != ranked
