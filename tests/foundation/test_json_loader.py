"""JSON sources: orjson's fast parse only where it is exactly the standard library's, refusals as before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.core.diagnostics import AtlasError
from generators.source.limits import MAX_DEPTH
from generators.source.loader import load_bytes
from tests.support import HEAD, OK_PATHS, cli, make_tree


def refused(text: str, name: str = "api.json") -> AtlasError:
    with pytest.raises(AtlasError) as caught:
        load_bytes(text.encode("utf-8"), name)
    return caught.value


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',
        '{"x": {"b": "c:d", "b" : "e:f"}}',
        '[{"k": [1, {"z": 0, "z": 0}]}]',
        '{"a\\u003a": 1, "a\\u003a": 1}',  # the escaped colon is the one thing colon counting cannot see
        '{"a": ":::", "a": ""}',
        '{"a\\u003A": 1, "a:": 2}',
    ],
)
def test_duplicate_keys_are_refused_with_both_places(text: str) -> None:
    error = refused(text)
    assert error.diagnostics[0].code == "yaml-duplicate-key"
    assert "first defined at line 1" in error.diagnostics[0].message


def test_a_duplicate_key_is_refused_where_yaml_cannot_read_the_file() -> None:
    # YAML refuses a surrogate pair written as escapes: the duplicate is found by a scan of the JSON text
    error = refused('["\\ud83d\\ude00", {"a": 1, "a": 2}]')
    assert error.diagnostics[0].code == "yaml-duplicate-key"
    assert error.diagnostics[0].message == "duplicate key 'a' (first defined at line 1)"
    location = error.diagnostics[0].location
    assert location is not None and (location.line, location.col) == (1, 27)


@pytest.mark.parametrize(
    "number", ["18446744073709551615", "18446744073709551616", "-9223372036854775809", "123456789012345678901234567890"]
)
def test_integers_beyond_64_bits_stay_exact(number: str) -> None:
    assert load_bytes(f'{{"n": [{number}, 1e20, "{number}e+5"]}}'.encode(), "a.json") == {
        "n": [int(number), 1e20, f"{number}e+5"]
    }


def nested_arrays(levels: int) -> str:
    return "[" * levels + "]" * levels


def nested_objects(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


@pytest.mark.parametrize("nest", [nested_arrays, nested_objects])
def test_nesting_is_held_to_the_documented_limit(nest: Any) -> None:
    assert load_bytes(nest(MAX_DEPTH).encode(), "deep.json") is not None
    error = refused("\n" + nest(MAX_DEPTH + 1))
    found = error.diagnostics[0]
    assert found.code == "nesting-too-deep"
    opener = 1 + (MAX_DEPTH if nest is nested_arrays else 5 * MAX_DEPTH)  # the bracket opening level 257
    assert found.location is not None and (found.location.line, found.location.col) == (2, opener)


def test_lint_refuses_thousands_of_json_levels_instead_of_crashing(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "openapi.yaml": HEAD + OK_PATHS + "components:\n  schemas:\n    Deep: {$ref: './deep.json'}\n",
            "deep.json": '{"type": "object", "default": ' + nested_arrays(6_000) + "}",
        },
    )
    result = cli("lint", "--spec", "openapi.yaml", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    # lint's input errors are findings: on stdout (the code frame is a window: the line is 12,000 characters)
    assert "deep.json:1:" in result.stdout and "[nesting-too-deep]" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 160
    assert "Traceback" not in result.stdout + result.stderr


# ------------------------------------------------------------------ any JSON text, duplicates included

KEYS = st.sampled_from(["a", "b", "a:b", "é", "\u2028", "$ref", ""])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
)
# objects as lists of pairs, so a key can repeat
TREES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3).map(lambda items: ("list", items))
        | st.lists(st.tuples(KEYS, children), max_size=3).map(lambda pairs: ("object", pairs))
    ),
    max_leaves=12,
)


def to_text(tree: Any, escape_colons: bool, spaced: bool) -> str:
    colon = " : " if spaced else ":"
    if isinstance(tree, tuple) and tree[0] == "list":
        return "[" + ",".join(to_text(t, escape_colons, spaced) for t in tree[1]) + "]"
    if isinstance(tree, tuple):
        members = []
        for key, value in tree[1]:
            written = json.dumps(key)
            if escape_colons:
                written = written.replace(":", "\\u003a")
            members.append(written + colon + to_text(value, escape_colons, spaced))
        return "{" + ",".join(members) + "}"
    return json.dumps(tree)


def standard(text: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({k for k, _ in items}) != len(items):
            raise KeyError("duplicate")
        return dict(items)

    return json.loads(text, object_pairs_hook=pairs)


@settings(max_examples=300, deadline=None)
@given(st.lists(TREES, min_size=0, max_size=3), st.booleans(), st.booleans())
def test_any_json_text_loads_as_the_standard_library_reads_it(
    members: list[Any], escape_colons: bool, spaced: bool
) -> None:
    text = to_text(("list", members), escape_colons, spaced)
    try:
        expected = standard(text)
    except KeyError:
        assert refused(text).diagnostics[0].code == "yaml-duplicate-key"
        return
    # json.dumps tells 1 from 1.0 and True from 1, where == would not
    assert json.dumps(load_bytes(text.encode("utf-8"), "a.json")) == json.dumps(expected)
