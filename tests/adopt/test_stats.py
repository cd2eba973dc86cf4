"""`atlas-spec stats`: counts of a modular description, as text and json."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import cli, make_tree

FILES = {
    "spec/openapi.yaml": """\
        openapi: 3.1.0
        info: {title: T, version: '1', x-logo: {url: 'x'}}
        tags: [{name: a}, {name: b}]
        paths:
          x-paths-note: fine
          /a:
            $ref: './paths/a.yaml'
          /b:
            get:
              x-internal: true
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: './schemas/B.yaml'}
                      example: {$ref: 'not a ref, data'}
        webhooks:
          born: {post: {responses: {'200': {description: ok}}}}
        components:
          schemas:
            A: {type: object, properties: {x-not-an-extension: {type: string}}}
        """,
    "spec/paths/a.yaml": """\
        get:
          x-internal: false
          responses: {'200': {description: ok}}
        post:
          responses: {'201': {description: made}}
        """,
    "spec/schemas/B.yaml": 'type: object\n"x-\\e[31mred": 1\n',  # an escape character in a key
}


def test_stats_json_counts_the_description_and_its_files(tmp_path: Path) -> None:
    make_tree(tmp_path, FILES)
    result = cli("stats", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "openapi": "3.1.0",
        "files": 3,
        "paths": 2,
        "operations": 3,
        "webhooks": 1,
        "schemas": 2,
        "components": {"schemas": 2},
        "refs": 2,  # the one under `example` is data
        "tags": 2,
        "extensions": {"x-\x1b[31mred": 1, "x-internal": 2, "x-logo": 1, "x-paths-note": 1},
    }


def test_stats_text_is_aligned_and_safe_for_a_terminal(tmp_path: Path) -> None:
    make_tree(tmp_path, FILES)
    result = cli("stats", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "operations  3\n" in result.stdout and "files       3\n" in result.stdout
    assert "\x1b" not in result.stdout and "x-\\x1b[31mred (1)" in result.stdout
    assert "components  schemas 2\n" in result.stdout


def test_stats_on_a_broken_spec_is_an_input_error(tmp_path: Path) -> None:
    make_tree(tmp_path, {"spec/openapi.yaml": "openapi: 3.1.0\npaths: {/a: {$ref: './missing.yaml'}}\n"})
    result = cli("stats", cwd=tmp_path)
    assert result.returncode == 2 and "missing.yaml" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_stats_json_on_a_broken_spec_is_still_a_json_document(tmp_path: Path) -> None:
    make_tree(tmp_path, {"spec/openapi.yaml": "openapi: 3.1.0\npaths: {/a: {$ref: './missing.yaml'}}\n"})
    result = cli("stats", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2 and "missing.yaml" in result.stderr
    (error,) = json.loads(result.stdout)["errors"]
    assert error["code"] == "ref-missing-file" and "missing.yaml" in error["message"]
    assert (error["file"], error["line"]) == ("spec/openapi.yaml", 2)


def test_only_stats_keeps_the_parsed_source_files_alive(tmp_path: Path) -> None:
    from generators.bundle.bundler import bundle_spec

    root = make_tree(tmp_path, FILES)
    assert bundle_spec(root).sources == {}  # every other command lets them go once bundled
    assert len(bundle_spec(root, keep_sources=True).sources) == 3
