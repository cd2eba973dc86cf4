"""The markdown report: a pull-request comment, a job summary and the release notes of CHANGELOG.md.

A comment holds 65,536 characters, so long sections fold (``<details>``) and the report is cut to a budget,
least important sections first, with a note saying what was left out. All spec text is Markdown-escaped: a
description or a path can carry links, images, HTML or backticks.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from generators.core.diagnostics import display_path
from generators.core.escape import for_markdown, markdown_code
from generators.diff.model import Bump, Change, DiffReport, Level

BUDGET = 65_000
_FOLD_AFTER = 10  # bullets shown before a section folds
_MAX_OPERATIONS = 10
_LIST_LIMIT = 200  # bullets per section at most, however much budget is left


def summary(report: DiffReport) -> str:
    """One line: the bump and the counts per level."""
    counts = {level: len(report.at_level(level)) for level in Level}
    acked = sum(1 for c in report.changes if c.acknowledged)
    text = (
        f"bump: {report.bump.label} ({counts[Level.BREAKING]} breaking, {counts[Level.WARNING]} warning, "
        f"{counts[Level.INFO]} info"
    )
    return text + (f"; {acked} acknowledged)" if acked else ")")


def prose(text: str) -> str:
    """Spec text in the report: literal Markdown, and no ``@mention`` or ``#123`` link (GitHub posts it)."""
    return for_markdown(text, github=True)


def label(text: str) -> str:
    """A side's label as shown to people: a file path relative to the working folder (``git:`` labels as is);
    a CI runner's absolute checkout path is noise in a comment."""
    if text.startswith("git:") or not os.path.isabs(text):
        return text
    here = os.getcwd()
    if text.startswith(here.rstrip(os.sep) + os.sep):
        return os.path.relpath(text, here)
    return display_path(text)


def groups(changes: Iterable[Change]) -> list[tuple[Change, list[str]]]:
    """Changes of one shared component (same rule) grouped, with the operations they affect."""
    found: dict[tuple[str, str], tuple[Change, list[str]]] = {}
    for c in changes:
        key = (c.rule, c.component or f"{c.operation} {c.json_path} {c.message}")
        entry = found.setdefault(key, (c, []))
        if c.operation and c.operation not in entry[1]:
            entry[1].append(c.operation)
    return list(found.values())


def _bullet(change: Change, operations: list[str]) -> str:
    rule = markdown_code(change.rule)
    text = f"- {prose(change.message)} {rule}"
    if change.component and len(operations) > 1:
        shown = ", ".join(markdown_code(op) for op in operations[:_MAX_OPERATIONS])
        more = f" and {len(operations) - _MAX_OPERATIONS} more" if len(operations) > _MAX_OPERATIONS else ""
        text = (
            f"- {prose(change.message.split(': ', 1)[-1])} in {markdown_code(change.component)} {rule}, "
            f"affects {len(operations)} operations: {shown}{more}"
        )
    elif operations:
        text = f"- {markdown_code(operations[0])}: {prose(change.message)} {rule}"
    if change.acknowledged:
        text += f" (acknowledged: {prose(change.acknowledged)})"
    return text


def _other_bullets(changes: list[Change]) -> list[str]:
    """``other-change`` entries, one bullet per operation or component with its differences listed."""
    by_owner: dict[str, list[Change]] = {}
    for c in changes:
        owner = c.operation or "/".join(c.json_path.split("/")[:4]) or "/"
        by_owner.setdefault(owner, []).append(c)
    bullets = []
    for owner, items in by_owner.items():
        texts = "; ".join(prose(c.message) for c in items[:5])
        more = f"; and {len(items) - 5} more" if len(items) > 5 else ""
        bullets.append(f"- {markdown_code(owner)}: {texts}{more}")
    return bullets


def _sections(report: DiffReport) -> list[tuple[str, list[str]]]:
    """(title, bullets) in order of importance."""
    info = report.at_level(Level.INFO)
    other = [c for c in info if c.rule == "other-change"]
    info = [c for c in info if c.rule != "other-change"]
    sections = (
        ("Breaking changes", [c for c in report.at_level(Level.BREAKING) if not c.acknowledged]),
        (
            "Acknowledged breaking changes (allowed by the acknowledgement file)",
            [c for c in report.at_level(Level.BREAKING) if c.acknowledged],
        ),
        ("Warnings", report.at_level(Level.WARNING)),
        ("Changes", [c for c in info if c.bump is not Bump.PATCH]),
        ("Documentation", [c for c in info if c.bump is Bump.PATCH]),
    )
    out = [(name, [_bullet(c, ops) for c, ops in groups(changes)]) for name, changes in sections if changes]
    if other:
        out.append(("Other differences (no rule judges them)", _other_bullets(other)))
    if report.unused_acks:
        out.append(("Unused acknowledgements", [f"- {prose(u)}" for u in report.unused_acks]))
    return out


def _render_section(heading: str, title: str, bullets: list[str], fold: bool) -> str:
    if not fold or len(bullets) <= _FOLD_AFTER:
        return "\n".join([f"{heading}# {title}", "", *bullets, ""])
    head, rest = bullets[:_FOLD_AFTER], bullets[_FOLD_AFTER:]
    folded = [f"<details><summary>{len(rest)} more</summary>", "", *rest, "", "</details>", ""]
    return "\n".join([f"{heading}# {title} ({len(bullets)})", "", *head, "", *folded])


def _fitting(bullets: list[str], room: int) -> int:
    """How many leading bullets fit in ``room`` characters with their section's heading and fold (linear)."""
    used, count = 160, 0  # heading, counts and the <details> wrapper
    for bullet in bullets:
        used += len(bullet) + 1
        if used > room:
            break
        count += 1
    return count


def render_markdown(
    report: DiffReport, heading: str = "##", title: bool = True, budget: int | None = BUDGET, fold: bool = True
) -> str:
    """Job summary / pull-request comment: sections per level, long ones folded (``fold``), the whole within
    ``budget`` characters (None: everything, as CHANGELOG.md's release notes want)."""
    top = []
    if title:
        base, revision = markdown_code(label(report.base_label)), markdown_code(label(report.revision_label))
        top += [f"{heading} API changes: {base} → {revision}", ""]
    top += [f"**{summary(report)}**", ""]
    if not report.changes and not report.unused_acks:
        return "\n".join([*top, "No changes to the API contract.", ""])
    room = (budget - len("\n".join(top)) - 300) if budget is not None else None  # 300: the closing note
    parts: list[str] = []
    cut: dict[str, int] = {}
    for name, bullets in _sections(report):
        kept = bullets if room is None else bullets[: min(_LIST_LIMIT, _fitting(bullets, room))]
        if len(kept) < len(bullets):
            cut[name.split(" (", 1)[0]] = len(bullets) - len(kept)
        if kept:
            text = _render_section(heading, name, kept, fold)
            parts.append(text)
            if room is not None:
                room -= len(text) + 1
    out = "\n".join([*top, *parts])
    if cut:
        left_out = ", ".join(f"{count} of {name}" for name, count in cut.items())
        out += (
            f"\n_{sum(cut.values())} more entries are not shown here ({left_out}; the report is cut to fit a "
            "comment); run `atlas-spec diff --format json` for all of them._\n"
        )
    return out
