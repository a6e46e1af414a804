"""The API docs on a centre laptop: Swagger UI from a package, nothing fetched from the internet."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def test_docs_render_offline_with_every_operation_listed(page, server_url):
    refused = []

    def loopback_only(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", loopback_only)
    page.goto(server_url + "/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/search", "/api/facets", "/api/health", "/api/sources"} <= {s.strip() for s in summaries}
    assert "Panya" in page.locator(".title").first.inner_text()
    assert not [url for url in refused if not url.startswith("data:")], refused
