"""The build pipeline as plain functions: load -> bundle -> validate -> lint -> gate -> generate -> write or check.

The gate: structural validation errors always stop a build (an invalid document is not published); lint
findings stop it at the ``--fail-on`` level (``[tool.atlas-spec.build] fail-on``, default ``error``); with
``never`` the artefacts are written and the findings printed.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generators.artefacts.model import Artefact
from generators.artefacts.registry import ARTEFACTS, artefact_generators
from generators.bundle.bundler import BundledSpec, bundle_configured
from generators.core.diagnostics import AtlasError, Diagnostic, Location, Severity
from generators.core.files import read_file, read_text
from generators.core.forking import Forked, start
from generators.core.settings import Settings, artefact_name, config_place, did_you_mean
from generators.writer import Staging, staged, write_artefacts

FAIL_ON = ("error", "warning", "never")
MIN_PATHS_FORKED = 200  # below this, generating is quicker than forking and sending the files back
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
    for key in settings.build:
        if key not in _BUILD_KEYS:
            hint = did_you_mean(key, _BUILD_KEYS, "the only key is 'fail-on'")
            where = config_place(settings, "build", key)
            raise AtlasError.at("config-key", f"unknown key '{key}' in {_BUILD_TABLE}", where, hint)
    configured = settings.build.get("fail-on", DEFAULT_FAIL_ON)
    if configured not in FAIL_ON:
        where = config_place(settings, "build", "fail-on")
        hint = f"use one of: {', '.join(FAIL_ON)}"
        raise AtlasError.at("config-value", f"{_BUILD_TABLE} 'fail-on' is {configured!r}", where, hint)
    return flag or str(configured)


def check_bundle(bundled: BundledSpec, settings: Settings) -> Checked:
    """Structural validation, then lint (only on a structurally valid spec)."""
    from generators.lint import lint_bundle
    from generators.validate.structural import Validation

    with Validation(bundled) as validation:  # on a second core while the rules run (when it can fork)
        if validation.done and _invalid(validation.result()):
            return Checked(validation.result())
        try:
            # lint includes the structural findings (rule struct): none handed over here, they are kept apart
            linted = lint_bundle(bundled, settings, structural=[])
        except Exception:
            if _invalid(validation.result()):
                return Checked(validation.result())  # a one-core run stops before linting an invalid document
            raise
        structural = validation.result()
    return Checked(structural) if _invalid(structural) else Checked(structural, linted)


def _invalid(structural: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in structural)


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
        text = read_text(path)
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise AtlasError.at(
            "changelog-read", f"cannot read the release notes: {exc}", Location(str(path)), "fix or remove the file"
        ) from None
    return replace(settings, release_notes=text)


def build(settings: Settings, check: bool = False, fail_on: str = DEFAULT_FAIL_ON) -> BuildResult:
    """Validate, lint, gate, generate and write (or, with ``check``, compare with what is on disk).

    On a big description a forked worker generates the artefacts while the checks run (GitHub's: 0.4 s of CPU
    that no longer waits for the gate), and writes them into the new build folder beside the old one, which
    this process swaps in only when the gate lets the build through (sending GitHub's 40 MB of artefacts back
    and writing them here took 0.25-0.3 s after the checks). When the worker cannot start or fails, the
    artefacts are generated and written here afterwards, as on one core, errors included.
    """
    bundled = bundle_configured(settings)
    forks = _forks(bundled)
    with contextlib.ExitStack() as stack:
        stage = stack.enter_context(staged(settings.out_dir, swappable_only=True)) if forks and not check else None
        meanwhile = _generate_meanwhile(bundled, settings, stage) if forks else None
        try:
            checked = check_bundle(bundled, settings)
            result = BuildResult(checked.diagnostics, stopped=checked.stops(fail_on), invalid=checked.invalid)
            if result.stopped:
                return result
            early = meanwhile.result() if meanwhile is not None else None
        finally:
            if meanwhile is not None:
                meanwhile.cancel()  # reaps it; kills it first when the gate stopped the build or the checks failed
        if isinstance(early, _Filled) and stage is not None:
            result.written = stage.swap_in(early.written)
            return result
    # (here, after the staging folder and its lock are gone: write_artefacts takes the lock itself)
    artefacts = early if isinstance(early, list) else generate_artefacts(bundled, settings)
    if check:
        result.stale = [a.path for a in artefacts if not _same_on_disk(settings.out_dir / a.path, a.content)]
    else:
        result.written = write_artefacts(settings.out_dir, artefacts)
    return result


@dataclass(frozen=True)
class _Filled:
    """What the worker sends when it wrote the artefacts into the staging folder itself: their paths."""

    written: list[str]


def _forks(bundled: BundledSpec) -> bool:
    """True when the description is big enough to gain from generating on a second core."""
    paths = bundled.document.get("paths")
    return isinstance(paths, dict) and len(paths) >= MIN_PATHS_FORKED


def _generate_meanwhile(
    bundled: BundledSpec, settings: Settings, stage: Staging | None
) -> Forked[list[Artefact] | _Filled] | None:
    """A forked worker generating the artefacts, and writing them into ``stage`` when it has a folder."""
    # in a process group of its own: a stopped build's cancel() also stops the docs page's worker it forks
    if stage is None or stage.folder is None:
        return start(lambda: generate_artefacts(bundled, settings), group=True)
    filling = stage
    return start(lambda: _Filled(filling.fill(generate_artefacts(bundled, settings))), group=True)


def _same_on_disk(path: Path, content: bytes) -> bool:
    try:
        return read_file(path, len(content)) == content
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
    name = artefact_name(settings, document)
    downloads = [k.file_name(name) for k in ARTEFACTS if k.download]
    present = {file for file in downloads if (folder / file).is_file()}
    site_pages = {k.file_name(name) for k in ARTEFACTS if k.page}
    available = present | site_pages | ({page_file.name} if page_file.name == page.PAGE else set())
    built, pages = page.site_page(
        document,
        settings,
        available,
        others=lambda: [changelog.generate(document, settings, available), feed.generate(document, settings)],
    )  # the changelog page and feed are made by the page's worker, on the second core
    return [*pages, Artefact(page_file.name, built.content)], [file for file in downloads if file not in present]
