"""Spec text made safe for human-readable output: terminals, CI logs and Markdown.

A spec is untrusted input. A newline inside an operationId can forge a GitHub workflow command (``::error::``)
in a log, an ESC or OSC sequence can rewrite a terminal, a bidi override can make a line read differently from
what it is, Markdown in a tag name can add links, images or raw HTML to a pull-request comment, and ``@octocat``
in a description pings a person when the comment is posted. Every human format passes spec text through one of
these functions; machine formats (JSON, SARIF) escape by their own rules.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the Unicode bidi controls, line and paragraph separators
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Inline syntax anywhere in a line (CommonMark + GFM): escapes, code spans, emphasis, links and images, raw HTML
# and autolinks, entities, table cells, strikethrough, an ATX heading's closing #s, GitHub's $math$. Only these are
# escaped, so a version, a path or an identifier reads as written (CHANGELOG.md headings are parsed back).
_MARKDOWN_INLINE = re.compile(r"[\\`*_\[\]<>&|~#$]")
# What opens a block at the start of the text (after "- " or "## "): a bullet, a setext or thematic line, an
# ordered item (a marker is followed by a space or the end), an indented code block
_MARKDOWN_BLOCK = re.compile(r"^(?:[-+=](?=[-=\s]|$)|\d{1,9}[.)](?=\s|$)| {4})")
# GFM autolinks made without any syntax: www.example.com and scheme://
_MARKDOWN_AUTOLINK = re.compile(r"(?<=www)\.|:(?=//)", re.IGNORECASE)
# GitHub references: @user, @org/team and #123 (also owner/repo#123, GH-123) notify or cross-link
_GITHUB_REFERENCE = re.compile(r"@|(?<=#)(?=\d)|(?<=\bGH)-(?=\d)", re.IGNORECASE)
_NO_LINK = "&#8203;"  # a zero-width space, as an entity: visible in the raw text, invisible once rendered


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """``text`` on one line with every control and bidi character shown as an escape (``\\n``, ``\\x1b``)."""
    return _UNSAFE.sub(_visible, text) if _UNSAFE.search(text) else text


def for_markdown(text: str, github: bool = False) -> str:
    """``text`` as literal Markdown inline text on one line: controls escaped (no line break can start a block),
    Markdown and HTML syntax neutralised; ``github``: also no mention (``@user``) or issue link (``#123``).

    Characters that are syntax only in some places (``.``, ``-``, ``(``) stay as written where they are not:
    ``9.0.0-rc.1`` is unchanged, ``1. item`` at the start becomes ``1\\. item``.
    """
    safe = _MARKDOWN_INLINE.sub(r"\\\g<0>", for_terminal(text))
    safe = _MARKDOWN_AUTOLINK.sub(r"\\\g<0>", safe)
    if github:
        safe = _GITHUB_REFERENCE.sub(lambda m: m.group() + _NO_LINK, safe)
    block = _MARKDOWN_BLOCK.match(safe)
    if block:  # "- x" -> "\\- x", "1. x" -> "1\\. x", four spaces -> "&#32;" and three
        end = block.end()
        marker = "&#32;" if safe[0] == " " else "\\" + safe[end - 1] if safe[0].isdigit() else "\\" + safe[0]
        safe = (safe[: end - 1] + marker if safe[0].isdigit() else marker + safe[1:end]) + safe[end:]
    return safe


def markdown_code(text: str) -> str:
    """``text`` as a Markdown code span, fenced with more backticks than any run inside it."""
    safe = for_terminal(text)
    longest = max((len(run) for run in re.findall(r"`+", safe)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if safe.startswith("`") or safe.endswith("`") or not safe.strip() else ""
    return f"{fence}{pad}{safe}{pad}{fence}"
