"""Which chunk and which cues answer: the words that tell chunks apart, dialect read as meaning."""

from haystack import Document

from query.models import SearchResult
from query.passages import choose_chunk, locate_answer, transcript_span
from query.relevance import content_words


def _result(*passages: tuple[Document, float]) -> SearchResult:
    result = SearchResult(source_id="oral_histories/nora.vtt", title="โนรา", type="oral_history", score=1.0)
    result._passages = list(passages)
    return result


def _cue(start: float, text: str, speaker: str = "ครูโนรา") -> dict:
    return {"start": start, "end": start + 10, "text": text, "speaker": speaker}


def _transcript_chunk(chunk_index: int, *cues: dict) -> Document:
    """A stored transcript chunk as the search reads it: its cues in its metadata."""
    return Document(content="", meta={"chunk_index": chunk_index, "cues": list(cues)})


def test_a_dialect_question_word_does_not_choose_the_chunk():
    # รำพรือ = รำอย่างไร: "พรือ" only asks "how", so the chunk that happens to say it is no answer
    about = Document(
        content="จะไปรำทำบทได้ต้องรำแม่บทให้ครบก่อน รำทำบทคือรำตีความบทกลอนทีละคำ", meta={"chunk_index": 2}
    )
    aside = Document(content="รำทำบทยากไหม ว่าพรือกะต้องรำให้ได้ก่อน ตอนนั้นครูยังเด็ก", meta={"chunk_index": 1})
    result = _result((about, 0.882), (aside, 0.858))
    words = {"รำ", "ทำบท", "พรือ"}
    assert choose_chunk(result, words, same={"อย่างไร": "พรือ"}).meta["chunk_index"] == 2
    # nor is it a word of the question at all: it stands only for a stopword
    assert content_words("รำทำบทพรือ") == {"รำ", "ทำบท"}


def test_the_answer_starts_in_the_chosen_chunk_not_in_its_neighbour():
    before = _transcript_chunk(
        5,
        _cue(320, "ผ้าย้อมห้อมของแม่แจ่มขายดีมาก"),
        _cue(330, "ใคร ๆ ก็มาซื้อผ้าย้อมห้อม ผ้าย้อมห้อมทุกผืน"),
    )
    chosen = _transcript_chunk(
        6,
        _cue(380, "ห้อมเอามาย้อมผ้าเยียะจะใดเจ้า", "ผู้สัมภาษณ์"),
        _cue(390, "เอาใบห้อมมาแช่น้ำสามคืน แล้วค่อยหมักกับปูน"),
        _cue(400, "ย้อมผ้าแล้วตากแดด"),
    )
    span = transcript_span(chosen, [before, chosen])
    answer = locate_answer(span, {"ห้อม", "ย้อม", "ผ้า"})
    assert answer.start is not None and answer.start >= 380
    assert answer.chunk_index == 6


def test_an_answer_that_begins_just_before_the_chosen_chunk_starts_there():
    # "how long to soak the rice before grinding it": the soaking is the last cue of the chunk
    # before, the grinding the first of the chosen one; and the segmenter keeps แช่น้ำ and
    # ข้าวเจ้า whole, so แช่ and ข้าว are found there only as parts of words
    before = _transcript_chunk(
        1,
        _cue(123, "เริ่มต้นทำยังไงครับ", "ผู้สัมภาษณ์"),
        _cue(128, "เอาข้าวเจ้ามาซาวก่อน แล้วแช่น้ำไว้คืนนึง"),
    )
    chosen = _transcript_chunk(
        2,
        _cue(144, "เจ้ามืดก่เอาไปโม่ ใส่ข้าวหนึ่งกำ"),
        _cue(163, "เดี่ยวนี้ใช้เครื่องโม่ไฟฟ้าละเจ้า"),
        _cue(176, "น้ำแป้งต้องใส่อะไรเพิ่มไหมครับ", "ผู้สัมภาษณ์"),
    )
    span = transcript_span(chosen, [before, chosen])
    answer = locate_answer(span, {"แช่", "ข้าว", "โม่"})
    assert (answer.start, answer.chunk_index) == (128, 1)
    # a neighbour's cue alone, never reaching the chosen chunk, is no answer
    alone = locate_answer(span, {"แช่", "คืน"})
    assert alone.start is not None and alone.start >= 128 and alone.end >= 144


def test_the_sages_label_tells_a_long_question_from_a_short_reply():
    # the interviewer speaks more than the sage in this chunk: by who speaks most, the question
    # would be taken for the sage's words and its reply never read; the sidecar's label says who
    chunk = _transcript_chunk(
        3,
        _cue(230, "แล้วขั้นตอนนึ่งข้าวแคบบนผ้าปากหม้อ ต้องขึงผ้ายังไง ใช้ผ้าอะไรครับ", "ผู้สัมภาษณ์"),
        _cue(238, "ขึงผ้าขาวบางหื้อตึง", "แม่อุ๊ย"),
        _cue(252, "เทแป้งละเลงเป็นวง", "แม่อุ๊ย"),
    )
    words = {"นึ่ง", "ข้าวแคบ", "ผ้า"}
    assert locate_answer(chunk, words).end == 240  # the question alone
    chunk.meta["speaker_label"] = "แม่อุ๊ย"
    assert locate_answer(chunk, words).end == 262  # the question and the sage's reply


def test_the_moment_is_found_with_the_cue_pair_vectors_made_at_ingest_without_embedding():
    from index.embedders.cue_pair_embedder import CUE_VECTORS, encode_vector

    cues = [
        _cue(0, "สมัยก่อนบ้านเรามีโนราหลายคณะ"),
        _cue(10, "ครูสอนให้ตั้งท่าก่อนทุกวัน"),
        _cue(20, "ต้องฝึกรำแม่บทสิบสองท่าให้คล่อง"),
        _cue(30, "แล้วค่อยหัดทำบท"),
    ]
    # made-up vectors: the pair starting at the third cue is the one that points the query's way
    vectors = [[1.0, 0.0, 0.0], [0.6, 0.8, 0.0], [0.0, 0.2, 0.98], [0.0, 1.0, 0.0]]
    chunk = Document(
        content="\n".join(c["text"] for c in cues),
        meta={"chunk_index": 0, "cues": cues, CUE_VECTORS: [encode_vector(v) for v in vectors]},
    )

    def no_model(texts):
        raise AssertionError(f"embedded at search time: {texts}")

    span = transcript_span(chunk, [chunk])
    # words that no cue holds: the meaning alone decides
    answer = locate_answer(span, {"เรียน", "เริ่ม"}, query_vector=[0.0, 0.0, 1.0], embed=no_model)
    assert (answer.start, answer.end) == (20, 40)
    # a store from before the vectors were made: the pairs are embedded then, and only then
    old = Document(content=chunk.content, meta={"chunk_index": 0, "cues": cues})
    asked: list[list[str]] = []
    locate_answer(
        transcript_span(old, [old]),
        {"เรียน", "เริ่ม"},
        query_vector=[0.0, 0.0, 1.0],
        embed=lambda texts: asked.append(texts) or [[0.0, 0.0, 1.0]] * len(texts),
    )
    assert asked == [[
        "สมัยก่อนบ้านเรามีโนราหลายคณะ ครูสอนให้ตั้งท่าก่อนทุกวัน",
        "ครูสอนให้ตั้งท่าก่อนทุกวัน ต้องฝึกรำแม่บทสิบสองท่าให้คล่อง",
        "ต้องฝึกรำแม่บทสิบสองท่าให้คล่อง แล้วค่อยหัดทำบท",
    ]]  # fmt: skip


def test_the_answer_box_shows_a_sentence_that_says_more_than_the_question():
    """Where the question's words are is not always an answer: a product's tag line holds every
    word of ยาสมุนไพรแก้ปวดเมื่อย and nothing else. A product answers with its description; a
    phrase that only repeats the question takes the phrase beside it, or there is no box."""
    from query.passages import answer_box
    from query.relevance import FEATURES, Evidence, RelevanceCutoff, RelevanceModel, content_words

    sure = RelevanceCutoff(RelevanceModel(dict.fromkeys(FEATURES, 0.0), 10.0, "test"), enabled=False)  # p = 1
    query = "ยาสมุนไพรแก้ปวดเมื่อย"

    def box(kind: str, text: str, question: str = query):
        result = SearchResult(source_id="x", title="ลูกประคบ", type=kind, score=1.0)
        result._evidence = Evidence(dense=0.9, coverage=1.0)
        result._answer = locate_answer(
            Document(content=text, meta={"chunk_index": 0}), content_words(question)
        )
        found = answer_box(result, question, sure)
        return found.text if found else None

    product = "ลูกประคบสูตรหมอนวดพื้นบ้าน มีไพล ขมิ้นชัน ตะไคร้\nบ้านทุ่งลูกนก นครปฐม\nลูกประคบ ไพล ยาสมุนไพร แก้ปวดเมื่อย"
    assert box("product", product) == "ลูกประคบสูตรหมอนวดพื้นบ้าน มีไพล ขมิ้นชัน ตะไคร้"
    assert box("document", "ตำรับยาสมุนไพร\nแก้ปวดเมื่อย") is None
    story = "หมอยาต้มไพลกับขมิ้นชันให้กิน แก้ปวดเมื่อยได้ดีนัก"
    assert box("document", story) == story  # the phrase before says what cures it
    # a heading holds the question's words; the answer is the line below it
    mask = "การทำหน้ากากผีตาโขน\nหน้ากากทำจากหวดนึ่งข้าวเหนียว ต่อเขาด้วยโคนก้านมะพร้าว\nขายได้ทั้งปี"
    assert box("document", mask, "หน้ากากผีตาโขนทำจากอะไร") == mask[: mask.rindex("\n")]


def test_the_reply_to_an_interviewer_asking_the_question_is_the_moment_whatever_words_it_is_told_in():
    # ทำไมต้องเรียกขวัญข้าวหลังเกี่ยว: the ceremony cues hold its words (ขวัญข้าว, เกี่ยว) word for word;
    # the interviewer asked it nearly as typed (เรียกขวัญ, เกี่ยวข้าว: other word edges), and the reply answers
    chosen = _transcript_chunk(
        9,
        _cue(414, "ตอนเกี่ยวข้าวเสร็จแล้วมีพิธีรับขวัญข้าวอีกครั้ง"),
        _cue(427, "จะเอารวงข้าวรวงแรกที่เกี่ยว มัดเป็นกำเล็ก ๆ เอาไปไว้ในยุ้ง"),
        _cue(451, "ทำไมต้องเรียกขวัญตอนเกี่ยวข้าวด้วยคะ", "ผู้สัมภาษณ์"),
        _cue(460, "คนแก่เขาว่าตอนเกี่ยวข้าว นวดข้าว ขวัญข้าวมันตกใจ เสียงเคียว เสียงตีข้าว"),
        _cue(472, "มันก็หนีไปอยู่ตามคันนาตามตอซัง ต้องเรียกกลับ ไม่อย่างนั้นปีหน้าข้าวไม่ขึ้น"),
    )
    span = transcript_span(chosen, [chosen])
    words = content_words("ทำไมต้องเรียกขวัญข้าวหลังเกี่ยว")
    assert locate_answer(span, words).start == 414  # by its words alone: the ceremony
    answer = locate_answer(span, words, question="ทำไมต้องเรียกขวัญข้าวหลังเกี่ยว")
    assert (answer.start, answer.end) == (451, 482)  # the question and the two cues of its reply


def test_when_several_cues_hold_the_question_word_the_meaning_picks_the_one_that_explains_it():
    from index.embedders.cue_pair_embedder import CUE_VECTORS, encode_vector

    # ไหครูแม่นหยัง ("what is the teacher jar?"; แม่น and หยัง ask, they say nothing): three cues say
    # ไหครู, one explains it
    cues = [
        _cue(408, "ไว้เป็นไหครู", "บัวลาย"),
        _cue(413, "ไหครูคืออะไรคะ", "ผู้สัมภาษณ์"),
        _cue(417, "ไหใบแรกที่แม่เฮ็ดในปีนั้น ถือว่าเป็นไหครู บ่ขายเด้อ เก็บไว้กินในเฮือน", "บัวลาย"),
        _cue(428, "แล้วกะเอาไปทำบุญที่วัดตอนบุญข้าวจี่", "บัวลาย"),
    ]
    vectors = [[1.0, 0.0, 0.0], [0.0, 0.6, 0.8], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]  # made up
    chunk = Document(
        content="\n".join(c["text"] for c in cues),
        meta={"chunk_index": 0, "cues": cues, CUE_VECTORS: [encode_vector(v) for v in vectors]},
    )
    span = transcript_span(chunk, [chunk])
    words = content_words("ไหครูแม่นหยัง")
    assert locate_answer(span, words).start == 408  # by the word alone: its first mention
    answer = locate_answer(span, words, query_vector=[0.0, 0.0, 1.0], embed=lambda texts: [])
    assert answer.start == 417  # the pair that means what was asked


def test_the_answer_window_found_once_per_word_is_the_window_found_piece_by_piece():
    """``best_window`` reads a chunk's words once for all its phrases (``text``); it must choose
    exactly what checking each phrase on its own chose, on every sample chunk."""
    from pathlib import Path

    from index.thai_text import WordEdges, unit_spans
    from query.passages import best_window

    questions = ["ทำปลาร้ายังไงให้หอม", "ข้าวซอยใส่อะไรบ้าง", "ผ้าไหมสุรินทร์ย้อมสีจากอะไร", "หมักนานกี่วัน"]
    checked = 0
    for path in sorted(Path("corpora/documents").glob("*.md")):
        text = path.read_text("utf-8")[:1500]
        spans = unit_spans(text)
        pieces, offsets = [text[a:b] for a, b in spans], [a for a, _ in spans]
        edges = WordEdges.of(text)
        for question in questions:
            words = content_words(question)
            one_pass = best_window(pieces, words, edges=edges, offsets=offsets, text=text)
            piece_by_piece = best_window(pieces, words, edges=edges, offsets=offsets)
            assert one_pass == piece_by_piece, (path.name, question)
            checked += one_pass.score > 0
    assert checked >= 10  # (the questions' words are found in the sample chunks)


def test_a_word_only_inside_a_longer_word_counts_half_and_the_phrase_saying_it_wins():
    from index.thai_text import WordEdges, unit_spans
    from query.passages import best_window

    text = "กินข้าวซอยที่เชียงใหม่ แล้วแช่น้ำไว้คืนนึง เอาข้าวไปแช่ไว้"
    spans = unit_spans(text)
    pieces, offsets = [text[a:b] for a, b in spans], [a for a, _ in spans]
    edges = WordEdges.of(text)
    window = best_window(pieces[:2], {"ข้าว", "แช่"}, edges=edges, offsets=offsets[:2], text=text)
    # ข้าว is no word of ข้าวซอย, แช่ none of แช่น้ำ: each is half a word there
    assert (window.first, window.last, window.score) == (0, 1, 3.49)
    window = best_window(pieces, {"ข้าว", "แช่"}, edges=edges, offsets=offsets, text=text)
    assert (window.first, window.last, window.score) == (2, 2, 7.0)  # says both, as words
