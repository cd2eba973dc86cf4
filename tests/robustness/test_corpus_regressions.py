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
