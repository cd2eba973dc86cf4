"""The preview's HTTP side: answers GETs on 127.0.0.1 from the in-memory snapshot (never from the disk).

``run`` starts the watcher (``watch.py``) and serves until interrupted; while the source is broken every page
answers with the findings, ``file:line:col`` first, until the source is fixed. Open pages follow the builds
through ``/v1/preview/events`` (``live.py``). A file the running build has not made yet (a download while
validate and lint run) is answered once it exists, never from another build.
"""

from __future__ import annotations

import http.server
import json
import sys
import threading
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from generators.artefacts.docs.page import csp_hash
from generators.artefacts.registry import kind, media_type_of
from generators.artefacts.templating import environment
from generators.core.diagnostics import AtlasError
from generators.core.settings import Settings, config_place, did_you_mean
from generators.serve.focus import FOCUS_PATH
from generators.serve.live import ERROR_SCRIPT, EVENTS, KEEPALIVE_SECONDS, STATUS, event
from generators.serve.stages import PAGE_SPEC, status
from generators.serve.watch import Preview, Snapshot, terminal_report

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
SERVE_KEYS = {"port": int}
IDLE_SECONDS = 10.0
PENDING_SECONDS = 60.0  # how long a request for a file still being made waits for it
MAX_STREAMS = 16  # open event streams (pages) at once
_ERROR_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    f"script-src {csp_hash(ERROR_SCRIPT)}; connect-src 'self'; base-uri 'none'; form-action 'none'"
)
_JSON = "application/json"


def serve_port(settings: Settings, port: int | None) -> int:
    """The port to listen on: the flag, else ``[tool.atlas-spec.serve] port``, else 8000 (0: any free port)."""
    for key, value in settings.serve.items():
        if key not in SERVE_KEYS:
            hint = did_you_mean(key, SERVE_KEYS, "the only key is 'port'")
            where = config_place(settings, "serve", key)
            raise AtlasError.at("serve-config-key", f"unknown key '{key}' in [tool.atlas-spec.serve]", where, hint)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 65535:
            where = config_place(settings, "serve", key)
            raise AtlasError.at("serve-config-type", "[tool.atlas-spec.serve] 'port' must be 0..65535", where)
    if port is not None:
        return port
    return int(settings.serve.get("port", DEFAULT_PORT))


def error_page(snapshot: Snapshot) -> bytes:
    """The findings of a failed build as an HTML page (autoescaped, no script)."""
    lines = [d.render() for d in snapshot.diagnostics]
    template = environment().get_template("redoc_errors.html.jinja")
    return template.render(csp=_ERROR_CSP, findings=lines, live_script=Markup(ERROR_SCRIPT)).encode("utf-8")


def respond(preview: Preview, path: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body for a GET of ``path``."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    if path in ("/", "/v1", "/v1/", "/v1/docs/"):
        return 302, {"Location": "/v1/docs"}, b""
    snapshot = preview.snapshot
    if path == STATUS:
        return 200, {"Content-Type": _JSON}, json.dumps(status(snapshot)).encode("utf-8")
    if path in snapshot.pending:
        snapshot = preview.wait_for(lambda now: path not in now.pending, PENDING_SECONDS)
        if path in snapshot.pending:
            return 503, {"Content-Type": "text/plain; charset=utf-8", "Retry-After": "5"}, b"still building\n"
    build = {"X-Atlas-Build": str(snapshot.build)}
    if snapshot.failed:
        headers = {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": _ERROR_CSP, **build}
        return 500, headers, error_page(snapshot)
    body = snapshot.files.get(path)
    if body is None:
        return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"not found; the docs are at /v1/docs\n"
    aliases = {
        "/v1/docs": kind("docs").media_type,
        "/v1/openapi.json": kind("openapi").media_type,
        PAGE_SPEC: _JSON,
        FOCUS_PATH: _JSON,
    }
    media = aliases[path] if path in aliases else media_type_of(path.rsplit("/", 1)[-1], snapshot.name)
    return 200, {"Content-Type": media or "application/octet-stream", **build}, body


def allowed_host(host: str | None, port: int) -> bool:
    """True for ``127.0.0.1:PORT`` and ``localhost:PORT``: a page that DNS-rebinds its own name to 127.0.0.1
    still sends that name, so it cannot read the unreleased description."""
    return host is not None and host.strip().lower() in (f"{HOST}:{port}", f"localhost:{port}")


def make_server(preview: Preview, port: int, idle_seconds: float = IDLE_SECONDS) -> http.server.ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 answering from ``preview`` (never from the disk).

    A connection that sends nothing for ``idle_seconds`` is closed (300 half-sent requests would otherwise
    hold 300 threads for ever), and a client that goes away mid-answer ends its connection quietly.
    """

    class Handler(http.server.BaseHTTPRequestHandler):
        timeout = idle_seconds  # applied to the socket: a read that waits longer ends the connection

        def do_GET(self) -> None:
            port = server.server_port
            if not allowed_host(self.headers.get("Host"), port):
                text = f"misdirected request: this preview answers to {HOST}:{port} and localhost:{port}\n"
                self._answer(421, {"Content-Type": "text/plain; charset=utf-8"}, text.encode("utf-8"))
                return
            if self.path.split("?", 1)[0] == EVENTS:
                self._stream()
            else:
                self._answer(*respond(preview, self.path))

        def _stream(self) -> None:
            """Server-sent events: the current build at once, then each new snapshot, until the page goes."""
            with streams_lock:
                if len(streams) >= MAX_STREAMS:
                    self._answer(503, {"Content-Type": "text/plain; charset=utf-8"}, b"too many open pages\n")
                    return
                streams.add(self)
            try:
                self.send_response(200)
                for name, value in {"Content-Type": "text/event-stream", "Cache-Control": "no-store"}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(b"retry: 1000\n\n")
                sent: tuple[int, str, str] | None = None
                while not preview.stopped.is_set():
                    now = _told(preview.wait_for(_other_than(sent), KEEPALIVE_SECONDS))
                    self.wfile.write(b": still here\n\n" if now == sent else event(*now))
                    sent = now
            finally:
                with streams_lock:
                    streams.discard(self)

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in {**headers, "Cache-Control": "no-store", "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the terminal shows rebuilds and findings, not every request

    streams: set[Any] = set()
    streams_lock = threading.Lock()
    server = _Server((HOST, port), Handler)
    server.daemon_threads = True
    return server


def _told(snapshot: Snapshot) -> tuple[int, str, str]:
    """What a page is told of a snapshot: its build, its state and its shell (a download made is no news)."""
    state = "failed" if snapshot.failed else "checking" if snapshot.checking else "checked"
    return snapshot.build, state, snapshot.shell


def _other_than(sent: tuple[int, str, str] | None) -> Callable[[Snapshot], bool]:
    return lambda now: _told(now) != sent


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that closed early or went idle is no news; anything else is one line, never a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        sys.stderr.write(f"serve: a request from {client_address[0]} failed: {type(error).__name__}: {error}\n")


def run(
    settings: Settings, port: int, echo: Callable[[str], None], reload: Callable[[], Settings] | None = None
) -> None:
    """Serve until interrupted; ``echo`` prints a line to the terminal (builds, findings, the address).

    ``reload()`` reads the settings again when the config file changes (see ``Preview``).
    """

    def report(snapshot: Snapshot, seconds: float) -> None:
        for line in terminal_report(snapshot, seconds):
            echo(line)

    preview = Preview(settings, report, reload)
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
