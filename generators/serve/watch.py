"""The preview's state: the current snapshot of the site in memory and the watcher that rebuilds it.

A watcher thread polls the modification times of every file under the spec's folder (no new dependency, fine
for thousands of files) and rebuilds on a change; a snapshot is swapped in whole, so a request never sees half
a build. A preview exists to look at a spec that is still wrong: whatever can be bundled is rendered, with the
structural and lint findings in a banner above the reference (and in the terminal). Only a source that cannot be
bundled (a YAML error, a broken ``$ref``) leaves the snapshot without files; the site then shows the findings.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from generators.artefacts.docs.page import Banner
from generators.artefacts.registry import ARTEFACTS, kind
from generators.core.diagnostics import AtlasError, Diagnostic, Severity
from generators.core.escape import for_terminal
from generators.core.settings import Settings, artefact_name

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


def build_snapshot(settings: Settings) -> Snapshot:
    """Bundle, validate, lint and generate every artefact in memory; input errors become findings, never
    exceptions. Findings never stop the preview: the docs page shows them in a banner."""
    from generators.artefacts.docs.page import generate as docs_page
    from generators.bundle.bundler import bundle_configured
    from generators.pipeline import check_bundle, with_release_notes

    try:
        settings = with_release_notes(settings)
        bundled = bundle_configured(settings)
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


def watched_files(settings: Settings) -> Iterator[Path]:
    """Every file a rebuild may read: the spec's folder, extra ref roots and the config file."""
    roots = [settings.spec.parent, *settings.ref_roots]
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "node_modules"]
            for name in files:
                yield Path(folder) / name
    if settings.config_file:
        yield settings.config_file


def fingerprint(settings: Settings) -> dict[Path, tuple[int, int]]:
    """Modification time and size of every watched file; any difference means "rebuild"."""
    prints = {}
    for path in watched_files(settings):
        try:
            stat = path.stat()
        except OSError:
            continue  # removed between the walk and the stat: the next poll sees it gone
        prints[path] = (stat.st_mtime_ns, stat.st_size)
    return prints


class Preview:
    """The current snapshot and the watcher that replaces it when the source changes."""

    def __init__(self, settings: Settings, report: Callable[[Snapshot, float], None]) -> None:
        self.settings = settings
        self.report = report
        self.stopped = threading.Event()
        self.prints = fingerprint(settings)
        self.snapshot = self._build()

    def _build(self) -> Snapshot:
        started = time.perf_counter()
        snapshot = build_snapshot(self.settings)
        self.report(snapshot, time.perf_counter() - started)
        return snapshot

    def watch(self) -> None:
        """Poll until stopped; rebuild after every change (a snapshot is swapped in whole)."""
        while not self.stopped.wait(POLL_SECONDS):
            prints = fingerprint(self.settings)
            if prints != self.prints:
                self.prints = prints
                self.snapshot = self._build()
