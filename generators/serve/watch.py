"""The preview's state: the current snapshot of the site in memory and the watcher that rebuilds it.

A watcher thread polls the modification times of every file under the spec's folder (no new dependency, fine
for thousands of files) and rebuilds on a change; a snapshot is swapped in whole, so a request never sees half
a build. A broken source does not stop the server: the snapshot then holds the findings instead of files.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generators.artefacts.registry import kind
from generators.core.diagnostics import AtlasError, Diagnostic, Severity
from generators.core.settings import Settings, artefact_name

POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Snapshot:
    """One build's outcome: the files by URL path, or the findings that stopped it."""

    files: dict[str, bytes] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    name: str = ""  # the artefact base name of this build (info.title may change between builds)

    @property
    def failed(self) -> bool:
        """True when the source has errors (the site then shows them instead of stale pages)."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


def build_snapshot(settings: Settings) -> Snapshot:
    """Bundle, validate and generate every artefact in memory; input errors become findings, never exceptions."""
    from generators.bundle.bundler import bundle_configured
    from generators.pipeline import check_bundle, generate_artefacts

    try:
        bundled = bundle_configured(settings)
        diagnostics = check_bundle(bundled, settings).diagnostics
        if any(d.severity is Severity.ERROR for d in diagnostics):
            return Snapshot(diagnostics=tuple(diagnostics))
        artefacts = generate_artefacts(bundled, settings)
    except AtlasError as exc:
        return Snapshot(diagnostics=tuple(exc.diagnostics))
    name = artefact_name(settings, bundled.document)
    files = {f"/v1/{a.path}": a.content for a in artefacts}
    files["/v1/docs"] = files[f"/v1/{kind('docs').file_name(name)}"]
    files["/v1/openapi.json"] = files[f"/v1/{kind('openapi').file_name(name)}"]
    return Snapshot(files=files, diagnostics=tuple(diagnostics), name=name)


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
