from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from search_api.app import create_app

WRITE_KEY, READ_KEY = "write-key-for-tests", "read-key-for-tests"


def keyed(settings):
    return settings.model_copy(
        update={"write_keys": [SecretStr(WRITE_KEY)], "read_keys": [SecretStr(READ_KEY)]}
    )


@pytest.fixture(scope="session")
def client(corpus_archive, corpus_settings):
    """The API over the ingested sample corpora (read-only tests)."""
    app = create_app(keyed(corpus_settings), archive=corpus_archive)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def writable_client(settings):
    """The API over a fresh, empty archive of its own (upload and delete tests)."""
    with TestClient(create_app(keyed(settings))) as client:
        yield client


def auth(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}
