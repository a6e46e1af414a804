from __future__ import annotations

import pytest

from tests.search_api.conftest import WRITE_KEY, auth


@pytest.mark.parametrize("key", ["กุญแจจังหวัด", "Bearer \x80", "two words", ""])
def test_a_province_key_no_header_can_carry_is_refused_by_name_not_a_500(writable_client, key):
    body = {"to": "http://127.0.0.1:9", "key": key, "centre": "ubon-warinchamrap-01"}
    response = writable_client.post("/api/sync/push", json=body, headers=auth(WRITE_KEY))
    assert response.status_code == 422
    assert "visible ASCII" in response.text
    assert not key or key not in response.text  # the key is never echoed


def test_a_good_key_to_a_province_that_does_not_answer_is_a_502(writable_client):
    body = {"to": "http://127.0.0.1:9", "key": "province-key-01", "centre": "ubon-warinchamrap-01"}
    response = writable_client.post("/api/sync/push", json=body, headers=auth(WRITE_KEY))
    assert response.status_code == 502 and response.json()["error"]["code"] == "sync_interrupted"
