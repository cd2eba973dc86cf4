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


def _wide_and_deep(levels: int, width: int) -> str:
    schemas = []
    for level in range(levels):
        props = "".join(
            f"        p{i}: {{$ref: '#/components/schemas/L{level + 1}'}}\n"
            if level + 1 < levels
            else f"        p{i}: {{type: string}}\n"
            for i in range(width)
        )
        schemas.append(f"    L{level}:\n      type: object\n      properties:\n{props}")
    return "components:\n  schemas:\n" + "".join(schemas)


def test_postman_samples_of_a_deep_and_wide_schema_stay_small(tmp_path: Path) -> None:
    # docusign.net: envelopeDefinition inlined to a 19 MB sample; the collection grew to 1.2 GB in 49 s.
    # Here 8 levels of 8 properties would be 8**8 = 16 million values per body.
    body = (
        "      requestBody:\n        content:\n          application/json:\n"
        "            schema: {$ref: '#/components/schemas/L0'}\n"
    )
    paths = OK_PATHS.replace("    get:\n", "    post:\n").replace("      responses:\n", body + "      responses:\n")
    make_tree(tmp_path, {"openapi.yaml": HEAD + paths + _wide_and_deep(8, 8)})
    result = cli("postman", "--spec", "openapi.yaml", "-o", "-", cwd=tmp_path, timeout=60)
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr
    assert 1_000 < len(result.stdout) < 1_000_000


def test_postman_samples_ignore_huge_min_items_and_min_length(tmp_path: Path) -> None:
    # a 200-byte spec must not ask for a billion array items or a gigabyte string
    schema = (
        "components:\n  schemas:\n    Big:\n      type: object\n      required: [many, long]\n"
        "      properties:\n"
        "        many: {type: array, minItems: 1000000000, items: {type: integer}}\n"
        "        long: {type: string, minLength: 1000000000}\n"
    )
    body = (
        "      requestBody:\n        content:\n          application/json:\n"
        "            schema: {$ref: '#/components/schemas/Big'}\n"
    )
    paths = OK_PATHS.replace("    get:\n", "    post:\n").replace("      responses:\n", body + "      responses:\n")
    make_tree(tmp_path, {"openapi.yaml": HEAD + paths + schema})
    result = cli("postman", "--spec", "openapi.yaml", "-o", "-", cwd=tmp_path, timeout=60)
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) < 100_000


def test_validate_survives_a_hash_in_a_path_key_beside_a_default(tmp_path: Path) -> None:
    # azure.com/datalake-store-filesystem: '/webhdfs/v1/{path}#op=APPEND' with parameter defaults; the fast
    # path rebuilt the library's node path with '/', whose separator '#' split the key (KeyError: 'op=APPEND')
    spec = (
        HEAD
        + OK_PATHS
        + (
            "  /files/{name}#op=append:\n"
            "    post:\n"
            "      parameters:\n"
            "        - {name: name, in: path, required: true, schema: {type: string}}\n"
            "        - {name: size, in: query, schema: {type: integer, default: 10}}\n"
            "      responses:\n"
            "        '200': {description: ok}\n"
        )
    )
    make_tree(tmp_path, {"openapi.yaml": spec})
    result = cli("validate", "--spec", "openapi.yaml", cwd=tmp_path)
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr
