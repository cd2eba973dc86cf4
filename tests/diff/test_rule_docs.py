"""docs/diff-rules.md's rule table is the catalogue, generated."""

from __future__ import annotations

from generators.diff.render import render_rules
from tests.conftest import REPO, assert_generated_section


def test_the_rule_catalogue_page_matches_the_catalogue(update_golden: bool) -> None:
    assert_generated_section(REPO / "docs" / "diff-rules.md", "diff-rules", render_rules("markdown"), update_golden)
