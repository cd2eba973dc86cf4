"""Crashes fuzzing found (bench/fuzz.py's atheris; mutated real specs), each kept as a CLI test with the smallest
input that showed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cliutil import HEAD, OK_PATHS, assert_no_crash, assert_refused, cli, make_tree
from .test_hostile_input import REF_LINE, root_with


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        ("./a%00.yaml", "ref-invalid-path"),
        ("./a%00/b.yaml", "ref-invalid-path"),  # ValueError: embedded null byte (from realpath)
        ("./" + "a" * 300 + ".yaml", "file-read"),  # OSError ENAMETOOLONG (from Path.is_dir)
        ("./" + "a" * 300 + "/b.yaml", "file-read"),
        ("//]x", "ref-syntax"),  # ValueError: Invalid IPv6 URL (from urlsplit)
        ("//[::1/a.yaml", "ref-syntax"),
        (" //]x", "ref-syntax"),  # urlsplit strips the space first: not a path starting with a space
    ],
    ids=[
        "nul-byte",
        "nul-byte-in-folder",
        "name-too-long",
        "folder-name-too-long",
        "ipv6-close",
        "ipv6-open",
        "ipv6-after-space",
    ],
)
def test_ref_paths_the_file_system_cannot_take_are_refused(tmp_path: Path, ref: str, code: str) -> None:
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with(ref)})
    result = cli("bundle", "--spec", "spec/openapi.yaml", cwd=tmp_path)
    assert_refused(result, code, "spec/openapi.yaml", REF_LINE)


@pytest.mark.parametrize("headers", ["[X-Rate]", "x", "7"])
def test_postman_saved_responses_skip_headers_that_are_not_a_map(tmp_path: Path, headers: str) -> None:
    # a mutated APIs-guru spec: response headers as a list ('list' object has no attribute 'items')
    spec = HEAD + OK_PATHS.replace("'200': {description: ok}", f"'200': {{description: ok, headers: {headers}}}")
    make_tree(tmp_path, {"openapi.yaml": spec})
    result = cli("postman", "--spec", "openapi.yaml", "-o", "-", cwd=tmp_path)
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr
    assert '"code": 200' in result.stdout


def test_a_ref_that_is_not_a_string_holds_no_reference(tmp_path: Path) -> None:
    # $ref: {$ref: ./scalar.yaml} was bundled as $ref: 'just a string' (the file's content made a reference), and
    # validate could only say "Unresolvable: just a string" at 1:1
    spec = root_with("./a.yaml").replace("$ref: './a.yaml'", "$ref: {$ref: './scalar.yaml'}")
    make_tree(tmp_path / "spec", {"openapi.yaml": spec, "scalar.yaml": "just a string\n"})
    bundle = cli("bundle", "--spec", "spec/openapi.yaml", cwd=tmp_path)
    assert_no_crash(bundle)
    assert "just a string" not in bundle.stdout, bundle.stdout
    result = cli("validate", "--spec", "spec/openapi.yaml", cwd=tmp_path)
    assert_no_crash(result)
    assert result.returncode == 1, result.stdout
    assert f"spec/openapi.yaml:{REF_LINE}:" in result.stdout, result.stdout
    assert "'$ref' must be a string" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("old", "new"),
    [("security: []", "security: 5"), ("      summary: Get A\n", "      summary: Get A\n      security: 7\n")],
    ids=["root", "operation"],
)
def test_remove_unused_components_survives_security_that_is_not_a_list(tmp_path: Path, old: str, new: str) -> None:
    # 'int' object is not iterable: the unused-component walk read every security node as a list
    spec = HEAD + OK_PATHS.replace(old, new) + "components:\n  securitySchemes:\n    k: {type: http, scheme: basic}\n"
    make_tree(tmp_path, {"openapi.yaml": spec})
    result = cli("bundle", "--remove-unused-components", "--spec", "openapi.yaml", cwd=tmp_path)
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr
    assert '"securitySchemes"' not in result.stdout
