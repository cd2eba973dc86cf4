"""Spec text in the Markdown outputs (the diff report, the pull-request comment, CHANGELOG.md): literal text.

Each hostile string, escaped and put where the reports put spec text (a bullet, a heading), renders back to
exactly itself: no HTML, link, image, emphasis, list, quote, heading or code block is made of it.
"""

from __future__ import annotations

import html

import pytest

from generators.artefacts.docs import markdown
from generators.core.escape import for_markdown
from generators.diff.version import prepend_changelog

HOSTILE = [
    "9.0.0-<img src=x onerror=alert(1)>",
    "<script>alert(1)</script> &amp; &lt;",
    "**bold** _em_ ~~gone~~ `code` $x^2$",
    "[link](https://evil.example) ![img](https://evil.example/p.png) <https://evil.example>",
    "- a bullet",
    "+ another",
    "1. ordered",
    "12) ordered",
    "> a quote",
    "# a heading ##",
    "    indented code",
    "---",
    "===",
    "| a | table |",
    "back\\slash \\* escaped",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_itself_in_a_bullet(text: str) -> None:
    rendered = markdown.render("- " + for_markdown(text))
    assert rendered == f"<ul>\n<li>{html.escape(text, quote=False)}</li>\n</ul>"


@pytest.mark.parametrize("text", ["9.0.0-rc.1+build.5", "/tasks/{id}", "listTasks", "2.0", "a-b.c(d)"])
def test_versions_paths_and_names_stay_as_written(text: str) -> None:
    # escaping only what is syntax where it stands: CHANGELOG.md headings stay readable and are parsed back
    assert for_markdown(text) == text


def test_control_characters_and_line_breaks_cannot_start_a_block() -> None:
    escaped = for_markdown("a\n# heading\r\n- item\u2028<b>")
    assert "\n" not in escaped and "\r" not in escaped and "\u2028" not in escaped
    assert markdown.render(escaped).count("<p>") == 1


def test_autolinks_without_syntax_are_not_made() -> None:
    escaped = for_markdown("see https://evil.example and www.evil.example")
    assert escaped == "see https\\://evil.example and www\\.evil.example"


def test_a_changelog_heading_escapes_the_version() -> None:
    text = prepend_changelog("", "9.0.0-<img src=x onerror=alert(1)>", "notes")
    assert text.startswith("# Changelog\n\n## 9.0.0-\\<img src=x onerror=alert(1)\\>\n")
    assert "<img" not in markdown.render(text)
