"""The openapi-spec-validator patches are tied to the library versions they were written for."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest
from openapi_spec_validator.validation import keywords

import generators.validate.patches as patches
from tests.support import cli


@pytest.mark.parametrize("package", sorted(patches.PATCHED_FOR))
def test_the_patched_library_is_the_version_the_patches_were_written_for(package: str) -> None:
    assert version(package) == patches.PATCHED_FOR[package], (
        f"{package} changed: review generators/validate/patches.py against it, then update PATCHED_FOR"
    )


def test_apply_installs_each_patch_once() -> None:
    patches.apply()
    init = keywords.SchemaValidator.__init__
    call = keywords.SchemaValidator.__call__
    patches.apply()
    assert keywords.SchemaValidator.__init__ is init and getattr(init, "atlas_fast", False)
    assert keywords.SchemaValidator.__call__ is call and getattr(call, "atlas_tagged", False)


@pytest.mark.parametrize("oas", ["3.0", "3.1"])
def test_the_fast_path_reads_the_schema_the_library_uses(oas: str) -> None:
    # read from the package folder, so that the fast path need not import openapi-spec-validator (0.1 s); both
    # copies patched alike (3.1: an open Reference Object, generators/validate/siblings.py)
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.schemas.utils import get_schema_content

    from generators.validate.fastcheck import schema_content

    patches.apply()
    library = {"3.0": OpenAPIV30SpecValidator, "3.1": OpenAPIV31SpecValidator}[oas].schema_validator.schema
    assert schema_content(oas) == library
    original = get_schema_content(oas)["$defs"]["reference"] if oas == "3.1" else None
    assert original is None or original.get("unevaluatedProperties") is False  # what the patch opens


def test_plain_nodes_are_read_without_a_protocol_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """pathable reads a dict or a list as any Subscriptable (same values, same KeyError), without the
    runtime Protocol check that is slow on Python 3.11; other nodes still get it."""
    import pathable.accessors as accessors

    patches.apply()
    checked: list[object] = []
    protocol = accessors.Subscriptable

    class Counting(type):
        def __instancecheck__(cls, node: object) -> bool:
            checked.append(node)
            return isinstance(node, protocol)

    monkeypatch.setattr(accessors, "Subscriptable", Counting("Subscriptable", (), {}))
    read = accessors.SubscriptableAccessor._get_subnode
    assert read({"a": 1}, "a") == 1 and read([5, 6], 1) == 6 and read("text", 0) == "t"
    for node, part in (({"a": 1}, "b"), ([5], 3), ([5], "x"), (7, "a")):
        with pytest.raises(KeyError):
            read(node, part)
    assert checked == ["text", 7]


def test_the_visited_ids_forget_what_is_deleted() -> None:
    """The id lists answer ``in`` from a set: deleting from the list (the pruned walk taking back its marks)
    must take the ids out of the set too."""
    patches.apply()
    ids = keywords.SchemaValidator(None).visited_schema_ids  # type: ignore[arg-type]
    for item in (1, 2, 3, 4):
        ids.append(item)
    del ids[len(ids) - 2 :]
    del ids[0]
    assert list(ids) == [2] and 2 in ids and not any(item in ids for item in (1, 3, 4))


UNDEFINED_REQUIRED = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Base:
      type: object
      properties:
        id: {type: string}
    Thing:
      allOf:
        - $ref: '#/components/schemas/Base'
      required: [zeta, id, alpha, mu, beta, omega, gamma, kappa, delta, sigma, epsilon, tau, eta]
"""


def test_undefined_required_names_are_told_in_written_order_whatever_the_hash_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library lists the ``required`` names no ``properties`` define from a set: the message's bytes
    changed from one process to the next (shipengine.com's description). They are told as written, at the
    ``required`` key."""
    (tmp_path / "api.yaml").write_text(UNDEFINED_REQUIRED, encoding="utf-8")
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        result = cli("validate", "--spec", "api.yaml", "--format", "json", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1
    [finding] = json.loads(outputs.pop())
    names = "'zeta', 'alpha', 'mu', 'beta', 'omega', 'gamma', 'kappa', 'delta', 'sigma', 'epsilon', 'tau', 'eta'"
    assert finding["message"] == (
        f"'required' names properties that neither this schema nor its allOf members define: {names}"
    )
    assert finding["jsonPath"] == "/components/schemas/Thing/required"
    assert (finding["line"], finding["column"]) == (13, 7)
    assert "properties" in finding["hint"]
