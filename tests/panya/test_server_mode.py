"""The whole pipeline against the Qdrant server API (qdrant-client's in-memory mode standing in),
and moving an archive from the embedded store to a server by re-ingesting the kept originals."""

from __future__ import annotations

import warnings

import pytest

from panya.archive import Archive
from panya.ingestion import ingest_path
from query.request import SearchRequest

pytestmark = pytest.mark.integration


def test_originals_reingested_into_a_server_give_the_same_sources_and_answers(archive, corpus_copy, settings):
    ingest_path(archive, corpus_copy, progress=False)
    embedded = {d.meta["source_id"] for d in archive.store.filter_documents()}
    expected = archive.search("ผ้าไหมมัดหมี่สุรินทร์", limit=3).results[0].source_id

    server_settings = settings.model_copy(
        update={"qdrant_url": ":memory:", "data_dir": settings.data_dir / "srv"}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Archive(server_settings) as server:
            report = ingest_path(server, settings.originals_dir, progress=False)
            assert report.ok
            assert {d.meta["source_id"] for d in server.store.filter_documents()} == embedded
            assert server.search("ผ้าไหมมัดหมี่สุรินทร์", limit=3).results[0].source_id == expected
            again = ingest_path(server, settings.originals_dir, progress=False)
            assert again.chunks == 0 and not again.added
            hidden = server.search("ผ้าไหม", type="product", limit=50).results
            assert hidden and all(r.type == "product" for r in hidden)
            # the store, not Python, counts and orders a browse on the server too
            browsed = server.browse(SearchRequest(sort="price_asc", limit=3))
            prices = [r.meta["price"] for r in browsed.results]
            assert browsed.total == len(embedded_sources(server)) and prices == sorted(prices)
            facets = server.facets(SearchRequest(type="product"))
            assert facets.total == facets.facets["type"]["product"] >= 3


def embedded_sources(archive) -> set[str]:
    return {
        d.meta["source_id"] for d in archive.store.filter_documents() if d.meta.get("access") != "restricted"
    }


def test_a_cluster_collection_is_made_with_the_configured_shards_replicas_and_quantisation(
    settings, monkeypatch
):
    from qdrant_client import QdrantClient

    made = {}
    create = QdrantClient.create_collection

    def spy(self, collection_name, **kwargs):
        made.update(kwargs)
        return create(self, collection_name, **kwargs)

    monkeypatch.setattr(QdrantClient, "create_collection", spy)
    ministry = settings.model_copy(
        update={
            "qdrant_url": ":memory:",
            "qdrant_shards": 6,
            "qdrant_replicas": 2,
            "qdrant_write_consistency": 2,
            "qdrant_quantization": True,
            "qdrant_on_disk_payload": True,
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Archive(ministry) as archive:
            assert archive.search("ปลาร้า").total == 0  # an empty collection answers, it does not fail
    assert (made["shard_number"], made["replication_factor"], made["write_consistency_factor"]) == (6, 2, 2)
    assert made["on_disk_payload"] is True
    assert made["quantization_config"].scalar.type.value == "int8"
    assert made["vectors_config"]["text-dense"].on_disk is True  # originals on disk, rescored from there


def test_write_consistency_beyond_the_replicas_is_refused(settings):
    from index.stores.schema import StoreInfo
    from index.stores.server_document_store import ServerDocumentStore

    with pytest.raises(ValueError, match="at least as many replicas"):
        ServerDocumentStore(StoreInfo("m", 4), location=":memory:", replicas=1, write_consistency=2)


def test_a_replica_sees_what_another_wrote_once_its_caches_expire(settings, monkeypatch, tmp_path):
    """Two API replicas share one collection: a name written by the other (straight into the store,
    as that replica would) reaches this one's suggestions within SHARED_CACHE_SECONDS."""
    import panya.archive

    server_settings = settings.model_copy(update={"qdrant_url": ":memory:"})
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "khao-lam.md").write_text("# ข้าวหลามหนองมน\n\nข้าวเหนียวกะทิเผาในกระบอกไม้ไผ่", encoding="utf-8")
    (folder / "kanom-jak.md").write_text("# ขนมจากเมืองแกลง\n\nแป้งข้าวเหนียวห่อใบจากย่างถ่าน", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Archive(server_settings) as replica:
            ingest_path(replica, folder / "khao-lam.md", progress=False)
            assert "ข้าวหลามหนองมน" in replica.vocabulary().words()
            # the other replica's write reaches the shared store, not this replica's caches
            documents = _converted(replica, folder / "kanom-jak.md")
            assert replica.indexing.run({"splitter": {"documents": documents}})["writer"]["documents_written"]
            replica._store_writes = replica.store.writes  # another replica's writes are not counted here
            assert "ขนมจากเมืองแกลง" not in replica.vocabulary().words()  # still within the window
            monkeypatch.setattr(panya.archive, "SHARED_CACHE_SECONDS", 0.0)
            assert "ขนมจากเมืองแกลง" in replica.vocabulary().words()


def _converted(archive, path):
    from ingest.discovery import discover
    from ingest.source_converter import SourceConverter
    from panya.ingestion import fingerprint

    (source_file,) = discover(path)
    documents = SourceConverter.from_settings(archive.settings).run([source_file])["documents"]
    for document in documents:
        document.meta["fingerprint"] = fingerprint(document.meta["content_hash"], archive)
    return documents
