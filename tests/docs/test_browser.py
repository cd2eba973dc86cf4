"""The docs page in a real headless chromium, offline, with the inlined Redoc bundle (issue 6's "done when")."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from docs_browser import Browser
from docs_site import FIXTURES, OUTPUT, build_site, menu_operation_count, operations, serve_folder

from generators.core.operations import iter_operations
from tests.conftest import REPO, node_package_file

pytestmark = [pytest.mark.external, pytest.mark.slow]

NAV_READY = "document.querySelectorAll('.menu-content li[data-item-id]').length > 0"
NAV_OPERATIONS = "document.querySelectorAll('.menu-content ul[role=menu] span.operation-type').length"
PANES = """(() => {
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
                        return {left: r.left, right: r.right, width: r.width, height: r.height}; };
  const samples = Array.from(document.querySelectorAll('.api-content h3'))
    .find((h) => /samples/i.test(h.textContent));
  return {nav: box(document.querySelector('.menu-content')),
          middle: box(document.querySelector('.api-content h2')),
          right: box(samples)};
})()"""


@pytest.fixture(scope="module")
def redoc_js() -> Path:
    return node_package_file("redoc", "bundles", "redoc.standalone.js")


def _cases() -> list[Any]:
    return [
        pytest.param(FIXTURES / "petstore" / "openapi.yaml", id="petstore"),
        pytest.param(REPO / "spec" / "openapi.yaml", id="atlas"),
    ]


def _open(browser: Browser, url: str) -> None:
    browser.record.requests.clear()
    browser.record.console_errors.clear()
    browser.record.dialogs.clear()
    browser.goto(url)
    browser.wait_for(NAV_READY, timeout=60)


def _outside_requests(requests: list[str], base: str) -> list[str]:
    origin = base.rstrip("/")
    allowed = (origin + "/", f"blob:{origin}/", "data:")
    return [url for url in requests if not url.startswith(allowed)]


@pytest.mark.parametrize("spec_root", _cases())
def test_page_renders_offline_with_inlined_redoc(
    browser: Browser, redoc_js: Path, spec_root: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    spec = build_site(spec_root, tmp_path / "site", redoc_js)
    with serve_folder(tmp_path / "site") as base:
        _open(browser, base + "index.html")

        panes = browser.evaluate(PANES)
        assert all(panes.values()), f"a pane is missing: {panes}"
        assert panes["nav"]["left"] == 0 and panes["nav"]["width"] > 150
        assert panes["middle"]["left"] >= panes["nav"]["right"]
        assert panes["right"]["left"] >= panes["middle"]["right"], f"samples are not in a right pane: {panes}"

        assert browser.evaluate(NAV_OPERATIONS) == menu_operation_count(spec)

        summary = next(op["summary"] for op in reversed(operations(spec)) if op.get("summary"))
        browser.type_into("input.search-input", summary)
        found = browser.wait_for(
            "Array.from(document.querySelectorAll('[data-role=\"search:results\"] li'))"
            ".map((li) => li.getAttribute('aria-label'))"
        )
        assert summary in found

        links = browser.evaluate("Array.from(document.querySelectorAll('.atlas-downloads a')).map((a) => a.href)")
        assert len(links) == 6  # four downloads, the changelog page and its feed
        for link in links:
            assert link.startswith(base), link
            on_disk = tmp_path / "site" / link[len(base) :]
            assert on_disk.is_file(), f"{link} does not resolve to a file in the build folder"
            with urllib.request.urlopen(link) as response:
                assert response.read() == on_disk.read_bytes()

        shot = OUTPUT / f"{request.node.callspec.id}.png"
        browser.screenshot(shot)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000

    assert browser.record.console_errors == []
    assert browser.record.dialogs == []
    assert _outside_requests(browser.record.requests, base) == []
    assert any(url.startswith("blob:") for url in browser.record.requests), "the search worker was not recorded"


def test_hostile_spec_runs_no_script(browser: Browser, redoc_js: Path, tmp_path: Path) -> None:
    spec = build_site(FIXTURES / "hostile" / "openapi.yaml", tmp_path / "site", redoc_js)
    with serve_folder(tmp_path / "site") as base:
        _open(browser, base + "index.html")
        assert browser.evaluate("document.title") == spec["info"]["title"]
        assert browser.evaluate(NAV_OPERATIONS) == menu_operation_count(spec)
        assert browser.evaluate("document.scripts.length") == 4, "the spec closed a script element or added one"
        hrefs = browser.evaluate("Array.from(document.querySelectorAll('a[href]')).map((a) => a.getAttribute('href'))")
        assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
        handlers = browser.evaluate(
            "Array.from(document.querySelectorAll('*'))"
            ".filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on'))).length"
        )
        assert handlers == 0
        # Click every link of the spec's own text (not the downloads, which would navigate away).
        browser.evaluate("document.querySelectorAll('.api-content a:not([href^=\"#\"])').forEach((a) => a.click())")
        browser.screenshot(OUTPUT / "hostile.png")
        assert browser.evaluate("typeof window.__pwned") == "undefined"
    assert browser.record.dialogs == []
    # Redoc 2.5.2 parses description HTML off-document before sanitising it; only the CSP stops those handlers.
    assert all("Content Security Policy" in e or "404" in e for e in browser.record.console_errors), (
        browser.record.console_errors
    )
    assert _outside_requests(browser.record.requests, base) == []


def test_cdn_page_loads_redoc_only_from_the_pinned_url(browser: Browser, tmp_path: Path) -> None:
    """Default mode, offline: the one outside request is the pinned, integrity-checked Redoc script."""
    build_site(FIXTURES / "petstore" / "openapi.yaml", tmp_path / "site", None)
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    with serve_folder(tmp_path / "site") as base:
        browser.record.requests.clear()
        browser.goto(base + "index.html")
        outside = _outside_requests(browser.record.requests, base)
    from generators.artefacts.docs.page import REDOC_CDN_URL

    assert outside == [REDOC_CDN_URL]
    assert json.dumps(REDOC_CDN_URL)[1:-1] in page


# Operations Redoc rendered (one element per operation and tag), by operationId, that show a text.
OPERATIONS_SHOWING = """((pattern) => {
  const ops = Array.from(document.querySelectorAll('[id*="/operation/"]'))
    .filter((e) => /\\/operation\\/[^/]+$/.test(e.id));
  return Array.from(new Set(ops.filter((e) => pattern.test(e.innerText)).map((e) => e.id.split('/operation/')[1])));
})"""


def test_every_atlas_operation_shows_scopes_rate_class_and_code_samples(
    browser: Browser, redoc_js: Path, tmp_path: Path
) -> None:
    spec = build_site(REPO / "spec" / "openapi.yaml", tmp_path / "site", redoc_js)
    with serve_folder(tmp_path / "site") as base:
        _open(browser, base + "index.html")
        assert browser.evaluate("document.querySelectorAll('.atlas-fallback').length") == 0, "Redoc did not replace it"
        facts = browser.evaluate(OPERATIONS_SHOWING + "(/Scopes:[^\\n]*Rate class:[^\\n]*Idempotent:/)")
        samples = browser.evaluate(OPERATIONS_SHOWING + "(/curl[\\s\\S]*JavaScript[\\s\\S]*Python/)")
    operation_ids = {op["operationId"] for op in operations(spec)}
    assert len(operation_ids) == 78
    assert set(facts) == operation_ids
    assert set(samples) == operation_ids
    assert browser.record.console_errors == []


def test_without_javascript_the_page_lists_every_operation(browser: Browser, redoc_js: Path, tmp_path: Path) -> None:
    spec = build_site(REPO / "spec" / "openapi.yaml", tmp_path / "site", redoc_js)
    browser.page("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        with serve_folder(tmp_path / "site") as base:
            browser.goto(base + "index.html")
            rows = browser.evaluate(
                "Array.from(document.querySelectorAll('tr.atlas-operation')).map((r) => r.innerText)"
            )
            text = browser.evaluate("document.body.innerText")
            files = browser.evaluate("Array.from(document.querySelectorAll('.atlas-files a')).map((a) => a.href)")
            browser.screenshot(OUTPUT / "atlas-no-javascript.png")
            browser.goto(base + "changelog.html")
            heading = browser.evaluate("document.querySelector('h1').innerText")
            feed = browser.evaluate("document.querySelector('link[rel=alternate]').href")
    finally:
        browser.page("Emulation.setScriptExecutionDisabled", {"value": False})
    expected = [f"{m.upper()}\t{path}\t{op['summary']}" for path, m, op, _ in iter_operations(spec["paths"])]
    assert rows == expected and len(rows) == 78
    assert spec["info"]["title"] in text and "JavaScript is off" in text
    assert len(files) == 6 and all(f.startswith(base) for f in files)
    assert heading == "Changelog" and feed == base + "changelog.xml"


def test_without_the_cdn_the_plain_reference_stays(browser: Browser, tmp_path: Path) -> None:
    """The default page offline: Redoc cannot load, and the server-rendered operation list is what readers get."""
    spec = build_site(FIXTURES / "petstore" / "openapi.yaml", tmp_path / "site", None)
    with serve_folder(tmp_path / "site") as base:
        browser.goto(base + "index.html")
        time.sleep(1)
        rows = browser.evaluate("document.querySelectorAll('tr.atlas-operation').length")
        visible = browser.evaluate("document.querySelector('.atlas-fallback').getBoundingClientRect().height > 200")
        title = browser.evaluate("document.querySelector('.atlas-fallback h1').innerText")
    assert rows == len(operations(spec)) and visible
    assert title.startswith(spec["info"]["title"])
