"""Spec patterns are ECMA-262, and every evaluation of one runs under a time budget.

The old guard looked for nested unbounded quantifiers in the parsed pattern; overlapping alternation
(``^(a|a)+$``), adjacent quantifiers (``^\\s*\\s*\\s*\\s*\\s*\\s*x$``) and a guarded ``patternProperties`` regex
reached through ``additionalProperties`` slipped past it and hung ``lint``, ``build`` and ``serve``. Python's
``re`` also refused valid ECMA-262 (``\\p{L}``), so ``validate`` rejected such specs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import generators.core.ecma_regex as ecma_regex
from generators.core.ecma_regex import compile_pattern, pattern_error, search
from tests.support import REPO

from .cliutil import assert_no_crash, cli

# (pattern, a string that makes a backtracking engine run for ever)
ISSUE_SHAPES = [
    (r"^(a|a)+$", "a" * 40 + "!"),
    (r"^\s*\s*\s*\s*\s*\s*x$", " " * 200),
    (r"^(a+)+$", "a" * 40 + "!"),  # reached through additionalProperties below
]
GENERATED_SHAPES = [
    (f"^({atom}{inner})+{tail}$", atom * 36 + "!")
    for atom, inner, tail in [
        ("a", "+", ""),
        ("a", "*", ""),
        ("a", "?a", ""),
        ("b", "|b", ""),
        ("c", "|cc", ""),
        ("d", "+d*", ""),
        ("e", "*e", "f"),
        ("x", "+x+", "y"),
        ("1", "+|1", ""),
        ("z", "{1,30}", ""),
    ]
] + [
    (r"^(\w+\s?)*$", "word " * 12 + "!"),
    (r"^([a-z0-9]+)*[A-Z]$", "a1" * 18 + "!"),
    (r"^(.*a){20}$", "a" * 30 + "!"),
    (r"^(\d+|\d+\.)+$", "1" * 36 + "!"),
    (r"^((ab)*c)*$", "ab" * 18 + "!"),
    (r"^(?:x|(y+))+z$", "y" * 36),
    (r"^([\w.-]*)*@$", "a.b-c" * 8 + "!"),
    (r"^(\p{L}+\s?)*$", "héllo " * 10 + "!"),
    (r"^(?=(a+)+b)", "a" * 36),
    (r"^(a|ab|abc)*$", "abc" * 14 + "!"),
]
SHAPES = ISSUE_SHAPES + GENERATED_SHAPES


def test_there_are_twenty_generated_shapes() -> None:
    assert len(GENERATED_SHAPES) == 20


@pytest.mark.parametrize(("pattern", "evil"), SHAPES, ids=[p for p, _ in SHAPES])
def test_every_shape_is_answered_within_the_budget(pattern: str, evil: str) -> None:
    compiled = compile_pattern(pattern)
    started = time.perf_counter()
    compiled.search(evil)
    compiled.search(evil)
    assert time.perf_counter() - started < 5  # one budget (0.1 s) at most, then the pattern is given up


def test_the_budget_fires_and_the_pattern_is_given_up() -> None:
    compiled = ecma_regex.compile_pattern(r"^(q|q)+$")  # a pattern no other test used
    assert not compiled.gave_up
    assert compiled.search("q" * 60 + "!")  # out of time: taken as a match, as a missed finding beats a hang
    assert compiled.gave_up
    started = time.perf_counter()
    assert compiled.search("q" * 60 + "!")
    assert time.perf_counter() - started < 0.05  # never run again


def test_ordinary_patterns_answer_exactly() -> None:
    assert search(r"^[A-Z]{3}$", "ABC") and not search(r"^[A-Z]{3}$", "ABCD")
    assert search(r"^\p{L}+$", "héllo") and not search(r"^\p{L}+$", "h3llo")
    assert not search(r"^abc$", "abc\n")  # ECMA-262 $ is the end of input
    assert not search(r"^\d+$", "١٢")  # ECMA-262 \d is ASCII
    assert search(r"(?<year>\d{4})-\k<year>", "2020-2020")


VALID = [
    r"\p{L}+",
    r"^\p{Lu}\p{Script=Greek}$",
    r"[\p{L}\p{N}_ -]+",
    r"(?<year>\d{4})",
    r"\u{1F600}",
    r"^[a-z\_]+$",  # valid without the u flag (Annex B), as browsers read it
    r"x{,3}",
    r"[^]",
]
INVALID = [r"(abc", r"abc)", r"a**", r"[a-", r"x{2,1}", r"[z-a]", r"^*", r"(?P<n>a)", r"(?i)abc", r"a++", r"\p{Foo}"]


@pytest.mark.parametrize("pattern", VALID)
def test_valid_ecma_262_is_valid(pattern: str) -> None:
    assert pattern_error(pattern) is None


@pytest.mark.parametrize("pattern", INVALID)
def test_invalid_ecma_262_is_invalid(pattern: str) -> None:
    assert pattern_error(pattern)


# ------------------------------------------------------------------------------------------ end to end


def spec_with(shapes: list[tuple[str, str]]) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for index, (pattern, evil) in enumerate(shapes):
        schemas[f"S{index}"] = {"type": "string", "pattern": pattern, "default": evil, "example": evil}
    schemas["Keys"] = {
        "type": "object",
        "patternProperties": {r"^(a+)+$": {"type": "string"}},
        "additionalProperties": False,
        "example": {"a" * 40 + "!": 1},
    }
    examples = {f"s{index}": evil for index, (_, evil) in enumerate(shapes)}
    properties = {f"s{index}": {"$ref": f"#/components/schemas/S{index}"} for index in range(len(shapes))}
    properties["keys"] = {"$ref": "#/components/schemas/Keys"}
    body = {"type": "object", "properties": properties}
    operation = {
        "operationId": "getA",
        "summary": "Get A",
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": body}}}},
    }
    operation["responses"]["200"]["content"]["application/json"]["example"] = examples
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1.0"},
        "servers": [{"url": "https://api.test"}],
        "security": [],
        "paths": {"/a": {"get": operation}},
        "components": {"schemas": schemas},
    }


@pytest.mark.parametrize("command", [["lint"], ["build", "--out", "out"], ["validate"]])
def test_all_shapes_finish_every_command(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(spec_with(SHAPES)), encoding="utf-8")
    started = time.perf_counter()
    result = cli(*command, "--spec", "openapi.json", cwd=tmp_path, timeout=120)
    assert_no_crash(result)
    assert time.perf_counter() - started < 60, "a pattern ran past its budget"  # about 4 s here


@pytest.mark.parametrize("command", [["lint"], ["build", "--out", "out"]])
@pytest.mark.parametrize(("pattern", "evil"), ISSUE_SHAPES, ids=["alternation", "adjacent", "additional"])
def test_each_issue_shape_finishes_lint_and_build(tmp_path: Path, command: list[str], pattern: str, evil: str) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(spec_with([(pattern, evil)])), encoding="utf-8")
    result = cli(*command, "--spec", "openapi.json", cwd=tmp_path, timeout=60)
    assert_no_crash(result)


def test_validate_accepts_property_escapes_and_refuses_invalid_patterns(tmp_path: Path) -> None:
    good = spec_with([(r"^\p{L}[\p{L}\p{N} ]*$", "Zoë 2")])
    (tmp_path / "good.json").write_text(json.dumps(good), encoding="utf-8")
    result = cli("validate", "--spec", "good.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    bad = spec_with([(r"^(?P<name>x)$", "x")])
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    result = cli("validate", "--spec", "bad.json", cwd=tmp_path)
    assert result.returncode == 1 and "'pattern' is not a valid regular expression" in result.stdout, result.stdout


def test_lint_checks_examples_against_property_escapes(tmp_path: Path) -> None:
    spec = spec_with([(r"^\p{Lu}+$", "ABC")])
    spec["components"]["schemas"]["S0"]["example"] = "abc"
    (tmp_path / "openapi.json").write_text(json.dumps(spec), encoding="utf-8")
    result = cli("lint", "--spec", "openapi.json", "--format", "json", cwd=tmp_path)
    assert_no_crash(result)
    assert "abc" in result.stdout and "does not match" in result.stdout, result.stdout[-2000:]


def test_the_translation_escapes_as_the_regex_package_does() -> None:
    import regex

    from generators.core.ecma_syntax import _escape

    assert [c for c in map(chr, range(0x110000)) if _escape(c) != regex.escape(c)] == []


def test_translating_needs_no_regex_engine() -> None:
    # a sample built for a pattern translates it; only compiling imports the engine (22 ms)
    probe = (
        "import sys\n"
        "from generators.core.ecma_regex import translate\n"
        "assert translate(r'^[A-Z]{3}-\\d{2}$') == r'^[A-Z]{3}\\-[0-9]{2}\\Z'\n"
        "print('regex' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert (run.returncode, run.stdout.strip()) == (0, "False"), run.stderr
