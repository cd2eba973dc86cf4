"""Chains of refs (``A0 -> A1 -> ... -> An``, and schemas each ``allOf`` the next): validated at a cost linear in
the chain, findings at the end of a chain placed there, and nesting past the limit refused at its ``$ref``.

openapi-spec-validator reads every ref on a chain to its end, each time it meets one (800 refs: 8 s; 60,000: a
RecursionError, "nested too deeply" with no place); it now reads a copy whose refs name their chain's end.
``bench/refchains.py`` times every command on these shapes at sizes up to 10,000.
"""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import Any

import pytest

from generators.bundle.aliases import alias_ends, collapse_aliases
from generators.bundle.bundler import bundle_spec
from generators.core.diagnostics import AtlasError
from generators.source.limits import MAX_SCHEMA_NESTING
from generators.validate.fastcheck import LIBRARY_NESTING
from generators.validate.structural import validate_bundle
from tests.robustness.cliutil import REPO, assert_refused, cli


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def chain_spec(n: int, broken_end: bool = False, bad_parameter: bool = False) -> dict[str, Any]:
    """Schemas ``A0 .. An``, each a ref to the next, the last an object (its property's type a number when
    ``broken_end``); one operation answers ``A0`` (with a parameter ``in: body`` when ``bad_parameter``)."""
    schemas: dict[str, Any] = {f"A{i}": ref(f"A{i + 1}") for i in range(n)}
    schemas[f"A{n}"] = {"type": "object", "properties": {"id": {"type": 5 if broken_end else "string"}}}
    operation: dict[str, Any] = {
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ref("A0")}}}}
    }
    if bad_parameter:
        operation["parameters"] = [{"name": "x", "in": "body", "schema": {"type": "string"}}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": operation}},
        "components": {"schemas": schemas},
    }


def all_of_spec(n: int) -> dict[str, Any]:
    """Distinct schemas ``S0 .. Sn``, each with a property of its own and ``allOf`` the next one."""
    schemas: dict[str, Any] = {
        f"S{i}": {"type": "object", "properties": {f"p{i}": {"type": "string"}}, "allOf": [ref(f"S{i + 1}")]}
        for i in range(n)
    }
    schemas[f"S{n}"] = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
    schemas["S0"]["required"] = [f"p{n // 2}", "id"]  # names only the schemas far below define
    operation = {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ref("S0")}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": operation}},
        "components": {"schemas": schemas},
    }


def written(tmp_path: Path, name: str, document: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def test_a_finding_at_the_end_of_a_long_chain_is_placed_there(tmp_path: Path) -> None:
    # the way back from a validator's path (through A0's ref) gave up after 64 refs: A63, at A127's line
    spec = written(tmp_path, "api.json", chain_spec(300, broken_end=True, bad_parameter=True))
    found = validate_bundle(bundle_spec(spec))
    places = {(d.json_path, d.location.line if d.location else 0) for d in found}
    text = spec.read_text(encoding="utf-8").splitlines()
    type_line = next(i for i, line in enumerate(text, 1) if '"type": 5' in line)
    assert ("/components/schemas/A300/properties/id/type", type_line) in places, places


def test_refs_on_a_chain_name_its_end_and_nothing_else_changes() -> None:
    document = chain_spec(5)
    document["components"]["schemas"]["Loop1"] = ref("Loop2")
    document["components"]["schemas"]["Loop2"] = ref("Loop1")
    ends = alias_ends(document)
    # each ref string whose target is a ref, to the one whose target is not (A5, the object)
    assert ends == {f"#/components/schemas/A{i}": "#/components/schemas/A5" for i in range(5)}
    walked = collapse_aliases(document, ends)
    assert walked["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == ref("A5")
    schemas = walked["components"]["schemas"]
    assert [schemas[f"A{i}"] for i in range(6)] == [ref("A5")] * 5 + [document["components"]["schemas"]["A5"]]
    assert walked["components"]["schemas"]["A5"] is document["components"]["schemas"]["A5"]  # shared, not copied
    assert document["components"]["schemas"]["A0"] == ref("A1")  # the input is left as it was
    assert walked["components"]["schemas"]["Loop1"] == ref("Loop2")  # a loop has no end (refused elsewhere)
    assert collapse_aliases(document, {}) is document


@pytest.mark.parametrize("variant", ["3.1", "3.2", "3.2 with an error", "another dialect"])
def test_schemas_nested_past_the_limit_are_refused_at_the_ref(tmp_path: Path, variant: str) -> None:
    # where the library walks alone (another jsonSchemaDialect: no fast check prunes its walk) it ran on, quadratic
    # (3,000 levels: > 300 s): the lower limit applies there; a 3.2 description with an error is walked pruned
    n = MAX_SCHEMA_NESTING + 20
    document = all_of_spec(n)
    if variant.startswith("3.2"):
        document["openapi"] = "3.2.0"
    if variant == "3.2 with an error":
        document["info"]["x-ok"] = True
        del document["info"]["title"]
    elif variant == "another dialect":
        document["jsonSchemaDialect"] = "https://json-schema.org/draft/2020-12/schema"
    spec = written(tmp_path, "api.json", document)
    lines = spec.read_text(encoding="utf-8").splitlines()
    # S0 is level 1: the ref in S999 (to S1000) is the one that passes the limit (S127 without a fast path)
    limit = LIBRARY_NESTING if variant == "another dialect" else MAX_SCHEMA_NESTING
    line = next(i for i, text in enumerate(lines, 1) if f'"$ref": "#/components/schemas/S{limit}"' in text)
    for command in ("validate", "lint"):
        result = cli(command, "--spec", str(spec), cwd=REPO, timeout=60)
        assert_refused(result, "ref-too-deep", str(spec), line)
        assert f"/components/schemas/S{limit - 1}/allOf/0/$ref" in result.stdout
        assert f"more than {limit:,} levels" in result.stdout


def test_schemas_nested_up_to_the_limit_are_valid(tmp_path: Path) -> None:
    spec = written(tmp_path, "api.json", all_of_spec(MAX_SCHEMA_NESTING - 2))  # S998 (level 999), its property
    result = cli("validate", "--spec", str(spec), cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def seconds_to_validate(path: Path) -> float:
    bundled = bundle_spec(path)
    started = time.process_time()
    with contextlib.suppress(AtlasError):  # the limit is not reached at these sizes; were it, no less work is done
        validate_bundle(bundled)
    return time.process_time() - started


@pytest.mark.parametrize(
    ("shape", "size"),
    [
        (lambda n: chain_spec(n), 400),  # the fast path alone
        (lambda n: chain_spec(n, broken_end=True, bad_parameter=True), 400),  # the library, for its findings
        (all_of_spec, 200),
    ],
    ids=["clean-chain", "chain-with-findings", "all-of-chain"],
)
def test_validating_a_chain_of_refs_is_linear(tmp_path: Path, shape: Any, size: int) -> None:
    """Doubling the chain at most about doubles the time (quadratic before: 300 refs 1 s, 1,000 refs 7 s)."""
    timings = {}
    for factor in (1, 2):
        path = written(tmp_path, f"api{factor}.json", shape(size * factor))
        seconds_to_validate(path)  # warm: imports, compiled schemas
        timings[factor] = min(seconds_to_validate(path) for _ in range(2))
    # a generous margin for a loaded machine; quadratic growth gives 4x
    assert timings[2] < 2.5 * timings[1] + 0.05, timings
