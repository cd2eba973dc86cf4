"""Crashes the real-world sweep (bench/corpus.py) found, each reduced to a small spec run through the CLI."""

from __future__ import annotations

from pathlib import Path

from .cliutil import HEAD, OK_PATHS, assert_no_crash, cli, make_tree


def test_lint_survives_a_pattern_python_cannot_compile(tmp_path: Path) -> None:
    # amazonaws.com/application-autoscaling: pattern '\p{Print}+' (not a Python regex) beside an example
    make_tree(
        tmp_path,
        {
            "openapi.yaml": HEAD
            + OK_PATHS
            + r"""
components:
  schemas:
    Name:
      type: object
      properties:
        first: {type: string, pattern: '^[A-Za-z \p{Han}-]*$'}
      patternProperties:
        '\p{L}+': {type: string}
      example: {first: Ada}
"""
        },
    )
    result = cli("lint", "--spec", "openapi.yaml", cwd=tmp_path)
    assert_no_crash(result)
    assert "error(s)" in result.stderr


def test_lint_survives_a_schema_used_twice_whose_pattern_python_cannot_compile(tmp_path: Path) -> None:
    # amazonaws.com/storagegateway: '\A...\z' fails in Python's re; the second example against the same
    # schema met a dangling forward reference in the compiled check (IndexError)
    spec = (
        HEAD
        + OK_PATHS
        + r"""
components:
  schemas:
    Ip: {type: string, pattern: '\A[0-9.]+\z', example: 10.0.0.1}
    Pair:
      type: object
      properties:
        a: {$ref: '#/components/schemas/Ip'}
        b: {$ref: '#/components/schemas/Ip'}
      example: {a: 10.0.0.1, b: 10.0.0.2}
    Other:
      type: object
      properties:
        c: {$ref: '#/components/schemas/Ip'}
      example: {c: 10.0.0.3}
"""
    )
    make_tree(tmp_path, {"openapi.yaml": spec})
    result = cli("lint", "--spec", "openapi.yaml", cwd=tmp_path)
    assert_no_crash(result)
    assert "error(s)" in result.stderr


def test_validate_accepts_a_string_extension_among_the_paths(tmp_path: Path) -> None:
    # apicurio.local/registry: paths: {x-codegen-contextRoot: /apis/registry/v2, ...}; openapi-spec-validator
    # read the extension as a path item and failed with KeyError
    make_tree(tmp_path, {"openapi.yaml": HEAD + OK_PATHS + "  x-codegen-contextRoot: /apis/registry/v2\n"})
    for command in (["validate"], ["lint"], ["build", "--out", "out"]):
        result = cli(*command, "--spec", "openapi.yaml", cwd=tmp_path)
        assert_no_crash(result)
        assert result.returncode == 0, result.stderr
    result = cli("diff", "openapi.yaml", "openapi.yaml", "--format", "json", cwd=tmp_path)
    assert_no_crash(result)
    assert result.returncode == 0 and '"changes": []' in result.stdout, result.stdout
