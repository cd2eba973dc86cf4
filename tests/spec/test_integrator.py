"""What issue 16 made the Atlas description promise integrators, asserted on the bundled spec.

One retry ladder (the docs page's), an error catalogue every problem example uses, one coherent example story
(distinct events whose times match their payloads, PATCH answers that echo their requests, one request id per
example), Location and links on creates, and a dated deprecation. The house lint rules hold most of it too;
these tests hold the parts a rule cannot (the docs page, the story) and the lint run itself.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from generators.lint import LintConfig, fast_locators, lint_document
from tests.conftest import shared_path
from tests.spec.atlas_spec import bundled, operations, resolve

DOC = bundled().document
OPS = list(operations("paths"))
BY_ID = {op["operationId"]: (path, method, op) for path, method, op in OPS}
WEBHOOK_LADDER = "1s 5s 25s 2m 10m 1h, capped at 24h total"


def _examples(holder: dict[str, Any]) -> dict[str, Any]:
    return {name: resolve(DOC, e)[0]["value"] for name, e in holder.get("examples", {}).items()}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_description_lints_clean_with_the_house_rules() -> None:
    spec = bundled()
    found = lint_document(spec.document, LintConfig(house_rules=True), *fast_locators(spec))
    assert [f"{d.code} {d.location}" for d in found] == []


def test_the_retry_ladders_are_the_docs_pages() -> None:
    page = _flat(shared_path("seed", "000_4cba51cabd7594ce.txt").read_text(encoding="utf-8"))
    ladders = DOC["x-retry-ladders"]
    assert ladders == {"webhook-deliveries": WEBHOOK_LADDER, "server-errors": "300ms 800ms 2s"}
    assert all(ladder in page for ladder in ladders.values())
    assert WEBHOOK_LADDER in _flat(DOC["info"]["description"])  # stated once, in the introduction
    assert "then hourly" not in _flat(str(DOC))


def test_every_problem_type_is_catalogued_once_and_used() -> None:
    catalogue = {entry["type"]: entry for entry in DOC["x-problem-types"]}
    assert len(catalogue) == len(DOC["x-problem-types"])
    assert all(set(e) == {"type", "title", "status", "when", "action"} for e in catalogue.values())
    used: dict[str, set[str]] = {}
    for _, _, op in OPS:
        for status, response in op["responses"].items():
            if status[0] not in "45":
                continue
            for name, value in _examples(resolve(DOC, response)[0]["content"]["application/problem+json"]).items():
                entry = catalogue[value["type"]]
                assert (value["title"], value["status"]) == (entry["title"], entry["status"]), name
                used.setdefault(value["type"], set()).add(op["operationId"])
    assert set(used) == set(catalogue)
    role_ops = {"updateTaskComment", "deleteTaskComment", "approveTimeOffRequest", "rejectTimeOffRequest"}
    assert used["https://api.atlas-todo.com/errors/role-required"] == role_ops | {"cancelTimeOffRequest"}


FORBIDDEN = [o for o in OPS if "403" in o[2]["responses"]]


@pytest.mark.parametrize(("path", "method", "op"), FORBIDDEN, ids=[o[2]["operationId"] for o in FORBIDDEN])
def test_a_403_example_names_a_scope_the_operation_needs(path: str, method: str, op: dict[str, Any]) -> None:
    examples = _examples(op["responses"]["403"]["content"]["application/problem+json"])
    assert examples["insufficientScope"]["missingScope"] in op["x-required-scopes"]
    templated = re.sub(r"\{[^}]+\}", "[^/]+", path)
    for name in ("insufficientScope", "roleRequired"):
        if name in examples:
            assert re.fullmatch(templated, examples[name]["instance"]), examples[name]["instance"]


def test_each_problem_example_has_its_own_request_id() -> None:
    seen: dict[str, str] = {}
    for _, _, op in OPS:
        for status, response in op["responses"].items():
            if status[0] not in "45" or "$ref" in response:
                continue
            for name, example in response["content"]["application/problem+json"]["examples"].items():
                if "$ref" in example:
                    continue
                request_id = example["value"]["requestId"]
                assert request_id not in seen, f"{op['operationId']} {status} {name} repeats {seen.get(request_id)}"
                seen[request_id] = f"{op['operationId']} {status} {name}"


def _event(name: str) -> dict[str, Any]:
    body = DOC["webhooks"][name]["post"]["requestBody"]["content"]["application/json"]
    (value,) = _examples(body).values()
    return value


@pytest.mark.parametrize("name", sorted(DOC["webhooks"]))
def test_a_webhook_event_happened_when_its_payload_changed(name: str) -> None:
    event = _event(name)
    objects = [v for v in event["data"].values() if isinstance(v, dict)]
    for thing in objects:
        assert event["createdAt"] == thing["updatedAt"], (name, event["createdAt"], thing["updatedAt"])
    assert sum(_event(other)["id"] == event["id"] for other in DOC["webhooks"]) == 1


@pytest.mark.parametrize("op_id", sorted(i for i, (_, m, _) in BY_ID.items() if m == "patch"))
def test_a_patch_answer_echoes_its_request(op_id: str) -> None:
    _, _, op = BY_ID[op_id]
    request = next(iter(_examples(op["requestBody"]["content"]["application/json"]).values()))
    answer = next(iter(_examples(op["responses"]["200"]["content"]["application/json"]).values()))
    assert {k: answer[k] for k in request} == request


@pytest.mark.parametrize("op_id", sorted(i for i, (_, _, op) in BY_ID.items() if "201" in op["responses"]))
def test_a_201_says_where_the_new_resource_is(op_id: str) -> None:
    path, _, op = BY_ID[op_id]
    created = op["responses"]["201"]
    location = created["headers"]["Location"]
    assert location["required"] is True and location["schema"]["format"] == "uri-reference"
    assert re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", path) + "/[^/]+", location["example"]), location["example"]
    answer = next(iter(_examples(created["content"]["application/json"]).values()))
    assert answer.get("id", answer.get("userId", answer.get("dependsOnTaskId"))) in location["example"]
    for link in created.get("links", {}).values():
        target = BY_ID[link["operationId"]]
        assert target[1] == "get" and link["parameters"] == {
            re.findall(r"\{(\w+)\}", target[0])[-1]: "$response.body#/id"
        }


@pytest.mark.parametrize("op_id", sorted(i for i in BY_ID if i.startswith("list")))
def test_a_list_links_its_next_page(op_id: str) -> None:
    path, _, op = BY_ID[op_id]
    link = op["responses"]["200"]["links"]["nextPage"]
    assert link["operationId"] == op_id
    expected = {"cursor": "$response.body#/nextCursor"}
    expected.update({p: f"$request.path.{p}" for p in re.findall(r"\{(\w+)\}", path)})
    assert link["parameters"] == expected


def test_deprecated_operations_say_when_and_what_instead() -> None:
    deprecated = [op for _, _, op in OPS if op.get("deprecated")]
    assert [op["operationId"] for op in deprecated] == ["completeTask"]
    for op in deprecated:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", op["x-sunset"])
        assert op["x-replaced-by"] in BY_ID
        assert {"Deprecation", "Sunset"} <= set(op["responses"]["200"]["headers"])
        assert op["responses"]["200"]["links"]["replacement"]["operationId"] == op["x-replaced-by"]


def test_a_server_for_self_hosted_and_sandbox_installs() -> None:
    production, own = DOC["servers"]
    assert production["url"] == "https://api-atlas.wrxstack.com"
    assert own["url"] == "https://{host}" and own["variables"]["host"]["default"]


def test_no_text_mentions_a_method_no_route_has() -> None:
    methods = {m.upper() for _, m, _ in OPS}
    texts = [DOC["info"]["description"], *(op["description"] for _, _, op in OPS)]
    texts += [s.get("description", "") for s in DOC["components"]["schemas"].values()]
    for verb in {"PUT", "HEAD", "OPTIONS", "TRACE"} - methods:
        assert not any(re.search(rf"`?\b{verb}\b`?", t) for t in texts), verb


def test_the_document_example_shows_the_documents_version() -> None:
    _, _, op = BY_ID["getOpenApiDocument"]
    (example,) = _examples(op["responses"]["200"]["content"]["application/json"]).values()
    assert example["info"]["version"] == DOC["info"]["version"]
