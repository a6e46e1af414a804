"""The evidence the relevance cut-off reads: what a source holds of the question."""

from haystack import Document

from query.models import SearchResult
from query.places import find_places
from query.planner import plan_search
from query.relevance import compound_parts, latin_names, spelled_names, weigh_evidence
from query.request import SearchRequest


def _product(source_id: str, title: str, province: str, kind: str = "product", **meta) -> SearchResult:
    result = SearchResult(
        source_id=source_id,
        title=title,
        type=kind,
        score=1.0,
        meta={"title": title, "province": province, "type": kind, **meta},
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


def test_an_english_question_holds_the_thai_names_it_spells():
    umbrella = _product("documents/bo-sang-umbrella.md", "ร่มกระดาษบ่อสร้าง", "เชียงใหม่", "document")
    terraces = _product("documents/na-khan.pdf", "นาขั้นบันไดแม่แจ่ม", "เชียงใหม่", "document")
    weigh_evidence([umbrella, terraces], "Bo Sang paper umbrella making", [0.8] * 20)
    assert umbrella.evidence.coverage == 2 / 5 and terraces.evidence.coverage == 0.0  # bo + sang
    weigh_evidence([umbrella, terraces], "rice terraces of Maechaem", [0.8] * 20)
    assert terraces.evidence.coverage > 0 and umbrella.evidence.coverage == 0.0


def test_common_thai_words_are_not_names_an_english_word_could_spell():
    # ทะเล is romanized "thale", ไทย "thai": everyday words, never matched alone
    sea = latin_names("นิทานทะเลไทย")
    assert spelled_names(("folk", "tale"), sea) == set() and spelled_names(("thai", "food"), sea) == set()
    assert spelled_names(("phuket",), latin_names("ภูเก็ต")) == {"phuket"}
    assert spelled_names(("chiang", "mai"), latin_names("เชียงใหม่")) == {"chiang", "mai"}  # nearly: chianghaim


def test_a_compound_the_source_holds_as_its_parts_is_held():
    assert compound_parts("ชาวมุสลิม") == ("มุสลิม",)  # ชาว is a stopword
    budu = _product("documents/budu.md", "บูดู", "ปัตตานี", "document", tags=["มุสลิม"])
    weigh_evidence([budu], "อาหารของชาวมุสลิม", [0.8] * 20)
    assert budu.evidence.coverage > 0.5


def test_teaching_words_are_not_asked_of_the_source_and_a_named_region_is_held_by_its_sources():
    budu = _product("documents/budu.md", "บูดูและไตปลา ถนอมอาหาร", "ปัตตานี", "document", region="ใต้")
    lanna = _product("documents/jin-som.md", "จิ๊นส้ม ถนอมอาหาร", "แพร่", "document", region="เหนือ")
    query = "ใบความรู้การถนอมอาหารชายแดนใต้"
    weigh_evidence([budu, lanna], query, [0.8] * 20, places=find_places(query))
    assert budu.evidence.coverage == 1.0  # no source is a "ใบความรู้": only the topic and the place count
    assert 0 < lanna.evidence.coverage < 1.0


def test_a_teachers_ways_of_asking_and_the_archives_own_words_are_not_asked_of_the_source():
    khao_khaep = _product(
        "documents/khao-khaep.md", "ข้าวแคบ ถนอมอาหารลับแล", "อุตรดิตถ์", "document", region="เหนือ"
    )
    # a teacher asks for "content to teach", "for secondary pupils", "local wisdom": no source says so
    for query in (
        "เนื้อหาสอนเรื่องข้าวแคบ สำหรับนักเรียนมัธยม",
        "ครูอยากได้สื่อสอนภูมิปัญญาท้องถิ่นเรื่องข้าวแคบ",
        "แหล่งเรียนรู้ข้าวแคบพื้นบ้าน วิชาการงานอาชีพ",
    ):
        weigh_evidence([khao_khaep], query, [0.8] * 20)
        assert khao_khaep.evidence.coverage == 1.0, query
    # but ไหครู (the pla daek jar) is a thing the archive holds, not a teacher
    jar = _product("documents/pla-ra.md", "ปลาร้าหมักในไห", "อุบลราชธานี", "document")
    weigh_evidence([jar], "ไหครูใช้หมักปลาร้า", [0.8] * 20)
    assert jar.evidence.coverage < 1.0


def test_a_source_holds_the_words_of_its_category_and_an_oral_history_the_words_of_an_interview():
    orchard = _product("documents/suan.txt", "สวนยกร่องดำเนินสะดวก", "ราชบุรี", "document", category="farming")
    mat = _product("documents/mat.md", "สาดกระจูดทะเลน้อย", "พัทลุง", "document", category="crafts")
    weigh_evidence([orchard, mat], "สวนยกร่อง วิชาเกษตร", [0.8] * 20)
    assert orchard.evidence.coverage == 1.0 and mat.evidence.coverage == 0.0
    drum = _product("oral_histories/klong-yao.srt", "กลองยาว", "สุพรรณบุรี", "oral_history")
    notes = _product("documents/klong-yao.md", "กลองยาว", "สุพรรณบุรี", "document")
    weigh_evidence([drum, notes], "บทสัมภาษณ์ผู้รู้เรื่องกลองยาว", [0.8] * 20)
    assert drum.evidence.coverage == 1.0 and notes.evidence.coverage < drum.evidence.coverage


PASSAGE = (
    "อำเภอสายบุรีมีโรงบูดูขนาดเล็กของครัวเขือนตั้งเรียงรายตามชายหาด ปลากะตักสด ๒ ส่วน เกลือทะเลเม็ดหยาบ ๑ ส่วน "
    "หมักนาน ๘ เดือนถึง ๑ ปี ข้าวยำเป็นอาหารเช้าของคนปัตตานี ราคาขวดละ 1,100 บาท หรือ 95 บาท"
)


def test_the_words_of_a_passage_are_found_without_segmenting_it_whole_and_agree_with_segmenting():
    from query.relevance import _seen, content_words, words_in

    asked = {"บูดู", "ข้าว", "ข้าวยำ", "ปัตตานี", "เกลือ", "ทะเล", "100", "95", "silk", "หมัก"}
    _seen.clear()
    first = words_in(PASSAGE, asked)  # a passage new to the archive: windows around each match
    again = words_in(PASSAGE, asked)  # asked about before: segmented whole, and kept
    assert first == again == set(content_words(PASSAGE) & asked)
    assert "ข้าว" not in first and "100" not in first  # inside ข้าวยำ, inside 1,100
    assert {"บูดู", "ข้าวยำ", "ปัตตานี", "95"} <= first


def test_a_chunk_indexed_with_its_word_edges_answers_the_same_without_being_segmented(monkeypatch):
    from index.embedders.thai_sparse_document_embedder import ThaiSparseDocumentEmbedder
    from query import relevance
    from query.relevance import chunk_words_in, content_words, words_in

    chunk = ThaiSparseDocumentEmbedder().run([Document(content=PASSAGE)])["documents"][0]
    asked = {"บูดู", "ข้าว", "ข้าวยำ", "ปัตตานี", "เกลือ", "ทะเล", "100", "95", "silk", "หมัก"}
    expected = set(content_words(PASSAGE) & asked)

    def no_segmenting(*args, **kwargs):
        raise AssertionError("a chunk with word edges was segmented again")

    monkeypatch.setattr(relevance, "word_spans", no_segmenting)
    monkeypatch.setattr(relevance, "content_words", no_segmenting)
    assert chunk_words_in(chunk, asked) == chunk_words_in(chunk, asked) == expected
    # a piece of the chunk (a phrase the answer is looked for in) reads the chunk's edges at its place
    at = PASSAGE.index("ข้าวยำ")
    piece = PASSAGE[at : at + 30]
    edges = relevance.chunk_edges(chunk)
    assert words_in(piece, {"ข้าวยำ", "ข้าว"}, edges=edges, offset=at) == {"ข้าวยำ"}


def test_word_edges_of_another_text_are_not_trusted():
    from index.thai_text import WordEdges
    from query.relevance import _seen, words_in

    _seen.clear()
    short = WordEdges.of("ข้าวยำ")  # shorter than the passage: not its edges, so it is segmented
    assert words_in(PASSAGE, {"บูดู", "ข้าว"}, edges=short) == {"บูดู"}


def test_the_evidence_of_sources_indexed_with_their_word_edges_needs_no_segmenting(monkeypatch):
    from index.embedders.thai_sparse_document_embedder import ThaiSparseDocumentEmbedder
    from query import relevance

    meta = {"title": "บูดูสายบุรี", "province": "ปัตตานี", "region": "ใต้", "tags": ["น้ำบูดู", "ข้าวยำ"]}
    chunk = ThaiSparseDocumentEmbedder().run([Document(content=PASSAGE, meta=meta)])["documents"][0]

    def judged(query: str) -> float:
        result = SearchResult(
            source_id="documents/budu.md", title=meta["title"], type="document", score=1.0, meta=meta
        )
        result._passages, result._dense = [(chunk, 0.84)], 0.84
        weigh_evidence([result], query, [0.78] * 20)
        return result.evidence.coverage

    segmented = [judged(q) for q in ("บูดูสายบุรีหมักยังไง", "ข้าวซอยเชียงใหม่", "น้ำบูดูปัตตานี")]

    def no_segmenting(*args, **kwargs):
        raise AssertionError("a chunk indexed with its word edges was segmented again")

    relevance._seen.clear()
    monkeypatch.setattr(relevance, "word_spans", no_segmenting)
    kept = [judged(q) for q in ("บูดูสายบุรีหมักยังไง", "ข้าวซอยเชียงใหม่", "น้ำบูดูปัตตานี")]
    assert kept == segmented and segmented[1] == 0.0 < segmented[0] and segmented[2] == 1.0


def test_an_english_question_expanded_with_thai_is_still_judged_as_english():
    """The glossary adds ทอผ้า and ผ้าไหม to ``weave silk``: the Thai words are found, the concept
    they stand for counts once, and the question keeps the cut-off's English features."""
    silk = _product("documents/mat-mi-silk-surin.md", "ผ้าไหมมัดหมี่ ทอผ้าด้วยมือ", "สุรินทร์", "document")
    expanded = "weave silk ทอผ้า ผ้าไหม"
    same = {"ทอผ้า": "weave", "ผ้าไหม": "silk"}
    weigh_evidence([silk], expanded, [0.8] * 20, same=same, typed="weave silk")
    assert silk.evidence.latin and silk.evidence.coverage == 1.0
    weigh_evidence([silk], expanded, [0.8] * 20, same=same)
    assert not silk.evidence.latin  # (more Thai letters than Latin ones, read alone)
    weigh_evidence([silk], "weave silk", [0.8] * 20, typed="weave silk")
    assert silk.evidence.coverage == 0.0


def test_a_source_that_stands_out_from_the_pack_is_judged_likelier_to_answer_even_when_retold():
    from query.relevance import RelevanceCutoff, RelevanceModel

    def pack(top: float, runner_up: float, third: float = 0.80) -> list[SearchResult]:
        titles = ("ปลาร้าปลาแดกอุบล", "ปลาร้าบ้านนาเยีย", "ผ้าไหมมัดหมี่", "แคนอีสาน", "บั้งไฟยโสธร")
        results = [
            _product(f"documents/{i}.md", title, "อุบลราชธานี", "document") for i, title in enumerate(titles)
        ]
        for result, dense in zip(results, (top, runner_up, third, 0.80, 0.79), strict=True):
            result._dense = dense
        weigh_evidence(results, "ทำปลาร้ายังไง", [0.78] * 20)
        return results

    model = RelevanceModel.load()
    alone, retold, flat = pack(0.86, 0.80), pack(0.86, 0.86), pack(0.86, 0.85, 0.85)
    assert alone[0].evidence.lead > 0.05 and retold[0].evidence.lead == retold[1].evidence.lead > 0.05
    assert flat[0].evidence.lead < 0.02 and flat[3].evidence.lead < 0  # the tail stands below two others
    same = alone[0].evidence.dense, alone[0].evidence.coverage
    assert same == (flat[0].evidence.dense, flat[0].evidence.coverage)
    # a source two centres both tell (retold) leads as much as one told once; the flat pack's does not
    cutoff = RelevanceCutoff(model)
    assert model.probability(retold[0].evidence) == model.probability(alone[0].evidence)
    assert model.probability(alone[0].evidence) > model.probability(flat[0].evidence)
    assert [r.source_id for r in cutoff.apply(alone)][:1] == ["documents/0.md"]


def test_among_the_first_few_a_source_holding_the_question_comes_first_and_the_top_five_stay_the_same():
    from query.relevance import RelevanceCutoff, RelevanceModel

    titles = ("บุญบั้งไฟยโสธร", "ปลาร้าปลาแดกอุบล", "ผ้าไหมมัดหมี่", "แคนอีสาน", "ข้าวจี่อีสาน", "ปลาร้าบองบ้านนาเยีย")
    results = [
        _product(f"documents/{i}.md", title, "อุบลราชธานี", "document") for i, title in enumerate(titles)
    ]
    # the hybrid ranking puts the rocket festival first (a closer cosine); the pla ra sources hold the question
    for result, dense, score in zip(
        results, (0.86, 0.85, 0.84, 0.83, 0.82, 0.81), (1.0, 0.9, 0.5, 0.4, 0.3, 0.2)
    ):
        result._dense, result.score = dense, score
    weigh_evidence(results, "ปลาร้าอุบล", [0.78] * 20)
    assert results[1].evidence.coverage == 1.0 > results[0].evidence.coverage

    ordered = RelevanceCutoff(RelevanceModel.load()).order(list(results))
    ids = [r.source_id for r in ordered]
    assert ids[0] == "documents/1.md"
    assert set(ids[:5]) == {r.source_id for r in results[:5]}  # only the first five move among themselves
    assert ids[5] == "documents/5.md"  # the sixth holds the question too, but stays where it was
    assert [r.score for r in ordered] == [1.0, 0.9, 0.5, 0.4, 0.3, 0.2]  # each place keeps its score


def test_a_dialect_question_word_says_no_more_than_its_central_thai():
    from query.relevance import content_words, word_weight

    assert "หยัง" not in content_words("ต้มยาสามเอาหนึ่งแม่นหยัง")  # หยัง is อะไร: a stopword
    assert word_weight("เฮ็ด") == word_weight("ทำ") < 1 < word_weight("ปลาแดก")  # เฮ็ด is ทำ
    # an interview in Isan says เฮ็ด and จั่งใด๋ throughout; a leaflet on pla daek says none of them
    chatty = _product("oral_histories/isan.vtt", "แม่เล่าเรื่องตลาดนัด", "อุบลราชธานี", "oral_history")
    chatty._passages = [(Document(content="มื้อนี้แม่สิเฮ็ดจั่งใด๋กะบ่ฮู้ ไปขายของตลาดนัดวันพุธ"), 0.82)]
    leaflet = _product("documents/pla-daek.md", "ปลาแดกบ้านนาเยีย", "อุบลราชธานี", "document")
    leaflet._passages = [(Document(content="ปลาแดกหมักเกลือกับรำข้าวไว้ในไหสามเดือน"), 0.82)]
    plan = plan_search(SearchRequest(q="ปลาแดกเฮ็ดจั่งใด๋"))
    weigh_evidence([chatty, leaflet], plan.text, [0.8] * 20, same=plan.same)
    assert leaflet.evidence.coverage > 0.8 > 0.2 > chatty.evidence.coverage


def test_a_question_in_the_archives_own_words_is_answered_on_weaker_evidence_and_the_archive_is_asked_only_then():
    from query.relevance import RelevanceCutoff, RelevanceModel

    results = [
        _product(f"documents/{i}.md", title, "ตรัง", "document")
        for i, title in enumerate(("ผ้าทอนาหมื่นศรี", "โนราโรงครู"))
    ]
    weigh_evidence(results, "ทอกี่วันถึงจะเสร็จ", [0.80] * 20)
    model = RelevanceModel.load()
    cutoff = RelevanceCutoff(model)
    best = max(model.probability(result.evidence) for result in results)
    assert cutoff.answerable_known <= best < cutoff.answerable  # a vague question: moderate evidence
    asked: list[bool] = []

    def knows(answer: bool):
        def ask() -> bool:
            asked.append(answer)
            return answer

        return ask

    assert cutoff.apply(list(results)) == []  # nothing said of the archive's words: the strict rule
    assert cutoff.apply(list(results), knows(False)) == []  # a word the archive has never seen
    assert [r.source_id for r in cutoff.apply(list(results), knows(True))][:1] == ["documents/0.md"]
    assert asked == [False, True]
    # sure or hopeless, the archive is not asked at all (a look-up in the store per word)
    assert cutoff.answers(0.95, knows(True)) and not cutoff.answers(0.1, knows(True))
    assert asked == [False, True]
