"""Retry-safe creates, proven with Newman against a loopback server that records every Idempotency-Key.

The collection runs twice (``-n 2``), so each request is re-sent once: the first attempt of ``/flaky`` is
answered 503, of ``/limited`` 429, and ``/dropped`` gets its connection closed without an answer.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generators.artefacts.postman import collection as postman_collection
from generators.artefacts.postman import environment as postman_environment
from tests.postman.postman_harness import FIXTURES, bundled, newman, settings

pytestmark = pytest.mark.external

FIRST_ANSWER = {"/flaky": 503, "/limited": 429, "/dropped": 0}  # 0: close the connection, answer nothing


class Recorder(ThreadingHTTPServer):
    """Loopback server that records ``(method, path, Idempotency-Key)`` of every request it reads."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[tuple[str, str, str | None]] = []
        self.lock = threading.Lock()

    def record(self, method: str, path: str, key: str | None) -> int:
        with self.lock:
            attempts = sum(1 for m, p, _ in self.seen if (m, p) == (method, path))
            self.seen.append((method, path, key))
        return FIRST_ANSWER.get(path, 201) if attempts == 0 else 201

    def keys(self, path: str) -> list[str | None]:
        return [k for m, p, k in self.seen if p == path and m == "POST"]


class _Handler(BaseHTTPRequestHandler):
    server: Recorder

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        status = self.server.record(self.command, self.path.split("?")[0], self.headers.get("Idempotency-Key"))
        if status == 0:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.send_response(status if self.command == "POST" else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _undeclared(document: dict[str, Any]) -> dict[str, Any]:
    """The retry document without its Idempotency-Key parameters (an API that documents no such header)."""
    copy = json.loads(json.dumps(document))
    for item in copy["paths"].values():
        for operation in item.values():
            operation.pop("parameters", None)
    return copy


@pytest.fixture(params=["declared", "configured"])
def retry_files(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """The retry collection and environment: every create declares the Idempotency-Key header, or none does and
    ``idempotency-methods = ["post"]`` in [tool.atlas-spec.postman] asks for it."""
    document = bundled(FIXTURES / "retry" / "openapi.yaml")
    config = settings("retry", tmp_path)
    if request.param == "configured":
        document = _undeclared(document)
        config = settings("retry", tmp_path, **{"idempotency-methods": ["post"]})
    collection = tmp_path / "retry.postman_collection.json"
    environment = tmp_path / "retry.postman_environment.json"
    collection.write_bytes(postman_collection.generate(document, config).content)
    environment.write_bytes(postman_environment.generate(document, config).content)
    return collection, environment


def _run(recorder: Recorder, files: tuple[Path, Path], tmp: Path, **env: str) -> None:
    base = f"http://127.0.0.1:{recorder.server_address[1]}"
    newman(files[0], files[1], tmp, {"baseUrl": base, **env}, "-n", "2")


def _is_uuid4(value: str | None) -> bool:
    try:
        return value is not None and uuid.UUID(value).version == 4
    except ValueError:
        return False


def test_two_creates_get_two_fresh_keys(recorder: Recorder, retry_files: tuple[Path, Path], tmp_path: Path) -> None:
    _run(recorder, retry_files, tmp_path)
    first, second = recorder.keys("/things")
    assert _is_uuid4(first) and _is_uuid4(second)
    assert first != second
    assert [k for m, p, k in recorder.seen if m == "GET"] == [None, None], "only creates carry the header"


@pytest.mark.parametrize("path", sorted(FIRST_ANSWER))
def test_retry_after_failure_reuses_the_key(
    recorder: Recorder, retry_files: tuple[Path, Path], tmp_path: Path, path: str
) -> None:
    _run(recorder, retry_files, tmp_path)
    first, retried = recorder.keys(path)
    assert _is_uuid4(first)
    assert retried == first
    assert first not in recorder.keys("/things"), "keys are per request, never shared"


def test_key_set_in_environment_is_sent_verbatim(
    recorder: Recorder, retry_files: tuple[Path, Path], tmp_path: Path
) -> None:
    chosen = "my key: not a UUID {on purpose}"
    _run(recorder, retry_files, tmp_path, idempotencyKey=chosen)
    posts = [k for m, _, k in recorder.seen if m == "POST"]
    assert len(posts) == 8
    assert set(posts) == {chosen}
