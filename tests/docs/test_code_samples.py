"""Code samples on the docs page: what they send, that spec text stays data in every language, determinism."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docs_site import FIXTURES

from generators.artefacts.docs.code_samples import CodeSamples, token_variable
from generators.artefacts.docs.enrich import page_copy
from generators.artefacts.operation_facts import operation_facts
from generators.bundle.bundler import bundle_spec
from generators.core.operations import iter_operations
from tests.conftest import REPO

SAMPLES = FIXTURES / "samples" / "openapi.yaml"
ITEM_ID = "it'em $(touch PWNED) `touch PWNED` ; touch PWNED"
IF_MATCH = "7' ; touch PWNED ; echo '"
BODY_NAME = "'; touch PWNED; echo '$(touch PWNED)\u2028"
# A stand-in curl: prints every argument it gets, NUL-separated, and nothing else runs.
ECHO_CURL = "curl() { printf '%s\\0' \"$@\"; }\nuuidgen() { echo 00000000-0000-4000-8000-000000000000; }\n"


def _samples(root: Path) -> dict[str, dict[str, str]]:
    spec = bundle_spec(root).document
    builder = CodeSamples(spec, "SAMPLES_TOKEN")
    found = {}
    for path, method, op, item in iter_operations(spec["paths"]):
        samples = builder.for_operation(path, op, operation_facts(spec, method, op, item))
        found[op["operationId"]] = {s["label"]: s["source"] for s in samples}
    return found


def _curl_args(source: str, cwd: Path) -> list[str]:
    result = subprocess.run(
        ["bash", "-c", ECHO_CURL + source],
        capture_output=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "SAMPLES_TOKEN": "secret token"},
        check=True,
    )
    return result.stdout.decode().split("\0")[:-1]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_hostile_values_reach_curl_as_data_and_run_nothing(tmp_path: Path) -> None:
    args = _curl_args(_samples(SAMPLES)["patchItem"]["curl"], tmp_path)
    assert list(tmp_path.iterdir()) == [], "a sample ran a command"
    assert args[:2] == ["-X", "PATCH"]
    url = args[2]
    assert url.startswith("https://api.example.test/v2/items/it'em%20$(touch%20PWNED)%20%60touch%20PWNED%60")
    assert url.endswith("?q=a%26b%3D%24%28touch%20PWNED%29")
    headers = [args[i + 1] for i, a in enumerate(args) if a == "-H"]
    assert headers == [
        "Authorization: Bearer secret token",
        "Idempotency-Key: 00000000-0000-4000-8000-000000000000",
        f"If-Match: {IF_MATCH}",
        "X-Trace: line1 X-Injected: yes",  # a line break cannot start another header
        "Content-Type: application/json",
    ]
    body = json.loads(args[args.index("--data-raw") + 1])
    assert body == {"name": BODY_NAME, "count": 3, "flag": True, "none": None}


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_forms_never_read_files_and_auth_comes_from_the_environment(tmp_path: Path) -> None:
    samples = _samples(SAMPLES)
    form = _curl_args(samples["postForm"]["curl"], tmp_path)
    assert form[2] == "https://api.example.test/v2/forms?api%20key=secret token"
    assert form[form.index("--data-raw") + 1] == "%40etc%2Fpasswd=%40%2Fetc%2Fpasswd&note=a%20b%26c"
    upload = _curl_args(samples["upload"]["curl"], tmp_path)
    assert upload == ["-X", "PUT", "https://api.example.test/v2/upload", "-u", "secret token",
                      "--form-string", "file=@/etc/passwd"]  # fmt: skip
    assert _curl_args(samples["getPublic"]["curl"], tmp_path) == ["https://api.example.test/v2/public"]
    assert list(tmp_path.iterdir()) == []


def _literals(tree: ast.AST) -> list[Any]:
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)]


def test_python_samples_hold_spec_text_only_as_string_literals() -> None:
    source = _samples(SAMPLES)["patchItem"]["Python"]
    tree = ast.parse(source)
    calls = sorted(ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call))
    assert calls == ["print", "requests.patch", "str", "uuid.uuid4"]
    literals = _literals(tree)
    assert IF_MATCH in literals and BODY_NAME in literals and "a&b=$(touch PWNED)" in literals


def test_javascript_samples_hold_spec_text_only_as_string_literals() -> None:
    source = _samples(SAMPLES)["patchItem"]["JavaScript"]
    # Every spec string is a JSON string literal (valid JavaScript since ES2019, U+2028 included).
    assert json.dumps(IF_MATCH) in source and json.dumps(BODY_NAME, ensure_ascii=False) in source
    node = shutil.which("node")
    if node is not None:
        checked = subprocess.run(
            [node, "--input-type=module", "--check"], input=source.encode(), capture_output=True, check=False
        )
        assert checked.returncode == 0, checked.stderr.decode()


def test_the_token_variable_is_a_safe_environment_name() -> None:
    assert token_variable("atlas-public-api") == "ATLAS_PUBLIC_API_TOKEN"
    assert token_variable("9 lives; rm -rf /") == "API_9_LIVES_RM_RF_TOKEN"
    assert token_variable("$(x)") == "X_TOKEN"
    assert token_variable("") == "API_TOKEN"


def test_samples_are_deterministic_and_added_to_the_page_copy_only() -> None:
    spec = bundle_spec(REPO / "spec" / "openapi.yaml").document
    before = json.dumps(spec)
    first, second = page_copy(spec, "atlas-public-api"), page_copy(spec, "atlas-public-api")
    assert json.dumps(first) == json.dumps(second)
    assert json.dumps(spec) == before, "the bundled spec itself changed"
    operations = [op for _, _, op, _ in iter_operations(first["paths"])]
    assert len(operations) == 78
    assert all([s["label"] for s in op["x-codeSamples"]] == ["curl", "JavaScript", "Python"] for op in operations)


def test_samples_the_author_wrote_keep_their_place() -> None:
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "x-code-samples": [{"lang": "cURL", "source": "curl mine"}],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    op = page_copy(spec, "t")["paths"]["/a"]["get"]
    assert "x-code-samples" not in op
    assert [s.get("label", s["lang"]) for s in op["x-codeSamples"]] == ["cURL", "JavaScript", "Python"]


def test_a_parameter_with_content_is_one_text_in_the_samples() -> None:
    json_content = {"application/json": {"schema": {"type": "object", "properties": {"color": {"type": "string"}}}}}
    op = {
        "parameters": [{"name": "filter", "in": "query", "required": True, "content": json_content}],
        "responses": {"204": {"description": "none"}},
    }
    spec = {"openapi": "3.1.0", "info": {"title": "C", "version": "1"}, "paths": {"/pets": {"get": op}}}
    facts = operation_facts(spec, "get", op, spec["paths"]["/pets"])
    curl = next(s["source"] for s in CodeSamples(spec, "T").for_operation("/pets", op, facts) if s["lang"] == "Shell")
    assert "/pets?filter=%7B%22color%22%3A%22string%22%7D'" in curl, curl  # not ?color=string


UPLOAD = {
    "type": "object",
    "properties": {
        "file": {"type": "string", "format": "binary"},
        "a=@/etc/passwd": {"type": "string", "format": "binary"},
        "meta": {"type": "object", "properties": {"a": {"type": "string"}}},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}


def _form_samples(media_type: str, schema: dict[str, Any], **media: Any) -> dict[str, str]:
    op = {
        "requestBody": {"content": {media_type: {"schema": schema, **media}}},
        "responses": {"204": {"description": "n"}},
    }
    spec = {"openapi": "3.0.3", "info": {"title": "C", "version": "1"}, "paths": {"/up": {"post": op}}}
    facts = operation_facts(spec, "post", op, spec["paths"]["/up"])
    return {s["label"]: s["source"] for s in CodeSamples(spec, "T").for_operation("/up", op, facts)}


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_a_multipart_file_is_a_file_part_and_an_object_one_json_part(tmp_path: Path) -> None:
    # before: every field was text ("file=string"), an object "meta=a,string", and Python's dict of parts kept
    # one item of an array
    samples = _form_samples("multipart/form-data", UPLOAD)
    args = _curl_args(samples["curl"], tmp_path)
    assert args[args.index("--form") + 1] == "file=@file.bin"
    parts = [args[i + 1] for i, a in enumerate(args) if a == "--form-string"]
    # a name that would make curl read another file stays text: only the fixed file.bin is ever read
    assert parts == ["a=@/etc/passwd=", 'meta={"a":"string"}', "tags=string"]
    python = ast.literal_eval(
        samples["Python"].split("files=", 1)[1].rsplit(",\n)", 1)[0].replace('open("file.bin", "rb")', "None")
    )
    assert python[0] == ("file", ("file.bin", None)) and python[2] == (
        "meta",
        (None, '{"a":"string"}', "application/json"),
    )
    assert 'form.append("file", new Blob([]), "file.bin");' in samples["JavaScript"]


def test_urlencoded_fields_follow_their_encoding_style() -> None:
    schema = {
        "type": "object",
        "properties": {
            "ids": {"type": "array", "items": {"type": "integer"}},
            "o": {"type": "object", "properties": {"a": {"type": "string"}}},
        },
    }
    plain = _form_samples("application/x-www-form-urlencoded", schema)["curl"]
    assert "--data-raw 'ids=0&a=string'" in plain, plain  # form, exploded: an object's members are the fields
    styled = _form_samples(
        "application/x-www-form-urlencoded",
        schema,
        encoding={"ids": {"style": "pipeDelimited", "explode": False}, "o": {"style": "deepObject", "explode": True}},
    )["curl"]
    assert "--data-raw 'ids=0&o%5Ba%5D=string'" in styled, styled
