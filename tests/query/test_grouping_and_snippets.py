from haystack import Document

from query.grouping import group_by_source
from query.snippets import fill_snippets, highlight, marked_terms


def chunk(source_id, score, content="ข้อความ", **meta):
    return Document(content=content, score=score, meta={"source_id": source_id, "title": source_id, **meta})


def test_grouping_keeps_best_chunk_per_source_in_rank_order():
    ranked = [
        chunk("a", 0.9, "ดีที่สุด", chunk_index=3),
        chunk("b", 0.8),
        chunk("a", 0.7, "รอง"),
        chunk("c", 0.2),
    ]
    results = group_by_source(ranked)
    assert [r.source_id for r in results] == ["a", "b", "c"]
    assert results[0].content == "ดีที่สุด" and results[0].chunk_index == 3


def test_grouping_exposes_transcript_timing_and_hides_chunk_bookkeeping():
    (result,) = group_by_source(
        [
            chunk(
                "o.vtt",
                0.5,
                type="oral_history",
                start=65.5,
                end=80.0,
                speakers=["แม่บัวลาย"],
                chunk_count=9,
                cues=[{}],
                content_hash="abc",
            )
        ]
    )
    assert (result.start, result.end) == (65.5, 80.0)
    assert result.meta["speakers"] == ["แม่บัวลาย"]
    assert not {"cues", "chunk_count", "content_hash"} & set(result.meta)
    assert "content" not in result.model_dump()  # the passage's text is for the snippet only


def test_stopwords_and_single_letters_are_not_marked():
    assert marked_terms("ทำปลาร้ายังไงให้หอม") >= {"ปลาร้า"}
    assert not marked_terms("ที่ และ ก็")


def test_highlight_escapes_document_html_and_marks_whole_words_only():
    text = 'ผ้าไหม<script>alert("x")</script> ไม่ใช่ผ้าไหมเทียม ติดตามข่าว'
    snippet = highlight(text, {"ผ้าไหม", "ตา"})
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert snippet.startswith("<mark>ผ้าไหม</mark>")
    assert "ติด<mark>" not in snippet


def test_highlight_windows_long_text_around_the_first_match():
    text = "ก่อนหน้า " * 80 + "ลูกประคบสมุนไพรไพล" + " ต่อท้าย" * 80
    snippet = highlight(text, {"ลูกประคบ"}, width=120)
    assert snippet.startswith("…") and snippet.endswith("…") and "<mark>ลูกประคบ</mark>" in snippet
    assert len(snippet) < 220


def test_snippets_fill_every_result():
    results = group_by_source([chunk("a", 1.0, "การทำน้ำปลาหวาน"), chunk("b", 0.5, "ไม่มีคำค้น")])
    fill_snippets(results, "น้ำปลาหวาน")
    assert "<mark>" in results[0].snippet and results[1].snippet == "ไม่มีคำค้น"
