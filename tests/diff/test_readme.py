"""README's rule table is the catalogue, generated."""

from __future__ import annotations

from generators.diff.render import render_rules
from tests.conftest import REPO


def test_readme_rule_table_matches_the_catalogue() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- diff-rules:start -->\n", "<!-- diff-rules:end -->"
    assert start in text and end in text, "README lost the diff-rules markers"
    table = text.split(start, 1)[1].split(end, 1)[0]
    assert table == render_rules("markdown"), "run: atlas-spec diff --list-rules --format markdown"
