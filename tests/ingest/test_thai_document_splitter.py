import pytest
from haystack import Document

from ingest.thai_document_splitter import ThaiDocumentSplitter

TEXT = (
    "ปลาร้าเป็นอาหารหมักของชาวอีสาน ทำจากปลาน้ำจืดคลุกเกลือและรำข้าวคั่ว "
    "หมักไว้ในไหดินเผาปิดฝาให้แน่นนานหกเดือนถึงหนึ่งปี "
    "ปลาร้าที่ดีมีกลิ่นหอมไม่เหม็นเน่า เนื้อปลานุ่มแต่ไม่เละ\n"
    "ชาวบ้านริมแม่น้ำมูลจับปลาช่วงน้ำลดปลายฝนต้นหนาว ปลาชุกและตัวโต"
)


def split(text, **kwargs):
    return ThaiDocumentSplitter(**kwargs).run([Document(content=text, meta={"source_id": "d.md"})])[
        "documents"
    ]


def test_chunks_respect_size_and_never_cut_inside_a_word():
    chunks = split(TEXT, chunk_size=80, overlap=0)
    units = TEXT.replace("\n", " ").split(" ")
    assert len(chunks) > 2
    for chunk in chunks:
        assert len(chunk.content) <= 80
        assert all(piece in units for piece in chunk.content.replace("\n", " ").split(" "))


def test_chunks_cover_the_text_in_order_with_overlap():
    chunks = split(TEXT, chunk_size=120, overlap=50)
    assert chunks[0].meta["start_char"] == 0 and chunks[-1].meta["end_char"] == len(TEXT)
    pairs = list(zip(chunks, chunks[1:]))
    assert all(after.meta["start_char"] > before.meta["start_char"] for before, after in pairs)
    assert all(after.meta["start_char"] <= before.meta["end_char"] + 1 for before, after in pairs)  # no gap
    # whole phrases of up to `overlap` characters are repeated
    assert any(after.meta["start_char"] < before.meta["end_char"] for before, after in pairs)


def test_a_long_unspaced_thai_run_is_cut_at_word_boundaries():
    run = "การหมักปลาร้าต้องใช้เกลือสินเธาว์และรำข้าวคั่วจนหอม" * 6
    chunks = split(run, chunk_size=60, overlap=0)
    assert all(len(chunk.content) <= 60 for chunk in chunks)
    assert "".join(chunk.content for chunk in chunks) == run
    assert all(not chunk.content.startswith(("ั", "ิ", "่", "้", "า")) for chunk in chunks)


def test_ids_are_deterministic_and_depend_on_content():
    first, again = split(TEXT, chunk_size=100, overlap=20), split(TEXT, chunk_size=100, overlap=20)
    assert [c.id for c in first] == [c.id for c in again]
    changed = split(TEXT.replace("หกเดือน", "สามเดือน"), chunk_size=100, overlap=20)
    assert [c.id for c in changed] != [c.id for c in first]
    assert all(c.meta["chunk_count"] == len(first) for c in first)


def test_transcripts_are_cut_between_cues_and_keep_speakers_and_times():
    cues = [
        {"start": 0.0, "end": 5.5, "speaker": "แม่สมศรี", "text": "ข้อยเฮ็ดปลาแดกมาตั้งแต่ยังน้อย"},
        {"start": 6.0, "end": 9.0, "speaker": "ผู้สัมภาษณ์", "text": "ใช้ปลาอะไรคะ"},
        {"start": 9.5, "end": 15.0, "speaker": "แม่สมศรี", "text": "ปลาขาวปลาสร้อยจากแม่น้ำมูลนั่นแหละ"},
    ]
    source = Document(content="\n".join(c["text"] for c in cues), meta={"source_id": "o.vtt", "cues": cues})
    chunks = ThaiDocumentSplitter(chunk_size=80, overlap=0).run([source])["documents"]
    assert len(chunks) == 2
    assert (chunks[0].meta["start"], chunks[0].meta["end"]) == (0.0, 9.0)
    assert chunks[0].meta["speakers"] == ["ผู้สัมภาษณ์", "แม่สมศรี"]
    assert chunks[1].content == "แม่สมศรี: ปลาขาวปลาสร้อยจากแม่น้ำมูลนั่นแหละ"
    assert "cues" not in source.meta or source.meta["cues"] == cues  # input not mutated


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError):
        ThaiDocumentSplitter(chunk_size=100, overlap=60)
