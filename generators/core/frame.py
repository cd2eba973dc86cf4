"""The code frame under a finding: its source line with a line around it and a caret under the column.

Lines are shown through ``escape.for_terminal`` (spec text never reaches a terminal raw) and cut to a window
around the column, so a finding on a one-line minified JSON file prints about 150 characters, not the megabytes
of its line: no frame line is longer than ``WIDTH`` plus its gutter and the two ellipses. Windowing escapes only
the characters it keeps, so a frame costs the same on a 10 MB line as on a short one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from generators.core.escape import for_terminal
from generators.core.files import read_file

WIDTH = 140  # characters of source text per frame line; with the gutter, lines stay under 160
_ELLIPSIS = "…"


def code_frame(file: str, line: int, col: int, paint: Paint | None = None, context: int = 1) -> list[str]:
    """The lines of the frame (without newlines); none when the file or line cannot be read."""
    source = _lines(file)
    if not source or line < 1 or line > len(source):
        return []
    first, last = max(1, line - context), min(len(source), line + context)
    width = len(str(last))
    frame = []
    for number in range(first, last + 1):
        try:
            line_text = source[number - 1].decode("utf-8").removesuffix("\r")
        except UnicodeDecodeError:
            return []
        text, caret = window(line_text, col)
        mark = ">" if number == line else " "
        frame.append(f"  {mark} {number:>{width}} | {text}".rstrip())
        if number == line and col > 0:
            pointer = "^" if paint is None else paint("^", "caret")
            frame.append(f"    {' ' * width} | {' ' * caret}{pointer}")
    return frame


def window(text: str, col: int, width: int = WIDTH) -> tuple[str, int]:
    """``text`` escaped and cut to at most ``width`` characters (plus ellipses) around ``col``; and the caret's
    offset in the result (where character ``col`` of the source now stands)."""
    index = min(max(col - 1, 0), len(text))
    if len(text) <= width:
        escaped = for_terminal(text)
        if len(escaped) <= width:
            return escaped, len(for_terminal(text[:index]))
    head = for_terminal(text[max(0, index - width) : index])
    tail = for_terminal(text[index : index + width])
    keep_left = min(len(head), max(width - len(tail), width // 2))
    keep_right = min(len(tail), width - keep_left)
    cut_left = keep_left < len(head) or index - width > 0
    cut_right = keep_right < len(tail) or index + width < len(text)
    shown = head[len(head) - keep_left :] + tail[:keep_right]
    prefix = _ELLIPSIS if cut_left else ""
    return prefix + shown + (_ELLIPSIS if cut_right else ""), len(prefix) + keep_left


class Paint:
    """ANSI colours for a terminal (``NO_COLOR``/``FORCE_COLOR`` are decided by the caller)."""

    _CODES: ClassVar[dict[str, str]] = {
        "error": "1;31",
        "warn": "1;33",
        "info": "1;34",
        "caret": "1;31",
        "code": "2",
        "place": "1",
    }

    def __call__(self, text: str, role: str) -> str:
        code = self._CODES.get(role)
        return f"\x1b[{code}m{text}\x1b[0m" if code else text


@lru_cache(maxsize=64)
def _lines(file: str) -> tuple[bytes, ...]:
    """The file's lines as bytes; a frame decodes only the lines it shows.

    Decoding a whole big file first cost more than the findings' frames: GitHub's 13 MB description (one emoji
    makes its text four bytes a character) took 0.09-0.17 s to decode and split, its bytes 0.02-0.03 s to split.
    """
    try:
        raw = read_file(file).removeprefix(b"\xef\xbb\xbf")
    except (OSError, ValueError):
        return ()
    # lines end at "\n" only, as the locators count them (splitlines would also split at U+2028 and others)
    return tuple(raw.removesuffix(b"\n").split(b"\n"))
