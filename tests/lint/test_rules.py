"""Every lint rule: a failing fixture (one edit of the clean spec) reported at the exact source file:line.

The clean fixture (tests/lint/fixtures/clean, multi-file, every house rule on) is every rule's passing fixture;
each case below breaks it in one place and asserts the rule id and where the finding points, also when the
node was reached through a $ref into another file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generators.bundle.bundler import bundle_spec
from generators.core.diagnostics import Diagnostic
from generators.lint import LintConfig, all_rules, fast_locators, lint_document

FIXTURES = Path(__file__).parent / "fixtures"
ALL_ON = LintConfig(house_rules=True)

# rule id, file to edit, old text, new text, expected "file:line" of the finding
CASES: list[tuple[str, str, str, str, str]] = [
    ("operation-operationId", "paths/task.yaml", "  operationId: getTask\n", "  x-id: getTask\n", "paths/task.yaml:8"),
    (
        "operation-operationId-unique",
        "paths/task.yaml",
        "operationId: getTask",
        "operationId: listTasks",
        "paths/task.yaml:9",
    ),
    (
        "operation-operationId-url-safe",
        "paths/task.yaml",
        "operationId: getTask",
        "operationId: get<Task>",
        "paths/task.yaml:9",
    ),
    ("operation-summary", "paths/task.yaml", "  summary: Get a task", "  description: Get a task", "paths/task.yaml:8"),
    ("operation-tags", "paths/task.yaml", "  tags: [tasks]", "  tags: []", "paths/task.yaml:8"),
    ("operation-tag-defined", "paths/task.yaml", "  tags: [tasks]", "  tags: [task]", "paths/task.yaml:11"),
    (
        "tag-unused",
        "openapi.yaml",
        "    description: Tasks to do.\n",
        "    description: Tasks to do.\n  - name: spare\n    description: Nothing here.\n",
        "openapi.yaml:17",
    ),
    ("tag-description", "openapi.yaml", "    description: Tasks to do.", "    x-note: Tasks to do.", "openapi.yaml:15"),
    ("info-contact", "openapi.yaml", "  contact:", "  x-contact:", "openapi.yaml:2"),
    ("info-license", "openapi.yaml", "  license:", "  x-license:", "openapi.yaml:2"),
    ("no-empty-servers", "openapi.yaml", "servers:", "x-servers:", "openapi.yaml:1"),
    (
        "server-url-valid",
        "openapi.yaml",
        "url: https://api.tasks.test.dev",
        "url: https://api.tasks.test.dev/",
        "openapi.yaml:11",
    ),
    ("no-server-example.com", "openapi.yaml", "https://api.tasks.test.dev", "https://example.com", "openapi.yaml:11"),
    ("server-variables-valid", "openapi.yaml", "https://api.tasks", "https://{region}.tasks", "openapi.yaml:11"),
    ("security-defined", "paths/tasks.yaml", "  security: [{bearer: [tasks:read]}]\n", "", "paths/tasks.yaml:1"),
    (
        "security-scheme-declared",
        "paths/task.yaml",
        "[{bearer: [tasks:read]}]",
        "[{bearerAuth: [tasks:read]}]",
        "paths/task.yaml:14",
    ),
    (
        "operation-2xx-response",
        "paths/task.yaml",
        '"200":\n      description: The task.',
        '"404":\n      description: The task.',
        "paths/task.yaml:15",
    ),
    (
        "operation-4xx-response",
        "paths/task.yaml",
        '    "401":\n      $ref: ../components/responses.yaml#/Unauthorized\n'
        '    "403":\n      $ref: ../components/responses.yaml#/Forbidden\npatch:',
        "patch:",
        "paths/task.yaml:15",
    ),
    (
        "operation-parameters-unique",
        "paths/tasks.yaml",
        "parameters.yaml#/Cursor",
        "parameters.yaml#/Limit",
        "paths/tasks.yaml:10",
    ),
    (
        "no-unused-components",
        "openapi.yaml",
        "components:\n",
        "components:\n  schemas:\n    Spare:\n      type: string\n",
        "openapi.yaml:28",
    ),
    (
        "no-enum-type-mismatch",
        "components/schemas.yaml",
        "      minimum: 400",
        "      enum: [400, four]",
        "components/schemas.yaml:51",
    ),
    (
        "no-duplicate-enum-values",
        "components/schemas.yaml",
        "      minimum: 400",
        "      enum: [400, 400]",
        "components/schemas.yaml:51",
    ),
    (
        "no-example-value-and-externalValue",
        "components/examples.yaml",
        "  summary: A simple task\n",
        "  summary: A simple task\n  externalValue: https://tasks.test.dev/new-task.json\n",
        "components/examples.yaml:1",
    ),
    (
        "no-invalid-media-type-examples",
        "paths/tasks.yaml",
        "                version: 1",
        "                version: one",
        "paths/tasks.yaml:22",
    ),
    (
        "no-invalid-media-type-examples",
        "components/examples.yaml",
        "    title: Review Q3 forecast",
        '    title: ""',
        "components/examples.yaml:4",
    ),
    (
        "no-invalid-parameter-examples",
        "components/parameters.yaml",
        "  example: 50",
        "  example: 500",
        "components/parameters.yaml:8",
    ),
    (
        "no-invalid-parameter-examples",
        "components/responses.yaml",
        "      example: 30",
        "      example: soon",
        "components/responses.yaml:29",
    ),
    (
        "no-invalid-schema-examples",
        "components/schemas.yaml",
        "      readOnly: true\n    title:",
        "      readOnly: true\n      examples: [7]\n    title:",
        "components/schemas.yaml:9",
    ),
    ("path-parameters-defined", "paths/task.yaml", "  - name: taskId", "  - name: id", "paths/task.yaml:2"),
    (
        "no-identical-paths",
        "openapi.yaml",
        "components:\n",
        "  /v1/tasks/{id}:\n    $ref: paths/task.yaml\ncomponents:\n",
        "openapi.yaml:26",
    ),
    (
        "no-ambiguous-paths",
        "openapi.yaml",
        "components:\n",
        "  /v1/{kind}/mine:\n    $ref: paths/tasks.yaml\ncomponents:\n",
        "openapi.yaml:26",
    ),
    ("no-path-trailing-slash", "openapi.yaml", "  /v1/tasks:", "  /v1/tasks/:", "openapi.yaml:22"),
    ("path-declaration-must-exist", "openapi.yaml", "/v1/tasks/{taskId}:", "/v1/tasks/{}:", "openapi.yaml:24"),
    ("path-not-include-query", "openapi.yaml", "  /v1/tasks:", "  /v1/tasks?all=true:", "openapi.yaml:22"),
    ("no-empty-paths", "openapi.yaml", "components:\n", "  /v1/empty: {}\ncomponents:\n", "openapi.yaml:26"),
    (
        "house-required-scopes",
        "paths/task.yaml",
        "  x-required-scopes: [tasks:read]",
        "  x-required-scopes: [tasks:admin]",
        "paths/task.yaml:12",
    ),
    (
        "house-ratelimit-class",
        "paths/task.yaml",
        "  x-ratelimit-class: read",
        "  x-ratelimit-class: write",
        "paths/task.yaml:13",
    ),
    ("house-rate-limits-declared", "openapi.yaml", "  write: {ceiling: 60/m}\n", "", "openapi.yaml:17"),
    (
        "house-problem-json",
        "components/responses.yaml",
        "    application/problem+json:",
        "    application/json:",
        "components/responses.yaml:1",
    ),
    (
        "house-idempotency-key",
        "paths/tasks.yaml",
        "parameters.yaml#/IdempotencyKey",
        "parameters.yaml#/Cursor",
        "paths/tasks.yaml:30",
    ),
    ("house-if-match", "paths/task.yaml", "parameters.yaml#/IfMatch", "parameters.yaml#/Cursor", "paths/task.yaml:26"),
    (
        "house-pagination",
        "paths/tasks.yaml",
        "    - $ref: ../components/parameters.yaml#/Cursor\n",
        "",
        "paths/tasks.yaml:1",
    ),
    (
        "house-429-headers",
        "components/responses.yaml",
        "    X-RateLimit-Reset:",
        "    X-RateLimit-Resets:",
        "components/responses.yaml:23",
    ),
    (
        "house-auth-responses",
        "paths/tasks.yaml",
        '    "401":\n      $ref: ../components/responses.yaml#/Unauthorized\n    "403":\n'
        '      $ref: ../components/responses.yaml#/Forbidden\n    "429"',
        '    "429"',
        "paths/tasks.yaml:11",
    ),
    (
        "house-operation-id-camel-case",
        "paths/task.yaml",
        "operationId: getTask",
        "operationId: get_task",
        "paths/task.yaml:9",
    ),
    (
        "house-security-scopes",
        "paths/task.yaml",
        "  security: [{bearer: [tasks:read]}]",
        "  security: [{bearer: [tasks:write]}]",
        "paths/task.yaml:14",
    ),
    (
        "house-problem-types",
        "components/responses.yaml",
        "        status: 403",
        "        status: 401",
        "components/responses.yaml:16",
    ),
    (
        "house-problem-types",
        "components/responses.yaml",
        "errors/insufficient-scope",
        "errors/missing-scope",
        "components/responses.yaml:14",
    ),
    (
        "house-429-rate-class",
        "components/responses.yaml",
        "The read bucket is empty.",
        "The write bucket is empty.",
        "components/responses.yaml:47",
    ),
    ("house-webhook-event-ids", "openapi.yaml", "{id: evt_2,", "{id: evt_1,", "openapi.yaml:78"),
    (
        "house-201-location",
        "paths/tasks.yaml",
        "      headers:\n        Location:\n          description: The path of the new task.\n          schema:\n"
        "            type: string\n            format: uri-reference\n",
        "",
        "paths/tasks.yaml:49",
    ),
    (
        "house-property-description",
        "components/schemas.yaml",
        "      description: The problem type's short name.\n",
        "",
        "components/schemas.yaml:45",
    ),
    (
        "house-pattern-copy",
        "paths/task.yaml",
        "      $ref: ../components/schemas.yaml#/TaskId\n",
        '      type: string\n      pattern: "^t[0-9]+$"\n',
        "paths/task.yaml:7",
    ),
    (
        "house-retry-ladder",
        "components/responses.yaml",
        "retry after 1s 2s 4s, then",
        "retry after 1s 2s 4s 8s, then",
        "components/responses.yaml:24",
    ),
    (
        "house-retry-ladder",
        "components/responses.yaml",
        "1s 2s 4s, then give up",
        "1s 2s 4s, then retry hourly",
        "components/responses.yaml:24",
    ),
    (
        "house-retry-ladder",
        "components/responses.yaml",
        "1s 2s 4s, then give up",
        "1 s, 2 s, 4 s, then give up",
        "components/responses.yaml:24",
    ),
]


def lint_tree(root: Path, config: LintConfig = ALL_ON) -> list[Diagnostic]:
    """Bundle ``root/openapi.yaml`` and lint it."""
    bundled = bundle_spec(root / "openapi.yaml")
    return lint_document(bundled.document, config, *fast_locators(bundled))


def places(diagnostics: list[Diagnostic], root: Path, code: str) -> list[str]:
    """``file:line`` (relative to the fixture) of every finding of ``code``."""
    found = []
    for d in diagnostics:
        if d.code == code and d.location:
            found.append(f"{Path(d.location.file).relative_to(root.resolve()).as_posix()}:{d.location.line}")
    return found


def broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    root = tmp_path / "spec"
    shutil.copytree(FIXTURES / "clean", root)
    target = root / file
    text = target.read_text(encoding="utf-8")
    assert old in text, f"fixture edit does not apply: {old!r} not in {file}"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def test_the_clean_fixture_passes_every_rule() -> None:
    assert lint_tree(FIXTURES / "clean") == []


def test_every_rule_has_a_failing_case() -> None:
    # no-ref-siblings: test_ref_siblings.py and below; struct comes from validate, through lint_bundle (test_struct.py)
    assert {r.id for r in all_rules()} - {case[0] for case in CASES} == {"no-ref-siblings", "struct"}


@pytest.mark.parametrize(("rule_id", "file", "old", "new", "where"), CASES, ids=[f"{c[0]}@{c[1]}" for c in CASES])
def test_rule_fails_at_its_source_line(tmp_path: Path, rule_id: str, file: str, old: str, new: str, where: str) -> None:
    root = broken_copy(tmp_path, file, old, new)
    found = places(lint_tree(root), root, rule_id)
    assert where in found, f"{rule_id}: expected a finding at {where}, got {found}"


def test_openapi_30_ref_siblings_and_nullable(tmp_path: Path) -> None:
    root = FIXTURES / "oas30"
    assert lint_tree(root, LintConfig()) == []  # nullable: true accepts the null example
    copy = tmp_path / "spec"
    shutil.copytree(root, copy)
    text = (copy / "openapi.yaml").read_text(encoding="utf-8")
    (copy / "openapi.yaml").write_text(
        text.replace(
            '$ref: "#/components/schemas/Note"\n',
            '$ref: "#/components/schemas/Note"\n                description: ignored in 3.0\n',
        ).replace("nullable: true", "nullable: false"),
        encoding="utf-8",
    )
    diagnostics = lint_tree(copy, LintConfig())
    assert places(diagnostics, copy, "no-ref-siblings") == ["openapi.yaml:37"]  # at the key
    assert places(diagnostics, copy, "no-invalid-media-type-examples") == ["openapi.yaml:40"]


def test_findings_are_sorted_and_deterministic(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "openapi.yaml", "security:", "x-security:")
    first, second = lint_tree(root), lint_tree(root)
    assert first == second
    assert [(d.location.file, d.location.line) for d in first if d.location] == sorted(
        (d.location.file, d.location.line) for d in first if d.location
    )


def test_consistency_rules_stay_silent_without_their_catalogue(tmp_path: Path) -> None:
    """Another API with the house rules on is not flagged for lacking x-retry-ladders or x-problem-types."""
    root = broken_copy(tmp_path, "openapi.yaml", "x-retry-ladders:\n  client: 1s 2s 4s, then give up\n", "")
    text = (root / "openapi.yaml").read_text(encoding="utf-8")
    start, end = text.index("x-problem-types:"), text.index("webhooks:")
    (root / "openapi.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    responses = root / "components" / "responses.yaml"
    responses.write_text(
        responses.read_text(encoding="utf-8").replace("insufficient-scope", "missing-scope").replace("4s,", "8s,"),
        encoding="utf-8",
    )
    codes = {d.code for d in lint_tree(root)}
    assert not codes & {"house-retry-ladder", "house-problem-types"}, codes
    # the status check needs no catalogue
    responses.write_text(responses.read_text(encoding="utf-8").replace("status: 403", "status: 401"), encoding="utf-8")
    assert places(lint_tree(root), root, "house-problem-types") == ["components/responses.yaml:16"]


def test_a_shared_example_is_reported_once_per_mismatch(tmp_path: Path) -> None:
    """A 429 example shared by a read and a write operation is wrong for one of them: one finding, at the example."""
    root = broken_copy(tmp_path, "paths/tasks.yaml", "post:", "post:")
    tasks = root / "paths" / "tasks.yaml"
    tasks.write_text(  # createTask's responses end the file: it gets the shared 429 too
        tasks.read_text(encoding="utf-8") + '    "429":\n      $ref: ../components/responses.yaml#/TooManyRequests\n',
        encoding="utf-8",
    )
    diagnostics = lint_tree(root)
    assert [d.message for d in diagnostics if d.code == "house-429-rate-class"] == [
        "the 429 example of POST /v1/tasks names the read bucket, but the operation is in rate-limit class 'write'"
    ]
    assert places(diagnostics, root, "house-429-rate-class") == ["components/responses.yaml:47"]


def test_house_consistency_rules_are_off_by_default(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "paths/task.yaml", "[{bearer: [tasks:read]}]", "[{bearer: []}]")
    assert places(lint_tree(root), root, "house-security-scopes") == ["paths/task.yaml:14"]
    assert [d.code for d in lint_tree(root, LintConfig()) if d.code.startswith("house-")] == []
