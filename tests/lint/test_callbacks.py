"""Operation rules see callbacks' operations where Redocly's do, each finding at the callback's source line.

Redocly's ``Operation`` visitors (operation-summary, security-defined, operationId unique and URL-safe,
operation-tag-defined) and its ``PathItem`` ones (operation-parameters-unique) visit every callback, those of
``components/callbacks`` too; its 2xx and 4xx rules visit the callbacks of operations under ``paths`` only.
"""

from __future__ import annotations

from pathlib import Path

from generators.bundle.bundler import bundle_spec
from generators.lint import LintConfig, fast_locators, lint_document
from tests.support import make_tree

FILES = {
    "openapi.yaml": """
        openapi: 3.1.0
        info: {title: Hooks, version: '1', contact: {url: 'https://t.test'}, license: {name: MIT, identifier: MIT}}
        servers: [{url: 'https://api.hooks.test'}]
        tags: [{name: hooks, description: Hooks.}]
        paths:
          /subscriptions:
            post:
              operationId: subscribe
              summary: Subscribe
              tags: [hooks]
              security: []
              responses:
                '201': {description: Subscribed.}
                '400': {description: Bad request.}
              callbacks:
                onEvent:
                  '{$request.body#/url}':
                    post:
                      operationId: subscribe
                      tags: [events]
                      responses:
                        '500': {description: The receiver failed.}
                onRetry:
                  $ref: callbacks.yaml#/Retry
        components:
          callbacks:
            Spare:
              '{$request.body#/spare}':
                put:
                  summary: Spare
                  security: []
                  responses:
                    '204': {description: Received.}
    """,
    "callbacks.yaml": """
        Retry:
          '{$request.body#/retry}':
            post:
              summary: Retry
              security: []
              responses:
                '204': {description: Received.}
    """,
}


def findings(tmp_path: Path) -> dict[str, list[str]]:
    root = make_tree(tmp_path, FILES)
    bundled = bundle_spec(root)
    found: dict[str, list[str]] = {}
    for d in lint_document(bundled.document, LintConfig(), *fast_locators(bundled), parallel=False):
        if d.location is not None:
            found.setdefault(d.code, []).append(f"{Path(d.location.file).name}:{d.location.line}")
    return found


def test_callback_operations_are_checked_where_they_are_written(tmp_path: Path) -> None:
    found = findings(tmp_path)
    inline = "openapi.yaml:18"  # the callback's `post:`
    assert found["operation-summary"] == [inline]
    assert found["security-defined"] == [inline]
    assert found["operation-operationId-unique"] == ["openapi.yaml:19"]
    assert found["operation-tag-defined"] == ["openapi.yaml:20"]
    # under paths: the inline callback and the one in callbacks.yaml (no 4xx); the unused Spare is not
    assert found["operation-2xx-response"] == ["openapi.yaml:21"]
    assert sorted(found["operation-4xx-response"]) == ["callbacks.yaml:6", "openapi.yaml:21"]


def test_a_callback_operation_is_named_by_its_expression_and_callback(tmp_path: Path) -> None:
    root = make_tree(tmp_path, FILES)
    bundled = bundle_spec(root)
    found = lint_document(bundled.document, LintConfig(), *fast_locators(bundled), parallel=False)
    [summary] = [d for d in found if d.code == "operation-summary"]
    assert summary.message == "POST {$request.body#/url} (callback 'onEvent') has no summary"
