"""The build pipeline as plain functions: load -> bundle -> validate -> generate -> write or check."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generators.artefacts.model import Artefact
from generators.artefacts.registry import ARTEFACTS, artefact_generators
from generators.bundle.bundler import BundledSpec, bundle_configured
from generators.core.diagnostics import AtlasError, Diagnostic, Location, Severity
from generators.core.settings import Settings
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
    from generators.validate.structural import validate_bundle  # not at the top: `docs` needs no validator (0.3 s)

    diagnostics = validate_bundle(bundled)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return diagnostics
    return diagnostics + lint_bundle(bundled, settings)


def generate_artefacts(bundled: BundledSpec, settings: Settings) -> list[Artefact]:
    """Run every registered generator on the bundled document."""
    settings = with_release_notes(settings)
    return [generate(bundled.document, settings) for generate in artefact_generators()]


def changelog_path(settings: Settings) -> Path:
    """Where the release notes live: ``[tool.atlas-spec.diff] changelog``, else CHANGELOG.md in the project."""
    return settings.project_dir / str(settings.diff.get("changelog", "CHANGELOG.md"))


def with_release_notes(settings: Settings) -> Settings:
    """``settings`` carrying the release notes' text (empty when there is no such file yet)."""
    if settings.release_notes is not None:
        return settings
    path = changelog_path(settings)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise AtlasError.at(
            "changelog-read", f"cannot read the release notes: {exc}", Location(str(path)), "fix or remove the file"
        ) from None
    return replace(settings, release_notes=text)


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


def docs_site(document: dict[str, Any], settings: Settings, page_file: Path) -> tuple[list[Artefact], list[str]]:
    """What ``docs`` writes into ``page_file``'s folder: the page as ``page_file``, the changelog page and feed.

    The link bar offers only what is there: the pages written with it, and the downloads a build already put in
    that folder. Also returns the names of the downloads left out (a ``build --out`` there writes them).
    """
    from generators.artefacts.docs import changelog, feed, page

    settings = with_release_notes(settings)
    folder = page_file.parent
    downloads = [k.file_name(settings.name) for k in ARTEFACTS if k.download]
    present = {name for name in downloads if (folder / name).is_file()}
    site_pages = {k.file_name(settings.name) for k in ARTEFACTS if k.page}
    available = present | site_pages | ({page_file.name} if page_file.name == page.PAGE else set())
    pages = [changelog.generate(document, settings, available), feed.generate(document, settings)]
    built = page.generate(document, settings, available)
    return [*pages, Artefact(page_file.name, built.content)], [name for name in downloads if name not in present]
