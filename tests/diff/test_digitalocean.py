"""Two 'commits' of the real modular DigitalOcean source: a copy patched to remove an endpoint and to add a
required query parameter; both bundled by the project's bundler and diffed."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generators.bundle.bundler import bundle_spec
from generators.diff import diff_documents
from tests.conftest import shared_path

ROOT = "DigitalOcean-public.v2.yaml"


@pytest.mark.slow
def test_patched_copy_reports_the_two_breaks(tmp_path: Path) -> None:
    source = shared_path("corpus", "digitalocean", "specification")
    copy = tmp_path / "specification"
    shutil.copytree(source, copy)
    root = copy / ROOT
    text = root.read_text(encoding="utf-8")
    backups = (
        '  /v2/droplets/{droplet_id}/backups:\n    get:\n      $ref: "resources/droplets/droplets_list_backups.yml"\n'
    )
    assert backups in text
    root.write_text(text.replace(backups, ""), encoding="utf-8")
    listing = copy / "resources" / "droplets" / "droplets_list.yml"
    listing.write_text(
        listing.read_text(encoding="utf-8").replace(
            "parameters:\n",
            "parameters:\n  - {name: region, in: query, required: true, schema: {type: string}}\n",
            1,
        ),
        encoding="utf-8",
    )
    base = bundle_spec(source / ROOT).document
    revision = bundle_spec(root).document
    report = diff_documents(base, revision, today=date(2025, 6, 1))
    found = {(c.rule, c.operation) for c in report.changes}
    assert found == {
        ("operation-removed", "GET /v2/droplets/{droplet_id}/backups"),
        ("request-parameter-added-required", "GET /v2/droplets"),
    }
    assert report.bump.label == "major"


@pytest.mark.slow
def test_corpus_against_itself_is_no_change() -> None:
    root = shared_path("corpus", "digitalocean", "specification", ROOT)
    document = bundle_spec(root).document
    assert diff_documents(document, bundle_spec(root).document, today=date(2025, 6, 1)).changes == []
