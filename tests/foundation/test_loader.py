"""The loader: YAML 1.2 core schema, strict JSON compatibility, and every refusal names file and line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generators.core.diagnostics import AtlasError
from generators.source.loader import load_file
from tests.support import cli, make_tree


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def refusal(path: Path) -> AtlasError:
    with pytest.raises(AtlasError) as caught:
        load_file(path)
    return caught.value


def test_yaml_12_core_schema_keeps_yaml_11_traps_as_strings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        "a: yes\nb: on\nc: off\nd: no\ne: 2026-05-01\nf: 2026-05-01T17:00:00Z\n"
        "200: ok\ng: 1.5\nh: 0x1f\ni: ~\nj:\nk: True\nl: 12345678901234567890123\n",
    )
    assert load_file(path) == {
        "a": "yes",
        "b": "on",
        "c": "off",
        "d": "no",
        "e": "2026-05-01",
        "f": "2026-05-01T17:00:00Z",
        "200": "ok",
        "g": 1.5,
        "h": 31,
        "i": None,
        "j": None,
        "k": True,
        "l": 12345678901234567890123,
    }


def test_json_keeps_big_integers_exactly(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", '{"max": 18446744073709551615, "s": "\\u00e9"}')
    assert load_file(path) == {"max": 18446744073709551615, "s": "é"}


def test_bom_is_stripped(tmp_path: Path) -> None:
    assert load_file(write(tmp_path, "a.yaml", b"\xef\xbb\xbfa: 1\n")) == {"a": 1}


@pytest.mark.parametrize(
    ("name", "content", "code", "line"),
    [
        ("dup.yaml", "a: 1\nb: 2\na: 3\n", "yaml-duplicate-key", 3),
        ("dup-status.yaml", "responses:\n  200: {}\n  '200': {}\n", "yaml-duplicate-key", 3),
        ("dup.json", '{\n  "a": 1,\n  "a": 2\n}', "yaml-duplicate-key", 3),
        # a DEL in a string is JSON but not YAML: the duplicate was reported without its line
        ("dup-del.json", '{"x": {"d": "\x7f",\n  "a": 1, "b": {"a": 0},\n  "a": 2}}', "yaml-duplicate-key", 3),
        ("inf.yaml", "a: 1\nb: .inf\n", "yaml-non-finite", 2),
        ("nan.yaml", "b: .NaN\n", "yaml-non-finite", 1),
        ("tag.yaml", "a: 1\nb: !!python/object/apply:os.system ['true']\n", "yaml-tag", 2),
        ("custom-tag.yaml", "a: !include other.yaml\n", "yaml-tag", 1),
        ("multi.yaml", "a: 1\n---\nb: 2\n", "yaml-multiple-documents", 2),
        ("nul.yaml", b"a: 1\nb: \x00\n", "nul-byte", 2),
        ("utf8.yaml", b"a: 1\nb: caf\xe9\n", "invalid-utf8", 2),
        (
            "version.yaml",
            "openapi: 3.1.0\ninfo:\n  title: T\n  version: 1.10\npaths: {}\n",
            "info-version-not-string",
            4,
        ),
        ("octal.yaml", "mode: 0777\n", "yaml-ambiguous-number", 1),
        pytest.param("long.yaml", "a: 1\nb: " + "9" * 4_301 + "\n", "yaml-number-too-long", 2, id="long-int.yaml"),
        pytest.param("hex.yaml", "a: 1\nb: 0x" + "f" * 3_600 + "\n", "yaml-number-too-long", 2, id="long-hex.yaml"),
        ("tab.yaml", "a:\n\tb: 1\n", "yaml-syntax", 2),
        ("empty.yaml", "   \n", "empty-file", 1),
        ("syntax.json", '{"a": 1,,}', "json-syntax", 1),
        ("huge.json", '{"a": 1,\n "b": [1e400]}', "json-number", 2),
        ("nan.json", '{"a": "NaN",\n "b": NaN}', "json-number", 2),
        ("surrogate.json", '{"a": "\\\\ud800",\n "b": "\\ud83d\\ude00 \\ud800"}', "json-syntax", 2),
        pytest.param("long.json", '{"a": 1,\n "b": -' + "9" * 4_301 + "}", "json-number", 2, id="long-int.json"),
        ("recursive.yaml", "a: &x [1, *x]\n", "yaml-recursive-alias", 1),
    ],
)
def test_refusals_name_file_line_and_hint(
    tmp_path: Path, name: str, content: str | bytes, code: str, line: int
) -> None:
    error = refusal(write(tmp_path, name, content))
    diagnostic = error.diagnostics[0]
    assert diagnostic.code == code
    assert diagnostic.location is not None
    assert diagnostic.location.file.endswith(name)
    assert diagnostic.location.line == line
    assert name in str(error) and f":{line}:" in str(error)


def test_version_refusal_says_quote_it(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "v.yaml", "openapi: 3.1.0\ninfo:\n  title: T\n  version: 1.10\n"))
    assert "quote it" in str(error)
    assert "1.1" in str(error) and "'1.10'" in str(error)


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for index in range(1, 10):
        prev, cur = chr(96 + index), chr(97 + index)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 10)}]")
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    started = time.perf_counter()
    error = refusal(path)
    assert time.perf_counter() - started < 1.0  # a bound on a hang, not a performance target
    assert error.diagnostics[0].code == "yaml-alias-bomb"


@pytest.mark.parametrize("style", ["flow", "block-seq", "block-seq-second-line", "block-map", "json"])
def test_100k_deep_nesting_is_an_error_not_a_crash(tmp_path: Path, style: str) -> None:
    depth = 100_000
    if style == "block-seq-second-line":
        path = write(tmp_path, "deep.yaml", "a:\n" + "- " * depth + "x\n")
    elif style == "block-map":  # 300 levels of indented keys: deeper than the limit, below it in brackets
        path = write(tmp_path, "deep.yaml", "".join(f"{' ' * (2 * i)}k{i}:\n" for i in range(300)) + " " * 600 + "x\n")
    elif style == "flow":
        path = write(tmp_path, "deep.yaml", "a: " + "[" * depth + "]" * depth + "\n")
    elif style == "block-seq":
        path = write(tmp_path, "deep.yaml", "- " * depth + "x\n")
    else:
        path = write(tmp_path, "deep.json", "[" * depth + "]" * depth)
    error = refusal(path)
    assert error.diagnostics[0].code == "nesting-too-deep"
    assert error.diagnostics[0].location is not None


def test_aliases_within_bounds_are_expanded(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "base: &b {type: string}\nother: *b\nmerged:\n  <<: *b\n  format: uuid\n")
    assert load_file(path) == {
        "base": {"type": "string"},
        "other": {"type": "string"},
        "merged": {"type": "string", "format": "uuid"},
    }


def test_dump_json_matches_the_standard_library_byte_for_byte() -> None:
    import json

    from generators.core.jsonout import dump_json, dump_json_bytes

    samples = [
        {},
        [],
        {"a": [], "b": {}, "c": [1, 2.5, -0.0, 1e16, 10**30, True, False, None]},
        {"é": 'ü\u2028</script>"\\', "nested": [{"x": [[]]}, "s"]},
        "top",
        3,
        [[1, [2, [3]]]],
        {"paths": {"/a": {"get": {"x": "🙂", "y": [1, {}]}}, "/b": {}}, "e": [], "z": ["😀", ["é"]]},
        [{1: "a", "x": {"1": 2}}, {True: "b", 1.5: "c", None: "d"}, {"1": 3}],
    ]
    for sample in samples:
        expected = json.dumps(sample, indent=2, ensure_ascii=False) + "\n"
        assert dump_json(sample) == expected
        assert dump_json_bytes(sample) == expected.encode("utf-8")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_places_count_lines_as_an_editor_does(tmp_path: Path, separator: str) -> None:
    # libyaml (YAML 1.1) also ends lines at U+0085, U+2028 and U+2029: every place after one such character in a
    # string named a line too far (an editor, YAML 1.2 and JSON read them as text)
    head = f'openapi: 3.1.0\ninfo:\n  title: "a{separator}b{separator}c"\n  version: "1"\n'
    make_tree(tmp_path, {"struct.yaml": head + "paths: 5\n", "dup.yaml": head + "paths: {}\npaths: {}\n"})
    struct = cli("validate", "--spec", "struct.yaml", cwd=tmp_path)
    assert "struct.yaml:5:1:" in struct.stdout + struct.stderr, struct.stdout + struct.stderr
    dup = cli("validate", "--spec", "dup.yaml", cwd=tmp_path)
    assert "dup.yaml:6:1: error [yaml-duplicate-key]" in dup.stdout + dup.stderr, dup.stdout + dup.stderr
    (tmp_path / "syntax.yaml").write_text(head + "paths: [\n", encoding="utf-8")
    syntax = cli("validate", "--spec", "syntax.yaml", cwd=tmp_path)
    assert "syntax.yaml:6:1: error [yaml-syntax]" in syntax.stdout + syntax.stderr, syntax.stdout + syntax.stderr
