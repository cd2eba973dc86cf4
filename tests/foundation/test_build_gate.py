"""``build --fail-on error|warning|never``: structural errors always stop a build, lint findings at the chosen
level; with ``never`` every artefact is written and the findings printed (issue 13)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from generators.artefacts.registry import ARTEFACTS
from tests.conftest import REPO, node_package_file, shared_path
from tests.support import HEAD, OK_PATHS, cli, make_tree

DO_ROOT = ("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")
ARTEFACT_SUFFIXES = tuple(entry.pattern.replace("{name}", "") for entry in ARTEFACTS)  # every registered file
CLEAN = HEAD + OK_PATHS + "        '404': {description: no}\n"
WARNED = HEAD + OK_PATHS  # no 4xx response: a warning
ERRORED = CLEAN.replace("https://api.test", "api.test")  # server-url-valid: an error
INVALID = CLEAN.replace("{description: ok}", "{descriptio: ok}")  # a structural error


def _artefacts(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir()) if out.is_dir() else []


def _complete(out: Path) -> bool:
    """Every registered artefact is in ``out`` (the bundle, the Postman pair, the MCP catalogue, the site)."""
    names = _artefacts(out)
    return all(any(n.endswith(s) for n in names) for s in ARTEFACT_SUFFIXES)


@pytest.mark.parametrize(
    ("source", "fail_on", "stops"),
    [
        (CLEAN, "error", False),
        (WARNED, "error", False),
        (WARNED, "warning", True),
        (WARNED, "never", False),
        (ERRORED, "error", True),
        (ERRORED, "warning", True),
        (ERRORED, "never", False),
        (INVALID, "never", True),
    ],
)
def test_the_gate(tmp_path: Path, source: str, fail_on: str, stops: bool) -> None:
    root = make_tree(tmp_path, {"api/root.yaml": source})
    result = cli("build", "--spec", str(root), "--fail-on", fail_on, cwd=tmp_path)
    out = tmp_path / "api" / "build"
    if stops:
        assert result.returncode == 1 and "nothing was written" in result.stderr
        assert _artefacts(out) == []
    else:
        assert result.returncode == 0, result.stderr
        assert _complete(out)
    if source is ERRORED:
        assert "error [server-url-valid]" in result.stderr  # printed whether it stops the build or not
    if source is INVALID:
        assert "breaks the OpenAPI structure" in result.stderr


def test_default_stops_on_lint_errors_with_a_hint(tmp_path: Path) -> None:
    root = make_tree(tmp_path, {"api/root.yaml": ERRORED})
    result = cli("build", "--spec", str(root), cwd=tmp_path)
    assert result.returncode == 1 and _artefacts(tmp_path / "api" / "build") == []
    assert "--fail-on never" in result.stderr


def test_configured_level_and_flag_over_it(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {"pyproject.toml": '[tool.atlas-spec]\nspec = "root.yaml"\n[tool.atlas-spec.build]\nfail-on = "never"\n'},
    )
    (tmp_path / "root.yaml").write_text(ERRORED)
    assert cli("build", cwd=tmp_path).returncode == 0 and _complete(tmp_path / "build")
    check = cli("build", "--check", cwd=tmp_path)
    assert check.returncode == 0 and "up to date" in check.stderr
    flagged = cli("build", "--fail-on", "error", "--out", str(tmp_path / "other"), cwd=tmp_path)
    assert flagged.returncode == 1 and _artefacts(tmp_path / "other") == []


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ('fail-on = "errors"', "use one of: error, warning, never"),
        ('fail_on = "never"', "did you mean 'fail-on'?"),
    ],
)
def test_bad_gate_settings_are_explained(tmp_path: Path, table: str, needle: str) -> None:
    config = f'[tool.atlas-spec]\nspec = "root.yaml"\n[tool.atlas-spec.build]\n{table}\n'
    make_tree(tmp_path, {"pyproject.toml": config})
    (tmp_path / "root.yaml").write_text(CLEAN)
    result = cli("build", cwd=tmp_path)
    assert result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr


def test_this_repository_keeps_error() -> None:
    from generators.core.settings import load_settings
    from generators.pipeline import fail_on_level

    assert fail_on_level(load_settings(cwd=REPO)) == "error"


def _fixture_specs() -> list[Path]:
    """Every OpenAPI root among the test suite's fixtures (a YAML or JSON file with an ``openapi`` key)."""
    roots = []
    folders = [*(REPO / "tests").glob("*/fixtures"), *(REPO / "tests" / "golden").glob("*/spec")]
    for path in sorted(p for folder in folders for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".json")):
        document = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        if isinstance(document, dict) and "openapi" in document:
            roots.append(path)
    return roots


FIXTURE_SPECS = _fixture_specs()


def test_the_fixture_list_is_not_empty() -> None:
    assert len(FIXTURE_SPECS) >= 9, FIXTURE_SPECS


@pytest.mark.parametrize("root", FIXTURE_SPECS, ids=lambda p: str(p.relative_to(REPO / "tests")))
def test_every_fixture_spec_builds_with_fail_on_never(root: Path, tmp_path: Path) -> None:
    result = cli("build", "--spec", str(root), "--out", str(tmp_path / "out"), "--fail-on", "never", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _complete(tmp_path / "out")


# Small valid specs of the kinds every one of which `build` used to refuse (no servers, no summary, no security).
SMALL_SPECS = {
    "escaped-pointers": (
        "openapi: 3.1.0\ninfo: {title: Pointers, version: '1'}\npaths:\n"
        "  /a~b/c:\n    get:\n      responses: {'200': {description: ok}}\n"
        "  /d:\n    $ref: '#/paths/~1a~0b~1c'\n"
    ),
    "recursive-schema": (
        "openapi: 3.1.0\ninfo: {title: Tree, version: '1'}\npaths:\n  /tree:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json: {schema: {$ref: '#/components/schemas/Node'}}\n"
        "components:\n  schemas:\n    Node:\n      type: object\n"
        "      properties: {children: {type: array, items: {$ref: '#/components/schemas/Node'}}}\n"
    ),
    "yaml-anchors": (
        "openapi: 3.0.3\ninfo: {title: Anchors, version: '1'}\npaths:\n"
        "  /a:\n    get: &op\n      responses: {'200': {description: ok}}\n  /b:\n    get: *op\n"
    ),
    "bom-and-unicode": (
        "\ufeffopenapi: 3.1.0\ninfo: {title: Café ☕ API, version: '1', description: 日本語のテキスト}\n"
        "paths:\n  /café:\n    get:\n      responses: {'200': {description: ✓}}\n"
    ),
    "no-paths": "openapi: 3.1.0\ninfo: {title: Webhooks only, version: '1'}\nwebhooks: {}\n",
}


@pytest.mark.parametrize("name", sorted(SMALL_SPECS))
def test_small_valid_specs_build_with_fail_on_never(name: str, tmp_path: Path) -> None:
    root = tmp_path / "openapi.yaml"
    root.write_bytes(SMALL_SPECS[name].encode("utf-8"))
    result = cli("build", "--spec", str(root), "--fail-on", "never", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _complete(tmp_path / "build")


@pytest.mark.slow
def test_two_thousand_operations_build(tmp_path: Path) -> None:
    paths = "".join(f"  /r{i}:\n    get:\n      responses: {{'200': {{description: ok}}}}\n" for i in range(2000))
    root = tmp_path / "openapi.yaml"
    root.write_text("openapi: 3.1.0\ninfo: {title: Big, version: '1'}\npaths:\n" + paths)
    started = time.monotonic()
    result = cli("build", "--spec", str(root), "--fail-on", "never", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert _complete(tmp_path / "build") and time.monotonic() - started < 60
    collection = json.loads((tmp_path / "build" / "big.postman_collection.json").read_text())
    assert len(collection["item"]) == 2000


@pytest.mark.slow
def test_digitalocean_builds_with_fail_on_never(tmp_path: Path) -> None:
    root = shared_path(*DO_ROOT)
    out = tmp_path / "out"
    stopped = cli("build", "--spec", str(root), "--out", str(out), cwd=tmp_path)
    assert stopped.returncode == 1 and _artefacts(out) == []  # the default stops on its 3 lint errors
    result = cli("build", "--spec", str(root), "--out", str(out), "--fail-on", "never", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr.count(": error [") == 3  # and still prints them
    assert _artefacts(out) == [
        "changelog.html",
        "changelog.xml",
        "digitalocean-api.mcp-tools.json",
        "digitalocean-api.openapi.json",
        "digitalocean-api.postman_collection.json",
        "digitalocean-api.postman_environment.json",
        "index.html",
    ]


@pytest.mark.slow
@pytest.mark.external
def test_github_builds_with_fail_on_never(tmp_path: Path) -> None:
    root = node_package_file("@octokit", "openapi", "generated", "api.github.com.json")
    out = tmp_path / "out"
    result = cli("build", "--spec", str(root), "--out", str(out), "--fail-on", "never", cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr.count(": error [") > 2000
    assert _complete(out)
    assert json.loads((out / "githubs-official-openapi-spec-octokit-extension.openapi.json").read_bytes())["paths"]
