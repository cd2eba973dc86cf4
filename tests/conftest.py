"""Shared test plumbing: repository paths, the golden-update flag, and outside tools that skip or fail."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
NODE_BIN = REPO / "node_modules" / ".bin"
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files instead of comparing")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that compares with a snapshot (it takes ``update_golden``) is marked ``golden``: `make golden`."""
    for item in items:
        if "update_golden" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.golden)


def assert_generated_section(path: Path, marker: str, text: str, update: bool) -> None:
    """The part of ``path`` between ``<!-- marker:start -->`` and ``<!-- marker:end -->`` is exactly ``text``
    (a generated table in a hand-written page); with ``update``, rewrite that part."""
    start, end = f"<!-- {marker}:start -->\n", f"<!-- {marker}:end -->"
    page = path.read_text(encoding="utf-8")
    assert start in page and end in page, f"{path.name} lost its {marker} markers"
    before, rest = page.split(start, 1)
    after = rest.split(end, 1)[1]
    if update:
        path.write_text(before + start + text + end + after, encoding="utf-8")
        return
    assert rest.split(end, 1)[0] == text, f"{path.name} is stale: run `make golden` and review the diff"


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite golden files (never in CI)."""
    flag = bool(request.config.getoption("--update-golden"))
    if flag and IN_CI:
        pytest.fail("--update-golden is not allowed under CI=true")
    return flag


def missing(reason: str) -> None:
    """Skip on a laptop; under CI=true a missing outside tool is a failure."""
    if IN_CI:
        pytest.fail(f"required under CI=true: {reason}")
    pytest.skip(reason)


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping (or failing in CI) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        missing(f"{path} is absent (the read-only shared folder)")
    return path


def node_tool(name: str) -> Path:
    """An npm-installed command from node_modules/.bin (installed by `make test`)."""
    path = NODE_BIN / name
    if not path.exists():
        missing(f"npm tool '{name}' is not installed; run `make test` (npm ci)")
    return path


def node_package_file(*parts: str) -> Path:
    """A file inside node_modules (e.g. the GitHub description from @octokit/openapi)."""
    path = REPO.joinpath("node_modules", *parts)
    if not path.exists():
        missing(f"{path} is not installed; run `make test` (npm ci)")
    return path


def chromium() -> Path:
    """Debian's chromium (installed by `make test`)."""
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        missing("Debian's chromium is not installed; run `make test`")
    return Path(str(found))
