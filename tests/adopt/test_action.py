"""The reusable action (action.yml), the workflows that use it, the pre-commit hooks and `make gate`, checked
against the rules GitHub applies to action metadata that can be verified offline."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.artefacts.scaffold import DEFAULT_ACTION, scaffold
from generators.diff.comment import MARKER
from tests.conftest import REPO, missing

EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
STEP_KEYS = {"id", "name", "if", "run", "shell", "uses", "with", "env", "working-directory", "continue-on-error"}
INPUT_KEYS = {"description", "required", "default", "deprecationMessage"}


def _load(path: Path) -> Any:
    # GitHub reads `on:` and `yes` as the strings they are: a YAML 1.2 reading (BaseLoader keeps every scalar text)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in (*_strings(key), *_strings(value))]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return [node] if isinstance(node, str) else []


def _expressions(step: dict[str, Any]) -> list[str]:
    """The expressions of a step: every ``${{ }}`` and its ``if``, which is an expression without them too."""
    found = [e for text in _strings(step) for e in EXPRESSION.findall(text)]
    condition = step.get("if")
    if isinstance(condition, str) and "${{" not in condition:
        found.append(condition)
    return found


def action_problems(action: Any) -> list[str]:
    """What GitHub would refuse (or silently ignore) in a composite action's metadata."""
    problems = []
    for key in ("name", "description", "runs"):
        if not action.get(key):
            problems.append(f"missing required key {key}")
    inputs = action.get("inputs", {})
    for name, spec in inputs.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", name):
            problems.append(f"input id {name!r} is not a valid identifier")
        if not isinstance(spec, dict) or not spec.get("description"):
            problems.append(f"input {name} has no description")
        elif set(spec) - INPUT_KEYS:
            problems.append(f"input {name} has unknown keys {sorted(set(spec) - INPUT_KEYS)}")
    for name, spec in action.get("outputs", {}).items():
        if not isinstance(spec, dict) or "value" not in spec:
            problems.append(f"output {name} of a composite action needs a value")
    runs = action.get("runs", {})
    if runs.get("using") != "composite":
        problems.append("runs.using must be composite")
    steps = runs.get("steps")
    if not isinstance(steps, list) or not steps:
        return [*problems, "runs.steps must be a non-empty list"]
    ids: list[str] = []
    for number, step in enumerate(steps, 1):
        label = f"step {number} ({step.get('name', '?')})"
        if set(step) - STEP_KEYS:
            problems.append(f"{label} has unknown keys {sorted(set(step) - STEP_KEYS)}")
        if ("run" in step) == ("uses" in step):
            problems.append(f"{label} needs exactly one of run and uses")
        if "run" in step and not step.get("shell"):
            problems.append(f"{label} runs a script without shell (required in a composite action)")
        if "uses" in step and ("shell" in step or "working-directory" in step):
            problems.append(f"{label} is a uses step with shell or working-directory")
        if "uses" in step and not re.fullmatch(r"[\w.-]+/[\w./-]+@[\w.-]+|\./.*", step["uses"]):
            problems.append(f"{label} uses {step['uses']!r} without a pinned ref")
        if "id" in step:
            if step["id"] in ids:
                problems.append(f"{label} repeats the id {step['id']}")
            ids.append(step["id"])
        for expression in _expressions(step):
            for used in re.findall(r"\binputs\.([A-Za-z0-9_-]+)", expression):
                if used not in inputs:
                    problems.append(f"{label} uses undeclared input {used}")
            for used in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.", expression):
                if used not in ids[: len(ids) - ("id" in step and step["id"] == used)]:
                    problems.append(f"{label} reads steps.{used} before (or without) such a step")
        if "run" in step and EXPRESSION.search(step["run"]):
            problems.append(f"{label} pastes an expression into its script (pass it through env)")
    expressions = [e for step in steps for e in _expressions(step)] + [
        e for t in _strings(action) for e in EXPRESSION.findall(t)
    ]
    used_anywhere = {u for e in expressions for u in re.findall(r"inputs\.([\w-]+)", e)}
    problems += [f"input {name} is declared but never used" for name in inputs if name not in used_anywhere]
    return problems


def test_the_action_is_valid_composite_metadata() -> None:
    assert action_problems(_load(REPO / "action.yml")) == []


def test_the_checker_finds_planted_mistakes() -> None:
    action = _load(REPO / "action.yml")
    steps = action["runs"]["steps"]
    steps[1] = {k: v for k, v in steps[1].items() if k != "shell"}
    steps[2]["env"]["X"] = "${{ inputs.nope }}"
    steps[3]["run"] = "echo ${{ inputs.spec }}"
    del action["description"]
    problems = action_problems(action)
    assert "missing required key description" in problems
    assert any("without shell" in p for p in problems)
    assert any("undeclared input nope" in p for p in problems)
    assert any("pastes an expression" in p for p in problems)


def test_the_action_covers_the_gate_steps() -> None:
    action = _load(REPO / "action.yml")
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    uses = [s["uses"] for s in action["runs"]["steps"] if "uses" in s]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    for command in ("build --check", "lint --format github", "lint --format sarif", "diff", "GITHUB_STEP_SUMMARY"):
        assert command in text, command
    assert "-m generators.diff.comment" in text and "startswith" in text and "PATCH" in text
    assert MARKER.startswith("<!--")


def test_the_project_workflow_and_the_init_workflow_use_the_action() -> None:
    own = _load(REPO / ".github" / "workflows" / "api.yml")
    steps = own["jobs"]["gate"]["steps"]
    assert any(step.get("uses") == "./" for step in steps)
    assert own["permissions"] == {"contents": "read", "pull-requests": "write", "security-events": "write"}
    assert any(
        s.get("with", {}).get("fetch-depth") == "0" for s in steps if s.get("uses", "").startswith("actions/checkout")
    )
    workflow = next(a for a in scaffold("x") if a.path == ".github/workflows/api.yml")
    generated = yaml.load(workflow.content, Loader=yaml.BaseLoader)
    assert generated["jobs"]["gate"]["steps"][-1] == {"uses": DEFAULT_ACTION}
    assert generated["permissions"] == own["permissions"]


def test_pre_commit_hooks_offer_lint_and_build_check() -> None:
    hooks = _load(REPO / ".pre-commit-hooks.yaml")
    assert [h["id"] for h in hooks] == ["atlas-spec-lint", "atlas-spec-build-check"]
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook) and hook["language"] == "python"
        assert hook["pass_filenames"] == "false" and re.compile(hook["files"]).search("spec/openapi.yaml")
    assert [h["entry"] for h in hooks] == ["atlas-spec lint", "atlas-spec build --check"]


def test_make_gate_installs_only_the_tool() -> None:
    if shutil.which("make") is None:
        missing("make is not installed")
    plan = subprocess.run(
        ["make", "-n", "-B", "gate", "BASE=origin/main"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "atlas-spec diff git:origin/main" in plan
    for heavy in ("npm", "apt-get", ".[test]", "chromium"):
        assert heavy not in plan, heavy


@pytest.mark.parametrize("name", ["action.yml", ".pre-commit-hooks.yaml", ".github/workflows/api.yml"])
def test_no_tab_or_yaml_1_1_surprise_in_the_metadata(name: str) -> None:
    text = (REPO / name).read_text(encoding="utf-8")
    assert "\t" not in text
    assert yaml.safe_load(text) is not None
