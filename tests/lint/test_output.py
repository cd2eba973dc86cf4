"""Output that scales and fits CI: windowed frames, --max-problems, streams, colour, formats for input errors,
escaped spec text in the human formats and percent-encoded SARIF URIs."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from generators.cli import cli
from tests.support import make_tree

HERE = Path(__file__).parent
SARIF_SCHEMA = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
HOSTILE = "a\n::error file=x::pwned\x1b]0;title\x07\x1b[2J\u202egnp.exe\x85"


def run(folder: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(cli, list(args), env={"NO_COLOR": None, "FORCE_COLOR": None, **(env or {})})
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def one_line_spec(folder: Path, padding: int = 20_000) -> Path:
    """A minified JSON spec: one line, a long description before the operation that lacks a summary."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1", "description": "x" * padding},
        "paths": {"/a": {"get": {"operationId": "getA", "responses": {"200": {"description": "ok"}}}}},
    }
    return make_tree(folder, {"openapi.json": json.dumps(document, separators=(",", ":"))})


def test_a_frame_on_a_long_line_is_a_window_around_the_column(tmp_path: Path) -> None:
    one_line_spec(tmp_path)
    code, out, _ = run(tmp_path, "lint", "--spec", "openapi.json")
    assert code == 1
    assert max(len(line) for line in out.splitlines()) <= 160
    finding = next(f for f in out.split("\n\n") if "operation-summary" in f)
    lines = finding.splitlines()
    column = int(re.match(r"openapi.json:1:(\d+):", lines[0]).group(1))  # type: ignore[union-attr]
    source = next(line for line in lines if line.startswith("  >"))
    caret = next(line for line in lines if line.rstrip().endswith("^"))
    shown = source[caret.index("^") :]
    raw = (tmp_path / "openapi.json").read_text(encoding="utf-8")
    assert shown.startswith(raw[column - 1 : column + 10])  # the caret stands under the finding's column
    assert source.split("| ", 1)[1].startswith("…")


def test_a_frame_decodes_only_its_lines(tmp_path: Path) -> None:
    """Frames read the file's bytes and decode the lines they show: a byte order mark, CRLF line ends and
    characters beyond the BMP come out as the text shows them, and a line that is not UTF-8 costs only the frames
    that would show it (the file's other frames are unaffected)."""
    from generators.core.frame import code_frame

    spec = tmp_path / "f.yaml"
    text = "\ufeffopenapi: 3.1.0\r\ninfo: {title: 🦆 ducks, version: '1'}\r\npaths: {}\r\nx: "
    spec.write_bytes(text.encode() + b"\xe9\n")
    assert code_frame(str(spec), 2, 17) == [
        "    1 | openapi: 3.1.0",
        "  > 2 | info: {title: 🦆 ducks, version: '1'}",
        "      |                 ^",
        "    3 | paths: {}",
    ]
    assert code_frame(str(spec), 4, 1) == []  # its line is not UTF-8: no frame, no error
    assert code_frame(str(spec), 5, 1) == [] and code_frame(str(tmp_path / "gone.yaml"), 1, 1) == []


def test_max_problems_prints_n_and_counts_the_rest(tmp_path: Path) -> None:
    one_line_spec(tmp_path, padding=10)
    code, out, err = run(tmp_path, "lint", "--spec", "openapi.json", "--format", "json")
    total = len(json.loads(out))
    code, out, err = run(tmp_path, "lint", "--spec", "openapi.json", "--format", "json", "--max-problems", "2")
    assert code == 1
    assert len(json.loads(out)) == 2
    assert f"{total - 2} more problem(s) not shown (--max-problems 2)" in err


@pytest.mark.parametrize("command", ["lint", "validate", "build"])
def test_findings_go_to_stdout_and_the_summary_to_stderr(tmp_path: Path, command: str) -> None:
    make_tree(tmp_path, {"openapi.yaml": "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  a: {}\n"})
    args = [command, "--spec", "openapi.yaml"] + (["--out", str(tmp_path / "out")] if command == "build" else [])
    code, out, err = run(tmp_path, *args)
    assert code == 1
    assert out.startswith("openapi.yaml:4:3: error [struct] path 'a' does not start with '/'\n"), out
    summary = {"lint": "3 error(s)", "validate": "1 problem(s) found", "build": "build stopped"}[command]
    assert summary in err and "openapi.yaml:4" not in err


def test_the_same_finding_reads_the_same_in_lint_validate_and_build(tmp_path: Path) -> None:
    make_tree(tmp_path, {"openapi.yaml": "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  a: {}\n"})
    outputs = [
        run(tmp_path, *args)[1].split("\n\n")[0]
        for args in (
            ["lint", "--spec", "openapi.yaml"],
            ["validate", "--spec", "openapi.yaml"],
            ["build", "--spec", "openapi.yaml", "--out", str(tmp_path / "out")],
        )
    ]
    assert outputs[0] == outputs[1] == outputs[2]
    assert "  at /paths/a\n" in outputs[0]  # one pointer style (RFC 6901, as config exceptions name places)


def test_colour_on_request_and_never_with_no_color(tmp_path: Path) -> None:
    one_line_spec(tmp_path, padding=10)
    assert "\x1b[" not in run(tmp_path, "lint", "--spec", "openapi.json")[1]  # not a terminal
    assert "\x1b[1;31merror\x1b[0m" in run(tmp_path, "lint", "--spec", "openapi.json", env={"FORCE_COLOR": "1"})[1]
    plain = run(tmp_path, "lint", "--spec", "openapi.json", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})[1]
    assert "\x1b[" not in plain


INPUT_ERRORS = {
    "yaml-syntax": {"openapi.yaml": "openapi: 3.1.0\ninfo: {title: T\n"},
    "bad-ref": {
        "openapi.yaml": "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    $ref: ./missing.yaml\n"
    },
}


@pytest.mark.parametrize("case", sorted(INPUT_ERRORS))
@pytest.mark.parametrize("command", ["lint", "validate"])
def test_every_format_reports_an_input_error(tmp_path: Path, case: str, command: str) -> None:
    make_tree(tmp_path, INPUT_ERRORS[case])
    code, out, _ = run(tmp_path, command, "--spec", "openapi.yaml", "--format", "sarif")
    assert code == 2
    log = json.loads(out)
    jsonschema.validate(log, SARIF_SCHEMA)
    [result] = log["runs"][0]["results"]
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "openapi.yaml"
    code, out, _ = run(tmp_path, command, "--spec", "openapi.yaml", "--format", "json")
    assert code == 2 and json.loads(out)[0]["file"] == "openapi.yaml"
    code, out, _ = run(tmp_path, command, "--spec", "openapi.yaml", "--format", "github")
    assert code == 2 and re.fullmatch(r"::error file=openapi\.yaml,line=\d+,col=\d+,title=[\w-]+::[^\n]+\n", out), out


def _hostile_spec(folder: Path, file_name: str = "openapi.json") -> Path:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            f"/{HOSTILE}": {
                "get": {"operationId": HOSTILE, "tags": [HOSTILE], "responses": {"200": {"description": "ok"}}}
            }
        },
    }
    return make_tree(folder, {file_name: json.dumps(document)})


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_spec_text_cannot_forge_workflow_commands_or_reach_the_terminal(tmp_path: Path, fmt: str) -> None:
    _hostile_spec(tmp_path)
    for command in ("lint", "validate", "build"):
        args = [command, "--spec", "openapi.json"] + (["--format", fmt] if command != "build" else [])
        if command == "build" and fmt != "text":
            continue
        out = run(tmp_path, *args, "--out", str(tmp_path / "o")) if command == "build" else run(tmp_path, *args)
        text = out[1] + out[2]  # whatever the stream
        assert (
            "tag 'a\\n::error file=x::pwned\\x1b]0;title\\x07\\x1b[2J\\u202egnp.exe\\x85'" in text or command != "lint"
        )
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text), (command, text)
        for line in text.splitlines():
            assert not line.startswith("::error file=x"), (command, line)
        if fmt == "github":
            for line in out[1].splitlines():  # stdout: annotations only, one per line
                assert line.startswith(("::error ", "::warning ", "::notice ")), line


@pytest.mark.parametrize("name", ["a?b.json", "new\nline.json", "bell\x07.json", "rlo\u202egnp.json"])
def test_sarif_artifact_uris_are_percent_encoded(tmp_path: Path, name: str) -> None:
    _hostile_spec(tmp_path, name)
    code, out, _ = run(tmp_path, "lint", "--spec", name, "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    jsonschema.validate(log, SARIF_SCHEMA)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in log["runs"][0]["results"]
        for loc in result.get("locations", [])
    }
    assert uris, log
    for uri in uris:
        assert re.fullmatch(r"[A-Za-z0-9._~/%-]+", uri), uri
    assert "%3F" in "".join(uris) or "%0A" in "".join(uris) or "%07" in "".join(uris) or "%E2%80%AE" in "".join(uris)


def test_file_names_in_progress_lines_are_escaped(tmp_path: Path) -> None:
    name = "spec\x1b]0;x\x07.yaml"
    make_tree(tmp_path, {name: "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"})
    code, out, err = run(tmp_path, "validate", "--spec", name)
    assert code == 0, out + err
    assert err.endswith("/spec\\x1b]0;x\\x07.yaml: valid\n"), err
