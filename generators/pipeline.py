"""The build pipeline as plain functions: load -> bundle -> validate -> lint -> gate -> generate -> write or check.

The gate: structural validation errors always stop a build (an invalid document is not published); lint
findings stop it at the ``--fail-on`` level (``[tool.atlas-spec.build] fail-on``, default ``error``); with
``never`` the artefacts are written and the findings printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generators.artefacts.model import Artefact
from generators.artefacts.registry import artefact_generators
from generators.bundle.bundler import BundledSpec, bundle_configured
from generators.core.diagnostics import AtlasError, Diagnostic, Location, Severity
from generators.core.settings import Settings, did_you_mean
from generators.validate.structural import validate_bundle
from generators.writer import write_artefacts

FAIL_ON = ("error", "warning", "never")
DEFAULT_FAIL_ON = "error"
_BUILD_TABLE = "[tool.atlas-spec.build]"
_BUILD_KEYS = ("fail-on",)
# The lint severities that stop a build at each --fail-on level.
_STOPPING = {"error": {Severity.ERROR}, "warning": {Severity.ERROR, Severity.WARN}, "never": set()}


@dataclass(frozen=True)
class Checked:
    """Every finding about a bundled spec: structural validation first, then lint (run only on a valid
    structure, so a broken document is reported once, in structural terms)."""

    structural: list[Diagnostic] = field(default_factory=list)
    lint: list[Diagnostic] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Structural findings, then lint findings."""
        return [*self.structural, *self.lint]

    @property
    def invalid(self) -> bool:
        """True when the document breaks the OpenAPI structure (no build publishes it)."""
        return any(d.severity is Severity.ERROR for d in self.structural)

    def stops(self, fail_on: str) -> bool:
        """True when a build at ``fail_on`` must not write: an invalid structure, or a lint finding at the level."""
        stopping = _STOPPING[fail_on]
        return self.invalid or any(d.severity in stopping for d in self.lint)


@dataclass
class BuildResult:
    """What a build found and did."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    stopped: bool = False  # findings at or above the gate (or an invalid structure): nothing was written
    invalid: bool = False  # the structure is invalid (whatever the gate says)

    @property
    def failed(self) -> bool:
        """True when the gate stopped the build or ``--check`` found stale artefacts."""
        return self.stopped or bool(self.stale)


def fail_on_level(settings: Settings, flag: str | None = None) -> str:
    """The gate of this build: the ``--fail-on`` flag, else ``[tool.atlas-spec.build] fail-on``, else ``error``."""
    where = Location(str(settings.config_file)) if settings.config_file else None
    for key in settings.build:
        if key not in _BUILD_KEYS:
            hint = did_you_mean(key, _BUILD_KEYS, "the only key is 'fail-on'")
            raise AtlasError.at("config-key", f"unknown key '{key}' in {_BUILD_TABLE}", where, hint)
    configured = settings.build.get("fail-on", DEFAULT_FAIL_ON)
    if configured not in FAIL_ON:
        raise AtlasError.at(
            "config-value", f"{_BUILD_TABLE} 'fail-on' is {configured!r}", where, f"use one of: {', '.join(FAIL_ON)}"
        )
    return flag or str(configured)


def check_bundle(bundled: BundledSpec, settings: Settings) -> Checked:
    """Structural validation, then lint (only on a structurally valid spec)."""
    from generators.lint import lint_bundle

    structural = validate_bundle(bundled)
    if any(d.severity is Severity.ERROR for d in structural):
        return Checked(structural)
    return Checked(structural, lint_bundle(bundled, settings))


def generate_artefacts(bundled: BundledSpec, settings: Settings) -> list[Artefact]:
    """Run every registered generator on the bundled document."""
    return [generate(bundled.document, settings) for generate in artefact_generators()]


def build(settings: Settings, check: bool = False, fail_on: str = DEFAULT_FAIL_ON) -> BuildResult:
    """Validate, lint, gate, generate and write (or, with ``check``, compare with what is on disk)."""
    bundled = bundle_configured(settings)
    checked = check_bundle(bundled, settings)
    result = BuildResult(checked.diagnostics, stopped=checked.stops(fail_on), invalid=checked.invalid)
    if result.stopped:
        return result
    artefacts = generate_artefacts(bundled, settings)
    if check:
        result.stale = [a.path for a in artefacts if not _same_on_disk(settings.out_dir / a.path, a.content)]
    else:
        result.written = write_artefacts(settings.out_dir, artefacts)
    return result


def _same_on_disk(path: Path, content: bytes) -> bool:
    try:
        return path.read_bytes() == content
    except OSError:
        return False
