"""The atlas-spec command line: exit codes, formats, build/--check, and no traceback ever."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.support import HEAD, OK_PATHS, REPO, cli, make_tree

VALID = HEAD + OK_PATHS + "        '404': {description: no}\n"
INVALID = VALID.replace("{description: ok}", "{descriptio: ok}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    make_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.atlas-spec]\nspec = "api/root.yaml"\nout = "dist"\nname = "demo"\n',
            "api/root.yaml": VALID,
        },
    )
    return tmp_path


def test_version_answers(tmp_path: Path) -> None:
    result = cli("--version", cwd=tmp_path)
    assert result.returncode == 0 and "atlas-spec, version" in result.stdout


def test_bundle_to_stdout_and_to_file(project: Path) -> None:
    result = cli("bundle", cwd=project)
    assert result.returncode == 0
    assert json.loads(result.stdout)["paths"]["/a"]["get"]["responses"]["200"]["description"] == "ok"
    assert cli("bundle", "-o", "out/b.json", cwd=project).returncode == 0
    assert (project / "out" / "b.json").read_text() == result.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_a_full_disk_is_an_error_not_a_bug(project: Path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "generators", "bundle"],
            cwd=project,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    assert result.returncode == 2
    assert "No space left on device" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_a_reader_that_stops_early_ends_the_output_quietly(project: Path) -> None:
    big = "\n".join(f"      x{i}: {{type: string, description: {'d' * 200}}}" for i in range(3000))
    (project / "api" / "root.yaml").write_text(VALID + "components:\n  schemas:\n    Big:\n      properties:\n" + big)
    process = subprocess.Popen(
        [sys.executable, "-m", "generators", "bundle"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100).startswith(b"{")
    process.stdout.close()  # like `| head`: the rest of the 700 kB has nowhere to go
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert stderr == ""


def test_validate_formats_and_exit_codes(project: Path) -> None:
    assert cli("validate", cwd=project).returncode == 0
    (project / "api" / "root.yaml").write_text(INVALID)
    text = cli("validate", cwd=project)
    assert text.returncode == 1
    assert "api/root.yaml:13:" in text.stdout and "Traceback" not in text.stdout + text.stderr
    as_json = cli("validate", "--format", "json", cwd=project)
    assert as_json.returncode == 1
    findings = json.loads(as_json.stdout)
    assert findings[0]["file"] == "api/root.yaml" and findings[0]["line"] == 13
    github = cli("validate", "--format", "github", cwd=project)
    assert github.returncode == 1
    assert github.stdout.startswith("::error file=api/root.yaml,line=13,col=")


def test_build_writes_then_check_detects_staleness(project: Path) -> None:
    assert cli("build", cwd=project).returncode == 0
    written = project / "dist" / "demo.openapi.json"
    assert json.loads(written.read_text())["openapi"] == "3.1.0"
    assert cli("build", "--check", cwd=project).returncode == 0
    (project / "api" / "root.yaml").write_text(VALID.replace("'1.0'", "'1.1'"))
    before = {p: p.read_bytes() for p in (project / "dist").iterdir()}
    check = cli("build", "--check", cwd=project)
    assert check.returncode == 1 and "demo.openapi.json" in check.stderr
    assert {p: p.read_bytes() for p in (project / "dist").iterdir()} == before  # --check writes nothing
    # a stale file is a finding too (it was on stderr only): an annotation in CI, a result in JSON and SARIF
    github = cli("build", "--check", "--format", "github", cwd=project)
    assert "::error file=dist/demo.openapi.json,title=build-stale::out of date" in github.stdout, github.stdout
    (project / "dist" / "demo.openapi.json").unlink()
    findings = json.loads(cli("build", "--check", "--format", "json", cwd=project).stdout)
    stale = [f for f in findings if f["code"] == "build-stale"]
    assert [(f["file"], f["message"]) for f in stale][:1] == [("dist/demo.openapi.json", "missing: not built yet")]
    sarif = json.loads(cli("build", "--check", "--format", "sarif", cwd=project).stdout)
    schema = json.loads((REPO / "tests" / "lint" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, schema)
    assert "build-stale" in {r["ruleId"] for r in sarif["runs"][0]["results"]}


def test_build_writes_nothing_when_validation_fails(project: Path) -> None:
    assert cli("build", cwd=project).returncode == 0
    before = {p.name: p.read_bytes() for p in (project / "dist").iterdir()}
    (project / "api" / "root.yaml").write_text(INVALID)
    result = cli("build", cwd=project)
    assert result.returncode == 1 and "nothing was written" in result.stderr
    assert {p.name: p.read_bytes() for p in (project / "dist").iterdir()} == before


@pytest.mark.parametrize(
    ("args", "files", "needle"),
    [
        (["validate", "--spec", "nope.yaml"], {}, "spec root not found"),
        (["validate", "--spec", "api"], {"api/x.yaml": "a: 1\n"}, "spec root is a folder"),
        (["build"], {"pyproject.toml": "[tool.atlas-spec]\nsepc = 'x'\n"}, "did you mean 'spec'"),
        (["build"], {"pyproject.toml": "[tool.atlas-spec\n"}, "cannot read TOML"),
        (["validate", "--spec", "s.yaml"], {"s.yaml": "a: [\n"}, "s.yaml:2:1"),
    ],
)
def test_input_errors_exit_2_without_traceback(
    tmp_path: Path, args: list[str], files: dict[str, str], needle: str
) -> None:
    if files:
        make_tree(tmp_path, files)
    result = cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert needle in result.stdout  # validate's and build's findings, input errors included, are on stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = cli("bundle", "--no-such-flag", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
