"""``atlas-spec serve`` as a user runs it: a real process, real HTTP, real edits of the source files."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from docs_site import FIXTURES

from generators.cli import cli
from tests.conftest import REPO

RELOAD_BUDGET = 2.0


class Server:
    """A running ``atlas-spec serve`` whose terminal output is collected line by line."""

    def __init__(self, spec: Path, *options: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generators", "serve", "--spec", str(spec), "--port", "0", *options],
            cwd=spec.parent,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.terminal: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        self.base = self._address()

    def _pump(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def _address(self) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "serve exited: " + "\n".join(self.terminal)
                continue
            self.terminal.append(line)
            found = re.search(r"serving (http://127\.0\.0\.1:\d+)/v1/docs", line)
            if found:
                return found.group(1)
        raise TimeoutError("serve did not print its address:\n" + "\n".join(self.terminal))

    def output(self) -> str:
        """Everything printed so far."""
        while not self.lines.empty():
            self.terminal.append(self.lines.get_nowait())
        return "\n".join(self.terminal)

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def wait_until(self, path: str, check: object, budget: float) -> float:
        """Poll ``path`` until ``check(status, body)`` holds; the seconds it took (fails past ``budget``)."""
        started = time.monotonic()
        while time.monotonic() - started < budget:
            status, body = self.get(path)
            if check(status, body):  # type: ignore[operator]
                return time.monotonic() - started
            time.sleep(0.05)
        pytest.fail(f"{path} did not change within {budget} s; last answer {status}: {body[:300]!r}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "petstore", tmp_path / "spec")
    return tmp_path / "spec" / "openapi.yaml"


@pytest.fixture
def server(source: Path) -> Iterator[Server]:
    running = Server(source)
    yield running
    running.stop()


def _title(body: bytes) -> str:
    return str(json.loads(body)["info"]["title"])


def test_serves_docs_spec_and_downloads(server: Server) -> None:
    status, page = server.get("/v1/docs")
    assert status == 200 and b'id="atlas-spec"' in page
    status, spec = server.get("/v1/openapi.json")
    assert status == 200 and _title(spec) == "Petstore fixture"
    # The page's relative links (downloads, changelog and its feed) resolve next to /v1/docs.
    hrefs = set(re.findall(rb'<a href="([^"#]+)"', page))
    assert len(hrefs) == 6, hrefs
    for href in hrefs:
        assert server.get("/v1/" + href.decode())[0] == 200, href
    # no configuration: the downloads are named after the spec's own title
    assert server.get("/v1/petstore-fixture.openapi.json") == (200, spec)
    assert server.get("/v1/atlas-public-api.openapi.json")[0] == 404
    assert server.get("/")[0] == 200  # redirected to /v1/docs
    assert server.get("/v1/nothing-here")[0] == 404


def test_edit_shows_within_two_seconds(server: Server, source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("title: Petstore fixture", "title: Petstore renamed"), encoding="utf-8")
    took = server.wait_until("/v1/openapi.json", lambda s, b: s == 200 and _title(b) == "Petstore renamed", 2.0)
    assert took < RELOAD_BUDGET
    # A file reached through a $ref counts too.
    pets = source.parent / "paths" / "pets.yaml"
    pets.write_text(pets.read_text(encoding="utf-8").replace("List all pets", "List every pet"), encoding="utf-8")
    server.wait_until("/v1/openapi.json", lambda s, b: s == 200 and b"List every pet" in b, RELOAD_BUDGET)


def test_syntax_error_is_shown_then_recovers(server: Server, source: Path) -> None:
    pets = source.parent / "paths" / "pets.yaml"
    good = pets.read_text(encoding="utf-8")
    pets.write_text(good.replace("summary: List all pets", "summary: [List all pets"), encoding="utf-8")
    server.wait_until("/v1/docs", lambda s, b: s == 500, RELOAD_BUDGET)
    page = server.get("/v1/docs")[1]
    assert re.search(rb"paths/pets\.yaml:5:\d+: error \[yaml-syntax\]", page), page
    assert server.get("/v1/openapi.json")[0] == 500  # never a stale spec
    deadline = time.monotonic() + RELOAD_BUDGET
    while "paths/pets.yaml:5:" not in server.output() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert re.search(r"paths/pets\.yaml:5:\d+: error \[yaml-syntax\]", server.output())
    assert server.process.poll() is None, "the server stopped on a broken source"

    pets.write_text(good, encoding="utf-8")
    server.wait_until("/v1/openapi.json", lambda s, b: s == 200 and b"List all pets" in b, RELOAD_BUDGET)
    assert server.get("/v1/docs")[0] == 200


def test_unknown_serve_key_is_refused_with_a_hint(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.atlas-spec]\nspec = "openapi.yaml"\n[tool.atlas-spec.serve]\nprot = 9000\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "serve"])
    assert result.exit_code == 2
    assert "unknown key 'prot' in [tool.atlas-spec.serve]" in result.output
    assert "did you mean 'port'?" in result.output
