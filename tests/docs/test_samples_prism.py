"""Every curl sample of the docs page, run as written against a Prism mock of the bundle, gets a documented 2xx.

Like the Postman end-to-end test: Prism runs with ``--errors``, so a sample whose request breaks the spec gets a
4xx instead. The one change to a sample is its base URL (the spec's server becomes the mock). ``uuidgen`` comes
from the system, or from a stand-in printing a UUID where the system has none (Debian needs uuid-runtime).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from generators.artefacts.docs.code_samples import CodeSamples, base_url_of
from generators.artefacts.operation_facts import operation_facts
from generators.bundle.bundler import bundle_spec
from generators.core.operations import iter_operations
from tests.conftest import REPO, missing, shared_path
from tests.postman.postman_harness import prism_mock, redocly_bundle

pytestmark = pytest.mark.external

DO_ROOT = ("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")
# See tests/postman/test_postman_newman.py: no request can satisfy this operation's oneOf under JSON Schema rules.
DO_UNSATISFIABLE = {"dropletActions_post_byTag"}
# curl prints the status code and writes the body to the file named by $BODY.
WRAPPER = 'curl() { command curl -sS --max-time 60 -o "$BODY" -w "%{http_code}" "$@"; }\n'


def _samples(root: Path) -> list[tuple[str, str, set[str]]]:
    """(operationId or method+path, curl sample, documented status codes) of every operation."""
    spec = bundle_spec(root).document
    builder = CodeSamples(spec, "SAMPLES_TOKEN")
    found = []
    for path, method, op, item in iter_operations(spec["paths"]):
        curl = builder.for_operation(path, op, operation_facts(spec, method, op, item))[0]
        assert curl["label"] == "curl"
        found.append((op.get("operationId", f"{method} {path}"), curl["source"], set(op.get("responses", {}))))
    return found


def _bin_dir(tmp: Path) -> Path:
    folder = tmp / "bin"
    folder.mkdir()
    if shutil.which("uuidgen") is None:
        shim = folder / "uuidgen"
        shim.write_text(f"#!/bin/sh\nexec {sys.executable} -c 'import uuid; print(uuid.uuid4())'\n", encoding="utf-8")
        shim.chmod(0o755)
    return folder


def _run(root: Path, tmp: Path) -> dict[str, list[str]]:
    if shutil.which("curl") is None or shutil.which("bash") is None:
        missing("curl and bash run the samples")
    samples = _samples(root)
    base = base_url_of(bundle_spec(root).document)
    spec_file = redocly_bundle(root, tmp)
    env = {**os.environ, "SAMPLES_TOKEN": "test-token", "PATH": f"{_bin_dir(tmp)}:{os.environ.get('PATH', '')}"}
    verdicts: dict[str, list[str]] = {"passed": [], "failed": [], "unmockable": []}
    with prism_mock(spec_file, tmp / "prism.log") as mock:

        def run(index: int, sample: tuple[str, str, set[str]]) -> tuple[str, str, set[str], str]:
            name, source, documented = sample
            assert source.startswith(("curl ", "curl -X ", "curl --head ")) and base in source
            body = tmp / f"body-{index}"
            done = subprocess.run(
                ["bash", "-c", WRAPPER + source.replace(base, mock, 1)],
                capture_output=True,
                env={**env, "BODY": str(body)},
                timeout=120,
                check=False,
            )
            text = body.read_text(encoding="utf-8", errors="replace") if body.exists() else done.stderr.decode()
            return name, done.stdout.decode().strip(), documented, text

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(run, range(len(samples)), samples))
    for name, code, documented, text in results:
        two_xx = {c for c in documented if c.startswith("2")}
        if code in two_xx or (code.startswith("2") and (not two_xx or any(c.upper() == "2XX" for c in two_xx))):
            verdicts["passed"].append(name)
        elif code == "500" and _response_only_violations(text):
            verdicts["unmockable"].append(name)
        else:
            verdicts["failed"].append(f"{name} -> {code}: {text[:300]}")
    return verdicts


def _response_only_violations(body: str) -> bool:
    try:
        problem: Any = json.loads(body)
    except ValueError:
        return False
    found = problem.get("validation") if isinstance(problem, dict) else None
    return bool(found) and all(v.get("location", [""])[0] == "response" for v in found)


def test_every_atlas_curl_sample_gets_its_documented_2xx(tmp_path: Path) -> None:
    verdicts = _run(REPO / "spec" / "openapi.yaml", tmp_path)
    assert verdicts["failed"] == [] and verdicts["unmockable"] == []
    assert len(verdicts["passed"]) == 78


@pytest.mark.slow
def test_digitalocean_curl_samples_get_their_2xx_wherever_prism_can_mock(tmp_path: Path) -> None:
    verdicts = _run(shared_path(*DO_ROOT), tmp_path)
    failed = [f for f in verdicts["failed"] if f.split(" -> ")[0] not in DO_UNSATISFIABLE]
    mockable = len(verdicts["passed"]) + len(verdicts["failed"])
    unmockable = len(verdicts["unmockable"])
    print(f"\nDigitalOcean: {len(verdicts['passed'])}/{mockable} curl samples passed, {unmockable} unmockable")
    assert failed == []
    assert sum(len(v) for v in verdicts.values()) == len(_samples(shared_path(*DO_ROOT)))
