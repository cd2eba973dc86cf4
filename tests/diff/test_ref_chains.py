"""The diff of descriptions whose Path Items are long chains of refs costs time linear in the chain."""

from __future__ import annotations

import copy
import time
from datetime import date
from typing import Any

from generators.diff import diff_documents


def path_item_chain(n: int) -> dict[str, Any]:
    """``/a`` a ref to ``I0``, each ``I<k>`` under ``components/pathItems`` a ref to the next, the last an item."""
    items: dict[str, Any] = {f"I{i}": {"$ref": f"#/components/pathItems/I{i + 1}"} for i in range(n)}
    items[f"I{n}"] = {"get": {"operationId": "get", "responses": {"200": {"description": "ok"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"$ref": "#/components/pathItems/I0"}},
        "components": {"pathItems": items},
    }


def seconds_to_diff(document: dict[str, Any]) -> float:
    revision = copy.deepcopy(document)
    started = time.process_time()
    report = diff_documents(document, revision, today=date(2026, 1, 1))
    assert report.changes == []
    return time.process_time() - started


def test_diff_of_a_long_chain_of_path_item_refs_is_linear() -> None:
    """Doubling the chain at most about doubles the time: the places a claim under ``/a`` also covers were
    gathered with a list's ``in`` (20,000 refs: 5 s, 3,000: 0.5 s)."""
    timings = {}
    for factor in (1, 2):
        document = path_item_chain(2_500 * factor)
        seconds_to_diff(document)  # warm
        timings[factor] = min(seconds_to_diff(document) for _ in range(2))
    # a generous margin for a loaded machine; quadratic growth gives 4x
    assert timings[2] < 2.5 * timings[1] + 0.05, timings
