"""The compiled example check after a RecursionError: no forward reference to nothing is left in its cache.

Before this test, lint crashed with IndexError on schemas about 6,000 levels deep: when the recursion limit hit
a node's compilation right where its error handler needed one more call, the handler failed too and left the
node's placeholder (a forward reference with no target) in the cache; the next example checked against that
node called it. The test compiles at every alignment of the recursion limit, so it does not depend on how
deep the test runner's stack is.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
from typing import Any

from jsonschema import FormatChecker

from generators.lint.compiled import Compiler, Unsupported


def nested(levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"a": schema}}
    return schema


def test_no_placeholder_survives_a_recursion_error_at_any_depth() -> None:
    here = len(inspect.stack())
    limit = sys.getrecursionlimit()
    failures = 0
    for headroom in range(40, 200):
        schema = nested(60)
        compiler = Compiler(lambda ref: None, "3.1", FormatChecker(), None)
        sys.setrecursionlimit(here + headroom)
        try:
            compiler.compile(schema)
            continue
        except (RecursionError, Unsupported):
            failures += 1
        finally:
            sys.setrecursionlimit(limit)
        node = schema
        while "properties" in node:  # every inner node, as examples of the subschemas would reach them
            # the caller falls back to jsonschema on these two: fine; an IndexError is not
            with contextlib.suppress(RecursionError, Unsupported):
                assert compiler.compile(node)({"a": {}}) in (True, False)
            node = node["properties"]["a"]
    assert failures > 20  # the limit really was hit, at many alignments
