"""``build --format text|json|github|sarif``: the findings on stdout in the chosen format, one whole document on
every outcome (an input error, an invalid structure, a gate stop, a success), progress on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.support import HEAD, OK_PATHS, cli, make_tree

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "lint" / "sarif-schema-2.1.0.json"
CLEAN = HEAD + OK_PATHS + "        '404': {description: no}\n"
OUTCOMES = {
    # outcome: (source, exit code, the code of a finding it must report; None: no finding)
    "input-error": ("openapi: 3.1.0\ninfo: [unclosed\n", 2, "yaml-syntax"),
    "invalid": (CLEAN.replace("{description: ok}", "{descriptio: ok}"), 1, "struct"),
    "gate-stop": (CLEAN.replace("https://api.test", "api.test"), 1, "server-url-valid"),
    "success": (CLEAN.replace("        '404': {description: no}\n", ""), 0, "operation-4xx-response"),
}


def _codes(fmt: str, stdout: str) -> list[str]:
    """The finding codes of a whole stdout document of ``fmt`` (parsing fails on a partial or mixed one)."""
    if fmt == "json":
        return [f["code"] for f in json.loads(stdout)]
    if fmt == "sarif":
        log = json.loads(stdout)
        jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
        return [r["ruleId"] for r in log["runs"][0]["results"]]
    if fmt == "github":
        lines = stdout.splitlines()
        assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines), stdout
        return [line.split("title=")[1].split("::")[0] for line in lines]
    return [
        line.split("[")[1].split("]")[0] for line in stdout.splitlines() if ": error [" in line or ": warn [" in line
    ]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_every_outcome_prints_one_whole_document(tmp_path: Path, fmt: str, outcome: str) -> None:
    source, code, finding = OUTCOMES[outcome]
    root = make_tree(tmp_path, {"api/root.yaml": source})
    result = cli("build", "--spec", str(root), "--format", fmt, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert finding in _codes(fmt, result.stdout)
    assert "wrote " not in result.stdout and "build stopped" not in result.stdout
    written = sorted(p.name for p in (tmp_path / "api" / "build").glob("*"))
    if outcome == "success":
        assert "root.openapi.json" not in written  # named after info.title
        assert written and all(f"wrote {tmp_path / 'api' / 'build'}" in result.stderr for _ in written)
    else:
        assert written == []


SPOTLESS = (
    HEAD.replace("  version: '1.0'\n", "  version: '1.0'\n  contact: {url: 'https://t.test'}\n  license: {name: MIT}\n")
    + "tags: [{name: a, description: A}]\n"
    + CLEAN.split(HEAD)[1].replace("      summary: Get A\n", "      summary: Get A\n      tags: [a]\n")
)


def test_a_clean_build_prints_an_empty_document(tmp_path: Path) -> None:
    root = make_tree(tmp_path, {"api/root.yaml": SPOTLESS})
    for fmt, empty in (("json", []), ("github", None), ("text", None)):
        result = cli("build", "--spec", str(root), "--format", fmt, "--out", str(tmp_path / fmt), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert (json.loads(result.stdout) == empty) if empty is not None else result.stdout == ""
    sarif = cli(
        "build", "--spec", str(root), "--format", "sarif", "--check", "--out", str(tmp_path / "json"), cwd=tmp_path
    )
    assert sarif.returncode == 0 and _codes("sarif", sarif.stdout) == [] and "up to date" in sarif.stderr


def test_max_problems_cuts_the_document_not_its_validity(tmp_path: Path) -> None:
    root = make_tree(tmp_path, {"api/root.yaml": OUTCOMES["gate-stop"][0]})
    result = cli("build", "--spec", str(root), "--format", "sarif", "--max-problems", "0", cwd=tmp_path)
    assert result.returncode == 1 and _codes("sarif", result.stdout) == []
    assert "more problem(s) not shown" in result.stderr
