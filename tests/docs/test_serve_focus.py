"""``serve`` on a big spec shows what a save changed first (``serve/focus.py``): which operations changed, the
small spec the page renders at once, the file the server keeps for it, and the page rendering it before the whole
reference (issue 18: an edit visible in the page in < 0.3 s, where Redoc needs seconds for DigitalOcean)."""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from docs_browser import Browser
from docs_site import petstore, rename_pets

from generators.core.settings import load_settings
from generators.serve import focus
from generators.serve.focus import FOCUS_PATH, changed_operations, focus_document
from generators.serve.server import make_server, respond
from generators.serve.stages import PAGE_SPEC, Snapshot
from generators.serve.watch import Preview
from tests.conftest import node_package_file

C = "#/components/schemas/C"


def spec() -> dict[str, Any]:
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1", "description": "a long introduction"},
        "security": [{"key": []}],
        "tags": [{"name": "one", "description": "first"}, {"name": "two"}, {"name": "three"}],
        "x-tagGroups": [{"name": "g", "tags": ["one", "two"]}, {"name": "h", "tags": ["three"]}],
        "paths": {
            "/a": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "get": {"tags": ["one"], "responses": ok},
                "post": {"tags": ["two"], "responses": {"204": {"description": "none"}}},
            },
            "/b": {"get": {"tags": ["three"], "responses": {"200": {"$ref": "#/components/responses/C"}}}},
        },
        "webhooks": {"ping": {"post": {"responses": {"200": {"description": "ok"}}}}},
        "components": {
            "schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "string"},
                "C": {"type": "integer"},
                "Pet": {
                    "oneOf": [],
                    "discriminator": {"propertyName": "k", "mapping": {"d": "#/components/schemas/C"}},
                },
            },
            "responses": {
                "C": {"description": "c", "content": {"text/plain": {"schema": {"$ref": "#/components/schemas/C"}}}}
            },
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key", "description": "long text"}},
        },
    }


def edited(change: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    before = spec()
    after = copy.deepcopy(before)
    change(after)
    return before, after


def test_an_operation_edit_is_that_operation_with_what_it_reaches() -> None:
    before, after = edited(lambda d: d["paths"]["/a"]["get"].update(summary="new"))
    changed = changed_operations(before, after)
    assert changed == [("paths", "/a", "get")]
    shown = focus_document(after, changed)
    assert shown is not None and shown["changed"] == [["GET", "/a"]] and shown["more"] == 0
    focused = shown["spec"]
    assert list(focused["paths"]) == ["/a"] and set(focused["paths"]["/a"]) == {"parameters", "get"}
    assert focused["components"]["schemas"] == {"A": after["components"]["schemas"]["A"], "B": {"type": "string"}}
    assert "webhooks" not in focused and "responses" not in focused["components"]
    # what Redoc needs for it, without the introduction's texts
    assert focused["info"] == {"title": "T", "version": "1"} and focused["security"] == [{"key": []}]
    assert focused["components"]["securitySchemes"] == {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
    assert focused["tags"] == [{"name": "one", "description": "first"}]
    assert focused["x-tagGroups"] == [{"name": "g", "tags": ["one"]}]


def test_a_component_edit_reaches_every_operation_using_it_through_refs() -> None:
    before, after = edited(lambda d: d["components"]["schemas"]["B"].update(format="email"))
    assert changed_operations(before, after) == [("paths", "/a", "get")]  # /a get -> A -> B
    before, after = edited(lambda d: d["components"]["schemas"]["C"].update(minimum=1))
    assert changed_operations(before, after) == [("paths", "/b", "get")]  # /b get -> responses/C -> C


def test_the_path_item_s_shared_keys_count_for_each_of_its_operations() -> None:
    before, after = edited(lambda d: d["paths"]["/a"]["parameters"][0].update(required=True))
    assert changed_operations(before, after) == [("paths", "/a", "get"), ("paths", "/a", "post")]


def test_new_operations_and_webhooks_count_removed_ones_do_not() -> None:
    def change(d: dict[str, Any]) -> None:
        d["paths"]["/c"] = {"put": {"responses": {"200": {"description": "ok"}}}}
        d["webhooks"]["ping"]["post"]["summary"] = "pinged"
        del d["paths"]["/b"]

    before, after = edited(change)
    assert changed_operations(before, after) == [("paths", "/c", "put"), ("webhooks", "ping", "post")]
    shown = focus_document(after, changed_operations(before, after))
    assert shown is not None and set(shown["spec"]["webhooks"]) == {"ping"}


def test_nothing_changed_nothing_to_show() -> None:
    before, after = edited(lambda d: d["info"].update(description="another introduction"))
    assert changed_operations(before, after) == []
    assert focus_document(after, []) is None


def test_a_ref_outside_the_components_shows_the_whole_reference_only() -> None:
    def change(d: dict[str, Any]) -> None:
        d["paths"]["/b"]["get"]["responses"] = {"200": {"$ref": "#/paths/~1a/post/responses/204"}}

    before, after = edited(change)
    assert focus_document(after, changed_operations(before, after)) is None


def test_at_most_max_shown_operations_the_page_says_how_many_more(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(focus, "MAX_SHOWN", 1)
    before, after = edited(lambda d: d["components"]["schemas"].update(A={"type": "object"}, C={"type": "number"}))
    shown = focus_document(after, changed_operations(before, after))
    assert shown is not None and shown["changed"] == [["GET", "/a"]] and shown["more"] == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(components=5),
        lambda d: d["tags"].append({"name": ["one"]}),
        lambda d: d["x-tagGroups"].append({"name": "odd", "tags": [["one"], {"a": 1}, "one"]}),
    ],
    ids=["components", "tag-name", "tag-group"],
)
def test_a_node_of_the_wrong_type_is_skipped_not_a_crash(change: Any) -> None:
    # a save the preview serves may be malformed: 'int' object has no attribute 'items', unhashable type: 'list'
    before, after = edited(lambda d: d["paths"]["/a"]["get"].update(summary="new"))
    change(after)
    changed = changed_operations(before, after)
    assert ("paths", "/a", "get") in changed
    focus_document(after, changed)


def test_discriminator_mappings_are_followed() -> None:
    document = spec()
    document["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Pet"
    }
    shown = focus_document(document, [("paths", "/a", "get")])
    assert shown is not None and set(shown["spec"]["components"]["schemas"]) == {"Pet", "C"}


# ------------------------------------------------------------------ serve keeps it for big specs only


def test_serve_keeps_the_part_an_edit_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(focus, "MIN_OPERATIONS", 1)
    root = petstore(tmp_path)
    preview = Preview(load_settings(spec=root), lambda snapshot, _: None)
    assert FOCUS_PATH not in preview.snapshot.files  # the first build: nothing to compare with
    rename_pets(root, "List all pets", "List every pet")
    preview.rebuild()
    status, headers, body = respond(preview, FOCUS_PATH)
    assert status == 200 and headers["X-Atlas-Build"] == "2" and headers["Content-Type"].startswith("application/json")
    shown = json.loads(body)
    assert (
        shown["changed"] == [["GET", "/pets"]] and shown["spec"]["paths"]["/pets"]["get"]["summary"] == "List every pet"
    )
    preview.rebuild()  # nothing changed since
    assert respond(preview, FOCUS_PATH)[0] == 404


def test_what_changed_is_published_before_the_page_s_copy_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(focus, "MIN_OPERATIONS", 1)
    root = petstore(tmp_path)
    preview = Preview(load_settings(spec=root), lambda snapshot, _: None)
    published: list[Snapshot] = []
    swap = preview.publish
    preview.publish = lambda snapshot: (published.append(snapshot), swap(snapshot))  # type: ignore[method-assign]
    rename_pets(root, "List all pets", "List every pet")
    preview.rebuild()
    early, first = published[:2]
    assert set(early.files) == {FOCUS_PATH} and early.build == first.build == 2 and early.checking
    assert {"/v1/docs", "/v1/openapi.json", PAGE_SPEC} <= early.pending  # asked for meanwhile: they wait
    assert early.shell and early.shell == first.shell  # one event for the page, at the early one
    assert first.files[FOCUS_PATH] == early.files[FOCUS_PATH] and b"List every pet" in first.files[PAGE_SPEC]


def test_a_small_spec_renders_whole_at_once(tmp_path: Path) -> None:
    root = petstore(tmp_path)
    preview = Preview(load_settings(spec=root), lambda snapshot, _: None)
    rename_pets(root, "List all pets", "List every pet")
    snapshot: Snapshot = preview.rebuild()
    assert FOCUS_PATH not in snapshot.files and b"List every pet" in snapshot.files["/v1/openapi.json"]


# ------------------------------------------------------------------ the page in chromium


@pytest.mark.external
@pytest.mark.slow
def test_the_page_shows_the_changed_operations_first_then_the_whole_reference(
    tmp_path: Path, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(focus, "MIN_OPERATIONS", 1)
    root = petstore(tmp_path)
    redoc_js = node_package_file("redoc", "bundles", "redoc.standalone.js")
    config = tmp_path / "spec" / "pyproject.toml"
    config.write_text(f'[tool.atlas-spec]\nspec = "openapi.yaml"\n[tool.atlas-spec.docs]\nredoc-js = "{redoc_js}"\n')
    preview = Preview(load_settings(config_file=config), lambda snapshot, seconds: None)
    server = make_server(preview, 0)
    threads = [threading.Thread(target=server.serve_forever, daemon=True), threading.Thread(target=preview.watch)]
    for thread in threads:
        thread.start()
    try:
        browser.goto(f"http://127.0.0.1:{server.server_port}/v1/docs", timeout=60)
        browser.wait_for("document.documentElement.getAttribute('data-atlas-checked') === '1'", timeout=60)
        # what the focused view showed, recorded as it is shown (the whole reference replaces it moments later)
        browser.evaluate(
            "new MutationObserver(function () { var view = document.getElementById('atlas-focus');"
            " if (view && !view.hidden) { window.focusNote = view.firstChild.textContent;"
            " window.focusText = view.innerText; } })"
            ".observe(document.documentElement, {attributes: true, attributeFilter: ['data-atlas-focus']})"
        )
        rename_pets(root, "List all pets", "List every pet")
        browser.wait_for("document.documentElement.getAttribute('data-atlas-build') === '2'", timeout=60)
        assert browser.evaluate("document.documentElement.getAttribute('data-atlas-focus')") == "2"
        marks = browser.evaluate(
            "['atlas-focus-2', 'atlas-build-2']"
            ".map(function (name) { return performance.getEntriesByName(name)[0].startTime; })"
        )
        assert marks[0] < marks[1]  # the changed operation first, then the whole reference
        assert browser.evaluate("window.focusNote").startswith("This save changed GET /pets")
        focused = browser.evaluate("window.focusText")
        assert "List every pet" in focused and "Create a pet" not in focused  # only what changed
        whole = browser.evaluate("document.getElementById('redoc').innerText")
        assert "List every pet" in whole and "Create a pet" in whole
        assert browser.evaluate("document.getElementById('atlas-focus').hidden") is True
    finally:
        preview.stopped.set()
        server.shutdown()
        server.server_close()
        threads[1].join(10)
    assert browser.record.dialogs == [] and not [e for e in browser.record.console_errors if "exception" in e]


def test_operations_edited_themselves_come_before_those_reaching_an_edit() -> None:
    def change(d: dict[str, Any]) -> None:
        d["components"]["schemas"]["B"]["format"] = "email"  # reached by GET /a
        d["paths"]["/b"]["get"]["summary"] = "edited"

    before, after = edited(change)
    assert changed_operations(before, after) == [("paths", "/b", "get"), ("paths", "/a", "get")]


def test_a_tag_s_text_reaches_its_operations() -> None:
    before, after = edited(lambda d: d["tags"][2].update(description="the third"))
    changed = changed_operations(before, after)
    assert changed == [("paths", "/b", "get")]
    shown = focus_document(after, changed)
    assert shown is not None and shown["spec"]["tags"] == [{"name": "three", "description": "the third"}]


def test_an_introduction_edit_shows_the_introduction_alone() -> None:
    before, after = edited(lambda d: d["info"].update(description="a new introduction"))
    assert changed_operations(before, after) == []
    shown = focus_document(after, [], introduction=True)
    assert shown is not None and shown["changed"] == [] and shown["spec"]["paths"] == {}
    assert shown["spec"]["info"]["description"] == "a new introduction"
    assert shown["spec"]["components"] == {"securitySchemes": after["components"]["securitySchemes"]}


def test_refs_kept_between_builds_give_the_same_answers_and_only_the_last_build_s() -> None:
    cache = focus.RefCache()
    before = spec()
    for change in (
        lambda d: d["components"]["schemas"]["B"].update(format="email"),
        lambda d: d["components"]["schemas"]["C"].update(minimum=1),
        lambda d: d["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"].update(schema={"$ref": C}),
        lambda d: d["components"]["schemas"]["C"].update(minimum=2),
    ):
        after = copy.deepcopy(before)
        change(after)
        # unchanged parts handed over as the same objects, as the bundle's memo does
        for name, schema in before["components"]["schemas"].items():
            if after["components"]["schemas"][name] == schema:
                after["components"]["schemas"][name] = schema
        assert changed_operations(before, after, cache) == changed_operations(before, after)
        walked = {id(node) for node, _ in cache.known.values()}
        components = sum(len(members) for members in after["components"].values())
        assert len(walked) == len(cache.known) <= len(focus.operations(after)) + components
        before = after
