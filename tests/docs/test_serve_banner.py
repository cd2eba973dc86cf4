"""``serve`` renders whatever can be bundled: findings go in a banner on the page and in the terminal; only an
unbundleable source gets the error page (issue 13)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docs_browser import Browser
from docs_site import FIXTURES
from test_serve import Server

from generators.artefacts.docs.page import generate as docs_page
from generators.bundle.bundler import bundle_configured
from generators.core.settings import load_settings
from generators.serve.watch import SHOWN_FINDINGS, build_snapshot, terminal_report
from tests.conftest import REPO, node_package_file, shared_path
from tests.support import make_tree

DO_ROOT = ("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")
# An invalid server URL whose text is an HTML tag, an ANSI colour and a bidi override: the finding quotes it.
HOSTILE_URL = r'"x<img src=x onerror=alert(1)>\e[31m\u202e"'
BANNER = re.compile(rb'<section class="atlas-findings".*?</section>', re.DOTALL)


@pytest.fixture
def petstore(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "petstore", tmp_path / "spec")
    return tmp_path / "spec" / "openapi.yaml"


def _banner(page: bytes) -> bytes:
    found = BANNER.search(page)
    assert found, "the page has no findings banner"
    return found.group()


def test_lint_errors_show_in_a_banner_and_never_stop_the_preview(petstore: Path) -> None:
    text = petstore.read_text(encoding="utf-8")
    petstore.write_text(text.replace("- url: https://api.example.com/v1", f"- url: {HOSTILE_URL}"), encoding="utf-8")
    snapshot = build_snapshot(load_settings(spec=petstore))
    assert not snapshot.failed
    assert snapshot.name == "petstore-fixture"
    assert {"/v1/docs", "/v1/openapi.json", "/v1/petstore-fixture.postman_collection.json"} <= set(snapshot.files)
    banner = _banner(snapshot.files["/v1/docs"])
    assert re.search(rb"openapi\.yaml:10:\d+: error \[server-url-valid\] server url", banner), banner
    assert b"1 error(s), 7 warning(s)" in banner and b"<details open>" in banner
    # spec text is escaped twice over: HTML (no tag, no attribute) and terminal (controls shown, not obeyed)
    page = snapshot.files["/v1/docs"]
    assert b"<img" not in page and b"&lt;img src=x onerror=alert(1)&gt;\\x1b[31m\\u202e" in banner
    assert b"\x1b" not in page and "\u202e".encode() not in page
    terminal = "\n".join(terminal_report(snapshot, 0.1))
    assert re.search(r"openapi\.yaml:10:\d+: error \[server-url-valid\]", terminal)
    assert "\x1b" not in terminal and "\u202e" not in terminal and "\\x1b[31m\\u202e" in terminal
    assert terminal.endswith("with 1 error(s), 7 warning(s), shown on the page")


def test_structural_errors_render_too(petstore: Path) -> None:
    """A preview exists to look at a spec that is still wrong: even an invalid structure is shown."""
    text = petstore.read_text(encoding="utf-8")
    petstore.write_text(text.replace("summary: List every owner", "summary: [1, 2]"), encoding="utf-8")
    snapshot = build_snapshot(load_settings(spec=petstore))
    assert not snapshot.failed
    assert re.search(rb"openapi\.yaml:27:\d+: error \[struct\]", _banner(snapshot.files["/v1/docs"]))


def test_only_an_unbundleable_source_gets_the_error_page(petstore: Path) -> None:
    pets = petstore.parent / "paths" / "pets.yaml"
    pets.write_text(pets.read_text(encoding="utf-8").replace("summary: List all pets", "summary: [List"))
    snapshot = build_snapshot(load_settings(spec=petstore))
    assert snapshot.failed and snapshot.files == {}
    assert [d.code for d in snapshot.diagnostics] == ["yaml-syntax"]
    assert terminal_report(snapshot, 0.1)[-1].startswith("build failed")


def test_a_clean_spec_gets_the_page_build_writes(tmp_path: Path) -> None:
    shutil.copytree(REPO / "tests" / "lint" / "fixtures" / "clean", tmp_path / "clean")
    settings = load_settings(spec=tmp_path / "clean" / "openapi.yaml")
    snapshot = build_snapshot(settings)
    assert snapshot.diagnostics == ()
    built = docs_page(bundle_configured(settings).document, settings).content
    assert snapshot.files["/v1/docs"] == built and b"atlas-findings" not in built
    assert terminal_report(snapshot, 0.25) == ["built in 250 ms"]


def test_the_banner_is_bounded(tmp_path: Path) -> None:
    count = SHOWN_FINDINGS // 2 + 15
    operations = "".join(
        f"  /r{i}:\n    get:\n      operationId: r{i}\n      summary: R{i}\n"
        f"      responses:\n        '200': {{description: ok}}\n"
        for i in range(count)
    )
    root = make_tree(
        tmp_path,
        {
            "openapi.yaml": "openapi: 3.1.0\ninfo: {title: Many, version: '1', contact: {email: a@b.c}, "
            "license: {name: MIT, identifier: MIT}}\nservers: [{url: 'https://api.test'}]\nsecurity: []\n"
            "paths:\n" + operations
        },
    )
    snapshot = build_snapshot(load_settings(spec=root))
    assert len(snapshot.diagnostics) == count * 2  # per operation: no tags, no 4xx
    banner = _banner(snapshot.files["/v1/docs"])
    assert b"<details>" in banner, "warnings alone start folded"
    assert banner.count(b'<pre class="finding">') == SHOWN_FINDINGS
    assert b"and 30 more" in banner
    terminal = terminal_report(snapshot, 0.1)
    assert len(terminal) == SHOWN_FINDINGS + 2 and terminal[-2] == "... and 30 more: atlas-spec lint lists them all"


@pytest.mark.external
@pytest.mark.slow
def test_digitalocean_preview_shows_its_lint_errors(browser: Browser) -> None:
    """DigitalOcean's description has 3 lint errors: the preview renders it anyway, the errors in a banner."""
    root = shared_path(*DO_ROOT)
    redoc_js = node_package_file("redoc", "bundles", "redoc.standalone.js")
    server = Server(root, "--redoc-js", str(redoc_js))
    try:
        assert server.get("/v1/openapi.json")[0] == 200
        browser.goto(server.base + "/v1/docs", timeout=60)
        browser.wait_for("document.querySelectorAll('.menu-content li[data-item-id]').length > 0", timeout=120)
        findings = browser.evaluate(
            "Array.from(document.querySelectorAll('#atlas-findings pre.finding')).map((e) => e.textContent)"
        )
        errors = [f for f in findings if ": error [" in f]
        assert len(errors) == 3, findings
        assert all(re.match(r"\S+\.ya?ml:\d+:\d+: error \[", e) for e in errors), errors
        summary = browser.evaluate("document.querySelector('#atlas-findings summary').textContent")
        assert summary.startswith("This spec has 3 error(s)")
        assert browser.evaluate("document.querySelector('#atlas-findings details').open") is True
        terminal = server.output()
        assert len(re.findall(r"\.ya?ml:\d+:\d+: error \[", terminal)) == 3, terminal
        assert "3 error(s)" in terminal and "shown on the page" in terminal
    finally:
        server.stop()
    assert browser.record.dialogs == []
