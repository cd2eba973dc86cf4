"""One preview build in two stages: what the page shows first, the checks and the other files after.

The first stage bundles (incrementally: ``source/cache.py`` keeps the parses, ``bundle/memo.py`` the walk) and
makes what the page needs to show the new spec: the bundled spec, the page's own copy of it and the page, whose
banner says the findings are still being checked. The second stage validates and lints and swaps in the page
with its findings, then makes the other artefacts. Each step ends in a whole snapshot, swapped in at once, so a
request never sees half a build; the files still to come are listed as pending meanwhile (the server waits for
them rather than answer with another build's). Findings never stop the preview; only a source that cannot
be bundled leaves a snapshot without files (the site then shows the findings).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

import generators.pipeline as pipeline
from generators.artefacts.docs.page import Banner, Live, page_spec_json, site_page
from generators.artefacts.registry import ARTEFACTS, kind
from generators.bundle.bundler import BundledSpec, bundle_configured
from generators.bundle.memo import WalkMemo
from generators.core.diagnostics import AtlasError, Diagnostic, Severity
from generators.core.escape import for_terminal
from generators.core.gcpause import gc_paused
from generators.core.jsonout import dump_json_bytes
from generators.core.settings import Settings, artefact_name
from generators.pipeline import with_release_notes
from generators.serve import focus
from generators.serve.fragments import Fragments, compact_writer
from generators.source.cache import ParseCache

PAGE_SPEC = "/v1/preview/spec.json"  # the page's copy of the spec, which the open page renders without a reload
# Findings shown on the page and in the terminal per build; `atlas-spec lint` lists every one.
SHOWN_FINDINGS = 100
CHECKING = Banner("Checking this version: validate and lint are running", open=False, checking=True)

# The page's live script for a build: (build number, "checking" or "checked") -> Live; None in a plain build.
LiveFor = Callable[[int, str], Live] | None


@dataclass(frozen=True)
class Snapshot:
    """One build's outcome: the files by URL path and the findings; no files when the source cannot be bundled."""

    files: dict[str, bytes] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    name: str = ""  # the artefact base name of this build (info.title may change between builds)
    build: int = 0  # counts the preview's builds
    checking: bool = False  # the second stage is running: its findings and files are not here yet
    pending: frozenset[str] = frozenset()  # the paths the second stage will add
    shell: str = field(default="", compare=False)  # what the page holds besides spec and findings (live.py)
    shown_after: float = field(default=0.0, compare=False)  # seconds from the build's start to the first stage

    @property
    def failed(self) -> bool:
        """True when the source could not be bundled (the site then shows the findings instead of pages)."""
        return not self.files


@dataclass(frozen=True)
class Bundled:
    """The first stage's work, which the second stage goes on from."""

    bundled: BundledSpec
    settings: Settings  # with the release notes read
    name: str
    spec_json: str  # the page's copy of the spec, as the page embeds it


@dataclass
class Kept:
    """What a preview keeps from one build to the next: parses, walk results, JSON text (all by content)."""

    cache: ParseCache = field(default_factory=ParseCache)
    memo: WalkMemo = field(default_factory=WalkMemo)
    openapi: Fragments = field(default_factory=lambda: Fragments(indented=True))
    page: Fragments = field(default_factory=lambda: Fragments(indented=False))
    shown: dict[str, Any] | None = None  # the document of the last build the open pages were given
    refs: focus.RefCache = field(default_factory=focus.RefCache)


FirstView = Callable[[dict[str, Any], Settings, str], None]  # (document, settings, name), as soon as bundled


def bundle_stage(settings: Settings, kept: Kept | None = None, first_view: FirstView | None = None) -> Bundled:
    """Bundle, and make the page's copy of the spec (AtlasError when the source cannot be bundled).

    ``first_view`` is handed the bundled document before the page's copy is made (``Preview`` publishes what
    the save changed then: the page can render it while the rest of the build goes on).
    """
    with gc_paused():  # the page waits for this stage: no collection of the whole heap in the middle of it
        settings = with_release_notes(settings)
        if kept is None:
            bundled = bundle_configured(settings)
        else:
            bundled = bundle_configured(settings, cache=kept.cache, memo=kept.memo)
        name = artefact_name(settings, bundled.document)
        if first_view is not None:
            first_view(bundled.document, settings, name)
        dump = compact_writer(kept.page) if kept is not None else None
        return Bundled(bundled, settings, name, page_spec_json(bundled.document, name, dump))


def first_snapshot(
    stage: Bundled, build: int = 0, live: LiveFor = None, kept: Kept | None = None, focused: bytes | None = None
) -> Snapshot:
    """The bundled spec, the page's copy and the page (its banner: checking), the rest pending; ``focused``:
    what the save changed (``focus_view``), served on."""
    document, settings = stage.bundled.document, stage.settings
    with gc_paused():
        openapi = kept.openapi.dump(document) if kept is not None else dump_json_bytes(document)
        page, _ = site_page(
            document,
            settings,
            banner=CHECKING,
            live=live(build, "checking") if live else None,
            spec_json=stage.spec_json,
        )
    files = {
        f"/v1/{kind('openapi').file_name(stage.name)}": openapi,
        "/v1/openapi.json": openapi,
        PAGE_SPEC: stage.spec_json.encode("ascii"),
        "/v1/docs": page.content,
        f"/v1/{page.path}": page.content,
    }
    if focused is not None:
        files[focus.FOCUS_PATH] = focused
    pending = frozenset(f"/v1/{entry.file_name(stage.name)}" for entry in ARTEFACTS) - set(files)
    return Snapshot(files, (), stage.name, build, checking=True, pending=pending)


def focus_view(kept: Kept, document: dict[str, Any]) -> bytes | None:
    """What the open page renders first for ``document`` (``focus.py``), None when it renders it whole at once;
    ``document`` becomes the one the next build is compared with."""
    focused = _focus(kept.shown, document, kept.refs)
    kept.shown = document
    return focused


def focus_snapshot(focused: bytes, name: str, build: int, shell: str) -> Snapshot:
    """Build ``build`` as soon as it is bundled: only what the save changed, everything else still coming."""
    pending = {f"/v1/{entry.file_name(name)}" for entry in ARTEFACTS} | {"/v1/openapi.json", "/v1/docs", PAGE_SPEC}
    files = {focus.FOCUS_PATH: focused}
    return Snapshot(files, (), name, build, checking=True, pending=frozenset(pending), shell=shell)


def _focus(before: dict[str, Any] | None, after: dict[str, Any], refs: focus.RefCache) -> bytes | None:
    """What the open page renders first (``focus.py``): only for a big spec changed since the last build."""
    ops = focus.operations(after)
    if before is None or before is after or len(ops) < focus.MIN_OPERATIONS:
        return None
    introduction = before.get("info") != after.get("info")
    shown = focus.focus_document(after, focus.changed_operations(before, after, refs, ops), introduction)
    return None if shown is None else orjson.dumps(shown)


def check_stage(
    stage: Bundled,
    first: Snapshot,
    live: LiveFor = None,
    stop: Callable[[], bool] = lambda: False,
    publish: Callable[[Snapshot], None] | None = None,
) -> Snapshot | None:
    """Validate and lint, then the page with its findings (handed to ``publish`` at once), then the other
    artefacts; None when ``stop()`` says the build is out of date first.

    An input error here (a broken lint config) or a bug is a finding on the page, above the spec that stays.
    """
    if stop():
        return None
    try:
        findings = pipeline.check_bundle(stage.bundled, stage.settings).diagnostics
    except Exception as exc:  # noqa: BLE001 - shown on the page, the watcher goes on
        findings = as_findings(exc)
    checked = _with_findings(stage, first, findings, live)
    if publish is not None:
        publish(checked)
    files, errors = dict(checked.files), []
    for entry in ARTEFACTS:
        if stop():
            return None
        if entry.key in ("openapi", "docs"):
            continue
        try:
            artefact = entry.generator()(stage.bundled.document, stage.settings)
        except Exception as exc:  # noqa: BLE001
            errors += as_findings(exc)
            continue
        files[f"/v1/{artefact.path}"] = artefact.content
    done = replace(checked, files=files, pending=frozenset())
    return _with_findings(stage, done, [*findings, *errors], live) if errors else done


def as_findings(exc: Exception) -> list[Diagnostic]:
    """An input error's findings, or a bug as one (re-raised under ``ATLAS_SPEC_DEBUG``)."""
    if isinstance(exc, AtlasError):
        return list(exc.diagnostics)
    if os.environ.get("ATLAS_SPEC_DEBUG"):
        raise exc
    return [internal_error(exc)]


def _with_findings(stage: Bundled, snapshot: Snapshot, findings: list[Diagnostic], live: LiveFor) -> Snapshot:
    """``snapshot`` checked: its page with these findings in the banner."""
    live_page = live(snapshot.build, "checked") if live else None
    document, settings = stage.bundled.document, stage.settings
    page, _ = site_page(document, settings, banner=banner(findings), live=live_page, spec_json=stage.spec_json)
    files = {**snapshot.files, "/v1/docs": page.content, f"/v1/{page.path}": page.content}
    return replace(snapshot, files=files, diagnostics=tuple(findings), checking=False)


def build_snapshot(settings: Settings, kept: Kept | None = None) -> Snapshot:
    """Both stages at once, without the live script: the findings are in the page's banner from the start."""
    try:
        stage = bundle_stage(settings, kept)
        first = first_snapshot(stage, kept=kept)
    except AtlasError as exc:
        return Snapshot(diagnostics=tuple(exc.diagnostics))
    second = check_stage(stage, first)
    assert second is not None
    return second


def finding_text(diagnostic: Diagnostic) -> str:
    """``file:line:col: level [code] message`` (and the hint line) with spec text made visible: no control,
    escape or bidi character of a spec reaches the terminal or the page as itself."""
    safe = replace(
        diagnostic,
        message=for_terminal(diagnostic.message),
        hint=for_terminal(diagnostic.hint) if diagnostic.hint else None,
        json_path=for_terminal(diagnostic.json_path) if diagnostic.json_path else None,
    )
    return "\n".join(for_terminal(line) for line in safe.render().split("\n"))


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    """``2 error(s), 1 warning(s)`` (info findings counted when there are any)."""
    counts = {level: sum(d.severity is level for d in diagnostics) for level in Severity}
    text = f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARN]} warning(s)"
    return text + (f", {counts[Severity.INFO]} info" if counts[Severity.INFO] else "")


def banner(diagnostics: Sequence[Diagnostic]) -> Banner | None:
    """The docs page's banner for these findings (None when there are none): errors first, at most
    ``SHOWN_FINDINGS`` of them."""
    if not diagnostics:
        return None
    ordered = sorted(diagnostics, key=lambda d: d.severity is not Severity.ERROR)
    shown = tuple(finding_text(d) for d in ordered[:SHOWN_FINDINGS])
    errors = any(d.severity is Severity.ERROR for d in diagnostics)
    return Banner(f"This spec has {summary(diagnostics)}", shown, len(diagnostics) - len(shown), errors)


def status(snapshot: Snapshot) -> dict[str, Any]:
    """What the open page needs to show this build's findings (``/v1/preview/status.json``)."""
    state = "failed" if snapshot.failed else "checking" if snapshot.checking else "checked"
    shown = None if snapshot.checking else banner(snapshot.diagnostics)
    return {
        "build": snapshot.build,
        "state": state,
        "summary": shown.summary if shown else "",
        "findings": list(shown.findings) if shown else [],
        "more": shown.more if shown else 0,
        "open": shown.open if shown else False,
    }


def internal_error(exc: BaseException) -> Diagnostic:
    """A bug met while rebuilding, as a finding: the preview shows it and keeps watching."""
    return Diagnostic(
        "internal-error",
        f"internal error while rebuilding: {type(exc).__name__}: {exc}",
        hint="this is a bug in atlas-spec; the preview keeps watching (rerun with ATLAS_SPEC_DEBUG=1 and report it)",
    )
