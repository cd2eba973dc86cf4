"""The artefact commands refuse a document that is not an OpenAPI 3.x description, as validate and diff do.

Before: ``bundle``, ``postman``, ``environment`` and ``docs`` of ``{}`` or of a Swagger 2.0 file wrote an empty
collection, an empty page or the input again, with exit 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import cli

COMMANDS = [["bundle"], ["postman"], ["environment"], ["docs"]]
ROOTS = {
    "empty.json": ("{}\n", "no 'openapi: 3.x' version", "1:1"),
    "swagger.yaml": ('info: {title: T, version: "1"}\nswagger: "2.0"\npaths: {}\n', "a Swagger 2.0 file", "2:1"),
    "old.yaml": ('info: {title: T, version: "1"}\nopenapi: 2.5.0\npaths: {}\n', "openapi: '2.5.0'", "2:1"),
}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("root", sorted(ROOTS))
def test_a_root_that_is_not_openapi_3_is_refused_at_the_root(tmp_path: Path, command: list[str], root: str) -> None:
    text, why, place = ROOTS[root]
    (tmp_path / root).write_text(text, encoding="utf-8")
    result = cli(*command, "--spec", root, "-o", "out.file", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{root}:{place}: error [not-openapi] not an OpenAPI 3.x description" in result.stderr, result.stderr
    assert why in result.stderr and "OpenAPI 3.0, 3.1 and 3.2" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == [root]  # nothing written


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_openapi_3_description_with_structural_errors_still_makes_its_artefacts(
    tmp_path: Path, command: list[str]
) -> None:
    # info without a version, an operation without responses: validate's findings, not a reason to refuse
    (tmp_path / "api.yaml").write_text("openapi: 3.1.0\ninfo: {title: T}\npaths:\n  /x:\n    get: {}\n")
    result = cli(*command, "--spec", "api.yaml", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout
