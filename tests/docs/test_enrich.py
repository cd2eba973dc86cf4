"""The page's copy of the spec: the facts line per operation and the error catalogue, generic and escaped."""

from __future__ import annotations

from typing import Any

from docs_site import FIXTURES

from generators.artefacts.docs import markdown
from generators.artefacts.docs.enrich import error_catalogue, facts_line, page_copy
from generators.artefacts.operation_facts import operation_facts
from generators.bundle.bundler import bundle_spec
from generators.core.operations import iter_operations
from tests.conftest import REPO


def _spec(**root: Any) -> dict[str, Any]:
    op = {"operationId": "a", "responses": {"200": {"description": "ok"}}}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": op}}, **root}


def test_atlas_operations_get_scopes_rate_class_and_idempotency_lines() -> None:
    copy = page_copy(bundle_spec(REPO / "spec" / "openapi.yaml").document, "atlas-public-api")
    ops = {op["operationId"]: op for _, _, op, _ in iter_operations(copy["paths"])}
    assert all(op["description"].startswith("**Scopes:** ") for op in ops.values())
    assert ops["listTasks"]["description"].startswith(
        "**Scopes:** `tasks:read` · **Rate class:** `read` · **Idempotent:** yes\n\n"
    )
    assert ops["createTask"]["description"].startswith(
        "**Scopes:** `tasks:write` · **Rate class:** `write` · **Idempotent:** with an `Idempotency-Key` header\n\n"
    )


def test_an_api_without_scopes_or_rate_classes_gets_no_line() -> None:
    copy = page_copy(bundle_spec(FIXTURES / "petstore" / "openapi.yaml").document, "petstore")
    assert not any("**Scopes:**" in str(op.get("description")) for _, _, op, _ in iter_operations(copy["paths"]))
    # Scopes named by a security requirement count; an empty x-required-scopes says "none".
    spec = _spec(security=[{"oauth": ["read:a", "write:a"]}])
    (_, method, op, item) = next(iter_operations(spec["paths"]))
    assert (
        facts_line(operation_facts(spec, method, op, item)) == "**Scopes:** `read:a`, `write:a` · **Idempotent:** yes"
    )
    op["x-required-scopes"] = []
    assert facts_line(operation_facts(spec, method, op, item)).startswith("**Scopes:** none")


def test_hostile_scope_names_stay_code_spans() -> None:
    spec = _spec()
    op = spec["paths"]["/a"]["get"]
    op["x-required-scopes"] = ["`<img src=x onerror=alert(1)>`", "a\nb"]
    op["x-ratelimit-class"] = "[x](javascript:alert(1))"
    line = facts_line(operation_facts(spec, "get", op, spec["paths"]["/a"]))
    rendered = markdown.render(line)
    assert "<img" not in rendered and "href" not in rendered and "\n" not in line


PROBLEMS = [
    {
        "type": "https://api.example.com/errors/insufficient-scope",
        "title": "insufficient_scope",
        "status": 403,
        "when": "The token lacks a scope | <script>alert(1)</script>",
        "action": "Mint a token with\nthe scope named in `missingScope`.",
    },
    {"type": "https://api.example.com/errors/rate-limited", "title": "rate_limited", "status": 429},
    "not an object",
]


def test_x_problem_types_become_an_error_catalogue_in_the_description() -> None:
    spec = _spec(**{"x-problem-types": PROBLEMS})
    spec["info"]["description"] = "Intro."
    copy = page_copy(spec, "t")
    description = copy["info"]["description"]
    assert description.startswith("Intro.\n\n## Error catalogue\n")
    assert spec["info"]["description"] == "Intro.", "the bundled spec itself changed"
    html = markdown.render(description)
    assert html.count("<tr>") == 3  # head + two problem types
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<code>https://api.example.com/errors/insufficient-scope</code>" in html
    assert "The token lacks a scope | " in html, "a pipe in a cell stays in its cell"


def test_no_or_empty_problem_types_change_nothing() -> None:
    spec = _spec()
    assert page_copy(spec, "t")["info"] is spec["info"]
    assert error_catalogue([]) == "" and error_catalogue("x") == ""


def test_code_spans_in_problem_types_stay_code() -> None:
    catalogue = error_catalogue([{"status": 400, "title": "bad", "when": "see `errors[]` and <b>", "action": "`a|b`"}])
    html = markdown.render(catalogue)
    assert "<code>errors[]</code>" in html and "&lt;b&gt;" in html and "<code>a|b</code>" in html
