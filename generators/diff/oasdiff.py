"""oasdiff's ERR and WARN checks (its checker/rules.go; 213 ERR, 30 WARN of 509) and how this diff covers each.

The data behind the coverage table in docs/diff-rules.md. Each line: oasdiff level, oasdiff check id, the rule
ids here that report the same change (comma-separated), and optionally ``~note`` when our default level differs
from oasdiff's on purpose. oasdiff splits most schema checks by where the schema sits (``-body-``,
``-property-``, ``-parameter-``, ``-header-``); our schema rules judge every schema the same way, so one rule
answers all of them. Taken from oasdiff at commit 4553c69d (2026); rerun the comparison when it grows.
"""

from __future__ import annotations

from dataclasses import dataclass

from generators.core.escape import markdown_code
from generators.diff.model import Level
from generators.diff.rules import RULES

NOTES = {
    "defect": "a malformed x-sunset or x-stability-level is a defect of the description, not a change clients "
    "feel: a warning here (oasdiff: error)",
    "sunset-deleted": "dropping the sunset date of a deprecated item moves no date closer for clients; a warning "
    "because the item may then be removed at any time (oasdiff: error)",
    "default-removed": "house convention: a removed parameter default is a warning, clients that send the "
    "parameter are unaffected (oasdiff: error)",
    "default-added": "a default added documents what the server already does when the parameter is absent: "
    "info here (oasdiff: error)",
    "all-of-removed": "removing an allOf part loosens what a request must satisfy; the merged parts' properties "
    "are compared one by one, so a property that goes fires request-property-removed (oasdiff: warning)",
}
_LEVELS = {"ERR": Level.BREAKING, "WARN": Level.WARNING}
_RANK = {Level.INFO: 0, Level.WARNING: 1, Level.BREAKING: 2}

# level id our-rules [~note]
_TABLE = """
ERR  request-property-deprecated-sunset-missing deprecated-without-sunset
ERR  request-property-deprecated-sunset-invalid sunset-invalid ~defect
ERR  request-property-sunset-date-too-small sunset-too-soon
ERR  response-property-deprecated-sunset-missing deprecated-without-sunset
ERR  response-property-deprecated-sunset-invalid sunset-invalid ~defect
ERR  response-property-sunset-date-too-small sunset-too-soon
ERR  api-stability-decreased stability-decreased
ERR  request-property-stability-decreased stability-decreased
ERR  response-property-stability-decreased stability-decreased
ERR  api-deprecated-sunset-parse sunset-invalid ~defect
ERR  api-deprecated-sunset-missing deprecated-without-sunset
ERR  api-invalid-stability-level stability-level-invalid ~defect
ERR  api-sunset-date-too-small sunset-too-soon
ERR  request-parameter-deprecated-sunset-missing deprecated-without-sunset
ERR  request-parameter-sunset-date-too-small sunset-too-soon
ERR  api-path-removed-without-deprecation operation-removed
ERR  api-path-sunset-parse sunset-invalid ~defect
ERR  api-path-removed-before-sunset operation-removed-before-sunset
ERR  api-removed-without-deprecation operation-removed
ERR  api-removed-before-sunset operation-removed-before-sunset
ERR  sunset-deleted sunset-removed ~sunset-deleted
ERR  api-sunset-date-changed-too-small operation-sunset-moved-earlier,sunset-too-soon
ERR  request-parameter-sunset-deleted sunset-removed ~sunset-deleted
ERR  request-parameter-sunset-date-changed-too-small sunset-moved-earlier,sunset-too-soon
ERR  request-body-added-required request-body-added-required
ERR  new-required-request-default-parameter-to-existing-path request-parameter-added-required
ERR  new-required-request-parameter request-parameter-added-required
ERR  new-request-path-parameter request-parameter-added-required
ERR  new-required-request-header-property request-required-property-added
ERR  request-body-became-enum request-enum-added
ERR  request-body-media-type-removed request-body-media-type-removed
ERR  request-body-media-type-schema-added request-schema-added
WARN response-body-media-type-schema-removed response-schema-removed
ERR  request-body-removed request-body-removed
ERR  request-body-became-required request-body-became-required
ERR  request-header-property-became-enum request-enum-added
ERR  request-header-property-became-required request-property-became-required
ERR  request-parameter-became-enum request-enum-added
ERR  request-parameter-became-not-nullable request-nullable-removed
ERR  request-parameter-property-became-not-nullable request-nullable-removed
ERR  request-parameter-default-value-changed request-parameter-default-changed
ERR  request-parameter-default-value-added request-parameter-default-added ~default-added
ERR  request-parameter-default-value-removed request-parameter-default-removed ~default-removed
ERR  request-parameter-enum-value-removed request-enum-value-removed
ERR  request-parameter-property-enum-value-removed request-enum-value-removed
ERR  request-parameter-max-items-decreased request-max-items-decreased
WARN request-parameter-max-length-set request-max-length-added
ERR  request-parameter-max-length-decreased request-max-length-decreased
WARN request-parameter-max-set request-max-added
WARN request-parameter-exclusive-max-set request-max-added
ERR  request-parameter-max-decreased request-max-decreased
ERR  request-parameter-exclusive-max-decreased request-max-decreased
WARN request-parameter-min-items-set request-min-items-added
ERR  request-parameter-min-items-increased request-min-items-increased
ERR  request-parameter-min-length-increased request-min-length-increased
WARN request-parameter-min-set request-min-added
WARN request-parameter-exclusive-min-set request-min-added
ERR  request-parameter-min-increased request-min-increased
ERR  request-parameter-exclusive-min-increased request-min-increased
ERR  request-parameter-pattern-added request-pattern-added
WARN request-parameter-pattern-changed request-pattern-changed
WARN request-parameter-removed request-parameter-removed
ERR  request-parameter-sunset-parse sunset-invalid ~defect
ERR  request-parameter-removed-before-sunset request-parameter-removed-before-sunset
ERR  request-parameter-became-required request-parameter-became-required
ERR  request-parameter-type-changed request-type-changed
WARN request-parameter-property-type-changed request-type-changed
ERR  request-parameter-property-type-specialized request-type-narrowed
ERR  request-parameter-x-extensible-enum-value-removed request-enum-value-removed
ERR  request-body-all-of-added request-all-of-added
WARN request-body-all-of-removed request-all-of-removed ~all-of-removed
ERR  request-property-all-of-added request-all-of-added
WARN request-property-all-of-removed request-all-of-removed ~all-of-removed
ERR  request-body-any-of-removed request-any-of-removed
ERR  request-property-any-of-removed request-any-of-removed
ERR  request-property-became-enum request-enum-added
ERR  request-body-became-not-nullable request-nullable-removed
ERR  request-property-became-not-nullable request-nullable-removed
ERR  request-body-const-added request-enum-added
ERR  request-body-const-changed request-enum-value-removed
ERR  request-property-const-added request-enum-added
ERR  request-property-const-changed request-enum-value-removed
ERR  request-property-enum-value-removed request-enum-value-removed
ERR  request-body-max-decreased request-max-decreased
ERR  request-property-max-decreased request-max-decreased
ERR  request-body-exclusive-max-decreased request-max-decreased
ERR  request-property-exclusive-max-decreased request-max-decreased
WARN request-body-max-length-set request-max-length-added
WARN request-property-max-length-set request-max-length-added
ERR  request-body-max-length-decreased request-max-length-decreased
ERR  request-property-max-length-decreased request-max-length-decreased
WARN request-body-max-set request-max-added
WARN request-property-max-set request-max-added
WARN request-body-exclusive-max-set request-max-added
WARN request-property-exclusive-max-set request-max-added
ERR  request-body-min-increased request-min-increased
ERR  request-property-min-increased request-min-increased
ERR  request-body-exclusive-min-increased request-min-increased
ERR  request-property-exclusive-min-increased request-min-increased
ERR  request-body-min-items-increased request-min-items-increased
ERR  request-property-min-items-increased request-min-items-increased
WARN request-body-min-items-set request-min-items-added
WARN request-property-min-items-set request-min-items-added
ERR  request-body-min-length-increased request-min-length-increased
ERR  request-property-min-length-increased request-min-length-increased
WARN request-body-min-set request-min-added
WARN request-property-min-set request-min-added
WARN request-body-exclusive-min-set request-min-added
WARN request-property-exclusive-min-set request-min-added
ERR  request-body-one-of-removed request-one-of-removed
ERR  request-property-one-of-removed request-one-of-removed
ERR  request-property-pattern-added request-pattern-added
WARN request-property-pattern-changed request-pattern-changed
ERR  request-property-became-required request-property-became-required
ERR  request-property-became-required-with-default request-property-became-required
ERR  request-body-type-changed request-type-changed
ERR  request-property-type-changed request-type-changed
WARN request-property-removed request-property-removed
ERR  new-required-request-property request-required-property-added
ERR  new-required-request-property-with-default request-required-property-added
ERR  request-body-wrapped-in-one-of request-wrapped-in-one-of
ERR  request-property-x-extensible-enum-value-removed request-enum-value-removed
ERR  response-header-became-optional response-header-became-optional
ERR  required-response-header-removed response-header-removed
WARN optional-response-header-removed response-header-removed
ERR  response-header-type-changed response-type-changed
ERR  response-header-type-generalized response-type-widened
ERR  response-header-became-nullable response-nullable-added
ERR  response-media-type-removed response-media-type-removed
ERR  response-media-type-name-generalized response-media-type-removed
WARN response-optional-property-removed response-property-removed
ERR  response-property-became-nullable response-nullable-added
ERR  response-body-became-nullable response-nullable-added
ERR  response-property-became-optional response-property-became-optional
ERR  response-body-const-removed response-enum-removed
ERR  response-body-const-changed response-enum-value-added
ERR  response-property-const-removed response-enum-removed
ERR  response-property-const-changed response-enum-value-added
WARN response-property-enum-value-added response-enum-value-added
ERR  response-body-max-increased response-max-increased
ERR  response-property-max-increased response-max-increased
ERR  response-body-exclusive-max-increased response-max-increased
ERR  response-property-exclusive-max-increased response-max-increased
ERR  response-body-max-length-increased response-max-length-increased
ERR  response-property-max-length-increased response-max-length-increased
ERR  response-body-max-length-unset response-max-length-removed
ERR  response-property-max-length-unset response-max-length-removed
ERR  response-body-min-decreased response-min-decreased
ERR  response-property-min-decreased response-min-decreased
ERR  response-body-exclusive-min-decreased response-min-decreased
ERR  response-property-exclusive-min-decreased response-min-decreased
ERR  response-body-min-items-decreased response-min-items-decreased
ERR  response-property-min-items-decreased response-min-items-decreased
ERR  response-body-min-items-unset response-min-items-removed
ERR  response-property-min-items-unset response-min-items-removed
ERR  response-body-min-length-decreased response-min-length-decreased
ERR  response-property-min-length-decreased response-min-length-decreased
ERR  response-body-one-of-added response-one-of-added
ERR  response-property-one-of-added response-one-of-added
ERR  response-body-type-changed response-type-changed
ERR  response-body-type-generalized response-type-widened
ERR  response-property-type-changed response-type-changed
ERR  response-property-type-generalized response-type-widened
ERR  response-required-property-removed response-property-removed
ERR  response-body-wrapped-in-one-of response-wrapped-in-one-of
WARN response-required-property-became-not-write-only response-property-became-not-write-only
ERR  response-success-status-removed response-success-status-removed
ERR  webhook-removed webhook-removed
ERR  request-body-enum-value-removed request-enum-value-removed
ERR  request-body-list-of-types-narrowed request-type-narrowed
ERR  request-property-list-of-types-narrowed request-type-narrowed
ERR  response-body-list-of-types-widened response-type-widened
ERR  response-property-list-of-types-widened response-type-widened
ERR  request-parameter-list-of-types-narrowed request-type-narrowed
ERR  request-parameter-property-list-of-types-narrowed request-type-narrowed
ERR  request-body-prefix-items-removed request-prefix-items-removed
ERR  request-property-prefix-items-removed request-prefix-items-removed
ERR  response-body-prefix-items-added response-prefix-items-added
ERR  response-property-prefix-items-added response-prefix-items-added
ERR  request-body-if-added request-if-added
ERR  request-body-then-added request-then-added
ERR  request-body-else-added request-else-added
ERR  request-property-if-added request-if-added
ERR  request-property-then-added request-then-added
ERR  request-property-else-added request-else-added
ERR  response-body-if-removed response-if-removed
ERR  response-body-then-removed response-then-removed
ERR  response-body-else-removed response-else-removed
ERR  response-property-if-removed response-if-removed
ERR  response-property-then-removed response-then-removed
ERR  response-property-else-removed response-else-removed
ERR  request-body-contains-added request-contains-added
ERR  request-body-min-contains-increased request-min-contains-increased
ERR  request-body-max-contains-decreased request-max-contains-decreased
ERR  request-property-contains-added request-contains-added
ERR  request-property-min-contains-increased request-min-contains-increased
ERR  request-property-max-contains-decreased request-max-contains-decreased
ERR  response-body-contains-removed response-contains-removed
ERR  response-body-min-contains-decreased response-min-contains-decreased
ERR  response-body-max-contains-increased response-max-contains-increased
ERR  response-property-contains-removed response-contains-removed
ERR  response-property-min-contains-decreased response-min-contains-decreased
ERR  response-property-max-contains-increased response-max-contains-increased
ERR  request-body-dependent-required-added request-dependent-required-added
ERR  request-body-dependent-required-changed request-dependent-required-added
ERR  request-property-dependent-required-added request-dependent-required-added
ERR  request-property-dependent-required-changed request-dependent-required-added
ERR  response-body-dependent-required-removed response-dependent-required-removed
ERR  response-body-dependent-required-changed response-dependent-required-removed
ERR  response-property-dependent-required-removed response-dependent-required-removed
ERR  response-property-dependent-required-changed response-dependent-required-removed
ERR  request-body-dependent-schema-added request-dependent-schema-added
ERR  request-property-dependent-schema-added request-dependent-schema-added
ERR  response-body-dependent-schema-removed response-dependent-schema-removed
ERR  response-property-dependent-schema-removed response-dependent-schema-removed
ERR  request-body-pattern-property-added request-pattern-property-added
ERR  request-property-pattern-property-added request-pattern-property-added
ERR  response-body-pattern-property-removed response-pattern-property-removed
ERR  response-property-pattern-property-removed response-pattern-property-removed
ERR  request-body-property-names-added request-property-names-added
ERR  request-property-property-names-added request-property-names-added
ERR  response-body-property-names-removed response-property-names-removed
ERR  response-property-property-names-removed response-property-names-removed
ERR  request-body-unevaluated-items-added request-unevaluated-items-added
ERR  request-body-unevaluated-properties-added request-unevaluated-properties-added
ERR  request-property-unevaluated-items-added request-unevaluated-items-added
ERR  request-property-unevaluated-properties-added request-unevaluated-properties-added
ERR  response-body-unevaluated-items-removed response-unevaluated-items-removed
ERR  response-body-unevaluated-properties-removed response-unevaluated-properties-removed
ERR  response-property-unevaluated-items-removed response-unevaluated-items-removed
ERR  response-property-unevaluated-properties-removed response-unevaluated-properties-removed
ERR  request-body-content-schema-added request-content-schema-added
ERR  request-body-content-media-type-changed request-content-media-type-changed
ERR  request-body-content-encoding-changed request-content-encoding-changed
ERR  request-property-content-schema-added request-content-schema-added
ERR  request-property-content-media-type-changed request-content-media-type-changed
ERR  request-property-content-encoding-changed request-content-encoding-changed
ERR  response-body-content-schema-removed response-content-schema-removed
ERR  response-body-content-media-type-changed response-content-media-type-changed
ERR  response-body-content-encoding-changed response-content-encoding-changed
ERR  response-property-content-schema-removed response-content-schema-removed
ERR  response-property-content-media-type-changed response-content-media-type-changed
ERR  response-property-content-encoding-changed response-content-encoding-changed
"""


@dataclass(frozen=True)
class Check:
    """One oasdiff check and our answer to it."""

    id: str
    level: str
    rules: tuple[str, ...]
    note: str | None

    @property
    def verdict(self) -> str:
        """``covered``, ``stricter`` (ours is a higher level), ``differs`` (lower on purpose) or ``missing``."""
        known = [RULES[r] for r in self.rules if r in RULES]
        if not known or len(known) != len(self.rules):
            return "missing"
        ours = max(_RANK[r.level] for r in known)
        wanted = _RANK[_LEVELS[self.level]]
        if ours < wanted:
            return "differs" if self.note else "missing"
        return "stricter" if ours > wanted else "covered"


def checks() -> list[Check]:
    """Every oasdiff ERR and WARN check with our rules."""
    found = []
    for line in _TABLE.strip().splitlines():
        level, check_id, rules, *note = line.split()
        found.append(Check(check_id, level, tuple(rules.split(",")), note[0][1:] if note else None))
    return found


def _verdict_text(check: Check) -> str:
    verdict = check.verdict
    if verdict == "differs":
        return f"we differ on purpose: {NOTES[check.note or '']}"
    if verdict == "stricter":
        return "covered (house: oasdiff's WARN counts as breaking)"
    return "covered" if verdict == "covered" else "**missing**"


def coverage_table() -> str:
    """The markdown table of docs/diff-rules.md: each check, our rules and levels, and why we differ."""
    rows = ["| oasdiff check | oasdiff | our rule | our level | verdict |", "|---|---|---|---|---|"]
    for check in checks():
        rules = ", ".join(markdown_code(r) for r in check.rules)
        levels = ", ".join(sorted({RULES[r].level.value for r in check.rules if r in RULES}))
        verdict = _verdict_text(check)
        rows.append(f"| {markdown_code(check.id)} | {check.level} | {rules} | {levels} | {verdict} |")
    counts = {v: sum(1 for c in checks() if c.verdict == v) for v in ("covered", "stricter", "differs", "missing")}
    rows += [
        "",
        f"{len(checks())} checks: {counts['covered']} covered at oasdiff's level, {counts['stricter']} covered at a "
        f"stricter level, {counts['differs']} where we differ on purpose, {counts['missing']} missing.",
    ]
    return "\n".join(rows) + "\n"
