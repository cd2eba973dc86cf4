"""``lint`` includes ``validate`` (rule ``struct``) and no schema, pattern or value can crash a rule."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generators.cli import cli
from generators.core.diagnostics import Severity
from generators.lint.config import LintConfig
from generators.lint.context import LintContext
from generators.lint.parallel import run_check
from generators.lint.registry import Rule
from generators.lint.rules import all_rules
from tests.support import make_tree

# A lint-clean spec but for what a case puts in the response schema (line 17) or the operation (line 11).
SPEC = """\
openapi: 3.1.0
info:
  title: T
  version: '1.0'
  contact: {url: 'https://t.test'}
  license: {name: MIT, identifier: MIT}
servers: [{url: 'https://api.t.test'}]
security: []
paths:
  /a:
    get:
      operationId: getA
      summary: Get A
      tags: [a]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                {schema}
              example: abc
        '400': {description: bad}
tags: [{name: a, description: A}]
"""

CASES = [
    # (what the case puts in, line:col of the finding, its message)
    ("summery", "12:7", "unknown field 'summery' in an Operation; did you mean 'summary'?"),
    ("{type: string, minLength: '1'}", "21:32", "'minLength' must be an integer, not the string '1'"),
    ("{type: string, pattern: 'a(b'}", "21:32", "'pattern' is not a valid regular expression"),
    # the reason is ECMA-262's (Python's re would say "bad escape \\p at position 1")
    (
        "{type: string, pattern: '[\\p{all}]*'}",
        "21:32",
        "'pattern' is not a valid regular expression: unknown Unicode property 'all' at position 3",
    ),
    ("{type: objet}", "21:18", "invalid type 'objet'; did you mean 'object'?"),
    ("{type: [string, nul]}", "21:33", "invalid type 'nul'; did you mean 'null'?"),
]


def lint(folder: Path, *args: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(cli, ["lint", "--spec", "openapi.yaml", *args])
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout


def spec_with(tmp_path: Path, schema: str) -> Path:
    text = SPEC.replace("{schema}", schema)
    if "summery" in schema:  # an operation-level key: under get:, the schema stays a string
        text = SPEC.replace("{schema}", "type: string").replace("    get:\n", "    get:\n      summery: x\n")
    make_tree(tmp_path, {"openapi.yaml": text})
    return tmp_path


def test_the_base_spec_lints_clean(tmp_path: Path) -> None:
    code, output = lint(spec_with(tmp_path, "type: string"))
    assert code == 0, output


@pytest.mark.parametrize(("schema", "where", "message"), CASES, ids=[c[2].split(";")[0] for c in CASES])
def test_lint_reports_what_validate_rejects_at_its_key(tmp_path: Path, schema: str, where: str, message: str) -> None:
    code, output = lint(spec_with(tmp_path, schema), "--format", "json")
    assert code == 1, output
    assert "internal error" not in output
    findings = json.loads(output)
    struct = [f for f in findings if f["code"] == "struct"]
    assert struct, findings
    first = struct[0]
    assert f"{first['file']}:{first['line']}:{first['column']}" == f"openapi.yaml:{where}"
    assert first["message"].startswith(message), first["message"]
    assert findings[0] == first  # structural findings are listed first


def test_an_example_whose_schema_cannot_be_evaluated_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    code, output = lint(spec_with(tmp_path, "{type: objet}"), "--format", "json")
    assert code == 1
    examples = [f for f in json.loads(output) if f["code"] == "no-invalid-media-type-examples"]
    assert [(f["line"], f["message"]) for f in examples] == [
        (22, "response example cannot be checked: its schema names an unknown type 'objet'")
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    get:\n", "    parameters: 7\n    get:\n"),  # operation-parameters-unique: 'int' is not iterable
        ("{description: bad}", "{description: bad, content: {application/problem+json: {schema: {allOf: 5}}}}"),
        ("servers: [{url: 'https://api.t.test'}]", "servers: 5"),  # house-ratelimit-class: not subscriptable
    ],
    ids=["parameters", "problem-all-of", "servers"],
)
def test_no_rule_gives_up_on_a_node_of_the_wrong_type(tmp_path: Path, old: str, new: str) -> None:
    make_tree(tmp_path, {"openapi.yaml": SPEC.replace("{schema}", "type: string").replace(old, new)})
    make_tree(tmp_path, {"pyproject.toml": "[tool.atlas-spec.lint]\nhouse-rules = true\n"})
    code, output = lint(tmp_path, "--format", "json")
    assert code == 1, output
    findings = json.loads(output)
    assert findings[0]["code"] == "struct", findings
    assert not [f for f in findings if "could not evaluate" in f["message"]], findings


def test_a_rule_that_fails_gives_a_finding_and_keeps_what_it_found() -> None:
    def check(ctx: LintContext) -> object:
        from generators.lint.registry import Finding

        yield Finding("/info", "first")
        raise TypeError("unhashable type: 'list'")

    broken = Rule("broken", Severity.ERROR, "x", check)  # type: ignore[arg-type]
    found = run_check(broken, LintContext({"openapi": "3.1.0"}, LintConfig()))
    assert [f.message for f in found] == [
        "first",
        "rule 'broken' could not evaluate this description (TypeError: unhashable type: 'list')",
    ]


def test_struct_is_first_in_the_catalogue_and_cannot_be_turned_down(tmp_path: Path) -> None:
    assert all_rules()[0].id == "struct"
    spec_with(tmp_path, "{type: objet}")
    for table in ('[tool.atlas-spec.lint.rules]\nstruct = "warn"\n', _exception("struct")):
        (tmp_path / "pyproject.toml").write_text(f'[tool.atlas-spec]\nspec = "openapi.yaml"\n{table}')
        code, output = lint(tmp_path)
        assert code == 2, output
        assert "struct" in output and "a structurally invalid description is not OpenAPI" in output


def _exception(rule: str) -> str:
    return f'[[tool.atlas-spec.lint.exceptions]]\nrule = "{rule}"\npath = "/paths"\nreason = "legacy"\n'


def _with_duplicate_ids(tmp_path: Path) -> Path:
    """The base spec plus ``/b`` whose ``post`` (written first) and ``get`` reuse ``getA``: openapi-spec-validator
    walks the methods as written, the lint rule in HTTP_METHODS order; both must agree on one finding each."""
    extra = (
        "  /b:\n"
        "    post:\n"
        "      operationId: getA\n"
        "      summary: Post B\n"
        "      tags: [a]\n"
        "      responses: {'201': {description: ok}, '400': {description: bad}}\n"
        "    get:\n"
        "      operationId: getA\n"
        "      summary: Get B\n"
        "      tags: [a]\n"
        "      responses: {'200': {description: ok}, '400': {description: bad}}\n"
    )
    text = SPEC.replace("{schema}", "type: string").replace("tags: [{name", extra + "tags: [{name")
    make_tree(tmp_path, {"openapi.yaml": text})
    return tmp_path


def test_a_duplicate_operation_id_is_reported_once_at_its_key(tmp_path: Path) -> None:
    code, output = lint(_with_duplicate_ids(tmp_path), "--format", "json")
    assert code == 1, output
    found = [(f["code"], f["line"], f["column"], f["message"], f["hint"]) for f in json.loads(output)]
    assert found == [
        ("struct", 26, 7, "operationId 'getA' of POST /b is already used by GET /a", "rename one of them"),
        ("struct", 31, 7, "operationId 'getA' of GET /b is already used by GET /a", "rename one of them"),
    ]
    result = CliRunner().invoke(cli, ["validate", "--spec", str(tmp_path / "openapi.yaml"), "--format", "json"])
    assert result.exit_code == 1
    assert [(f["line"], f["message"]) for f in json.loads(result.stdout)] == [(line, m) for _, line, _, m, _ in found]
