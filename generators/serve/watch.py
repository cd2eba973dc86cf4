"""The preview's state: the current snapshot of the site in memory and the watcher that rebuilds it.

The watcher waits for a change of the files the last build read (and the config file): inotify tells at once,
elsewhere a poll (``notify.py``); the identities and times of those files decide (stat calls on them only, never a
walk of the folder). A rebuild reads and parses only what changed (``source/cache.py``) and walks only the parts
of the spec that read it (``bundle/memo.py``). It runs in two stages (``stages.py``): as soon as the new bundle
exists its snapshot is swapped in and the open pages are told (``live.py``); validate, lint and the other files
follow, unless another change comes first (the rest of that build is then dropped for the next one). A snapshot
is swapped in whole, so a request never sees half a build. A bug in a rebuild becomes a finding on the page; the
server and the watcher go on.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from generators.core.diagnostics import AtlasError
from generators.core.settings import Settings
from generators.serve import stages
from generators.serve.live import live_for, shell
from generators.serve.notify import Changes
from generators.serve.stages import (
    SHOWN_FINDINGS,
    Snapshot,
    banner,
    build_snapshot,
    finding_text,
    internal_error,
    summary,
)
from generators.source.cache import file_key

Fingerprint = dict[Path, tuple[int, int, int, int, int] | None]


def fingerprint(paths: list[Path]) -> Fingerprint:
    """Identity, size and times of each file (None when it does not exist); any difference means "rebuild"."""
    return {path: file_key(path) for path in paths}


def terminal_report(snapshot: Snapshot, seconds: float) -> list[str]:
    """What the terminal shows after a build: the findings (as on the page) and one status line."""
    lines = [finding_text(d) for d in snapshot.diagnostics[:SHOWN_FINDINGS]]
    left_out = len(snapshot.diagnostics) - SHOWN_FINDINGS
    if left_out > 0:
        lines.append(f"... and {left_out} more: atlas-spec lint lists them all")
    took = f"built in {seconds * 1000:.0f} ms"
    if snapshot.shown_after:
        took += f" (the page had the new spec after {snapshot.shown_after * 1000:.0f} ms)"
    if snapshot.failed:
        lines.append("build failed: the preview shows these errors until the source is fixed")
    elif snapshot.diagnostics:
        lines.append(f"{took} with {summary(snapshot.diagnostics)}, shown on the page")
    else:
        lines.append(took)
    return lines


class Preview:
    """The current snapshot and the watcher that replaces it when the source or the config changes.

    ``reload()`` reads the settings again (the config file and the command-line flags) after the config file
    changed; without it the settings stay as they were given. ``live``: pages carry the live script (``serve``).
    """

    def __init__(
        self,
        settings: Settings,
        report: Callable[[Snapshot, float], None],
        reload: Callable[[], Settings] | None = None,
        kept: stages.Kept | None = None,
        live: bool = True,
        changes: Changes | None = None,
    ) -> None:
        self.settings = settings
        self.report = report
        self.reload = reload
        self.live = live
        self.stopped = threading.Event()
        self.updated = threading.Condition()  # notified whenever a snapshot is swapped in
        self.kept = kept or stages.Kept()
        self.cache = self.kept.cache
        self.changes = changes or Changes()
        self.prints: Fingerprint = {}
        self.config_print: Fingerprint = {}
        self.builds = 0
        self.snapshot = Snapshot()
        self.rebuild()

    def publish(self, snapshot: Snapshot) -> None:
        """Swap ``snapshot`` in and wake everyone waiting for a new one."""
        with self.updated:
            self.snapshot = snapshot
            self.updated.notify_all()

    def wait_for(self, test: Callable[[Snapshot], bool], seconds: float) -> Snapshot:
        """The current snapshot once ``test`` holds for it (or after ``seconds``, or once stopped)."""
        with self.updated:
            self.updated.wait_for(lambda: test(self.snapshot) or self.stopped.is_set(), seconds)
            return self.snapshot

    def rebuild(self, stop: Callable[[], bool] = lambda: False) -> Snapshot:
        """Build again, the page's content first; each stage's snapshot swapped in whole. Returns the last one
        (the first stage's alone when ``stop()`` said the build is already out of date)."""
        started = time.perf_counter()
        config = self.settings.config_file
        self.config_print = fingerprint([config] if config else [])
        self.cache.begin()
        self.builds += 1
        try:
            first, stage, live = self._first_stage(started)
        except Exception as exc:  # the watcher must outlive any bug in a rebuild
            if os.environ.get("ATLAS_SPEC_DEBUG"):
                raise
            first, stage, live = Snapshot(diagnostics=(internal_error(exc),), build=self.builds), None, None
        self.cache.forget_untouched()
        # each file as it was when this build read it: an edit made during the build triggers the next one
        self.prints = self.cache.read_keys()
        self.changes.watch([*self.prints, *self.config_print])
        self.publish(first)
        snapshot = first
        if stage is not None:
            checked = stages.check_stage(stage, first, live, stop, self.publish)
            if checked is None:
                return first  # out of date: the next build starts at once, and reports
            self.publish(snapshot := checked)
        self.report(snapshot, time.perf_counter() - started)
        return snapshot

    def _first_stage(self, started: float) -> tuple[Snapshot, stages.Bundled | None, stages.LiveFor]:
        focused: list[bytes | None] = [None]

        def first_view(document: dict[str, Any], settings: Settings, name: str) -> None:
            """What the save changed, published as soon as it is bundled (open pages render it first)."""
            focused[0] = stages.focus_view(self.kept, document)
            if focused[0] is not None:
                self.publish(stages.focus_snapshot(focused[0], name, self.builds, shell(settings, name)))

        try:
            stage = stages.bundle_stage(self.settings, self.kept, first_view if self.live else None)
        except AtlasError as exc:
            return Snapshot(diagnostics=tuple(exc.diagnostics), build=self.builds), None, None
        live = live_for(stage.settings, stage.name) if self.live else None
        try:
            first = stages.first_snapshot(stage, self.builds, live, self.kept, focused[0])
        except AtlasError as exc:  # e.g. a Redoc bundle that cannot be read: no page to show
            return Snapshot(diagnostics=tuple(exc.diagnostics), build=self.builds), None, None
        token = shell(stage.settings, stage.name) if self.live else ""
        return replace(first, shell=token, shown_after=time.perf_counter() - started), stage, live

    def changed(self, told: bool = False) -> bool:
        """True when a file the last build read, or the config file, differs from what that build saw (a
        changed config file is read again first). ``told``: inotify named one of them, no need to look."""
        if self._config_changed():
            if self.reload is not None:
                try:
                    self.settings = self.reload()
                except AtlasError as exc:  # a broken config: shown like a broken source, fixed the same way
                    self.config_print = fingerprint(list(self.config_print))
                    self.builds += 1
                    self.publish(Snapshot(diagnostics=tuple(exc.diagnostics), build=self.builds))
                    self.report(self.snapshot, 0.0)
                    return False
            return True
        return told or self._files_changed()

    def _config_changed(self) -> bool:
        return fingerprint(list(self.config_print)) != self.config_print

    def _files_changed(self) -> bool:
        return any(file_key(path) != key for path, key in self.prints.items())

    def watch(self) -> None:
        """Rebuild after every change until stopped; a build still checking when the next change comes is
        dropped for the next build."""
        try:
            while not self.stopped.is_set():
                told = self.changes.wait(1.0)
                if not self.stopped.is_set() and self.changed(told):
                    self.rebuild(stop=self._out_of_date)
        finally:
            with self.updated:
                self.updated.notify_all()  # whoever waits for a snapshot: the preview is stopping

    def _out_of_date(self) -> bool:
        # only looks: the config is read again by the next build's changed(), never in the middle of this one
        return self.stopped.is_set() or (self.changes.pending() and (self._config_changed() or self._files_changed()))


__all__ = [
    "SHOWN_FINDINGS",
    "Preview",
    "Snapshot",
    "banner",
    "build_snapshot",
    "finding_text",
    "summary",
    "terminal_report",
]
