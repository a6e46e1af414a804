"""The API against its own OpenAPI document (schemathesis), and the HTML pages on odd input (hypothesis).

Every operation in ``/openapi.json`` gets generated requests, in-process over ASGI: no response is a
5xx, and every response has a documented status and the documented JSON shape. The API is run twice
over an archive of its own (a few sample sources, so the write-key run cannot harm other tests):
once without a key, once with a write key, which also uploads and deletes. The cases each run sent,
by operation and status, print when the module ends::

    .venv/bin/python -m pytest tests/search_api/test_schemathesis.py
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from panya.settings import Settings
from search_api.app import create_app
from tests.conftest import CORPORA
from tests.search_api.conftest import WRITE_KEY, auth, keyed

pytestmark = pytest.mark.integration

#: One source per format family: enough for every route to find something, quick to ingest.
SAMPLES = (
    "documents/pla-ra-ubon.md",
    "documents/dan-kwian-pottery.docx",
    "oral_histories/bualai-pla-daek.vtt",
    "products/village-shop.jsonl",
)
SOURCE_IDS = ("documents/pla-ra-ubon.md", "oral_histories/bualai-pla-daek.vtt")

SCRIPTS = ("<script>alert(1)</script>", '"><script>alert(1)</script>', "</title><script>alert(1)</script>")

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

#: Responses per run and operation, by status, counted as they come, printed when the module ends.
STATUSES: defaultdict[tuple[str, str], Counter[int]] = defaultdict(Counter)


def _project_config() -> schemathesis.Config:
    """Bounded, reproducible generation: 25 examples an operation, 5 for uploads (each embeds text)."""
    project: dict = {
        "seed": 20250,
        "generation": {"max-examples": 25, "deterministic": True, "database": "none"},
        "operations": [{"include-method": "POST", "generation": {"max-examples": 5}}],
    }
    return schemathesis.Config.from_dict(project)


@pytest.fixture(scope="module")
def own_archive(tmp_path_factory):
    """A few sample sources in an archive of this module's own (the write-key run deletes and uploads)."""
    from panya.archive import Archive
    from panya.ingestion import ingest_path

    root = tmp_path_factory.mktemp("schemathesis")
    corpus = root / "corpus"
    for name in SAMPLES:
        for path in (CORPORA / name, (CORPORA / name).with_suffix(".meta.json")):
            if path.exists():
                (corpus / path.relative_to(CORPORA)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, corpus / path.relative_to(CORPORA))
    with Archive(Settings(data_dir=root / "data", _env_file=None)) as archive:
        report = ingest_path(archive, corpus, progress=False)
        assert report.ok, report.failed
        yield archive


@pytest.fixture(scope="module")
def app(own_archive):
    return create_app(keyed(own_archive.settings), archive=own_archive)


@pytest.fixture(scope="module", autouse=True)
def report_case_counts(request):
    yield
    runs: Counter[str] = Counter()
    lines = []
    for (run, label), statuses in sorted(STATUSES.items()):
        runs[run] += statuses.total()
        lines.append(f"  {run:<17} {label:<32} {statuses.total():>4} cases  {dict(sorted(statuses.items()))}")
    lines = [f"schemathesis: {count} cases {run}" for run, count in sorted(runs.items())] + lines
    if not lines:
        return
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        print(*lines, sep="\n")
        return
    with capture.global_and_fixture_disabled():  # shown without -s, after the module's last test
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line)


# The document ``/openapi.json`` serves, built at import without opening a store; requests go to the
# ``app`` fixture over ASGI (``case.call(app=...)``). Not ``schemathesis.pytest.from_fixture``: that
# loader sets ``Function._nodeid``, which pytest 9.2 no longer has.
API = schemathesis.openapi.from_dict(create_app(Settings(_env_file=None)).openapi(), config=_project_config())


# pytest 9.2 builds an item's id from its parametrization, not from the name schemathesis gives it:
# without a parameter of its own, every operation's item would have the same id.
@API.parametrize()
@pytest.mark.parametrize("key", [None, WRITE_KEY], ids=["no-key", "write-key"])
@settings(suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_contract(app, key, case):
    """Without a key, the generated ``Authorization`` header goes as generated (usually refused);
    with the write key it is replaced, so uploads and deletes run too."""
    headers = auth(key) if key else None
    checks = CHECKS
    if key and case.operation.label == "POST /api/sync/push" and isinstance(case.body, dict):
        # the province is another server: here a closed loopback port, so the documented 502 answers
        case.body["to"] = "http://127.0.0.1:9"
        checks = [check for check in CHECKS if check is not not_a_server_error]
    response = case.call(app=app, headers=headers)
    STATUSES["with a write key" if key else "without a key", case.operation.label][response.status_code] += 1
    case.validate_response(response, checks=checks, headers=headers)


def test_what_the_fuzzer_cannot_reach_keeps_the_contract_too(app):
    """Generated uploads are never a readable Thai file, and generated ids never name a source: the
    201 and 200 answers of the write path are checked here, by hand, against the same document."""
    from fastapi.testclient import TestClient

    text = "ยาหม่องไพลของแม่บ้านสวนส้ม ใช้ไพลสด การบูร และน้ำมันมะพร้าว ทาคลายกล้ามเนื้อ".encode()
    with TestClient(app, headers=auth(WRITE_KEY)) as api:  # schemathesis names every file part "files"
        upload = api.post(
            "/api/sources", data={"folder": "documents"}, files=[("files", ("ya-mong.txt", text))]
        )
    assert upload.status_code == 201, upload.text
    API["/api/sources"]["POST"].Case().validate_response(upload, checks=CHECKS)
    for source_id in (*SOURCE_IDS, "products/village-shop.jsonl#NNE-011", "documents/ya-mong.txt"):
        assert _source_call(app, "GET", source_id).status_code == 200, source_id
    assert _source_call(app, "DELETE", "documents/ya-mong.txt").status_code == 200
    assert _source_call(app, "GET", "documents/ya-mong.txt").status_code == 404


def _source_call(app, method: str, source_id: str):
    # an explicit path parameter goes out as given: a catalogue row's "#" would start a fragment
    case = API["/api/sources/{source_id}"][method].Case(
        path_parameters={"source_id": quote(source_id, safe="/")}
    )
    return case.call_and_validate(app=app, headers=auth(WRITE_KEY), checks=CHECKS)


ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0x1F), max_size=20),  # control characters
    st.text("กขคงจฉชซญดตถทนบปผพฟภมยรลวศษสหอฮะาิีึืุูเแโใไ่้๊๋็์ๆฯ ", max_size=60),
    st.text("😀🙏🏽🇹🇭\u200b\u200d\ufeff", max_size=20),  # emoji, zero-width joiners, a BOM
    st.integers(490, 620).map(lambda n: "ก" * n),  # either side of the 500-character cap
    st.sampled_from(SCRIPTS),
)
ODD_IDS = st.one_of(
    st.sampled_from(SOURCE_IDS),
    st.sampled_from(["..", "../../etc/passwd", "%00", "a#b", "products/village-shop.jsonl#", " ", "x" * 600]),
    st.sampled_from(SCRIPTS),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40),
)

#: Filters and paging beside the words, each left out half the time, odd now and then.
ODD_FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["product", "oral_history", "document", "", "nonsense", SCRIPTS[0]]),
        "offset": st.sampled_from(["0", "10", "1000", "-1", "1001", "99999999999999999999", "x", "1e3"]),
        "sort": st.sampled_from(["price_asc", "price_desc", "date", "title", "random", SCRIPTS[1]]),
        "partial": st.sampled_from(["1", "true", "0", "maybe"]),
    },
)
ODD_PRICES = st.sampled_from(
    [{}, {"price_min": "0", "price_max": "1e9"}, {"price_min": "500", "price_max": "100"},
     {"price_min": "-1", "price_max": "x"}, {"price_min": "nan", "price_max": "inf"},
     {"price_max": "500"}, {"price_min": "100"}]
)  # fmt: skip


@pytest.fixture(scope="module")
def browser(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False, headers={"Accept": "text/html"}) as browser:
        yield browser


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(q=ODD_TEXT, filters=ODD_FILTERS, prices=ODD_PRICES)
def test_the_search_page_never_fails_on_odd_input(browser, q, filters, prices):
    params = {"q": q, **filters, **prices}
    page = browser.get("/", params=params)
    assert page.status_code < 500, (params, page.text[:500])
    _assert_escaped(page.text, params)
    if page.status_code == 200 and q in SCRIPTS:
        assert str(escape(q)) in page.text  # shown back, as text


@pytest.mark.parametrize("bound", [{"price_max": "500"}, {"price_min": "100"}])
def test_one_price_bound_alone_does_not_break_the_search_page(browser, bound):
    assert browser.get("/", params={"q": "ผ้าไหม", **bound}).status_code == 200


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(source_id=ODD_IDS, chunk=st.sampled_from([None, "0", "-1", "x", "99999"]), q=ODD_TEXT)
def test_source_pages_never_fail_on_odd_ids(browser, source_id, chunk, q):
    params = {"q": q, **({"chunk": chunk} if chunk is not None else {})}
    page = browser.get("/sources/" + quote(source_id, safe="/"), params=params)
    assert page.status_code < 500, (source_id, params, page.text[:500])
    _assert_escaped(page.text, {"source_id": source_id, **params})


def _assert_escaped(page: str, sent: dict) -> None:
    """A ``<script>`` the caller sent may come back only as text, never as markup."""
    for name, value in sent.items():
        if "<script" in value.lower():
            assert value not in page, f"{name}={value!r} is in the page unescaped"
