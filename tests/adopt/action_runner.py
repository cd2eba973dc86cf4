"""Run action.yml's shell steps on this machine the way a GitHub runner would, for the tests.

``uses`` steps (setup-python, the SARIF upload) are recorded, not run; the install step is replaced by an
``atlas-spec`` on PATH that runs this checkout; ``gh`` is a stub that keeps the pull request's comments in a
JSON file. Expressions are the small subset action.yml uses: contexts, ``==``, ``&&``, ``always()``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO

GH_STUB = r"""#!/usr/bin/env python3
import json, os, sys
state = os.environ["GH_STUB_STATE"]
comments = json.load(open(state)) if os.path.exists(state) else []
args = sys.argv[1:]
with open(state + ".log", "a") as log:
    log.write(json.dumps(args) + "\n")
assert args[0] == "api"
method = args[args.index("--method") + 1] if "--method" in args else "GET"
body = next((a.split("=@", 1)[1] for a in args if a.startswith("body=@")), None)
if method == "GET":
    marker = args[args.index("--jq") + 1].split('startswith("', 1)[1].split('")', 1)[0]
    print("\n".join(str(c["id"]) for c in comments if c["body"].startswith(marker)))
elif method == "POST":
    comments.append({"id": len(comments) + 1, "body": open(body).read()})
elif method == "PATCH":
    number = int(args[args.index("--method") + 2].rsplit("/", 1)[1])
    next(c for c in comments if c["id"] == number)["body"] = open(body).read()
json.dump(comments, open(state, "w"))
"""


@dataclass
class Run:
    """What one run of the action left: step outcomes and outputs, the summary, the stub's comments."""

    outcomes: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    skipped_uses: list[str] = field(default_factory=list)
    logs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    comments: list[dict[str, Any]] = field(default_factory=list)
    gh_calls: list[list[str]] = field(default_factory=list)
    failed: bool = False


def run_action(project: Path, temp: Path, inputs: dict[str, str], event: dict[str, Any]) -> Run:
    """Run the action with ``project`` as the checked-out repository (GITHUB_WORKSPACE)."""
    action = yaml.load((REPO / "action.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values.update(inputs)
    values["github-token"] = "stub-token"
    bin_dir = temp / "bin"
    venv_python = temp / "atlas-spec-venv" / "bin" / "python"
    for folder in (bin_dir, venv_python.parent):
        folder.mkdir(parents=True, exist_ok=True)
    _script(bin_dir / "atlas-spec", f'#!/bin/sh\nexec "{sys.executable}" -m generators "$@"\n')
    _script(venv_python, f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    _script(bin_dir / "gh", f"#!{sys.executable}\n" + GH_STUB.split("\n", 1)[1])
    summary = temp / "summary.md"
    state = temp / "comments.json"
    context = {"inputs": values, "github": {"action_path": str(REPO), "event": event, "repository": "o/r"}}
    run = Run()
    for step in action["runs"]["steps"]:
        name = step.get("id") or step["name"]
        context["steps"] = {k: {"outputs": v, "outcome": run.outcomes[k]} for k, v in run.outputs.items()}
        condition = step.get("if", "success()")
        if not _evaluate(condition, context, run.failed):
            run.outcomes[name] = "skipped"
            continue
        if "uses" in step or step["name"] == "Install atlas-spec":
            run.skipped_uses.append(step.get("uses", step["name"]))
            run.outcomes[name], run.outputs[name] = "success", {}
            continue
        output = temp / f"output-{name}"
        output.write_text("")
        env = {
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "PYTHONPATH": str(REPO),
            "HOME": os.environ.get("HOME", str(temp)),
            "RUNNER_TEMP": str(temp),
            "GITHUB_WORKSPACE": str(project),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_PATH": str(temp / "path"),
            "GH_STUB_STATE": str(state),
            **{key: _substitute(str(value), context) for key, value in step.get("env", {}).items()},
        }
        cwd = project / _substitute(step.get("working-directory", "."), context)
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        run.logs[name] = done.stdout + done.stderr
        run.outcomes[name] = "success" if done.returncode == 0 else "failure"
        run.failed = run.failed or done.returncode != 0
        run.outputs[name] = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    run.summary = summary.read_text() if summary.exists() else ""
    run.comments = json.loads(state.read_text()) if state.exists() else []
    log = Path(str(state) + ".log")
    run.gh_calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return run


def _script(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


def _lookup(path: str, context: dict[str, Any]) -> Any:
    node: Any = context
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _substitute(text: str, context: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        if match.group(1).strip() == "runner.temp":
            return str(context["github"].get("runner_temp", os.environ.get("RUNNER_TEMP", "")))
        found = _lookup(match.group(1).strip(), context)
        return "" if found is None else str(found)

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def _evaluate(condition: str, context: dict[str, Any], failed: bool) -> bool:
    """``always()``, ``success()``, ``a == 'b'``, a truthy context value, joined by ``&&``."""
    result = True
    if "always()" not in condition and failed:
        return False
    for part in condition.split("&&"):
        term = part.strip()
        if term in ("always()", "success()"):
            continue
        if "==" in term:
            left, right = (side.strip() for side in term.split("=="))
            result = result and str(_lookup(left, context) or "") == right.strip("'")
        else:
            result = result and bool(_lookup(term, context))
    return result
