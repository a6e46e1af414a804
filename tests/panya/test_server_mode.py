"""The whole pipeline against the Qdrant server API (qdrant-client's in-memory mode standing in),
and moving an archive from the embedded store to a server by re-ingesting the kept originals."""

from __future__ import annotations

import warnings

import pytest

from panya.archive import Archive
from panya.ingestion import ingest_path

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
