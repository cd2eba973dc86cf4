"""Spec text made safe for human-readable output: terminals, CI logs and Markdown.

A spec is untrusted input. A newline inside an operationId can forge a GitHub workflow command (``::error::``)
in a log, an ESC or OSC sequence can rewrite a terminal, a bidi override can make a line read differently from
what it is, and Markdown in a tag name can add links or images to a pull-request comment. Every human format
passes spec text through one of these functions; machine formats (JSON, SARIF) escape by their own rules.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the Unicode bidi controls, line and paragraph separators
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>&])")


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


def for_markdown(text: str) -> str:
    """``text`` as literal Markdown inline text: controls escaped, Markdown and HTML syntax neutralised."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", for_terminal(text))


def markdown_code(text: str) -> str:
    """``text`` as a Markdown code span, fenced with more backticks than any run inside it."""
    safe = for_terminal(text)
    longest = max((len(run) for run in re.findall(r"`+", safe)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if safe.startswith("`") or safe.endswith("`") or not safe.strip() else ""
    return f"{fence}{pad}{safe}{pad}{fence}"
