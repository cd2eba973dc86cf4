"""openapi-spec-validator (0.15 s to import) is imported only when the fast path needs its words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support import REPO, make_tree

_PROBE = """
import sys
from generators.bundle.bundler import bundle_spec
from generators.validate.structural import validate_bundle
found = validate_bundle(bundle_spec(sys.argv[1]))
print(len(found), "openapi_spec_validator" in sys.modules)
"""
SPEC = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      parameters:
        - {name: n, in: query, schema: {type: integer, default: %s}}
      responses:
        '200': {description: ok}
"""


def _probe(tmp_path: Path, default: str) -> str:
    root = make_tree(tmp_path, {"openapi.yaml": SPEC % default})
    run = subprocess.run([sys.executable, "-c", _PROBE, str(root)], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_a_clean_document_with_fitting_defaults_needs_no_library(tmp_path: Path) -> None:
    assert _probe(tmp_path, "10") == "0 False"


def test_a_default_that_does_not_fit_its_own_flat_schema_needs_no_library(tmp_path: Path) -> None:
    # judged and worded as the library would (tests/validate/test_without_library.py compares the two)
    assert _probe(tmp_path, "ten") == "1 False"
