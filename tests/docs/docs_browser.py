"""Headless chromium driven over the DevTools protocol with the standard library only (no selenium).

A tiny WebSocket client (RFC 6455, text frames, client masking) talks to chromium's ``--remote-debugging-port``.
One page target is attached in flat mode; every request (also from workers), console message, log entry,
uncaught exception and JavaScript dialog is recorded so tests can assert on them afterwards.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import queue
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--window-size=1400,900",
    # Offline: no name resolves except the loopback the test serves from. Requests are still recorded.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


class WebSocket:
    """The client half of RFC 6455, enough for the DevTools protocol."""

    def __init__(self, url: str) -> None:
        parsed = urlparse(url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port or 80), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parsed.path} HTTP/1.1\r\nHost: {parsed.hostname}:{parsed.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("websocket handshake failed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"websocket handshake refused: {head!r}")
        self.sock.settimeout(None)
        self.lock = threading.Lock()

    def send(self, text: str) -> None:
        payload = text.encode()
        header = bytearray([0x81])
        size = len(payload)
        if size < 126:
            header.append(0x80 | size)
        elif size < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", size)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", size)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        with self.lock:
            self.sock.sendall(bytes(header) + mask + masked)

    def _exact(self, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("websocket closed")
            data += chunk
        return bytes(data)

    def receive(self) -> str:
        """One whole text message (fragments joined); control frames are answered or skipped."""
        message = bytearray()
        while True:
            first, second = self._exact(2)
            size = second & 0x7F
            if size == 126:
                size = struct.unpack(">H", self._exact(2))[0]
            elif size == 127:
                size = struct.unpack(">Q", self._exact(8))[0]
            payload = self._exact(size)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise ConnectionError("websocket closed by chromium")
            if opcode in (0x9, 0xA):
                continue
            message += payload
            if first & 0x80:
                return message.decode()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


@dataclass
class Recorder:
    """Everything the page did that a test may want to look at."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


class Browser:
    """A fresh headless chromium (own profile folder) with one attached page."""

    def __init__(self, binary: Path) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="atlas-chromium-"))
        self.process = subprocess.Popen(
            [str(binary), *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.record = Recorder()
        self._ids = itertools.count(1)
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.ws = WebSocket(self._browser_url())
        threading.Thread(target=self._read, daemon=True).start()
        self.send("Target.setDiscoverTargets", {"discover": True})
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self._prepare(self.session, page=True)

    def _browser_url(self) -> str:
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if port_file.exists():
                lines = port_file.read_text().split("\n")
                if len(lines) >= 2 and lines[1]:
                    return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            if self.process.poll() is not None:
                raise RuntimeError("chromium exited before opening its DevTools port")
            time.sleep(0.05)
        raise RuntimeError("chromium did not open its DevTools port within 30 s")

    def _prepare(self, session: str, page: bool) -> None:
        # Workers (Redoc's search index runs in one) are attached too, so their requests are recorded.
        self.send(
            "Target.setAutoAttach",
            {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": True},
            session=session,
        )
        self.send("Network.enable", {}, session=session)
        self.send("Runtime.enable", {}, session=session)
        self.send("Log.enable", {}, session=session)
        if page:
            self.send("Page.enable", {}, session=session)

    def _read(self) -> None:
        try:
            while True:
                message = json.loads(self.ws.receive())
                if "id" in message and message["id"] in self._replies:
                    self._replies[message["id"]].put(message)
                else:
                    self._on_event(message)
        except (ConnectionError, OSError, ValueError):
            return

    def _on_event(self, message: dict[str, Any]) -> None:
        method = message.get("method", "")
        params = message.get("params", {})
        if method == "Network.requestWillBeSent":
            self.record.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            texts = [str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", [])]
            self.record.console_errors.append("console: " + " ".join(texts))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "")
            self.record.console_errors.append(f"exception: {text}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.record.console_errors.append(f"log: {entry.get('text')} {entry.get('url', '')}".strip())
        elif method == "Page.javascriptDialogOpening":
            self.record.dialogs.append(f"{params.get('type')}: {params.get('message')}")
            threading.Thread(
                target=self.send,
                args=("Page.handleJavaScriptDialog", {"accept": False}),
                kwargs={"session": message.get("sessionId")},
                daemon=True,
            ).start()
        elif method == "Target.attachedToTarget" and params.get("targetInfo", {}).get("type") != "page":
            worker = params["sessionId"]
            threading.Thread(target=self._prepare_worker, args=(worker,), daemon=True).start()
        self._events.put(message)

    def _prepare_worker(self, session: str) -> None:
        try:
            self.send("Network.enable", {}, session=session)
            self.send("Runtime.enable", {}, session=session)
            self.send("Runtime.runIfWaitingForDebugger", {}, session=session)
        except RuntimeError:
            pass  # a worker may be gone before we talk to it

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None, timeout: float = 60
    ) -> dict[str, Any]:
        """Send one command and wait for its result; RuntimeError on a protocol error."""
        ident = next(self._ids)  # atomic: worker set-up sends from other threads
        reply: queue.Queue[dict[str, Any]] = queue.Queue()
        self._replies[ident] = reply
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        try:
            answer = reply.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"no answer to {method} within {timeout} s") from None
        finally:
            del self._replies[ident]
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    def page(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A command to the attached page."""
        return self.send(method, params, session=self.session)

    def goto(self, url: str, timeout: float = 30) -> None:
        """Navigate and wait for the load event."""
        while not self._events.empty():
            self._events.get_nowait()
        self.page("Page.navigate", {"url": url})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event = self._events.get(timeout=0.5)
            except queue.Empty:
                continue
            if event.get("method") == "Page.loadEventFired":
                return
        raise TimeoutError(f"{url} did not finish loading within {timeout} s")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page (promises awaited)."""
        result = self.page("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluating {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20) -> Any:
        """Poll until the expression is truthy; its value, or TimeoutError."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise TimeoutError(f"still false after {timeout} s: {expression}")

    def type_into(self, selector: str, text: str) -> None:
        """Focus an input and type into it as a user would (input events fire)."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.page("Input.insertText", {"text": text})

    def screenshot(self, path: Path) -> None:
        """Write a PNG of the viewport."""
        data = self.page("Page.captureScreenshot", {"format": "png"})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        """Stop chromium and remove its profile."""
        with contextlib.suppress(RuntimeError, OSError, ConnectionError):
            self.send("Browser.close", timeout=5)
        self.ws.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
