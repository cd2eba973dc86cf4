"""Structural validation of OpenAPI 3.0/3.1/3.2, every error mapped back to its source.

The fast path (``fastcheck``: the OAS schemas compiled to closures) decides most documents alone;
openapi-spec-validator (``library``, 0.15 s to import) words and locates what it finds, and judges the defaults
the fast path could not judge itself. ``validate_soon`` runs the whole check on a second core while the caller lints.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

from generators.bundle.bundler import BundledSpec
from generators.bundle.refs import alias_cycles
from generators.core.diagnostics import AtlasError, Diagnostic, Location
from generators.core.forking import Forked, start
from generators.core.pointer import node_at, to_pointer

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from generators.validate.fastcheck.walk import TooDeep

CODE = "struct"  # the lint rule every structural finding belongs to (generators/lint/rules/structure.py)
STRUCTURAL_CODES = frozenset((CODE, "oas-default-invalid", "ref-circular"))  # every code validate_bundle gives
_VERSIONS = ("3.0", "3.1", "3.2")


def validate_bundle(bundled: BundledSpec, fast: bool = True) -> list[Diagnostic]:
    """Every structural error of the bundled document, each at the source file:line:col it came from.

    ``fast=False`` skips the fast path and runs openapi-spec-validator alone (the reference the tests compare with).
    """
    document = bundled.document
    version = document.get("openapi")
    root = Location(str(bundled.root_file), 1, 1)
    if not isinstance(version, str):
        hint = "this looks like Swagger 2.0: convert it to OpenAPI 3.x" if "swagger" in document else None
        message = "the root has no 'openapi' version string (e.g. openapi: 3.1.0)"
        return [Diagnostic(CODE, message, location=root, hint=hint, json_path="/openapi")]
    minor = ".".join(version.split(".")[:2])
    if minor not in _VERSIONS:
        return [
            Diagnostic(
                CODE,
                f"unsupported OpenAPI version '{version}'",
                location=bundled.locate("/openapi") or root,
                hint="atlas-spec reads OpenAPI 3.0, 3.1 and 3.2",
                json_path="/openapi",
            )
        ]
    cycles = _alias_cycles(bundled)
    if cycles:  # the validator would follow them forever
        return cycles
    from generators.validate.fastcheck.walk import TooDeep

    try:
        return _findings(bundled, _without_path_extensions(document), minor, fast)
    except TooDeep as deep:
        raise _too_deep(bundled, deep) from None


def _findings(bundled: BundledSpec, checked: dict[str, Any], minor: str, fast: bool) -> list[Diagnostic]:
    defaults = None
    if fast:
        from generators.validate.fastcheck import fast_check

        verdict = fast_check(checked, minor)
        # the fast path decides most documents in a fraction of the time; the library words (and locates) findings
        defaults = verdict.defaults if verdict.clean else None
        if defaults == []:  # clean, every default judged: the library is not even imported
            return sorted(_placed(verdict.default_errors, bundled), key=_order)
    from generators.validate.library import library_findings

    return sorted(library_findings(bundled, checked, minor, defaults, pruned=fast), key=_order)


def _too_deep(bundled: BundledSpec, deep: TooDeep) -> AtlasError:
    """The input error for schemas nested too deeply, at the ``$ref`` (or schema) where the limit is passed."""
    path = bundled.canonical(tuple(str(part) for part in deep.parts))
    node = node_at(bundled.document, path)
    at = (*path, "$ref") if isinstance(node, dict) and "$ref" in node else path
    return AtlasError(
        Diagnostic(
            "ref-too-deep",
            f"schemas nest more than {deep.limit:,} levels deep here, through $refs",
            location=bundled.locate(at) or Location(str(bundled.root_file), 1, 1),
            json_path=to_pointer(at) or "/",
            hint="each schema inside another (allOf, items, a property) is a level; is the file generated wrongly?",
        )
    )


class Validation:
    """``validate_bundle(bundled)`` on a second core while the caller does other work (lints, typically).

    The worker is only a helper: when it cannot be started (no fork, other threads running) the check runs
    here at once, as before; when it dies or sends nothing readable, ``result()`` runs it here. Either way the
    findings, and any error, are exactly what ``validate_bundle`` gives in-process.
    """

    def __init__(self, bundled: BundledSpec, parallel: bool = True) -> None:
        self._bundled = bundled
        self._found: list[Diagnostic] | None = None
        self._worker: Forked[list[Diagnostic]] | None = None
        if parallel:
            self._worker = start(functools.partial(validate_bundle, bundled))
        if self._worker is None:
            self._found = validate_bundle(bundled)

    @property
    def done(self) -> bool:
        """True when the findings are known without waiting (the check ran here)."""
        return self._found is not None

    def result(self) -> list[Diagnostic]:
        """The structural findings (waits for the worker; checks here if it failed)."""
        if self._found is None:
            found = None
            if self._worker is not None:
                found = self._worker.result()
                self._worker.close()
                self._worker = None
            self._found = found if isinstance(found, list) else validate_bundle(self._bundled)
        return self._found

    def close(self) -> None:
        """Reap the worker; one whose findings were not read is stopped, not waited for (an error on the way)."""
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None

    def __enter__(self) -> Validation:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _without_path_extensions(document: dict[str, Any]) -> dict[str, Any]:
    """``paths`` without its ``x-`` keys: openapi-spec-validator reads them as path items and fails on a string."""
    paths = document.get("paths")
    if not isinstance(paths, dict) or not any(str(k).startswith("x-") for k in paths):
        return document
    return {**document, "paths": {k: v for k, v in paths.items() if not str(k).startswith("x-")}}


def _alias_cycles(bundled: BundledSpec) -> list[Diagnostic]:
    return [
        Diagnostic(
            "ref-circular",
            f"circular $ref with no way out: {' -> '.join(chain)}",
            location=bundled.locate(chain[0] + "/$ref"),
            json_path=chain[0].lstrip("#") or "/",  # RFC 6901, as every finding
            hint="a cycle is only possible through a schema with content of its own (e.g. properties); break the loop",
        )
        for chain in alias_cycles(bundled.document, bundled.local_refs)
    ]


def _placed(errors: list[ValidationError], bundled: BundledSpec) -> Iterator[Diagnostic]:
    from generators.validate.placing import place

    seen: set[tuple[str, str]] = set()
    for error in errors:
        yield from place(error, bundled, {}, seen)  # a default's own schema: none of the OAS schema's names


def _order(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    loc = diagnostic.location
    return (loc.file, loc.line, loc.col, diagnostic.message) if loc else ("", 0, 0, diagnostic.message)
