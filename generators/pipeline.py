"""The build pipeline as plain functions: load -> bundle -> validate -> generate -> write or check."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generators.artefacts.model import Artefact
from generators.artefacts.registry import artefact_generators
from generators.bundle.bundler import BundledSpec, bundle_configured
from generators.core.diagnostics import Diagnostic, Severity
from generators.core.settings import Settings
from generators.validate.structural import validate_bundle
from generators.writer import write_artefacts


@dataclass
class BuildResult:
    """What a build found and did."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when an error finding stopped the build or ``--check`` found stale artefacts."""
        return bool(self.stale) or any(d.severity is Severity.ERROR for d in self.diagnostics)


def check_bundle(bundled: BundledSpec, settings: Settings) -> list[Diagnostic]:
    """Every finding that gates a build: structural validation, then lint (only on a structurally valid spec)."""
    from generators.lint import lint_bundle

    diagnostics = validate_bundle(bundled)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return diagnostics
    return diagnostics + lint_bundle(bundled, settings)


def generate_artefacts(bundled: BundledSpec, settings: Settings) -> list[Artefact]:
    """Run every registered generator on the bundled document."""
    return [generate(bundled.document, settings) for generate in artefact_generators()]


def build(settings: Settings, check: bool = False) -> BuildResult:
    """Validate, generate and write (or, with ``check``, compare with what is on disk)."""
    bundled = bundle_configured(settings)
    result = BuildResult(diagnostics=check_bundle(bundled, settings))
    if result.failed:
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
