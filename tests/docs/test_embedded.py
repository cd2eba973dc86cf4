"""The spec's text in the docs page, written in fragments (``embedded``) and on two processes (``site_page``)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from docs_site import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.artefacts.docs import embedded, page
from generators.artefacts.docs.embedded import assemble, member_texts, safe_links, whole_text
from generators.bundle.bundler import bundle_spec
from generators.core import forking
from generators.core.jsonout import BigInt
from generators.core.settings import Settings, artefact_name

REPO = Path(__file__).resolve().parents[2]
TEXTS = st.sampled_from(
    ["a", "é", "😀", "\x7f", "\u2028", "<", "&", ">", '"', "\\", "\n", "javascript:x", "https://[x"]
)
KEYS = st.one_of(TEXTS, st.sampled_from(["url", "termsOfService", "contact", "externalDocs", "license", "paths"]))
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.sampled_from([1e-05, 1e-7, 0.5, 1e16]), TEXTS
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4))
MEMBERS = st.sampled_from(["openapi", "info", "paths", "components", "webhooks", "termsOfService", "url", "x-é"])


def _written_at_once(document: dict[str, Any]) -> bytes:
    """What the page embedded before fragments: ``json.dumps`` of the cleaned spec, ``<>&`` escaped."""
    text = json.dumps(safe_links(document), separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("ascii")


def _in_fragments(document: dict[str, Any], split: set[str]) -> bytes:
    ours, theirs = member_texts(document, split), member_texts(document, set(document) - split)
    body = None if ours is None or theirs is None else assemble(document, {**ours, **theirs})
    return b"".join(body or [whole_text(document)])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(MEMBERS, VALUES | st.dictionaries(KEYS, st.dictionaries(KEYS, VALUES)), max_size=6))
def test_fragments_join_into_the_text_written_at_once(document: dict[str, Any]) -> None:
    document = {key: _big(value) for key, value in document.items()}
    expected = _written_at_once(document)
    assert whole_text(document) == expected
    assert _in_fragments(document, {"paths", "info"}) == expected


def _big(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _big(member) for key, member in value.items()}
    if isinstance(value, list):
        return [_big(member) for member in value]
    return BigInt(value) if type(value) is int and not -(2**63) <= value < 2**64 else value


@pytest.mark.parametrize("spec", [FIXTURES / "hostile" / "openapi.yaml", REPO / "spec" / "openapi.yaml"])
def test_real_specs_in_fragments(spec: Path) -> None:
    document = bundle_spec(spec).document
    assert _in_fragments(document, {"paths", "info"}) == _written_at_once(document)


def test_a_link_urlsplit_refuses_is_dropped_on_its_own() -> None:
    """Such a link (``https://[``) was dropped only when some other odd link made the page clean them all."""
    spec = {"openapi": "3.1.0", "externalDocs": {"url": "https://[oops"}, "tags": [{"name": "t"}]}
    assert "url" not in json.loads(whole_text(spec))["externalDocs"]
    assert "url" not in json.loads(page.spec_script_json(spec))["externalDocs"]
    assert embedded.has_unsafe_link(b'{"url":"https://[oops"}')
    assert not embedded.has_unsafe_link(b'{"url":"https://example.com/a","termsOfService":"mailto:a@b.c"}')


def _settings(tmp_path: Path) -> Settings:
    return Settings(spec=tmp_path / "openapi.yaml", out_dir=tmp_path / "build", project_dir=tmp_path, docs={})


def _others() -> list[Any]:
    return [page.Artefact("other.txt", b"made by the worker or here")]


def test_the_page_is_the_same_with_or_without_a_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = bundle_spec(FIXTURES / "hostile" / "openapi.yaml").document
    settings_ = _settings(tmp_path)
    assert forking.can_fork()
    forked = page.site_page(spec, settings_, others=_others)
    monkeypatch.setattr(forking, "start", lambda work: None)  # no fork: this process does the worker's share
    alone = page.site_page(spec, settings_, others=_others)
    assert forked == alone
    assert alone[1] == _others()
    assert _embedded_json(alone[0].content) == page.page_spec_json(spec, artefact_name(settings_, spec))


def test_a_worker_that_dies_leaves_its_share_to_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = bundle_spec(FIXTURES / "petstore" / "openapi.yaml").document
    settings_ = _settings(tmp_path)
    expected = page.site_page(spec, settings_, others=_others)
    parent, shell = os.getpid(), page.shell

    def dying_shell(*args: Any) -> tuple[bytes, bytes]:
        if os.getpid() != parent:
            os._exit(3)  # the worker dies before it sends anything
        return shell(*args)

    monkeypatch.setattr(page, "shell", dying_shell)
    assert page.site_page(spec, settings_, others=_others) == expected


def _embedded_json(content: bytes) -> str:
    found = re.search(rb'<script type="application/json" id="atlas-spec">(.*?)</script>', content, re.DOTALL)
    assert found is not None
    return found.group(1).decode("ascii")


_OLD_BREAKERS = re.compile(r"(\\*)<(?=/script|!--)", re.IGNORECASE)


def _script_js_by_regex(source: str) -> str:
    def fix(match: re.Match[str]) -> str:
        slashes = match.group(1)
        return (slashes[:-1] if len(slashes) % 2 else slashes) + "\\x3C"

    return _OLD_BREAKERS.sub(fix, source)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["\\", "<", "/script", "/ScRiPt", "!--", "!-", "/scrip", "a", "é"]), max_size=10))
def test_script_js_is_its_regular_expression(pieces: list[str]) -> None:
    source = "".join(pieces)
    assert page.script_js(source) == _script_js_by_regex(source)


def test_this_process_leaves_jinja_to_the_worker(tmp_path: Path) -> None:
    """The docs command's own process never imports Jinja (12 ms) when the worker renders the pages with it."""
    script = f"""
import sys
from pathlib import Path
from generators.bundle.bundler import bundle_spec
from generators.core.settings import Settings
from generators.pipeline import docs_site
spec = Path({str(FIXTURES / "petstore" / "openapi.yaml")!r})
settings = Settings(spec=spec, out_dir=Path({str(tmp_path)!r}), project_dir=spec.parent, docs={{}})
pages, _ = docs_site(bundle_spec(spec).document, settings, Path({str(tmp_path / "index.html")!r}))
print(sorted(page.path for page in pages), "jinja2" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split("] ")[1].strip() == "False"
    assert "index.html" in done.stdout and "changelog.html" in done.stdout


def _order_sensitive_spec() -> dict[str, Any]:
    """Samples of ``Leaf`` differ by where it is first met: deeper than the sample depth limit under ``/a``
    (cut to its smallest form, and cached so), whole under ``/b``. Copying ``/b`` before ``/a`` (a worker
    taking path items from the end did) changes both operations' samples."""
    schemas: dict[str, Any] = {
        f"L{n}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/L{n + 1}"}}}
        for n in range(30)
    }
    schemas["L30"] = {"$ref": "#/components/schemas/Leaf"}
    schemas["Leaf"] = {"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}}

    def post(schema: str) -> dict[str, Any]:
        body = {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}
        return {"post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}}

    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": post("L0"), "/b": post("Leaf")},
        "components": {"schemas": schemas},
    }


def test_the_page_copies_the_path_items_in_order_whoever_is_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Samples depend on the order path items are copied in (the sample cache): the page's copy is made in the
    spec's order, in one process, however long the other side takes (a slow render here, a slow worker)."""
    spec = _order_sensitive_spec()
    settings_ = _settings(tmp_path)
    in_order = page.page_spec_json(spec, artefact_name(settings_, spec))
    reversed_spec = {**spec, "paths": dict(reversed(list(spec["paths"].items())))}
    assert page.page_spec_json(reversed_spec, "t") != in_order  # the hazard this test is about is real
    real_shell = page.shell
    monkeypatch.setattr(page, "shell", lambda *args: time.sleep(0.5) or real_shell(*args))
    assert _embedded_json(page.site_page(spec, settings_, others=_others)[0].content) == in_order
