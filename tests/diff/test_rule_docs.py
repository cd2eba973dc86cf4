"""docs/diff-rules.md's rule table is the catalogue, generated."""

from __future__ import annotations

from generators.diff.oasdiff import checks, coverage_table
from generators.diff.render import render_rules
from generators.diff.rules import RULES
from tests.conftest import REPO, assert_generated_section


def test_the_rule_catalogue_page_matches_the_catalogue(update_golden: bool) -> None:
    assert_generated_section(REPO / "docs" / "diff-rules.md", "diff-rules", render_rules("markdown"), update_golden)


def test_the_oasdiff_coverage_table_is_generated(update_golden: bool) -> None:
    assert_generated_section(REPO / "docs" / "diff-rules.md", "oasdiff-coverage", coverage_table(), update_golden)


def test_every_oasdiff_error_and_warning_has_a_verdict_and_none_is_missing() -> None:
    found = checks()
    assert (sum(c.level == "ERR" for c in found), sum(c.level == "WARN" for c in found)) == (213, 30)
    assert len({c.id for c in found}) == len(found)
    assert all(rule in RULES for c in found for rule in c.rules), "a coverage entry names an unknown rule"
    assert [c.id for c in found if c.verdict == "missing"] == []
    # a level lower than oasdiff's is only allowed with a written reason
    assert all(c.note for c in found if c.verdict == "differs")
