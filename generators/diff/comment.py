"""The pull-request comment: the markdown report under a marker, cut to fit GitHub's limit on a comment.

GitHub refuses a comment body over 65,536 characters. The markdown report already fits (the diff renderer
cuts it); should it not, it is cut here at a line end, every ``<details>`` block and code fence left open is
closed, and a note says how to see every change. The marker, an HTML comment, lets the action find its own
comment and update it, so pushes to a pull request do not stack comments.

``python -m generators.diff.comment REPORT.md`` prints the body (the action's comment step uses it).
"""

from __future__ import annotations

import re
import sys

from generators.core.files import read_text

MARKER = "<!-- atlas-spec:pull-request-report -->"
LIMIT = 65_000
NOTE = (
    "\n> **The report is cut here**: it is longer than a pull-request comment may be; "
    "`atlas-spec diff --format json` lists every change.\n"
)
_OPEN = re.compile(r"<details\b", re.IGNORECASE)
_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)", re.MULTILINE)


def comment_body(report: str, limit: int = LIMIT) -> str:
    """``report`` under the marker in at most ``limit`` characters, never cut inside a line."""
    head = MARKER + "\n"
    if len(head) + len(report) <= limit:
        return head + report
    lines = report.splitlines(keepends=True)
    kept: list[str] = []
    size = len(head) + len(NOTE)
    open_details = fences = 0
    for line in lines:
        closing = _closing(open_details + len(_OPEN.findall(line)) - len(_CLOSE.findall(line)), fences)
        if size + len(line) + len(closing) > limit:
            break
        kept.append(line)
        size += len(line)
        open_details += len(_OPEN.findall(line)) - len(_CLOSE.findall(line))
        fences += len(_FENCE.findall(line))
    body = "".join(kept)
    if body and not body.endswith("\n"):
        body += "\n"
    return head + body + _closing(open_details, fences) + NOTE


def _closing(open_details: int, fences: int) -> str:
    return ("```\n" if fences % 2 else "") + "</details>\n" * max(open_details, 0)


def main(argv: list[str]) -> int:
    """Print the comment body for the markdown report in ``argv[0]``."""
    if len(argv) != 1:
        print("usage: python -m generators.diff.comment REPORT.md", file=sys.stderr)
        return 2
    try:
        report = read_text(argv[0])
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: {argv[0]}: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(comment_body(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
