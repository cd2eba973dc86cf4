"""``atlas-spec serve``: a local preview of the docs site that rebuilds itself whenever the source changes.

Artefacts live in memory (nothing is written to ``build/``). A watcher thread polls the modification times of
every file under the spec's folder (no new dependency, fine for thousands of files) and rebuilds on a change.
A broken source does not stop the server: every page answers with the findings, ``file:line:col`` first,
until the source is fixed.
"""

from __future__ import annotations

import difflib
import http.server
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generators.diagnostics import AtlasError, Diagnostic, Location, Severity
from generators.redoc_html import PAGE
from generators.settings import Settings
from generators.templating import environment

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
POLL_SECONDS = 0.2
SERVE_KEYS = {"port": int}
_TYPES = {".json": "application/json", ".html": "text/html; charset=utf-8", ".yaml": "application/yaml"}
_ERROR_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


@dataclass(frozen=True)
class Snapshot:
    """One build's outcome: the files by URL path, or the findings that stopped it."""

    files: dict[str, bytes] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def failed(self) -> bool:
        """True when the source has errors (the site then shows them instead of stale pages)."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


def serve_port(settings: Settings, port: int | None) -> int:
    """The port to listen on: the flag, else ``[tool.atlas-spec.serve] port``, else 8000 (0: any free port)."""
    where = Location(str(settings.config_file)) if settings.config_file else None
    for key, value in settings.serve.items():
        if key not in SERVE_KEYS:
            close = difflib.get_close_matches(key, SERVE_KEYS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "the only key is 'port'"
            raise AtlasError.at("serve-config-key", f"unknown key '{key}' in [tool.atlas-spec.serve]", where, hint)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 65535:
            raise AtlasError.at("serve-config-type", "[tool.atlas-spec.serve] 'port' must be 0..65535", where)
    if port is not None:
        return port
    return int(settings.serve.get("port", DEFAULT_PORT))


def build_snapshot(settings: Settings) -> Snapshot:
    """Bundle, validate and generate every artefact in memory; input errors become findings, never exceptions."""
    from generators.bundle import bundle_configured
    from generators.pipeline import check_bundle, generate_artefacts

    try:
        bundled = bundle_configured(settings)
        diagnostics = check_bundle(bundled, settings)
        if any(d.severity is Severity.ERROR for d in diagnostics):
            return Snapshot(diagnostics=tuple(diagnostics))
        artefacts = generate_artefacts(bundled, settings)
    except AtlasError as exc:
        return Snapshot(diagnostics=tuple(exc.diagnostics))
    files = {f"/v1/{a.path}": a.content for a in artefacts}
    files["/v1/docs"] = files[f"/v1/{PAGE}"]
    files["/v1/openapi.json"] = files[f"/v1/{settings.name}.openapi.json"]
    return Snapshot(files=files, diagnostics=tuple(diagnostics))


def error_page(snapshot: Snapshot) -> bytes:
    """The findings of a failed build as an HTML page (autoescaped, no script)."""
    lines = [d.render() for d in snapshot.diagnostics]
    page = environment().get_template("redoc_errors.html.jinja").render(csp=_ERROR_CSP, findings=lines)
    return page.encode("utf-8")


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

    def respond(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a GET of ``path``."""
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path in ("/", "/v1", "/v1/", "/v1/docs/"):
            return 302, {"Location": "/v1/docs"}, b""
        snapshot = self.snapshot
        if snapshot.failed:
            return 500, {"Content-Type": _TYPES[".html"], "Content-Security-Policy": _ERROR_CSP}, error_page(snapshot)
        body = snapshot.files.get(path)
        if body is None:
            return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"not found; the docs are at /v1/docs\n"
        kind = ".html" if path == "/v1/docs" else Path(path).suffix
        return 200, {"Content-Type": _TYPES.get(kind, "application/octet-stream")}, body


def make_server(preview: Preview, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 answering from ``preview`` (never from the disk)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = preview.respond(self.path)
            self.send_response(status)
            for name, value in {**headers, "Cache-Control": "no-store", "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the terminal shows rebuilds and findings, not every request

    server = http.server.ThreadingHTTPServer((HOST, port), Handler)
    server.daemon_threads = True
    return server


def run(settings: Settings, port: int, echo: Callable[[str], None]) -> None:
    """Serve until interrupted; ``echo`` prints a line to the terminal (builds, findings, the address)."""
    from generators.report import render

    def report(snapshot: Snapshot, seconds: float) -> None:
        if snapshot.failed:
            echo(render(list(snapshot.diagnostics), "text").rstrip("\n"))
            echo("build failed: the preview shows these errors until the source is fixed")
        else:
            warnings = sum(d.severity is Severity.WARN for d in snapshot.diagnostics)
            echo(
                f"built in {seconds * 1000:.0f} ms"
                + (f" ({warnings} warning(s); see atlas-spec lint)" if warnings else "")
            )

    preview = Preview(settings, report)
    try:
        server = make_server(preview, port)
    except OSError as exc:
        raise AtlasError.at(
            "serve-port", f"cannot listen on {HOST}:{port}: {exc.strerror}", hint="pick another port with --port"
        ) from None
    threading.Thread(target=preview.watch, name="atlas-spec-watch", daemon=True).start()
    echo(f"serving http://{HOST}:{server.server_port}/v1/docs (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        echo("stopped")
    finally:
        preview.stopped.set()
        server.server_close()
