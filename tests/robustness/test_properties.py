"""Properties that must hold for any input (hypothesis, bounded examples):

- a document split into random modular files bundles back to an equivalent document;
- bundling is idempotent: bundle(bundle(x)) == bundle(x);
- ``diff X X`` is empty, and so is the diff between a modular tree and the document it was split from;
- a random single mutation from the diff rule catalogue is reported under that rule;
- every generated Postman collection validates against the official v2.1.0 JSON Schema.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.artefacts.postman import collection as postman_collection
from generators.bundle.bundler import bundle_spec
from generators.core.settings import Settings
from generators.diff import diff_documents
from tests.conftest import REPO, shared_path
from tests.foundation.semantic import Comparer

from .modular import Layout, split, write

EXAMPLES = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
FOLDERS = ["", "schemas", "components/a", "components/a/b", "shared", "x/y/z"]
TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def atlas() -> dict[str, Any]:
    """The project's own spec, bundled: 3.1, 190 components, 78 operations, webhooks."""
    return bundle_spec(REPO / "spec" / "openapi.yaml").document


def _layouts(document: dict[str, Any]) -> st.SearchStrategy[Layout]:
    components = [(kind, name) for kind, members in document["components"].items() for name in members]
    paths = list(document["paths"])

    @st.composite
    def layout(draw: st.DrawFn) -> Layout:
        result = Layout()
        chosen = draw(st.lists(st.sampled_from(components), unique=True, max_size=len(components)))
        for index, (kind, name) in enumerate(chosen):
            folder = draw(st.sampled_from(FOLDERS))
            ext = draw(st.sampled_from(["yaml", "json"]))
            file = f"{folder}/{kind}-{index}.{ext}".lstrip("/")
            result.components[kind, name] = file
            if ext == "json":
                result.as_json.add(file)
        for index, path in enumerate(draw(st.lists(st.sampled_from(paths), unique=True, max_size=12))):
            result.paths[path] = f"{draw(st.sampled_from(['paths', 'p/q', '']))}/path-{index}.yaml".lstrip("/")
        return result

    return layout()


def _equivalent(bundled: dict[str, Any], original: dict[str, Any]) -> list[str]:
    comparer = Comparer(bundled, original)
    for key in original:
        if key != "components":
            comparer.equal(bundled.get(key), original[key], f"#/{key}")
    for kind, members in original.get("components", {}).items():
        for name, value in members.items():
            comparer.equal(bundled["components"][kind].get(name), value, f"#/components/{kind}/{name}")
    return comparer.differences


def test_split_then_bundle_gives_an_equivalent_document_and_bundling_is_idempotent(atlas: dict[str, Any]) -> None:
    @EXAMPLES
    @given(layout=_layouts(atlas))
    def check(layout: Layout) -> None:
        folder = Path(tempfile.mkdtemp(prefix="atlas-split-"))
        try:
            root = write(folder, split(atlas, layout), layout)
            bundled = bundle_spec(root).document
            assert _equivalent(bundled, atlas) == []
            assert diff_documents(atlas, bundled, today=TODAY).changes == []
            again = folder / "again.json"
            again.write_text(json.dumps(bundled))
            assert bundle_spec(again).document == bundled
        finally:
            shutil.rmtree(folder)

    check()


# ------------------------------------------------------------------------------------------ diff


def _operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    methods = ("get", "put", "post", "delete", "patch")
    return [(path, method) for path, item in document["paths"].items() for method in item if method in methods]


Mutation = Callable[[dict[str, Any], st.DrawFn], None]


def _op(document: dict[str, Any], draw: st.DrawFn, where: Callable[[dict[str, Any]], bool] = lambda op: True) -> Any:
    candidates = [(p, m) for p, m in _operations(document) if where(document["paths"][p][m])]
    path, method = draw(st.sampled_from(candidates))
    return document["paths"][path][method]


def _remove_operation(document: dict[str, Any], draw: st.DrawFn) -> None:
    candidates = [(p, m) for p, m in _operations(document) if not document["paths"][p][m].get("deprecated")]
    path, method = draw(st.sampled_from(candidates))
    del document["paths"][path][method]


def _add_operation(document: dict[str, Any], draw: st.DrawFn) -> None:
    name = draw(st.from_regex(r"[a-z]{3,8}", fullmatch=True))
    document["paths"][f"/zz-{name}"] = {
        "get": {"operationId": f"zz{name}", "responses": {"200": {"description": "ok"}}}
    }


def _add_required_parameter(document: dict[str, Any], draw: st.DrawFn) -> None:
    op = _op(document, draw)
    name = draw(st.from_regex(r"zz[a-z]{2,6}", fullmatch=True))
    op.setdefault("parameters", []).append(
        {"name": name, "in": "query", "required": True, "schema": {"type": "string"}}
    )


def _add_optional_parameter(document: dict[str, Any], draw: st.DrawFn) -> None:
    op = _op(document, draw)
    name = draw(st.from_regex(r"zz[a-z]{2,6}", fullmatch=True))
    op.setdefault("parameters", []).append({"name": name, "in": "query", "schema": {"type": "string"}})


def _change_summary(document: dict[str, Any], draw: st.DrawFn) -> None:
    op = _op(document, draw)
    op["summary"] = str(op.get("summary", "")) + " " + draw(st.text("abcdefgh ", min_size=1, max_size=10)) + "!"


def _change_operation_id(document: dict[str, Any], draw: st.DrawFn) -> None:
    op = _op(document, draw, lambda op: "operationId" in op)
    op["operationId"] += draw(st.from_regex(r"[A-Z][a-z]{1,5}", fullmatch=True))


def _errors(op: dict[str, Any]) -> list[str]:
    return sorted(code for code in op.get("responses", {}) if code[:1] in "45")


def _remove_error_status(document: dict[str, Any], draw: st.DrawFn) -> None:
    op = _op(document, draw, lambda op: bool(_errors(op)))
    del op["responses"][draw(st.sampled_from(_errors(op)))]


def _add_status(document: dict[str, Any], draw: st.DrawFn) -> None:
    op = _op(document, draw, lambda op: "418" not in op.get("responses", {}))
    op["responses"]["418"] = {"description": "teapot"}


def _add_tag(document: dict[str, Any], draw: st.DrawFn) -> None:
    document["tags"].append({"name": "Zz " + draw(st.from_regex(r"[a-z]{3,8}", fullmatch=True))})


def _change_title(document: dict[str, Any], draw: st.DrawFn) -> None:
    document["info"]["title"] += " " + draw(st.from_regex(r"[a-z]{1,8}", fullmatch=True))


def _deprecate_operation(document: dict[str, Any], draw: st.DrawFn) -> None:
    _op(document, draw, lambda op: not op.get("deprecated"))["deprecated"] = True


MUTATIONS: dict[str, Mutation] = {
    "operation-removed": _remove_operation,
    "operation-added": _add_operation,
    "request-parameter-added-required": _add_required_parameter,
    "request-parameter-added-optional": _add_optional_parameter,
    "operation-summary-changed": _change_summary,
    "operation-id-changed": _change_operation_id,
    "response-error-status-removed": _remove_error_status,
    "response-status-added": _add_status,
    "tag-added": _add_tag,
    "info-title-changed": _change_title,
    "operation-deprecated": _deprecate_operation,
}


def test_diff_of_a_document_with_itself_is_empty(atlas: dict[str, Any]) -> None:
    assert diff_documents(atlas, copy.deepcopy(atlas), today=TODAY).changes == []


def test_every_mutation_rule_exists_in_the_catalogue() -> None:
    from generators.diff.rules import RULES

    assert set(MUTATIONS) <= set(RULES), set(MUTATIONS) - set(RULES)


def test_a_random_single_mutation_is_reported_under_its_rule(atlas: dict[str, Any]) -> None:
    @EXAMPLES
    @given(data=st.data(), rule=st.sampled_from(sorted(MUTATIONS)))
    def check(data: st.DataObject, rule: str) -> None:
        revision = copy.deepcopy(atlas)
        MUTATIONS[rule](revision, data.draw)
        rules = {change.rule for change in diff_documents(atlas, revision, today=TODAY).changes}
        assert rule in rules, (rule, rules)
        assert diff_documents(revision, copy.deepcopy(revision), today=TODAY).changes == []

    check()


# ------------------------------------------------------------------------------------------ postman


@pytest.fixture(scope="module")
def postman_schema() -> dict[str, Any]:
    return json.loads(shared_path("schemas", "postman-collection-v2.1.0.schema.json").read_text())


def _postman_settings(folder: Path, options: dict[str, str]) -> Settings:
    return Settings(spec=folder / "openapi.yaml", out_dir=folder, project_dir=folder, name="x", postman=options)


def test_every_generated_collection_validates_against_the_postman_schema(
    atlas: dict[str, Any], postman_schema: dict[str, Any], tmp_path: Path
) -> None:
    validator = jsonschema.Draft7Validator(postman_schema)

    @EXAMPLES
    @given(
        data=st.data(),
        rule=st.sampled_from(sorted(MUTATIONS)),
        folders=st.sampled_from(["tags", "paths"]),
        params=st.sampled_from(["example", "schema"]),
    )
    def check(data: st.DataObject, rule: str, folders: str, params: str) -> None:
        document = copy.deepcopy(atlas)
        MUTATIONS[rule](document, data.draw)
        settings_ = _postman_settings(tmp_path, {"folders": folders, "params": params})
        collection = json.loads(postman_collection.generate(document, settings_).content)
        errors = sorted(validator.iter_errors(collection), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]

    check()
