import threading

from index.embedders.factory import DenseEmbedders
from panya.pipelines import QueryPath
from panya.settings import Settings


class HeldEmbedder:
    """A query embedder that records each call's team size and thread, and holds every call until
    released: the embeddings of searches that overlap."""

    def __init__(self):
        self.calls: list[tuple[str, int | None, str]] = []
        self.release = threading.Event()

    def warm_up(self):
        pass

    def run(self, text: str, threads: int | None = None):
        self.calls.append((text, threads, threading.current_thread().name))
        self.release.wait(5)
        return {"embedding": [float(len(text)), 1.0]}


def query_path(tmp_path, embedder) -> QueryPath:
    settings = Settings(data_dir=tmp_path, _env_file=None, threads=2, query_threads=1)
    return QueryPath(settings, None, DenseEmbedders(document=None, text=embedder, model="held"))


def test_a_query_embedded_alone_gets_the_cores_and_overlapping_ones_one_thread_each(tmp_path):
    embedder = HeldEmbedder()
    path = query_path(tmp_path, embedder)
    try:
        first = path.start("ปลาร้าทำยังไง")
        second = path.start("ผ้าไหมสุรินทร์")
        third = path.start("ผ้าไหมสุรินทร์")  # the same text: the same embedding, not a third call
        embedder.release.set()
        assert first.result(5) == (float(len("ปลาร้าทำยังไง")), 1.0)
        assert second.result(5) == third.result(5)
        (_, team, leader), (_, single, other) = sorted(embedder.calls)
        assert (team, single) == (2, 1)
        assert leader.startswith("panya-embed-team") and not other.startswith("panya-embed-team")
        # alone again: back to a team, on the same thread as before
        embedder.release.clear()
        later = path.start("ข้าวซอยเชียงใหม่")
        embedder.release.set()
        later.result(5)
        assert embedder.calls[-1][1:] == (2, leader)
    finally:
        embedder.release.set()
        path.close()


def test_the_query_is_normalised_before_it_is_embedded_so_spellings_of_one_text_share_a_vector(tmp_path):
    embedder = HeldEmbedder()
    embedder.release.set()
    path = query_path(tmp_path, embedder)
    try:
        path.start("ผ้าไหม   สุรินทร์")
        dense, sparse = path.embed(path.normalizer.run("ผ้าไหม สุรินทร์")["text"])
        assert len(embedder.calls) == 1
        assert dense == (float(len("ผ้าไหม สุรินทร์")), 1.0) and sparse.indices
    finally:
        path.close()
