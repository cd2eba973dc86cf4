"""The linter: generic OpenAPI rules and the Atlas house rules, every finding at its source line.

``lint_bundle(bundled, settings)`` is the entry point (the structural check of ``validate`` included, as rule
``struct``); rules live in ``rules/*.py``, one function each, registered with ``registry.rule``;
``[tool.atlas-spec.lint]`` is read by ``config.parse_config``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from generators.core.diagnostics import Diagnostic, Location
from generators.core.gcpause import gc_paused
from generators.core.pointer import pointer_segments, unescape_token
from generators.core.settings import Settings, config_place
from generators.lint.baseline import unused_baseline, unused_exceptions
from generators.lint.config import LintConfig, parse_config
from generators.lint.context import LintContext
from generators.lint.engine import Locate, run_rules
from generators.lint.peers import peer_severities
from generators.lint.registry import Rule
from generators.lint.rules import all_rules
from generators.validate.structural import Validation

if TYPE_CHECKING:
    from generators.bundle.bundler import BundledSpec

__all__ = ["LintConfig", "Rule", "all_rules", "config_from_settings", "lint_bundle", "lint_document"]


def config_from_settings(settings: Settings, need_baseline: bool = True) -> LintConfig:
    """The checked ``[tool.atlas-spec.lint]`` table of ``settings``, over the rule levels of the spec project's
    ``redocly.yaml`` and ``.spectral.yaml`` (``peers.py``)."""
    rules = all_rules()
    config = parse_config(
        settings.lint,
        settings.config_file,
        {r.id for r in rules},
        need_baseline,
        lambda keys: config_place(settings, "lint", *keys),
    )
    adopted = peer_severities(settings.spec, rules)
    return replace(config, severities={**adopted, **config.severities}) if adopted else config


def lint_document(
    document: dict[str, Any],
    config: LintConfig,
    locate: Locate,
    locate_key: Locate | None = None,
    parallel: bool = True,
    local_refs: Collection[str] | None = None,
) -> list[Diagnostic]:
    """Lint a bundled document; ``locate(pointer)`` maps a JSON pointer to its source place.

    ``parallel``: a big description's example rules may run on a second core (same findings). ``local_refs``:
    every local ref string of the document, when the bundler knows them (saves a walk: ``LintContext``).
    """
    with gc_paused():
        return run_rules(LintContext(document, config, local_refs), config, locate, locate_key, parallel)


def lint_bundle(
    bundled: BundledSpec,
    settings: Settings,
    use_baseline: bool = True,
    structural: list[Diagnostic] | None = None,
) -> list[Diagnostic]:
    """Lint a bundled spec with the settings' lint config: the structural findings (rule ``struct``) first,
    then every other rule's, sorted by source place, then a warning for each exception or baseline entry that
    matched nothing.

    ``structural``: what ``validate_bundle`` already found for this bundle (a build validates first).
    """
    locate, locate_key = fast_locators(bundled)
    config = config_from_settings(settings, use_baseline)
    config = config if use_baseline else config.without_baseline()
    if structural is None:
        with Validation(bundled) as validation:  # on a second core while the rules run
            try:
                found = lint_document(bundled.document, config, locate, locate_key, local_refs=bundled.local_refs)
            except Exception:
                validation.result()  # a one-core run checks the structure first: its error comes first
                raise
            structural = validation.result()
    else:
        found = lint_document(bundled.document, config, locate, locate_key, local_refs=bundled.local_refs)
    # a rule finding that says what a structural one says, at the same node, is that finding (a duplicate
    # operationId is both a structural error and operation-operationId-unique): reported once, as struct
    said = {(d.json_path, d.message) for d in structural}
    found = [d for d in found if (d.json_path, d.message) not in said]
    exceptions, entries = config.unused()
    return [
        *structural,
        *found,
        *unused_exceptions(config.config_file, exceptions),
        *unused_baseline(config.baseline_file, entries),
    ]


def fast_locators(bundled: Any) -> tuple[Locate, Locate | None]:
    """``locate`` and ``locate_key`` (a mapping key where it was written) for a ``BundledSpec``.

    ``locate.prepare(requests)`` indexes the sources for many (at the key?, pointer) requests in one pass.
    """
    source_of, canonical = getattr(bundled, "source_of", None), getattr(bundled, "canonical", None)
    locator = getattr(bundled, "locator", None)
    if source_of is None or canonical is None or locator is None:
        return bundled.locate, None
    places = SourcePlaces(source_of, canonical, locator)
    return places, places.locate_key


class SourcePlaces:
    """Bundled pointers to source places through the bundle's source map; each pointer's origin computed once."""

    def __init__(self, source_of: Any, canonical: Any, locator: Any) -> None:
        self._source_of, self._canonical, self._locator = source_of, canonical, locator
        self._origins: dict[tuple[bool, str], Any] = {}

    def __call__(self, pointer: str) -> Location | None:
        origin = self._origin(False, pointer)
        return self._locator.locate(origin[0], tuple(origin[1])) if origin else None

    def locate_key(self, pointer: str) -> Location | None:
        """Where the key of the member at ``pointer`` was written."""
        origin = self._origin(True, pointer)
        return self._locator.locate(origin[0], origin[1]) if origin else None

    def prepare(self, requests: list[tuple[bool, str]]) -> None:
        """Index the source files for all of ``requests`` (at the key?, pointer) at once: JSON is read once."""
        index = getattr(self._locator, "prepare", None)  # a stand-in locator may locate one by one only
        if index is None:
            return
        by_file: dict[Any, list[tuple[str, ...]]] = {}
        for at_key, pointer in requests:
            origin = self._origin(at_key, pointer)
            if origin is not None:
                by_file.setdefault(origin[0], []).append(tuple(origin[1]))
        for file, segments in by_file.items():
            index(file, segments)

    def _origin(self, at_key: bool, pointer: str) -> Any:
        found = self._origins.get((at_key, pointer), _UNSEEN)
        if found is _UNSEEN:
            if at_key:
                parent, _, key = pointer.rpartition("/")
                origin = self._source_of(self._canonical(pointer_segments(parent)))
                found = (origin[0], (*origin[1], unescape_token(key))) if origin else None
            else:
                found = self._source_of(self._canonical(pointer_segments(pointer)))
            self._origins[at_key, pointer] = found
        return found


_UNSEEN = object()
