"""Every example written in spec/ validates against its schema (JSON Schema 2020-12, formats checked).

The spec is bundled with our own bundler; each example (schema ``example``/``examples``, media type
``example``/``examples``, parameter and header examples, component examples where they are used) is one case.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.spec.atlas_spec import ExampleCase, bundled, validator_for, walk

CASES = walk().cases


def _errors(case: ExampleCase, strict: bool = False) -> list[str]:
    validator = validator_for(case.schema_pointer, strict)
    errors = sorted(validator.iter_errors(case.value), key=lambda e: list(e.path))
    return [f"at /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_example_is_valid(case: ExampleCase) -> None:
    errors = _errors(case)
    if errors:
        where = bundled().locate(case.example_pointer)
        pytest.fail(f"example written at {where} is invalid against {case.schema_pointer}:\n" + "\n".join(errors))
    undeclared = _errors(case, strict=True)
    if undeclared:
        where = bundled().locate(case.example_pointer)
        pytest.fail(f"example written at {where} has members its schema does not declare:\n" + "\n".join(undeclared))


def test_walk_reaches_every_kind_of_example() -> None:
    labels = [c.label for c in CASES]
    assert len(CASES) >= 150, f"only {len(CASES)} examples found: is the walk missing a section?"
    assert any(" request application/json [" in label for label in labels)  # request bodies
    assert any(label.startswith("createTask 201 application/json [") for label in labels)  # responses
    assert any(label.startswith("listTasks parameter status example") for label in labels)  # parameters
    assert any(label.startswith("header RetryAfter example") for label in labels)  # headers
    assert any(label.startswith("schema FieldError.path examples[0]") for label in labels)  # schema examples
    assert any(label.startswith("getTask 403 application/problem+json [patIpBlocked]") for label in labels)
    assert any(label.startswith("taskCreatedWebhook request application/json [") for label in labels)  # webhooks


def test_every_component_example_is_validated_where_it_is_used() -> None:
    declared = {f"/components/examples/{name}" for name in bundled().document["components"]["examples"]}
    assert declared - walk().used_component_examples == set()


def test_case_ids_are_unique() -> None:
    labels = [c.label for c in CASES]
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize(
    ("label", "mutate", "expected"),
    [
        ("createTask request application/json [reviewForecast]", lambda v: v.update(priority="CRITICAL"), "CRITICAL"),
        ("getTask 200 application/json [task]", lambda v: v.update(dueOn="1 May 2026"), "date-time"),
        ("getTask 200 application/json [task]", lambda v: v.update(assigneeId="user-42"), "not valid under any"),
        ("listTasks 200 application/json [page]", lambda v: v.pop("nextCursor"), "nextCursor"),
        ("listTasks 403 application/problem+json [insufficientScope]", lambda v: v.update(status="403"), "403"),
        (
            "taskDeletedWebhook request application/json [taskDeleted]",
            lambda v: v.update(type="task.created"),
            "task.deleted",
        ),
    ],
)
def test_a_broken_example_is_caught(label: str, mutate: Callable[[Any], object], expected: str) -> None:
    """The validation above can fail: a wrong enum, format, pattern, missing member or const is reported."""
    case = next(c for c in CASES if c.label == label)
    value = copy.deepcopy(case.value)
    mutate(value)
    errors = _errors(ExampleCase(case.label, value, case.schema_pointer, case.example_pointer))
    assert errors, f"mutated example {label} still validates"
    assert expected in "\n".join(errors), errors


@pytest.mark.parametrize(
    ("label", "mutate"),
    [
        ("getTask 200 application/json [task]", lambda v: v.update(assignee="usr_01HW3TVMXXQKFBF5KZNWJ47TAN")),
        ("listTasks 200 application/json [page]", lambda v: v["items"][1].update(dueDate=None)),
        ("listTasks 403 application/problem+json [insufficientScope]", lambda v: v.update(scope="tasks:write")),
        (
            "contractSignedWebhook request application/json [contractSigned]",
            lambda v: v["data"]["contract"]["signers"][0].update(signed=True),
        ),
    ],
)
def test_an_undeclared_member_is_caught(label: str, mutate: Callable[[Any], object]) -> None:
    """Response schemas are open, but a misspelt member of an example is still reported (strict mode)."""
    case = next(c for c in CASES if c.label == label)
    value = copy.deepcopy(case.value)
    mutate(value)
    broken = ExampleCase(case.label, value, case.schema_pointer, case.example_pointer)
    assert _errors(broken) == []
    assert any("nevaluated" in e for e in _errors(broken, strict=True)), _errors(broken, strict=True)
