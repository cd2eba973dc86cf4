"""Spec text in the Markdown outputs (the diff report, the pull-request comment, CHANGELOG.md): literal text.

Each hostile string, escaped and put where the reports put spec text (a bullet, a heading), renders back to
exactly itself: no HTML, link, image, emphasis, list, quote, heading or code block is made of it.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from generators.artefacts.docs import markdown
from generators.core.escape import for_markdown
from generators.diff import diff_documents
from generators.diff.comment import comment_body
from generators.diff.markdown import render_markdown
from generators.diff.version import prepend_changelog
from tests.diff.builders import ok, operation

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
@pytest.mark.parametrize("github", [False, True])
def test_escaped_text_renders_as_itself_in_a_bullet(text: str, github: bool) -> None:
    rendered = markdown.render("- " + for_markdown(text, github=github))
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


# ------------------------------------------------------------------------------------------ GitHub references

PINGS = "ask @octocat or @acme/owners, see #12, acme/api#34 and GH-56"
_LIVE = re.compile(r"@[A-Za-z0-9]|(?<!&)#[0-9]|\bGH-[0-9]", re.IGNORECASE)  # what GitHub turns into a ping or a link


def _prose(markdown_text: str) -> str:
    """The text outside code spans (GitHub neither pings nor links inside them)."""
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", markdown_text)


def test_mentions_and_issue_links_are_neutralised_for_github() -> None:
    escaped = for_markdown(PINGS, github=True)
    assert not _LIVE.search(escaped), escaped
    # rendered, the text reads the same (a zero-width space after each @, # and GH-)
    assert (
        markdown.render(escaped)
        == "<p>" + PINGS.replace("@", "@\u200b").replace("#", "#\u200b").replace("GH-", "GH-\u200b") + "</p>"
    )
    assert _LIVE.search(for_markdown(PINGS))  # elsewhere (the docs page's Markdown) nothing is added


def test_the_pull_request_comment_and_release_notes_ping_nobody() -> None:
    # before: "@octocat" in an enum value, a tag or an extension reached the pull-request comment live and
    # pinged the user (and cross-linked the issues) when the comment was posted
    base = operation("/tasks", responses={"200": ok({"type": "string", "enum": ["a"]})})
    revision = operation("/tasks", responses={"200": ok({"type": "string", "enum": ["a", PINGS]})}, tags=[PINGS])
    revision["tags"] = [{"name": PINGS}]
    report = diff_documents(base, revision, today=date(2025, 6, 1))
    notes = render_markdown(report)
    assert "octocat" in notes and "acme/owners" in notes
    for text in (notes, comment_body(notes), prepend_changelog("", "2.0.0", notes)):
        assert not _LIVE.search(_prose(text)), text
