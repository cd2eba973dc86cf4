"""A ``$ref`` to a file that is neither YAML nor JSON (a code sample, a Markdown text) brings in its text, as Redocly
reads it (Redocly/openapi-starter keeps its ``x-codeSamples`` sources in ``code_samples/*.cs``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.bundle.bundler import bundle_spec
from generators.core.diagnostics import AtlasError
from generators.source.cache import ParseCache
from tests.support import HEAD

CODE = "using System;\nusing System.Net.Http;\n\nclass Program\n{\n    key: value\n}\n"
NOTES = "# Notes\n\nFirst line,\r\nsecond line: with a colon.\r\n"

ROOT = (
    HEAD
    + """\
paths:
  /menu:
    get:
      description: {$ref: ./docs/notes.md}
      responses:
        '200': {description: ok}
      x-codeSamples:
        - lang: C#
          source: {$ref: ./code_samples/get.cs}
"""
)


def write_tree(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "code_samples").mkdir()
    (tmp_path / "docs" / "notes.md").write_bytes(NOTES.encode())
    (tmp_path / "code_samples" / "get.cs").write_text(CODE, encoding="utf-8")
    root = tmp_path / "openapi.yaml"
    root.write_text(ROOT, encoding="utf-8")
    return root


@pytest.mark.parametrize("cached", [False, True], ids=["bundle", "serve-cache"])
def test_a_ref_to_a_text_file_is_its_text_not_a_yaml_parse(tmp_path: Path, cached: bool) -> None:
    root = write_tree(tmp_path)
    document = bundle_spec(root, cache=ParseCache() if cached else None).document
    operation = document["paths"]["/menu"]["get"]
    assert operation["x-codeSamples"][0]["source"] == CODE
    assert operation["description"] == NOTES.replace("\r\n", "\n")


def test_a_pointer_into_a_text_file_is_refused_at_the_ref(tmp_path: Path) -> None:
    root = write_tree(tmp_path)
    root.write_text(ROOT.replace("./docs/notes.md}", "'./docs/notes.md#/title'}"), encoding="utf-8")
    with pytest.raises(AtlasError) as caught:
        bundle_spec(root)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.location is not None
    assert (diagnostic.location.file, diagnostic.location.line) == (str(root), 8), diagnostic.render()
