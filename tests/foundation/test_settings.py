"""Configuration follows the spec: found from the --spec root's folder upwards, never from an unrelated working
folder; without one, the project is the spec's folder and the artefacts are named after info.title."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generators.core.diagnostics import AtlasError
from generators.core.settings import Settings, artefact_name, find_config, load_settings, slug
from generators.lint.rules import all_rules
from tests.conftest import REPO, shared_path
from tests.support import HEAD, OK_PATHS, cli, make_tree

SPEC = HEAD + OK_PATHS
DO_ROOT = ("corpus", "digitalocean", "specification", "DigitalOcean-public.v2.yaml")
FINDING = re.compile(r":\d+:\d+: (error|warn|info) \[([a-z0-9-]+)\]")


def test_the_config_above_the_spec_wins_over_the_working_folder(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "here/pyproject.toml": '[tool.atlas-spec]\nout = "here-out"\nname = "here"\n',
            "api/pyproject.toml": '[tool.atlas-spec]\nout = "dist"\nname = "api"\n'
            "[tool.atlas-spec.lint]\nhouse-rules = true\n",
            "api/spec/root.yaml": SPEC,
        },
    )
    settings = load_settings(spec=tmp_path / "api" / "spec" / "root.yaml", cwd=tmp_path / "here")
    assert settings.config_file == tmp_path / "api" / "pyproject.toml"
    assert settings.spec == tmp_path / "api" / "spec" / "root.yaml"
    assert (settings.out_dir, settings.name) == (tmp_path / "api" / "dist", "api")
    assert settings.project_dir == tmp_path / "api"
    assert settings.lint == {"house-rules": True}
    # without --spec, the working folder's configuration is the one
    assert load_settings(cwd=tmp_path / "here").name == "here"


def test_without_a_config_the_project_is_the_spec_folder(tmp_path: Path) -> None:
    make_tree(tmp_path, {"cwd/pyproject.toml": '[tool.atlas-spec]\nname = "not-this"\n', "api/root.yaml": SPEC})
    settings = load_settings(spec=tmp_path / "api" / "root.yaml", cwd=tmp_path / "cwd")
    assert settings == Settings(
        spec=tmp_path / "api" / "root.yaml", out_dir=tmp_path / "api" / "build", project_dir=tmp_path / "api"
    )
    assert settings.name is None and settings.lint == {} and settings.config_file is None


def test_atlas_spec_toml_holds_the_keys_at_top_level(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.atlas-spec]\nname = "far"\n',
            "api/atlas-spec.toml": 'name = "near"\nout = "site"\n[postman]\nfolders = "paths"\n',
            "api/v1/root.yaml": SPEC,
        },
    )
    settings = load_settings(spec=tmp_path / "api" / "v1" / "root.yaml")
    assert settings.config_file == tmp_path / "api" / "atlas-spec.toml"  # the nearer file wins
    assert (settings.name, settings.out_dir) == ("near", tmp_path / "api" / "site")
    assert settings.postman == {"folders": "paths"}
    # in one folder pyproject.toml (with the table) comes first; without the table it is passed over
    (tmp_path / "api" / "pyproject.toml").write_text('[tool.atlas-spec]\nname = "py"\n')
    assert find_config(tmp_path / "api" / "v1") == tmp_path / "api" / "pyproject.toml"
    (tmp_path / "api" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(tmp_path / "api" / "v1") == tmp_path / "api" / "atlas-spec.toml"


def test_config_flag_overrides_the_search(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "api/pyproject.toml": '[tool.atlas-spec]\nname = "found"\n',
            "api/root.yaml": SPEC,
            "ci/release.toml": 'name = "given"\n',
        },
    )
    settings = load_settings(spec=tmp_path / "api" / "root.yaml", config_file=tmp_path / "ci" / "release.toml")
    assert (settings.name, settings.config_file) == ("given", tmp_path / "ci" / "release.toml")
    assert settings.spec == tmp_path / "api" / "root.yaml"


def test_the_search_stops_at_a_repository_and_a_package(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.atlas-spec]\nname = "outer"\n',
            "vendored/.git/HEAD": "ref: refs/heads/main\n",
            "vendored/api/root.yaml": SPEC,
            "node_modules/@scope/pkg/spec/root.yaml": SPEC,
            "node_modules/pkg/root.yaml": SPEC,
            "inner/api/root.yaml": SPEC,
        },
    )
    assert find_config(tmp_path / "vendored" / "api") is None
    assert find_config(tmp_path / "node_modules" / "@scope" / "pkg" / "spec") is None
    assert find_config(tmp_path / "node_modules" / "pkg") is None
    assert find_config(tmp_path / "inner" / "api") == tmp_path / "pyproject.toml"


@pytest.mark.parametrize(
    ("files", "needle"),
    [
        ({"atlas-spec.toml": 'nmae = "x"\n'}, "unknown key 'nmae' in atlas-spec.toml"),
        ({"atlas-spec.toml": 'name = "../x"\n'}, "cannot name files"),
        ({"atlas-spec.toml": "name = 3\n"}, "'name' must be a str"),
        ({"pyproject.toml": "[tool.atlas-spec]\nbuild = 1\n"}, "'build' must be a dict"),
    ],
)
def test_config_errors_name_the_file(tmp_path: Path, files: dict[str, str], needle: str) -> None:
    make_tree(tmp_path, {**files, "root.yaml": SPEC})
    with pytest.raises(AtlasError, match=needle):
        load_settings(spec=tmp_path / "root.yaml")


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Atlas Public API", "atlas-public-api"),
        ("GitHub's official OpenAPI spec + Octokit extension", "githubs-official-openapi-spec-octokit-extension"),
        ("Café ☕ API v2.1", "cafe-api-v2-1"),
        ("../../etc/passwd", "etc-passwd"),
        ("日本語", "api"),
        ("   ", "api"),
        ("x" * 300, "x" * 64),
    ],
)
def test_default_name_is_a_slug_of_the_title(title: str, name: str, tmp_path: Path) -> None:
    unnamed = Settings(spec=tmp_path / "a.yaml", out_dir=tmp_path)
    assert artefact_name(unnamed, {"info": {"title": title}}) == name
    named = Settings(spec=tmp_path / "a.yaml", out_dir=tmp_path, name="configured")
    assert artefact_name(named, {"info": {"title": title}}) == "configured"


def test_slug_is_safe_for_file_names() -> None:
    assert slug('A/B\\C:D*E?F"G<H>I|J\x00K\nL') == "a-b-c-d-e-f-g-h-i-j-k-l"
    assert artefact_name(Settings(spec=Path("a"), out_dir=Path(".")), {"info": "broken"}) == "api"


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _repository_state() -> tuple[dict[str, str], str]:
    status = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, check=True)
    return _fingerprint(REPO / "build"), status.stdout


@pytest.mark.parametrize("command", [["postman"], ["environment"], ["docs"], ["build"]])
def test_another_spec_leaves_this_repository_alone(command: list[str], tmp_path: Path) -> None:
    """Run from a folder inside this repository on a spec elsewhere: its own folder gets the output."""
    shutil.copytree(REPO / "tests" / "postman" / "fixtures" / "shop", tmp_path / "shop")
    root = tmp_path / "shop" / "openapi.yaml"
    before = _repository_state()
    result = cli(*command, "--spec", str(root), cwd=REPO / "tests")
    assert result.returncode == 0, result.stderr
    assert _repository_state() == before
    written = sorted(p.name for p in (tmp_path / "shop" / "build").iterdir())
    expected = {
        "postman": ["shop-api.postman_collection.json"],
        "environment": ["shop-api.postman_environment.json"],
        "docs": ["changelog.html", "changelog.xml", "index.html"],
        "build": [
            "changelog.html",
            "changelog.xml",
            "index.html",
            "shop-api.mcp-tools.json",
            "shop-api.openapi.json",
            "shop-api.postman_collection.json",
            "shop-api.postman_environment.json",
        ],
    }[command[0]]
    assert written == expected
    if command == ["build"]:
        assert "house" not in result.stderr and "tasks:read" not in result.stderr


REPO_CONFIG = (
    '[tool.atlas-spec]\nspec = "spec/openapi.yaml"\nout = "build"\nname = "main-api"\n'
    "[tool.atlas-spec.lint]\nhouse-rules = true\n"
)


def test_a_config_naming_another_spec_is_not_applied(tmp_path: Path) -> None:
    """A fixture inside a repository whose configuration names the repository's own spec gets the defaults, and
    a note names the configuration passed over and the flag that applies it."""
    make_tree(
        tmp_path,
        {"pyproject.toml": REPO_CONFIG, "spec/openapi.yaml": SPEC, "tests/fixtures/shop/openapi.yaml": SPEC},
    )
    (tmp_path / ".git").mkdir()
    fixture = tmp_path / "tests" / "fixtures" / "shop" / "openapi.yaml"
    result = cli("postman", "--spec", "fixtures/shop/openapi.yaml", cwd=tmp_path / "tests")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "build").exists()
    assert sorted(p.name for p in (fixture.parent / "build").iterdir()) == ["t.postman_collection.json"]
    assert (
        f"note: {tmp_path / 'pyproject.toml'} configures {tmp_path / 'spec' / 'openapi.yaml'}, not "
        "fixtures/shop/openapi.yaml: using the defaults "
        f"(pass --config {tmp_path / 'pyproject.toml'} to apply it)"
    ) in result.stderr
    forced = cli("--config", "../pyproject.toml", "postman", "--spec", str(fixture), cwd=tmp_path / "tests")
    assert forced.returncode == 0 and "note:" not in forced.stderr
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["main-api.postman_collection.json"]
    # the spec the configuration names, by any spelling of its path, gets it
    same = load_settings(spec=tmp_path / "tests" / ".." / "spec" / "openapi.yaml", cwd=tmp_path / "tests")
    assert (same.name, same.lint, same.notes) == ("main-api", {"house-rules": True}, ())


def test_a_config_without_spec_applies_to_any_spec_below_it(tmp_path: Path) -> None:
    make_tree(tmp_path, {"pyproject.toml": '[tool.atlas-spec]\nname = "shared"\n', "apis/a/openapi.yaml": SPEC})
    settings = load_settings(spec=tmp_path / "apis" / "a" / "openapi.yaml")
    assert (settings.name, settings.out_dir, settings.notes) == ("shared", tmp_path / "build", ())


def test_a_fixture_of_this_repository_gets_the_defaults() -> None:
    """This repository's pyproject.toml names spec/openapi.yaml: its out folder, name and house rules are not
    those of a test fixture run with --spec from a folder of this repository."""
    shop = REPO / "tests" / "postman" / "fixtures" / "shop" / "openapi.yaml"
    settings = load_settings(spec=shop, cwd=REPO / "tests")
    assert (settings.name, settings.out_dir, settings.lint) == (None, shop.parent / "build", {})
    assert settings.config_file is None and "pyproject.toml configures" in settings.notes[0]


@pytest.mark.slow
def test_digitalocean_gets_the_generic_rules_only(tmp_path: Path) -> None:
    """Built from inside this repository (whose config turns the Atlas house rules on), DigitalOcean's source
    is linted by the generic rules alone: its 3 errors, none of the ~5,500 house-rule findings of before."""
    result = cli("build", "--spec", str(shared_path(*DO_ROOT)), "--out", str(tmp_path / "out"), cwd=REPO)
    assert result.returncode == 1 and "nothing was written" in result.stderr
    findings = FINDING.findall(result.stdout)  # findings on stdout, the summary on stderr
    assert [code for level, code in findings if level == "error"] == [
        "no-invalid-media-type-examples",
        "no-invalid-media-type-examples",
        "server-url-valid",
    ]
    assert not {code for _, code in findings} & {rule.id for rule in all_rules() if rule.house}
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("table", "command", "line"),
    [
        ('out = "bu\\u0000ild"', ["build"], 2),
        ('spec = "spec\\u0000.yaml"', ["lint"], 2),
        ('ref-roots = ["../com\\u0000mon"]', ["validate"], 2),
        ('[tool.atlas-spec.lint]\nbaseline = "base\\u0000line.json"', ["lint"], 3),
        ('[tool.atlas-spec.docs]\nredoc-js = "redoc\\u0000.js"', ["docs", "-o", "page.html"], 3),
        ('[tool.atlas-spec.diff]\nchangelog = "CHANGE\\u0000LOG.md"', ["build"], 3),
        ('[tool.atlas-spec.diff]\n"ack\\u0000" = 1', ["build"], 2),
    ],
)
def test_a_nul_in_a_config_value_is_an_input_error_at_the_config(
    tmp_path: Path, table: str, command: list[str], line: int
) -> None:
    # before: "internal error: ValueError: embedded null byte" (exit 2 with a bug report request)
    make_tree(tmp_path, {"root.yaml": SPEC, "pyproject.toml": f"[tool.atlas-spec]\n{table}\n"})
    result = cli(*command, "--spec", "root.yaml", cwd=tmp_path)
    shown = result.stdout + result.stderr
    assert result.returncode == 2, shown
    assert "internal error" not in shown and "Traceback" not in shown
    assert f"pyproject.toml:{line}:" in shown and "error [config-value]" in shown and "NUL" in shown, shown


@pytest.mark.parametrize(
    ("text", "place", "code", "command"),
    [
        ('[tool.atlas-spec]\nspec = "root.yaml"\nout = 5\n', "3:1", "config-type", "lint"),
        ('# settings\n[tool.atlas-spec]\n\n  "nmae" = "x"\n', "4:3", "config-key", "lint"),
        ('[tool]\natlas-spec.nmae = "x"\n', "2:1", "config-key", "lint"),
        ("[tool.atlas-spec\n", "1:17", "config-syntax", "lint"),
        ('[tool.atlas-spec.build]\n\nfail-on = "sometimes"\n', "3:1", "config-value", "build"),
        ('[tool.atlas-spec.postman]\nfolders = "tags"\nparms = "x"\n', "3:1", "config-key", "postman"),
        ('[tool.atlas-spec]\npostman = { idempotency-header = "a b" }\n', "2:1", "config-value", "postman"),
        ("[tool.atlas-spec.docs]\nexpandResponses = 200\n", "2:1", "docs-config-type", "docs"),
        ("[tool.atlas-spec.serve]\nport = 99999\n", "2:1", "serve-config-type", "serve"),
        ("[tool.atlas-spec.lint]\n\nhouse-rule = true\n", "3:1", "lint-config", "lint"),
        ('[tool.atlas-spec.diff]\nfail-on = "never"\nfial-on = "x"\n', "3:1", "config-key", "diff"),
        ('[tool.atlas-spec.diff]\n\nfail-on = "sometimes"\n', "3:1", "config-value", "diff"),
        (
            '[tool.atlas-spec.diff.levels]\noperation-removed = "info"\noperation-remvoed = "info"\n',
            "3:1",
            "config-key",
            "diff",
        ),
        ('[tool.atlas-spec.diff.levels]\noperation-removed = "loud"\n', "2:1", "config-value", "diff"),
        (
            '[tool.atlas-spec.lint.rules]\nno-empty-paths = "warn"\noperation-sumary = "off"\n',
            "3:1",
            "lint-config",
            "lint",
        ),
        ('[tool.atlas-spec]\nlint.rules.operation-summary = "loud"\n', "2:1", "lint-config", "lint"),
        (
            '[[tool.atlas-spec.lint.exceptions]]\nrule = "operation-summary"\npath = "/paths"\nreason = "r"\n\n'
            '[[tool.atlas-spec.lint.exceptions]]\nrule = "operation-summary"\npath = "/paths"\n',
            "6:1",
            "lint-config",
            "lint",
        ),
        (
            '[[tool.atlas-spec.lint.exceptions]]\nrule = "operation-summary"\npath = "/paths"\nreason = "r"\n\n'
            '[[tool.atlas-spec.lint.exceptions]]\nrule = "operation-sumary"\npath = "/paths"\nreason = "r"\n',
            "7:1",
            "lint-config",
            "lint",
        ),
    ],
)
def test_config_errors_are_at_the_key(tmp_path: Path, text: str, place: str, code: str, command: str) -> None:
    # before: every configuration error named the file alone, without a line
    make_tree(tmp_path, {"root.yaml": SPEC, "pyproject.toml": text})
    extra = ["-o", "-"] if command in ("postman", "docs") else []
    args = ["root.yaml", "root.yaml"] if command == "diff" else ["--spec", "root.yaml", *extra]
    result = cli(command, *args, cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert f"pyproject.toml:{place}: error [{code}]" in result.stdout + result.stderr, result.stdout + result.stderr


def test_a_missing_spec_root_names_the_descriptions_found_near_it(tmp_path: Path) -> None:
    # before: "pass --spec PATH" alone, in a repository whose description sits at api/openapi.json
    make_tree(
        tmp_path,
        {
            "api/openapi.json": '{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}}',
            "docker-compose.yml": "services: {}\n",
            "legacy/swagger.yaml": 'swagger: "2.0"\n',
            ".hidden/openapi.yaml": SPEC,
        },
    )
    result = cli("lint", cwd=tmp_path)
    assert result.returncode == 2
    hint = "hint: found api/openapi.json: pass --spec api/openapi.json, or set spec in [tool.atlas-spec]"
    assert hint in result.stdout + result.stderr, result.stdout + result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("validate", cwd=empty)
    assert result.returncode == 2 and "hint: pass --spec PATH" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("config", "text", "place"),
    [
        ("pyproject.toml", '[tool.atlas-spec]\nout = "../outside"\n', "2:1"),
        ("pyproject.toml", '[tool.atlas-spec]\nout = "{outside}"\n', "2:1"),
        ("pyproject.toml", '[tool.atlas-spec]\nout = "link/build"\n', "2:1"),
        ("pyproject.toml", '[tool.atlas-spec.diff]\nfail-on = "never"\nchangelog = "../../etc/x"\n', "3:1"),
        ("pyproject.toml", '[tool.atlas-spec]\ndiff = {{ changelog = "link/CHANGELOG.md" }}\n', "2:1"),
        ("atlas-spec.toml", 'name = "api"\n[diff]\nchangelog = "{outside}/CHANGELOG.md"\n', "3:1"),
    ],
)
def test_a_configured_output_path_outside_the_project_is_refused_at_its_key(
    tmp_path: Path, config: str, text: str, place: str
) -> None:
    # before: out = "../outside" (or an absolute path, or a link out of the project) built there, and
    # [tool.atlas-spec.diff] changelog = "../../etc/x" had version --write prepend release notes to that file
    project, outside = tmp_path / "project", tmp_path / "outside"
    make_tree(project, {"root.yaml": SPEC, config: text.format(outside=outside)})
    outside.mkdir()
    (project / "link").symlink_to(outside)
    result = cli("build", "--spec", "root.yaml", cwd=project)
    shown = result.stdout + result.stderr
    assert result.returncode == 2, shown
    assert f"{config}:{place}: error [config-path-outside]" in shown and "hint:" in shown, shown
    assert list(outside.iterdir()) == [] and not (project / "build").exists()


@pytest.mark.parametrize(
    "text", ['out = "site/../dist"', 'out = "."', '[tool.atlas-spec.diff]\nchangelog = "docs/CHANGELOG.md"']
)
def test_configured_output_paths_inside_the_project_are_taken(tmp_path: Path, text: str) -> None:
    make_tree(tmp_path, {"root.yaml": SPEC, "pyproject.toml": f"[tool.atlas-spec]\n{text}\n"})
    settings = load_settings(tmp_path / "root.yaml")
    assert settings.out_dir.is_relative_to(tmp_path.resolve())
