"""Newman runs our collection against a Prism mock (``--errors``) of the same bundled spec.

Every request must get one of its documented (saved) 2xx answers; with ``--errors`` Prism answers a request
that breaks the spec with 4xx, so a pass also means "no request violations". Prism itself cannot mock an
operation whose own documented response breaks its schema (it answers 500 with response-only violations):
those are counted apart, since no request could pass there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generators.artefacts.postman import collection as postman_collection
from generators.artefacts.postman import environment as postman_environment
from tests.conftest import REPO, shared_path
from tests.postman.postman_harness import (
    SHOP,
    bundled,
    executions,
    items,
    newman,
    prism_mock,
    redocly_bundle,
    response_text,
    settings,
)

pytestmark = pytest.mark.external

DO_ROOT = ("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")
# DigitalOcean operations no request can satisfy under JSON Schema rules, so Prism refuses every body:
DO_UNSATISFIABLE = {
    # oneOf [droplet_action, droplet_action_snapshot]: the second is allOf[the first, optional name], so any
    # body matching one matches both and "exactly one" fails (Prism does not apply the discriminator).
    "dropletActions_post_byTag",
}


def _run(root: Path, tmp: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    document, spec_file = bundled(root), redocly_bundle(root, tmp)
    config = settings("case", tmp)
    collection = tmp / "case.postman_collection.json"
    environment = tmp / "case.postman_environment.json"
    collection.write_bytes(postman_collection.generate(document, config).content)
    environment.write_bytes(postman_environment.generate(document, config).content)
    # every credential the collection uses (DigitalOcean's inference operations have a scheme of their own)
    secrets = [v["key"] for v in json.loads(environment.read_bytes())["values"] if v["type"] == "secret"]
    with prism_mock(spec_file, tmp / "prism.log") as base:
        report = newman(collection, environment, tmp, {"baseUrl": base, **dict.fromkeys(secrets, "test-token")})
    return json.loads(collection.read_text(encoding="utf-8")), report


def _verdicts(collection: dict[str, Any], report: dict[str, Any]) -> dict[str, list[str]]:
    """Each request sorted into passed / failed / unmockable (Prism's own documented response is invalid)."""
    expected = {i["id"]: {r["code"] for r in i["response"]} for i in items(collection)}
    op_ids = {i["id"]: i["name"] for i in items(collection)}
    verdicts: dict[str, list[str]] = {"passed": [], "failed": [], "unmockable": []}
    for execution in executions(report):
        item_id = execution["item"]["id"]
        response = execution.get("response")
        code = response["code"] if response else None
        label = f"{execution['request']['method']} {op_ids[item_id]} -> {code}"
        # No documented 2xx (only ``default``): Prism's 2xx still says the request passed validation.
        if code in expected[item_id] or (not expected[item_id] and code is not None and 200 <= code < 300):
            verdicts["passed"].append(label)
        elif code == 500 and _response_only_violations(response_text(execution)):
            verdicts["unmockable"].append(label)
        else:
            verdicts["failed"].append(f"{label}: {response_text(execution)[:300] or execution.get('requestError')}")
    return verdicts


def _response_only_violations(body: str) -> bool:
    try:
        problem = json.loads(body)
    except ValueError:
        return False
    found = problem.get("validation") if isinstance(problem, dict) else None
    return bool(found) and all(v.get("location", [""])[0] == "response" for v in found)


def test_shop_collection_passes_prism(tmp_path: Path) -> None:
    collection, report = _run(SHOP, tmp_path)
    verdicts = _verdicts(collection, report)
    assert verdicts["failed"] == [] and verdicts["unmockable"] == []
    assert len(verdicts["passed"]) == len(list(items(collection))) == 8


def test_atlas_collection_passes_prism(tmp_path: Path) -> None:
    collection, report = _run(REPO / "spec" / "openapi.yaml", tmp_path)
    verdicts = _verdicts(collection, report)
    assert verdicts["failed"] == [] and verdicts["unmockable"] == []
    assert len(verdicts["passed"]) == len(list(items(collection)))


@pytest.mark.slow
def test_digitalocean_collection_passes_prism(tmp_path: Path) -> None:
    collection, report = _run(shared_path(*DO_ROOT), tmp_path)
    verdicts = _verdicts(collection, report)
    unsatisfiable = {i["name"] for i in items(collection) if i["id"] in _ids_of(collection, DO_UNSATISFIABLE)}
    failed = [f for f in verdicts["failed"] if not any(f" {name} -> " in f for name in unsatisfiable)]
    mockable = len(verdicts["passed"]) + len(verdicts["failed"])
    print(
        f"\nDigitalOcean: {len(verdicts['passed'])}/{mockable} mockable requests passed "
        f"({100 * len(verdicts['passed']) / mockable:.1f}%), {len(verdicts['unmockable'])} unmockable"
    )
    assert failed == []
    assert len(verdicts["passed"]) + len(verdicts["failed"]) + len(verdicts["unmockable"]) == len(
        list(items(collection))
    )


def _ids_of(collection: dict[str, Any], operation_ids: set[str]) -> set[str]:
    from generators.artefacts.postman.common import stable_id

    return {stable_id("case", "request", op) for op in operation_ids}
