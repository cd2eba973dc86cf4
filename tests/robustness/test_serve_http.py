"""The preview server's HTTP side against hostile or careless clients.

Before this test the server answered any ``Host`` (a DNS-rebinding page could read the unreleased description),
kept half-sent requests open for ever (one thread each) and printed a traceback when a client went away early.
"""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import time
from collections.abc import Iterator

import pytest

from generators.core.settings import load_settings
from generators.serve.server import make_server
from generators.serve.watch import Preview

from .cliutil import HEAD, OK_PATHS, make_tree

IDLE = 0.5


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Preview:
    root = make_tree(tmp_path_factory.mktemp("serve"), {"openapi.yaml": HEAD + OK_PATHS})
    settings = load_settings(root.parent).with_overrides(spec=root)
    return Preview(settings, lambda snapshot, seconds: None)


@pytest.fixture
def port(preview: Preview) -> Iterator[int]:
    server = make_server(preview, 0, idle_seconds=IDLE)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()


def get(port: int, host: str | None, path: str = "/v1/openapi.json") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_preview_answers_its_own_names(port: int, host: str) -> None:
    status, body = get(port, host.format(port=port))
    assert status == 200 and b'"openapi"' in body


@pytest.mark.parametrize("host", ["attacker.example:{port}", "attacker.example", "127.0.0.1", "127.0.0.1:1", None])
def test_a_foreign_host_gets_421_and_no_description(port: int, host: str | None) -> None:
    status, body = get(port, host.format(port=port) if host else None)
    assert status == 421
    assert b"openapi" not in body


def test_half_sent_requests_are_closed_when_idle(port: int) -> None:
    before = threading.active_count()
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(20)]
    for sock in sockets:
        sock.sendall(b"GET /v1/docs HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
    deadline = time.monotonic() + 30
    for sock in sockets:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        assert sock.recv(1024) == b"", "the server must close an idle connection"
        sock.close()
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() <= before


def test_a_client_that_goes_away_early_leaves_no_traceback(port: int, capfd: pytest.CaptureFixture[str]) -> None:
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(f"GET /v1/docs HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()  # a reset: the server's read or write fails
    time.sleep(0.5)
    status, _ = get(port, f"127.0.0.1:{port}")
    assert status == 200  # still serving
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "Error" not in captured.err, captured.err
