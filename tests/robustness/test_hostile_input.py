"""Hostile input through the CLI: a clear error at file:line (or safe output), never a traceback, a hang,
unbounded memory, a write outside the out folder or a changed source file.

The loader's and bundler's own unit tests (tests/foundation) check the refusals in-process; here each case
runs as a user would (``python -m generators build``), so the whole pipeline is covered.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .cliutil import HEAD, OK_PATHS, assert_no_crash, assert_refused, cli, make_tree, tree_hash

# The $ref under test is on line 18 of openapi.yaml.
ROOT = (
    HEAD
    + """\
servers: [{url: 'https://api.test'}]
security: []
paths:
  /a:
    get:
      operationId: getA
      summary: Get A
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '{ref}'
"""
)
REF_LINE = 18


def root_with(ref: str) -> str:
    return ROOT.replace("{ref}", ref)


def build(tmp_path: Path, timeout: float = 60) -> tuple[object, dict[str, str]]:
    """Run ``build`` in ``tmp_path/spec``; return the result and prove the sources were left alone."""
    before = tree_hash(tmp_path / "spec")
    result = cli("build", "--spec", "spec/openapi.yaml", "--out", "out", cwd=tmp_path, timeout=timeout)
    assert tree_hash(tmp_path / "spec") == before
    return result, before


def refused_build(tmp_path: Path, code: str, file: str, line: int | None) -> str:
    result, _ = build(tmp_path)
    assert_refused(result, code, file, line)  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists(), "nothing may be written when the input is refused"
    return str(result.stdout)  # type: ignore[attr-defined]  # build's findings, input errors too


# ------------------------------------------------------------------------------------------ $ref escapes


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        ("../../../../../../../../etc/passwd", "ref-outside-root"),
        ("../../../../../../../../etc/passwd#/root", "ref-outside-root"),
        ("..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", "ref-outside-root"),
        ("/etc/passwd", "ref-absolute"),
        ("~/.ssh/id_rsa", "ref-absolute"),
        ("//example.com/schema.yaml", "ref-absolute"),
        ("file:///etc/passwd", "ref-scheme"),
        ("https://example.com/schema.yaml", "ref-remote"),
        ("http://169.254.169.254/latest/meta-data/", "ref-remote"),
        ("ftp://example.com/schema.yaml", "ref-scheme"),
    ],
)
def test_refs_that_leave_the_root_are_refused_at_their_line(tmp_path: Path, ref: str, code: str) -> None:
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with(ref)})
    stderr = refused_build(tmp_path, code, "spec/openapi.yaml", REF_LINE)
    assert "root:x:0:0" not in stderr  # not a byte of the target leaks into the message


def test_a_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    make_tree(tmp_path / "outside", {"secret.yaml": "type: string\ndescription: TOP SECRET\n"})
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with("./schemas/link.yaml")})
    (tmp_path / "spec" / "schemas").mkdir()
    os.symlink(tmp_path / "outside" / "secret.yaml", tmp_path / "spec" / "schemas" / "link.yaml")
    stderr = refused_build(tmp_path, "ref-outside-root", "spec/openapi.yaml", REF_LINE)
    assert "TOP SECRET" not in stderr


def test_a_symlinked_folder_out_of_the_root_is_refused(tmp_path: Path) -> None:
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with("./etc/passwd")})
    os.symlink("/etc", tmp_path / "spec" / "etc")
    refused_build(tmp_path, "ref-outside-root", "spec/openapi.yaml", REF_LINE)


def test_a_fifo_is_refused_not_waited_on_at_the_ref(tmp_path: Path) -> None:
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with("./pipe.yaml")})
    os.mkfifo(tmp_path / "spec" / "pipe.yaml")
    shown = refused_build(tmp_path, "not-a-file", "spec/openapi.yaml", REF_LINE)
    assert "pipe.yaml" in shown and "hint:" in shown  # the ref's place, the target's name, what to do


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_target_over_the_size_limit_is_refused_at_the_ref(tmp_path: Path, fmt: str) -> None:
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with("./big.yaml"), "big.yaml": "type: string\n"})
    os.truncate(tmp_path / "spec" / "big.yaml", 65 * 2**20)  # sparse: refused on its size, never read
    result = cli("validate", "--spec", "spec/openapi.yaml", "--format", fmt, cwd=tmp_path)
    assert_no_crash(result)
    assert result.returncode == 2
    found = json.loads(result.stdout)
    if fmt == "sarif":
        (place,) = [r["locations"][0]["physicalLocation"] for r in found["runs"][0]["results"]]
        assert place["artifactLocation"]["uri"].endswith("spec/openapi.yaml")
        assert place["region"]["startLine"] == REF_LINE
    else:
        assert [(f["code"], f["line"]) for f in found] == [("file-too-large", REF_LINE)]
        assert found[0]["file"].endswith("spec/openapi.yaml") and "big.yaml" in found[0]["message"]


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "--spec", "loop"],
        ["lint", "--spec", "loop", "--format", "sarif"],
        ["stats", "--spec", "loop"],
        ["split", "loop", "--out", "parts"],
        ["build", "--spec", "spec/openapi.yaml", "--out", "loop"],
        ["split", "spec/openapi.yaml", "--out", "loop/parts"],
        ["init", "loop/new"],
        ["lint", "--spec", "spec/loop.yaml"],
    ],
    ids=["validate", "lint", "stats", "split-in", "build-out", "split-out", "init", "ref"],
)
def test_a_symlink_loop_given_as_a_path_is_an_input_error(tmp_path: Path, command: list[str]) -> None:
    # Python 3.11's Path.resolve raises RuntimeError on a loop (3.13 returns the path): "internal error"
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with("./loop.yaml")})
    for name, target in [("loop", "loop2"), ("loop2", "loop"), ("spec/loop.yaml", "loop2.yaml")]:
        os.symlink(target, tmp_path / name)
    os.symlink("loop.yaml", tmp_path / "spec" / "loop2.yaml")
    result = cli(*command, cwd=tmp_path)
    assert_no_crash(result)
    assert result.returncode in (1, 2), result.stdout + result.stderr
    assert os.readlink(tmp_path / "loop") == "loop2"


@pytest.mark.parametrize(
    ("config", "command"),
    [
        ("", ["--config", "/dev/zero", "lint", "--spec", "spec/openapi.yaml"]),
        ("", ["--config", "fifo.toml", "lint", "--spec", "spec/openapi.yaml"]),
        ("[tool.atlas-spec.lint]\nbaseline = '/dev/zero'\n", ["lint", "--spec", "spec/openapi.yaml"]),
        ("[tool.atlas-spec.docs]\nredoc-js = '/dev/zero'\n", ["docs", "--spec", "spec/openapi.yaml", "-o", "-"]),
        ("", ["docs", "--spec", "spec/openapi.yaml", "-o", "-", "--redoc-js", "fifo.toml"]),
        ("", ["build", "--spec", "spec/openapi.yaml", "--out", "out", "--check", "--fail-on", "never"]),
    ],
    ids=["config-device", "config-fifo", "baseline", "redoc-js-config", "redoc-js-flag", "build-check"],
)
def test_a_device_or_fifo_beside_the_spec_is_refused_not_read_for_ever(
    tmp_path: Path, config: str, command: list[str]
) -> None:
    # configuration, baseline, Redoc bundle and the outputs build --check compares were read without a bound
    make_tree(tmp_path / "spec", {"openapi.yaml": HEAD + OK_PATHS})
    if config:
        (tmp_path / "pyproject.toml").write_text(config)
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "out").mkdir()
    os.symlink("/dev/zero", tmp_path / "out" / "index.html")
    result = cli(*command, cwd=tmp_path, timeout=30, memory_mb=1024)
    assert_no_crash(result)
    assert result.returncode in (1, 2), result.stdout + result.stderr


# ------------------------------------------------------------------------------------------ cycles


def test_external_ref_cycle_with_no_way_out_is_refused(tmp_path: Path) -> None:
    make_tree(
        tmp_path / "spec",
        {
            "openapi.yaml": HEAD + "paths:\n  /a: {$ref: './a.yaml'}\n",
            "a.yaml": "$ref: ./b.yaml\n",
            "b.yaml": "$ref: ./a.yaml\n",
        },
    )
    stderr = refused_build(tmp_path, "ref-circular", "spec/b.yaml", 1)
    assert "a.yaml -> b.yaml -> a.yaml" in stderr


@pytest.mark.parametrize("command", ["validate", "build"])
def test_local_schema_alias_cycle_is_refused_by_validation(tmp_path: Path, command: str) -> None:
    text = root_with("#/components/schemas/A") + (
        "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n"
    )
    make_tree(tmp_path / "spec", {"openapi.yaml": text})
    result = (
        cli(command, "--spec", "spec/openapi.yaml", "--out", "out", cwd=tmp_path)
        if command == "build"
        else (cli(command, "--spec", "spec/openapi.yaml", cwd=tmp_path))
    )
    assert_no_crash(result)
    assert result.returncode == 1
    assert "spec/openapi.yaml:21:" in result.stdout and "[ref-circular]" in result.stdout, result.stdout
    assert "#/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A" in result.stdout


@pytest.mark.parametrize("command", [["lint"], ["postman", "-o", "-"], ["docs", "-o", "page.html"], ["bundle"]])
def test_commands_that_do_not_validate_still_end_on_an_alias_cycle(tmp_path: Path, command: list[str]) -> None:
    text = root_with("./a.yaml")
    make_tree(tmp_path / "spec", {"openapi.yaml": text, "a.yaml": "$ref: ./a.yaml\n"})
    result = cli(*command, "--spec", "spec/openapi.yaml", cwd=tmp_path)
    assert_no_crash(result)


# ------------------------------------------------------------------------------------------ YAML bombs and depth


def test_yaml_alias_bomb_is_refused_in_a_referenced_file(tmp_path: Path) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for index in range(1, 12):
        prev, cur = chr(96 + index), chr(97 + index)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 10)}]")
    lines.append("type: object")
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with("./bomb.yaml"), "bomb.yaml": "\n".join(lines) + "\n"})
    refused_build(tmp_path, "yaml-alias-bomb", "spec/bomb.yaml", None)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("deep.yaml", "a: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        # block mappings need indentation, so their size grows with depth squared: 3,000 levels is 9 MB
        ("deep.yaml", "".join(" " * i + f"k{i}:\n" for i in range(0, 2 * 3_000, 2)) + " " * 6_000 + "x: 1\n"),
        ("deep.json", '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ("deep.yaml", "- " * 100_000 + "x\n"),
        # YAML also breaks lines at a lone CR, NEL, LS and PS: a file may hold no "\n" (libyaml overflowed its stack)
        ("deep.yaml", "a:\r" + "- " * 100_000 + "x\r"),
        ("deep.yaml", "a:\u0085" + "- " * 100_000 + "x\u0085"),
        ("deep.yaml", "a:\u2028" + "- " * 100_000 + "x\u2028"),
        ("deep.yaml", "".join(f"{' ' * (2 * i)}k{i}:\r" for i in range(300)) + " " * 600 + "x\r"),
    ],
    ids=["flow", "block-map", "json", "block-seq", "block-seq-cr", "block-seq-nel", "block-seq-ls", "block-map-cr"],
)
def test_100k_levels_of_nesting_are_refused(tmp_path: Path, name: str, content: str) -> None:
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with(f"./{name}"), name: content.encode()})
    refused_build(tmp_path, "nesting-too-deep", f"spec/{name}", None)


# ------------------------------------------------------------------------------------------ size


def test_a_200_mb_file_is_refused_within_bounded_memory_and_time(tmp_path: Path) -> None:
    big = tmp_path / "spec" / "big.yaml"
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with("./big.yaml")})
    line = "  - " + "x" * 95 + "\n"
    with open(big, "w", encoding="utf-8") as handle:
        handle.write("type: array\nexample:\n")
        for _ in range(200 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    assert big.stat().st_size > 200 * 1024 * 1024
    # 1 GiB of address space: more than a refusal needs, far less than parsing 200 MB would
    result = cli("build", "--spec", "spec/openapi.yaml", "--out", "out", cwd=tmp_path, memory_mb=1024)
    assert_refused(result, "file-too-large", "spec/openapi.yaml", REF_LINE)
    assert "64 MiB" in result.stdout
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------------ bytes and YAML traps


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        ("type: object\nproperties:\n  a: {type: string}\n  a: {type: integer}\n", "yaml-duplicate-key", 4),
        (b"type: object\ndescription: caf\xe9\n", "invalid-utf8", 2),
        (b"type: object\ndescription: a\x00b\n", "nul-byte", 2),
        ("type: object\nproperties:\n\ta: {type: string}\n", "yaml-syntax", 3),
        ("type: integer\ndefault: 0777\n", "yaml-ambiguous-number", 2),
        ("type: string\nx-run: !!python/object/apply:os.system ['touch pwned']\n", "yaml-tag", 2),
        ("type: string\n---\ntype: integer\n", "yaml-multiple-documents", 2),
        (b"\xff\xfet\x00y\x00p\x00e\x00", "nul-byte", 1),
    ],
    ids=["duplicate-key", "invalid-utf8", "nul-byte", "tab", "octal", "python-tag", "two-documents", "utf16"],
)
def test_byte_and_yaml_faults_are_refused_at_their_line(
    tmp_path: Path, content: str | bytes, code: str, line: int
) -> None:
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with("./schema.yaml"), "schema.yaml": content})
    stderr = refused_build(tmp_path, code, "spec/schema.yaml", line)
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "spec" / "pwned").exists()
    if code == "yaml-duplicate-key":
        assert "first defined at line 3" in stderr
    if code == "yaml-syntax":
        assert "tab" in stderr


def test_duplicate_keys_in_json_are_refused_too(tmp_path: Path) -> None:
    make_tree(
        tmp_path / "spec",
        {"openapi.yaml": root_with("./schema.json"), "schema.json": '{\n  "type": "string",\n  "type": "integer"\n}\n'},
    )
    refused_build(tmp_path, "yaml-duplicate-key", "spec/schema.json", 3)


def test_unquoted_version_1_10_is_refused_not_read_as_1_1(tmp_path: Path) -> None:
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with("./s.yaml").replace("'1.0'", "1.10"), "s.yaml": "{}\n"})
    stderr = refused_build(tmp_path, "info-version-not-string", "spec/openapi.yaml", 4)
    assert "'1.10'" in stderr


def test_bom_and_yaml_11_traps_give_the_yaml_12_reading(tmp_path: Path) -> None:
    schema = (
        "type: object\n"
        "properties:\n"
        "  on: {type: boolean, example: true}\n"
        "  no: {type: string, enum: [no, yes, off, on, y, n]}\n"
        "  day: {type: string, example: 2026-05-01}\n"
        "  at: {type: string, example: 2026-05-01T17:00:00Z}\n"
        "  ratio: {type: string, example: '1.10'}\n"
        "  mode: {type: string, example: '0777'}\n"
        "  hex: {type: integer, example: 0x1f}\n"
    )
    make_tree(
        tmp_path / "spec",
        {"openapi.yaml": b"\xef\xbb\xbf" + root_with("./s.yaml").encode(), "s.yaml": b"\xef\xbb\xbf" + schema.encode()},
    )
    before = tree_hash(tmp_path / "spec")
    result = cli("bundle", "--spec", "spec/openapi.yaml", cwd=tmp_path)
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr
    assert not result.stdout.startswith("\ufeff")
    schema_out = json.loads(result.stdout)["components"]["schemas"]["s"]
    properties = schema_out["properties"]
    assert list(properties) == ["on", "no", "day", "at", "ratio", "mode", "hex"]
    assert properties["no"]["enum"] == ["no", "yes", "off", "on", "y", "n"]
    assert properties["day"]["example"] == "2026-05-01"
    assert properties["at"]["example"] == "2026-05-01T17:00:00Z"
    assert properties["ratio"]["example"] == "1.10" and properties["mode"]["example"] == "0777"
    assert properties["hex"]["example"] == 31
    assert tree_hash(tmp_path / "spec") == before


# ------------------------------------------------------------------------------------------ regular expressions

REDOS = """\
openapi: 3.1.0
info:
  title: T
  version: '1.0'
servers: [{url: 'https://api.test'}]
security: []
paths:
  /a:
    get:
      operationId: getA
      summary: Get A
      parameters:
        - name: q
          in: query
          schema: {type: string, pattern: '^(a+)+$', default: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'}
          example: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  url: {type: string, pattern: '^(https?://)?([\\w.-]*)*/?$'}
                patternProperties:
                  '^(x+x+)+y$': {type: string}
              example: {url: 'https://www.example.com/a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p', xxxxxxxxxxxxxxxxxxxxxxxxxxxx: 1}
"""


@pytest.mark.parametrize("command", [["validate"], ["lint"], ["build", "--out", "out"]])
def test_patterns_that_backtrack_for_ever_do_not_hang(tmp_path: Path, command: list[str]) -> None:
    # beezup.com's '^(https?:\/\/)?([\da-z\.-]+)\.([a-z\.]{2,6})([\/\w \.-]*)*\/?$' hung the linter
    make_tree(tmp_path / "spec", {"openapi.yaml": REDOS})
    result = cli(*command, "--spec", "spec/openapi.yaml", cwd=tmp_path, timeout=30)
    assert_no_crash(result)
    if command == ["validate"]:
        assert result.returncode == 0, result.stderr
    else:  # the patterns are evaluated (under a time budget): the examples that do not match are reported
        assert result.returncode == 1 and "does not match '^(a+)+$'" in result.stdout, result.stdout  # findings


# ------------------------------------------------------------------------------------------ control characters

DEEP_FLOW = "x-deep: " + "[" * 130 + "]" * 130 + "\n"  # enough brackets that the depth check parses the file


@pytest.mark.parametrize("tail", ["", DEEP_FLOW], ids=["shallow", "with-depth-check"])
def test_a_control_character_in_yaml_is_refused_at_its_column(tmp_path: Path, tail: str) -> None:
    # sendgrid.com holds U+009F inside a string: fine in JSON, not allowed in YAML
    schema = 'type: string\ndescription: "T\u009f"\n' + tail
    make_tree(tmp_path / "spec", {"openapi.yaml": root_with("./s.yaml"), "s.yaml": schema})
    stderr = refused_build(tmp_path, "yaml-control-character", "spec/s.yaml", 2)
    assert "s.yaml:2:16:" in stderr and "U+009F" in stderr


def test_a_control_character_inside_a_json_string_is_data(tmp_path: Path) -> None:
    make_tree(
        tmp_path / "spec",
        {"openapi.yaml": root_with("./s.json"), "s.json": '{"type": "string", "description": "T\u009f"}\n'},
    )
    result = cli("bundle", "--spec", "spec/openapi.yaml", cwd=tmp_path)
    assert_no_crash(result)
    assert json.loads(result.stdout)["components"]["schemas"]["s"]["description"] == "T\u009f"


def test_examples_reaching_a_loop_of_refs_are_judged_without_a_panic(tmp_path: Path) -> None:
    # before: in DigitalOcean's description with one schema file made `$ref: './itself.yml'`, jsonschema followed
    # the loop while checking an example until the recursion limit hit inside rpds (under `referencing`): a Rust
    # panic and a Python traceback on stderr, nothing on stdout; a smaller loop got every example reaching it
    # reported as "cannot be checked: its schema nests too deeply" beside validate's ref-circular
    import shutil

    from tests.conftest import shared_path

    source = shared_path("corpus", "digitalocean", "specification")
    spec = tmp_path / "spec"
    shutil.copytree(source, spec)
    model = spec / "resources" / "apps" / "models" / "apps_deployment_service.yml"
    model.write_text("$ref: './apps_deployment_service.yml'\n", encoding="utf-8")
    result = cli("lint", "--spec", "spec/DigitalOcean-public.v2.yaml", "--format", "json", cwd=tmp_path, timeout=300)
    assert_no_crash(result)
    assert "panicked" not in result.stderr and "Traceback" not in result.stderr, result.stderr[-2000:]
    codes = {(f["code"], "nests too deeply" in f["message"]) for f in json.loads(result.stdout)}
    assert ("ref-circular", False) in codes
    assert not any(deep for _, deep in codes)
