"""The catch-all: every difference no rule claims is an ``other-change``; equivalent spellings stay silent."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.diff import Level, diff_documents
from tests.diff.builders import operation, request_schema, response_schema, spec

TODAY = date(2025, 6, 1)
ROOT = Path(__file__).resolve().parents[2]
S = {"type": "string"}
BASE = operation(
    "/tasks/{id}",
    responses={
        "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/T"}}}}
    },
    item={"servers": [{"url": "https://a.example"}]},
)
BASE["components"] = {
    "schemas": {"T": {"type": "object", "properties": {"name": S}}},
    "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
}
BASE["servers"] = [{"url": "https://api.example/v1"}]
BASE["tags"] = [{"name": "tasks"}]


def _changes(base: Any, revision: Any) -> list[tuple[str, str, str]]:
    return [(c.rule, c.json_path, c.message) for c in diff_documents(base, revision, today=TODAY).changes]


def _edited(path: tuple[str | int, ...], key: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    node: Any = doc
    for token in path:
        node = node[token]
    node[key] = value
    return doc


OP = ("paths", "/tasks/{id}", "get")
SCHEMA = ("components", "schemas", "T")
PLACES = {
    "document": (),
    "info": ("info",),
    "path item": ("paths", "/tasks/{id}"),
    "operation": OP,
    "parameter": (*OP[:2], "parameters", 0),
    "response": (*OP, "responses", "200"),
    "media type": (*OP, "responses", "200", "content", "application/json"),
    "schema": SCHEMA,
    "property": (*SCHEMA, "properties", "name"),
    "server": ("servers", 0),
    "path server": (*OP[:2], "servers", 0),
    "tag": ("tags", 0),
    "security scheme": ("components", "securitySchemes", "key"),
}


@pytest.mark.parametrize("place", sorted(PLACES))
def test_an_extension_added_anywhere_is_reported(place: str) -> None:
    found = _changes(BASE, _edited(PLACES[place], "x-internal-note", "n"))
    assert [(rule, path.rsplit("/", 1)[-1]) for rule, path, _ in found] == [("other-change", "x-internal-note")]


@pytest.mark.parametrize("place", sorted(PLACES))
def test_an_extension_changed_anywhere_is_reported(place: str) -> None:
    base = _edited(PLACES[place], "x-logo", {"url": "https://a.example/logo.png"})
    revision = _edited(PLACES[place], "x-logo", {"url": "https://b.example/logo.png"})
    found = _changes(base, revision)
    assert len(found) == 1 and found[0][0] == "other-change" and found[0][1].endswith("/x-logo/url"), found
    assert "a.example/logo.png" in found[0][2] and "b.example/logo.png" in found[0][2]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ((("info",), "summary", "s"), "other-change"),
        ((("info", "license"), "identifier", "MIT"), "info-license-changed"),
        ((("info",), "description", "d"), "info-description-changed"),
        (((), "externalDocs", {"url": "https://d.example"}), "external-docs-changed"),
        (((*OP,), "externalDocs", {"url": "https://d.example"}), "operation-external-docs-changed"),
        ((("servers", 0), "description", "EU"), "other-change"),
        ((("servers", 0), "url", "https://api.example/v2"), "server-url-changed"),
        ((OP[:2], "servers", [{"url": "https://b.example"}]), "server-url-changed"),
        ((OP, "servers", [{"url": "https://op.example"}]), "server-url-changed"),
    ],
)
def test_info_external_docs_and_servers_are_reported(edit: tuple[Any, str, Any], expected: str) -> None:
    path, key, value = edit
    base = copy.deepcopy(BASE)
    base["info"]["license"] = {"name": "MIT"}
    revision = copy.deepcopy(base)
    node: Any = revision
    for token in path:
        node = node[token]
    node[key] = value
    assert expected in {rule for rule, _, _ in _changes(base, revision)}


def test_claimed_differences_are_not_repeated() -> None:
    revision = _edited(SCHEMA, "required", ["name"])
    assert [rule for rule, _, _ in _changes(BASE, revision)] == ["response-property-became-required"]


@pytest.mark.parametrize(
    ("base", "revision"),
    [
        (response_schema({"type": "string", "nullable": True}), response_schema({"type": ["string", "null"]})),
        (response_schema({"type": ["string", "null"]}), response_schema({"anyOf": [S, {"type": "null"}]})),
        (response_schema({"type": "string", "nullable": True}), response_schema({"oneOf": [S, {"type": "null"}]})),
        (response_schema({"const": "a"}), response_schema({"enum": ["a"]})),
        (
            request_schema({"type": "integer", "minimum": 1, "exclusiveMinimum": True}),
            request_schema({"type": "integer", "exclusiveMinimum": 1}),
        ),
        (
            response_schema({"type": "object", "properties": {"a": S, "b": S}, "required": ["a"]}),
            response_schema(
                {"allOf": [{"type": "object", "properties": {"a": S}, "required": ["a"]}, {"properties": {"b": S}}]}
            ),
        ),
        (
            response_schema({"type": "object", "properties": {"a": S}}),
            response_schema(
                {"$ref": "#/components/schemas/A"},
                components={"schemas": {"A": {"type": "object", "properties": {"a": S}}}},
            ),
        ),
        (response_schema({"enum": ["a", "b"], "required": []}), response_schema({"enum": ["b", "a"], "required": []})),
        ({**spec(), "x-webhooks": {}}, {**spec(), "webhooks": {}}),
    ],
)
def test_equivalent_spellings_stay_silent(base: Any, revision: Any) -> None:
    assert _changes(base, revision) == []


def test_diff_x_x_is_empty() -> None:
    doc = _atlas()
    assert _changes(doc, copy.deepcopy(doc)) == []


# Property: any single edit of a real description is reported. The edits change what the document says:
# a text value replaced, a boolean flipped, a number moved, an extension added to an object. Edits the catch-all
# ignores on purpose are not drawn: entries added to a components map (they matter through their uses) and
# info.version (the release number, judged by `version --check`).


def _atlas() -> dict[str, Any]:
    from generators.bundle.bundler import bundle_spec

    return bundle_spec(ROOT / "spec" / "openapi.yaml").document  # type: ignore[no-any-return]


_DOC = None


def _document() -> dict[str, Any]:
    global _DOC
    if _DOC is None:
        _DOC = _atlas()
    return _DOC


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*path, index))
    return found


def _edit(doc: dict[str, Any], path: tuple[Any, ...]) -> bool:
    """Apply one meaningful edit at ``path``; False when there is none to make there."""
    if path in (("info", "version"),) or (len(path) == 2 and path[0] == "components"):
        return False
    parent: Any = doc
    for token in path[:-1]:
        parent = parent[token]
    node = parent[path[-1]] if path else doc
    if isinstance(node, dict):
        node["x-edited"] = True
    elif isinstance(node, bool):
        parent[path[-1]] = not node
    elif isinstance(node, (int, float)):
        parent[path[-1]] = node + 7
    elif isinstance(node, str):
        parent[path[-1]] = node + " (edited)"
    else:
        return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_single_edit_of_a_real_description_is_reported(data: st.DataObject) -> None:
    base = _document()
    places = _places(base)
    path = places[data.draw(st.integers(0, len(places) - 1), label="place")]
    revision = copy.deepcopy(base)
    if not _edit(revision, path):
        return
    report = diff_documents(base, revision, today=TODAY)
    assert report.changes, f"an edit at {path} was not reported"
    assert all(c.level in Level for c in report.changes)


def test_an_entry_added_to_a_keyed_list_is_named_by_its_list_not_its_index() -> None:
    from generators.diff.catchall import other_changes
    from generators.diff.resolve import Resolver

    one = {"openapi": "3.1.0", "servers": [{"url": "https://a.example"}]}
    two = {"openapi": "3.1.0", "servers": [{"url": "https://a.example"}, {"url": "https://b.example"}]}
    told = [
        (raw.finding.path, dict(raw.finding.args)["value"]) for raw in other_changes(Resolver(one), Resolver(two), [])
    ]
    assert told == [(("servers", "1"), "servers entry https://b.example added")]  # was "1 added"
    told = [
        (raw.finding.path, dict(raw.finding.args)["value"]) for raw in other_changes(Resolver(two), Resolver(one), [])
    ]
    assert told == [(("servers",), "servers entry https://b.example removed")]


@pytest.mark.parametrize(
    ("before", "after", "told"),
    [
        (None, True, [("/components/x-edited", "x-edited added: true")]),
        (True, None, [("/components/x-edited", "x-edited removed")]),
        ({"a": 1}, {"a": 2}, [("/components/x-edited/a", "a changed from 1 to 2")]),
    ],
)
def test_an_extension_of_the_components_object_is_a_change(before: Any, after: Any, told: list[Any]) -> None:
    # components come and go silently (their uses are compared); an x- key beside them is no component
    # (found by test_any_single_edit_of_a_real_description_is_reported drawing ('components',))
    base, revision = copy.deepcopy(BASE), copy.deepcopy(BASE)
    for doc, value in ((base, before), (revision, after)):
        if value is not None:
            doc["components"]["x-edited"] = value
    assert [(path, message) for _, path, message in _changes(base, revision)] == told


@pytest.mark.parametrize(
    ("before", "after", "told"),
    [
        ([{"name": "A"}], [{"name": "A"}, {"name": "B"}], ("/x-tagGroups/1", 'x-tagGroups[1] added: {"name": "B"}')),
        ([{"name": "A"}, {"name": "B"}], [{"name": "A"}], ("/x-tagGroups/1", "x-tagGroups[1] removed")),
        ([{"tags": ["a"]}], [{"tags": ["a", "b"]}], ("/x-tagGroups/0/tags/1", 'tags[1] added: "b"')),
        ([{"tags": ["a"]}], [{"tags": ["c"]}], ("/x-tagGroups/0/tags/0", 'tags[0] changed from "a" to "c"')),
    ],
)
def test_an_entry_of_an_extension_list_is_named_with_its_list(before: Any, after: Any, told: Any) -> None:
    # deepdiff names a list entry by its index alone: "1 added: ..." read as a count (x-tagGroups on lob)
    base, revision = copy.deepcopy(BASE), copy.deepcopy(BASE)
    base["x-tagGroups"], revision["x-tagGroups"] = before, after
    assert [(path, message) for _, path, message in _changes(base, revision)] == [told]


def test_a_root_security_change_told_per_operation_is_not_told_again() -> None:
    # before: "other-change: security removed" at the root besides each operation's security-removed
    base = copy.deepcopy(BASE)
    base["security"] = [{"key": []}]
    revision = copy.deepcopy(base)
    del revision["security"]
    assert {rule for rule, _, _ in _changes(base, revision)} == {"security-removed"}
    # every operation has its own list: the root's change reaches none, and is still told
    for doc in (base, revision):
        doc["paths"]["/tasks/{id}"]["get"]["security"] = [{"key": []}]
    assert [(rule, path) for rule, path, _ in _changes(base, revision)] == [("other-change", "/security")]
