"""The docs page as bytes: escaping, CSP, pinned Redoc, options, golden file and the ``docs`` command."""

from __future__ import annotations

import base64
import hashlib
import html.parser
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docs_site import FIXTURES

from generators.artefacts.docs.enrich import page_copy
from generators.artefacts.docs.page import (
    REDOC_CDN_URL,
    REDOC_SRI,
    REDOC_VERSION,
    Live,
    csp_hash,
    generate,
    page_spec_json,
    safe_links,
    script_js,
    script_json,
    site_page,
    sri_hash,
    with_redoc_js,
)
from generators.bundle.bundler import bundle_spec
from generators.cli import cli
from generators.core.diagnostics import AtlasError
from generators.core.settings import Settings, artefact_name
from tests.conftest import node_package_file

GOLDEN = Path(__file__).resolve().parent / "golden" / "petstore.index.html"
HOSTILE = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- <script>",
    "a\u2028b\u2029c",
    "&amp; & <b>",
]


class _Scripts(html.parser.HTMLParser):
    """Every script element of a page: its attributes and its text, as the browser's parser splits them."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.metas: list[dict[str, str | None]] = []
        self._open: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._open, self._text = dict(attrs), []
        elif tag == "meta":
            self.metas.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


def _settings(tmp_path: Path, **docs: Any) -> Settings:
    return Settings(spec=tmp_path / "openapi.yaml", out_dir=tmp_path / "build", project_dir=tmp_path, docs=docs)


def _page(spec: dict[str, Any], settings: Settings) -> _Scripts:
    parser = _Scripts()
    parser.feed(generate(spec, settings).content.decode("utf-8"))
    return parser


def _hostile_spec() -> dict[str, Any]:
    return bundle_spec(FIXTURES / "hostile" / "openapi.yaml").document


@pytest.mark.parametrize("text", HOSTILE)
def test_script_json_cannot_close_the_element(text: str) -> None:
    escaped = script_json({"k" + text: [text]})
    assert not set(escaped) & set("<>&\u2028\u2029")
    assert json.loads(escaped) == {"k" + text: [text]}


def test_script_js_neutralises_closing_tags_and_comment_openers() -> None:
    source = 'a("</script>");b=/<!--/;c="\\</SCRIPT>";d=1<2;'
    escaped = script_js(source)
    assert "</script" not in escaped.lower() and "<!--" not in escaped
    assert escaped == 'a("\\x3C/script>");b=/\\x3C!--/;c="\\x3C/SCRIPT>";d=1<2;'


def test_hostile_spec_stays_data(tmp_path: Path) -> None:
    spec = _hostile_spec()
    page = _page(spec, _settings(tmp_path))
    kinds = [attrs.get("type") or attrs.get("src") for attrs, _ in page.scripts]
    assert kinds == ["application/json", "application/json", REDOC_CDN_URL, None]
    embedded = json.loads(page.scripts[0][1])
    assert embedded == safe_links(page_copy(spec, artefact_name(_settings(tmp_path), spec)))
    assert embedded["info"]["title"] == spec["info"]["title"]
    assert "url" not in embedded["info"]["contact"]  # javascript: links are dropped
    assert "url" not in embedded["externalDocs"]


def test_safe_links_copies_only_the_way_to_a_dropped_link() -> None:
    spec: dict[str, Any] = {
        "info": {"title": "t", "contact": {"name": "n", "url": "javascript:alert(1)"}},
        "paths": {"/a": {"get": {"responses": {}}}},
        "x-examples": [{"url": "wss://example.test/socket"}],  # an odd url, but no link Redoc renders
    }
    assert safe_links({"info": {"title": "t"}, "x-examples": spec["x-examples"]})["x-examples"] is spec["x-examples"]
    untouched = {key: spec[key] for key in ("paths", "x-examples")}
    assert safe_links(untouched) is untouched
    cleaned = safe_links(spec)
    assert cleaned["info"] == {"title": "t", "contact": {"name": "n"}}
    assert spec["info"]["contact"]["url"] == "javascript:alert(1)"  # the spec itself is never changed
    assert cleaned["paths"] is spec["paths"] and cleaned["x-examples"] is spec["x-examples"]


def test_the_preview_page_adds_only_its_live_script(tmp_path: Path) -> None:
    spec, settings = _hostile_spec(), _settings(tmp_path)
    plain = generate(spec, settings).content
    made_once = page_spec_json(spec, artefact_name(settings, spec))
    assert site_page(spec, settings, spec_json=made_once)[0].content == plain
    live = Live("window.atlasLive = 1;\n", {"build": 3, "note": HOSTILE[0]})
    parser = _Scripts()
    parser.feed(site_page(spec, settings, live=live)[0].content.decode("utf-8"))
    assert parser.scripts[-2:] == [
        ({"type": "application/json", "id": "atlas-live"}, script_json(live.state)),
        ({}, live.script),
    ]
    assert json.loads(parser.scripts[-2][1]) == live.state
    csp = next(m["content"] for m in parser.metas if m.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and csp_hash(live.script) in csp


def test_csp_allows_exactly_the_page_scripts(tmp_path: Path) -> None:
    redoc = tmp_path / "redoc.js"
    redoc.write_text('window.Redoc={init(){}};x="</script><!--";img="https://cdn.redoc.ly/redoc/logo-mini.svg";')
    for settings in (_settings(tmp_path), with_redoc_js(_settings(tmp_path), redoc)):
        page = _page({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}, settings)
        csp = next(m["content"] for m in page.metas if m.get("http-equiv") == "Content-Security-Policy")
        assert csp is not None
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        inline = [text for attrs, text in page.scripts if not attrs.get("type") and not attrs.get("src")]
        hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(t.encode()).digest()).decode() + "'" for t in inline}
        allowed = set(directives["script-src"].split())
        assert hashes <= allowed
        assert allowed - hashes == (set() if settings.docs else {REDOC_CDN_URL})
        assert directives["default-src"] == "'none'" and directives["img-src"] == "'self' data:"
        assert "cdn.redoc.ly" not in "".join(text for _, text in page.scripts)


def test_sri_constant_is_the_hash_of_the_pinned_npm_bundle() -> None:
    bundle = node_package_file("redoc", "bundles", "redoc.standalone.js")
    package = json.loads(node_package_file("redoc", "package.json").read_text(encoding="utf-8"))
    assert package["version"] == REDOC_VERSION
    assert sri_hash(bundle.read_bytes()) == REDOC_SRI
    assert f"redoc@{REDOC_VERSION}/" in REDOC_CDN_URL


def test_options_reach_redoc_with_safe_defaults(tmp_path: Path) -> None:
    theme = {"colors": {"primary": {"main": "#32329f"}}}
    settings = _settings(tmp_path, expandResponses="200,201", theme=theme, hideDownloadButton=False)
    options = json.loads(_page({"info": {}}, settings).scripts[1][1])
    assert options == {"sanitize": True, "hideDownloadButton": False, "expandResponses": "200,201", "theme": theme}


@pytest.mark.parametrize(
    ("docs", "message"),
    [
        (
            {"expandResponse": "all"},
            "unknown key 'expandResponse' in [tool.atlas-spec.docs]; did you mean 'expandResponses'?",
        ),
        ({"redoc_js": "x.js"}, "did you mean 'redoc-js'?"),
        ({"sanitize": "yes"}, "'sanitize' must be bool, not str"),
        ({"maxDisplayedEnumValues": True}, "'maxDisplayedEnumValues' must be int or float, not bool"),
    ],
)
def test_bad_docs_options_are_refused(tmp_path: Path, docs: dict[str, Any], message: str) -> None:
    with pytest.raises(AtlasError) as caught:
        generate({"info": {}}, _settings(tmp_path, **docs))
    rendered = " ".join(d.message + ("; " + d.hint if d.hint else "") for d in caught.value.diagnostics)
    assert message in rendered


def test_missing_local_bundle_names_the_file(tmp_path: Path) -> None:
    settings = _settings(tmp_path, **{"redoc-js": "nowhere/redoc.js"})
    with pytest.raises(AtlasError) as caught:
        generate({"info": {}}, settings)
    assert caught.value.diagnostics[0].location is not None
    assert caught.value.diagnostics[0].location.file == str(tmp_path / "nowhere" / "redoc.js")


def test_golden_page(tmp_path: Path, update_golden: bool) -> None:
    spec = bundle_spec(FIXTURES / "petstore" / "openapi.yaml").document
    settings = replace(_settings(tmp_path), name="petstore")
    page = generate(spec, settings).content
    assert generate(spec, settings).content == page  # same input, same bytes
    if update_golden:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(page)
    assert page == GOLDEN.read_bytes(), "the page changed; review it and run `make golden`"


def test_docs_command_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "site" / "index.html"
    spec = FIXTURES / "petstore" / "openapi.yaml"
    result = CliRunner().invoke(cli, ["docs", "--spec", str(spec), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")
    assert b"<title>Petstore fixture</title>" in out.read_bytes()


def test_docs_command_inlines_a_local_bundle(tmp_path: Path) -> None:
    bundle = node_package_file("redoc", "bundles", "redoc.standalone.js")
    out = tmp_path / "index.html"
    spec = FIXTURES / "petstore" / "openapi.yaml"
    result = CliRunner().invoke(cli, ["docs", "--spec", str(spec), "-o", str(out), "--redoc-js", str(bundle)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net" not in page and "cdn.redoc.ly" not in page
    assert page.lower().count("</script") == 4


def test_docs_command_reports_a_broken_source(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text("openapi: 3.1.0\ninfo: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["docs", "--spec", str(tmp_path / "openapi.yaml"), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert "openapi.yaml:3:" in result.output or "openapi.yaml:2:" in result.output
    assert "Traceback" not in result.output
