"""``atlas-spec lint`` end to end: formats, exit codes, config checking, SARIF schema, the rule catalogue page."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from generators.cli import cli
from generators.lint.output import markdown_table
from tests.conftest import assert_generated_section

HERE = Path(__file__).parent
CLEAN = HERE / "fixtures" / "clean"
REPO = HERE.parent.parent


def project(tmp_path: Path, lint_table: str = "house-rules = true\n", edit: tuple[str, str, str] | None = None) -> Path:
    """A folder with pyproject.toml ([tool.atlas-spec.lint]) and a copy of the clean spec, optionally broken."""
    shutil.copytree(CLEAN, tmp_path / "spec")
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.atlas-spec]\nspec = "spec/openapi.yaml"\n\n[tool.atlas-spec.lint]\n{lint_table}', encoding="utf-8"
    )
    if edit:
        file, old, new = edit
        target = tmp_path / "spec" / file
        target.write_text(target.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return tmp_path


def run(folder: Path, *args: str, command: str = "lint") -> tuple[int, str, str]:
    """Run ``atlas-spec <command>`` in ``folder`` (settings come from its pyproject.toml)."""
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(cli, [command, *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


CAMEL = ("paths/task.yaml", "operationId: getTask", "operationId: get_task")


def test_clean_spec_exits_0(tmp_path: Path) -> None:
    code, _, err = run(project(tmp_path))
    assert code == 0, err
    assert "0 error(s), 0 warning(s)" in err


def test_text_names_file_line_col_rule_and_shows_a_code_frame(tmp_path: Path) -> None:
    code, out, err = run(project(tmp_path, edit=CAMEL))
    assert code == 1
    header = "spec/paths/task.yaml:9:3: error [house-operation-id-camel-case]"
    assert f"{header} operationId 'get_task' is not camelCase" in out
    assert "  >  9 |   operationId: get_task" in out
    assert "1 error(s)" in err


def test_github_format_prints_annotations(tmp_path: Path) -> None:
    code, out, _ = run(project(tmp_path, edit=CAMEL), "--format", "github")
    assert code == 1
    assert out.startswith("::error file=spec/paths/task.yaml,line=9,col=3,title=house-operation-id-camel-case::")


def test_json_format(tmp_path: Path) -> None:
    code, out, _ = run(project(tmp_path, edit=CAMEL), "--format", "json")
    findings = json.loads(out)
    assert code == 1
    assert [(f["code"], f["file"], f["line"]) for f in findings] == [
        ("house-operation-id-camel-case", "spec/paths/task.yaml", 9)
    ]


def test_sarif_output_validates_against_the_sarif_2_1_0_schema(tmp_path: Path) -> None:
    code, out, _ = run(project(tmp_path, edit=CAMEL), "--format", "sarif")
    log = json.loads(out)
    schema = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    result = log["runs"][0]["results"][0]
    assert code == 1
    assert result["ruleId"] == "house-operation-id-camel-case"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "spec/paths/task.yaml"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 9, "startColumn": 3}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert log["runs"][0]["tool"]["driver"]["informationUri"] == "https://api-atlas.wrxstack.com/v1/docs"  # house on


def test_sarif_metadata_is_generic_without_the_house_rules(tmp_path: Path) -> None:
    code, out, _ = run(project(tmp_path, lint_table=""), "--format", "sarif")
    driver = json.loads(out)["runs"][0]["tool"]["driver"]
    assert code == 0
    assert "informationUri" not in driver
    assert not any(rule["properties"]["house"] for rule in driver["rules"])


def test_house_rules_are_off_by_default(tmp_path: Path) -> None:
    code, _, err = run(project(tmp_path, lint_table="", edit=CAMEL))
    assert code == 0, err


def test_max_warnings(tmp_path: Path) -> None:
    folder = project(tmp_path, edit=("openapi.yaml", "  contact:", "  x-contact:"))
    assert run(folder)[0] == 0
    code, _, err = run(folder, "--max-warnings", "0")
    assert code == 1
    assert "too many warnings: 1 > --max-warnings 0" in err


def test_severity_and_exceptions_from_config(tmp_path: Path) -> None:
    pointer = "/paths/~1v1~1tasks~1{taskId}/get/operationId"
    off = project(
        tmp_path / "a",
        'house-rules = true\n[tool.atlas-spec.lint.rules]\nhouse-operation-id-camel-case = "off"\n',
        edit=CAMEL,
    )
    assert run(off)[0] == 0
    excepted = project(
        tmp_path / "b",
        "house-rules = true\n[[tool.atlas-spec.lint.exceptions]]\n"
        f'rule = "house-operation-id-camel-case"\npath = "{pointer}"\nreason = "kept for SDK compatibility"\n',
        edit=CAMEL,
    )
    assert run(excepted)[0] == 0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            "house-rule = true\n",
            "unknown key 'house-rule' in [tool.atlas-spec.lint]\n  hint: did you mean 'house-rules'?",
        ),
        ('[tool.atlas-spec.lint.rules]\noperation-sumary = "off"\n', "did you mean 'operation-summary'?"),
        ('[tool.atlas-spec.lint.rules]\noperation-summary = "loud"\n', "use one of: error, warn, info, off"),
        ('[[tool.atlas-spec.lint.exceptions]]\nrule = "operation-summary"\npath = "/paths"\n', "needs a reason"),
    ],
)
def test_config_errors_are_clear(tmp_path: Path, table: str, message: str) -> None:
    code, out, _ = run(project(tmp_path, lint_table=table))  # an input error of lint: on stdout, as findings are
    assert code == 2
    assert re.search(r"pyproject.toml:\d+:\d+: error \[lint-config\]", out), out  # at the key's line
    assert message in out


def test_list_rules_prints_the_catalogue(tmp_path: Path) -> None:
    code, out, _ = run(project(tmp_path), "--list-rules")
    assert code == 0
    assert "operation-summary" in out and "redocly:operation-summary" in out and "house-pagination" in out


def test_the_rule_catalogue_page_is_generated_from_the_registry(update_golden: bool) -> None:
    assert_generated_section(REPO / "docs" / "lint-rules.md", "lint-rules", markdown_table(), update_golden)


def test_build_stops_on_lint_errors(tmp_path: Path) -> None:
    folder = project(tmp_path, edit=CAMEL)
    code, out, _ = run(folder, command="build")  # build's findings are on stdout
    assert code == 1
    assert "house-operation-id-camel-case" in out
    assert not (folder / "build").exists()
