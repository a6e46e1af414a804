from index.bm25 import ThaiBM25, term_index


def test_document_weights_saturate_with_term_frequency():
    bm25 = ThaiBM25()
    once = bm25.document("ปลาร้า")
    thrice = bm25.document("ปลาร้า ปลาร้า ปลาร้า")
    index = term_index("ปลาร้า")
    weight = dict(zip(once.indices, once.values))[index]
    weight3 = dict(zip(thrice.indices, thrice.values))[index]
    assert weight < weight3 < 3 * weight


def test_longer_documents_weigh_each_term_less():
    bm25 = ThaiBM25(avg_len=10)
    short = bm25.document("ผ้าไหม สุรินทร์")
    long = bm25.document("ผ้าไหม สุรินทร์ " + "ทอ มือ ย้อม สี ธรรมชาติ " * 6)
    index = term_index("ผ้าไหม")
    assert dict(zip(long.indices, long.values))[index] < dict(zip(short.indices, short.values))[index]


def test_query_has_one_unit_weight_per_distinct_word():
    query = ThaiBM25().query("ผ้าไหม ผ้าไหม สุรินทร์")
    assert sorted(query.indices) == sorted({term_index("ผ้าไหม"), term_index("สุรินทร์")})
    assert query.values == [1.0, 1.0]


def test_indices_are_stable_across_processes():
    # CRC-32 of the UTF-8 bytes: a changed mapping would silently break every stored index
    assert term_index("ข้าว") == 2520611878


def test_query_and_document_share_terms_through_normalisation():
    bm25 = ThaiBM25()
    assert set(bm25.query("น้ํา ๒ ลิตร").indices) <= set(bm25.document("ใช้น้ำ 2 ลิตร").indices)
