"""Breaking-change diff between two OpenAPI descriptions: semantic, direction-aware, with a rule catalogue.

``inputs`` loads a side, ``resolve`` normalises schemas, ``schemas``/``operations``/``toplevel`` compare,
``rules`` is the catalogue, ``engine`` turns findings into changes, ``policy`` applies acknowledged breaks,
``render`` prints them.
"""

from __future__ import annotations

from datetime import date

from generators.core.diagnostics import Location
from generators.core.settings import Settings, artefact_name, config_place
from generators.diff.engine import diff_documents
from generators.diff.inputs import Side, default_base, load_side
from generators.diff.model import Bump, Change, DiffReport, Level, Policy
from generators.diff.policy import apply_acks, check_config, parse_acks, policy_from

__all__ = ["Bump", "Change", "DiffReport", "Level", "Policy", "Side", "compare_sides", "diff_documents", "run_diff"]


def compare_sides(base: Side, revision: Side, today: date | None = None, policy: Policy | None = None) -> DiffReport:
    """Diff two loaded sides and apply the revision's acknowledgement file."""
    report = diff_documents(
        base.document,
        revision.document,
        today=today or date.today(),
        base_label=base.label,
        revision_label=revision.label,
        locate=revision.locate,
        policy=policy,
    )
    acks = parse_acks(revision.acks, revision.ack_file or "") if revision.acks is not None else []
    return apply_acks(report, acks)


def run_diff(
    base: str | None, revision: str | None, settings: Settings, today: date | None = None, with_locations: bool = False
) -> tuple[DiffReport, Side, Side]:
    """Load both sides (defaults: the released bundle at HEAD, the configured spec root) and diff them."""
    file = Location(str(settings.config_file or "pyproject.toml"))
    table = check_config(settings.diff, lambda *keys: config_place(settings, "diff", *keys) or file)
    base_side = load_side(base, settings) if base else None
    revision_side = load_side(revision or str(settings.spec), settings, with_locations=with_locations)
    if base_side is None:  # the released bundle's file name may come from the revision's info.title
        base_side = load_side(default_base(settings, artefact_name(settings, revision_side.document)), settings)
    return compare_sides(base_side, revision_side, today, policy_from(table)), base_side, revision_side
