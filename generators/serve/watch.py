"""The preview's state: the current snapshot of the site in memory and the watcher that rebuilds it.

A watcher thread polls the files the last build read (and the config file) and rebuilds when one changes, is
created or disappears: stat calls on those files only, never a walk of the folder (DigitalOcean's 2,907 files
cost 21% of a core to walk every 200 ms). Files are kept parsed between builds (``source/cache.py``), so a
rebuild reads and parses only what changed. A snapshot is swapped in whole, so a request never sees half a
build. A preview exists to look at a spec that is still wrong: whatever can be bundled is rendered, with the
structural and lint findings in a banner above the reference (and in the terminal). Only a source that cannot
be bundled (a YAML error, a broken ``$ref``), a broken config or a bug in a rebuild leaves the snapshot without
files; the site then shows the findings, and the server and the watcher go on.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from generators.artefacts.docs.page import Banner
from generators.artefacts.registry import ARTEFACTS, kind
from generators.core.diagnostics import AtlasError, Diagnostic, Severity
from generators.core.escape import for_terminal
from generators.core.settings import Settings, artefact_name
from generators.source.cache import ParseCache, file_key

POLL_SECONDS = 0.2
# Findings shown on the page and in the terminal per build; `atlas-spec lint` lists every one.
SHOWN_FINDINGS = 100


@dataclass(frozen=True)
class Snapshot:
    """One build's outcome: the files by URL path and the findings; no files when the source cannot be bundled."""

    files: dict[str, bytes] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    name: str = ""  # the artefact base name of this build (info.title may change between builds)

    @property
    def failed(self) -> bool:
        """True when the source could not be bundled (the site then shows the findings instead of pages)."""
        return not self.files


def build_snapshot(settings: Settings, cache: ParseCache | None = None) -> Snapshot:
    """Bundle, validate, lint and generate every artefact in memory; input errors become findings, never
    exceptions. Findings never stop the preview: the docs page shows them in a banner. ``cache`` keeps the
    parsed source files for the next build (only changed files are read and parsed again)."""
    from generators.artefacts.docs.page import generate as docs_page
    from generators.bundle.bundler import bundle_configured
    from generators.pipeline import check_bundle, with_release_notes

    try:
        settings = with_release_notes(settings)
        bundled = bundle_configured(settings, cache=cache)
        diagnostics = check_bundle(bundled, settings).diagnostics
        document = bundled.document
        artefacts = [entry.generator()(document, settings) for entry in ARTEFACTS if entry.key != "docs"]
        artefacts.append(docs_page(document, settings, banner=banner(diagnostics)))
    except AtlasError as exc:
        return Snapshot(diagnostics=tuple(exc.diagnostics))
    name = artefact_name(settings, document)
    files = {f"/v1/{a.path}": a.content for a in artefacts}
    files["/v1/docs"] = files[f"/v1/{kind('docs').file_name(name)}"]
    files["/v1/openapi.json"] = files[f"/v1/{kind('openapi').file_name(name)}"]
    return Snapshot(files=files, diagnostics=tuple(diagnostics), name=name)


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


def terminal_report(snapshot: Snapshot, seconds: float) -> list[str]:
    """What the terminal shows after a build: the findings (as on the page) and one status line."""
    lines = [finding_text(d) for d in snapshot.diagnostics[:SHOWN_FINDINGS]]
    left_out = len(snapshot.diagnostics) - SHOWN_FINDINGS
    if left_out > 0:
        lines.append(f"... and {left_out} more: atlas-spec lint lists them all")
    if snapshot.failed:
        lines.append("build failed: the preview shows these errors until the source is fixed")
    elif snapshot.diagnostics:
        lines.append(f"built in {seconds * 1000:.0f} ms with {summary(snapshot.diagnostics)}, shown on the page")
    else:
        lines.append(f"built in {seconds * 1000:.0f} ms")
    return lines


def internal_error(exc: BaseException) -> Diagnostic:
    """A bug met while rebuilding, as a finding: the preview shows it and keeps watching."""
    return Diagnostic(
        "internal-error",
        f"internal error while rebuilding: {type(exc).__name__}: {exc}",
        hint="this is a bug in atlas-spec; the preview keeps watching (rerun with ATLAS_SPEC_DEBUG=1 and report it)",
    )


Fingerprint = dict[Path, tuple[int, int, int, int, int] | None]


def fingerprint(paths: list[Path]) -> Fingerprint:
    """Identity, size and times of each file (None when it does not exist); any difference means "rebuild"."""
    return {path: file_key(path) for path in paths}


class Preview:
    """The current snapshot and the watcher that replaces it when the source or the config changes.

    ``reload()`` reads the settings again (the config file and the command-line flags) after the config file
    changed; without it the settings stay as they were given.
    """

    def __init__(
        self,
        settings: Settings,
        report: Callable[[Snapshot, float], None],
        reload: Callable[[], Settings] | None = None,
        cache: ParseCache | None = None,
    ) -> None:
        self.settings = settings
        self.report = report
        self.reload = reload
        self.stopped = threading.Event()
        self.cache = cache or ParseCache()
        self.prints: Fingerprint = {}
        self.config_print: Fingerprint = {}
        self.snapshot = Snapshot()
        self.rebuild()

    def rebuild(self) -> Snapshot:
        """Build again and swap the new snapshot in whole; reported, and returned."""
        started = time.perf_counter()
        config = self.settings.config_file
        self.config_print = fingerprint([config] if config else [])
        self.cache.begin()
        try:
            snapshot = build_snapshot(self.settings, self.cache)
        except Exception as exc:  # the watcher must outlive any bug in a rebuild
            if os.environ.get("ATLAS_SPEC_DEBUG"):
                raise
            snapshot = Snapshot(diagnostics=(internal_error(exc),))
        self.cache.forget_untouched()
        # each file as it was when this build read it: an edit made during the build triggers the next one
        self.prints = self.cache.read_keys()
        self.snapshot = snapshot
        self.report(snapshot, time.perf_counter() - started)
        return snapshot

    def changed(self) -> bool:
        """True when a file the last build read, or the config file, differs from what that build saw."""
        if fingerprint(list(self.config_print)) != self.config_print:
            if self.reload is not None:
                try:
                    self.settings = self.reload()
                except AtlasError as exc:  # a broken config: shown like a broken source, fixed the same way
                    self.config_print = fingerprint(list(self.config_print))
                    self.snapshot = Snapshot(diagnostics=tuple(exc.diagnostics))
                    self.report(self.snapshot, 0.0)
                    return False
            return True
        return any(file_key(path) != key for path, key in self.prints.items())

    def watch(self) -> None:
        """Poll until stopped; rebuild after every change (a snapshot is swapped in whole)."""
        while not self.stopped.wait(POLL_SECONDS):
            if self.changed():
                self.rebuild()
