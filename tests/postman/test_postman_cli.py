"""``atlas-spec postman`` and ``atlas-spec environment`` through the real click commands."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generators.cli import cli
from tests.postman.postman_harness import SHOP


def _invoke(*args: str, config: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    prefix = ["--config", str(config)] if config else []
    result = runner.invoke(cli, [*prefix, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _pyproject(tmp_path: Path, postman: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(f'[tool.atlas-spec]\nname = "shop"\nout = "out"\n\n[tool.atlas-spec.postman]\n{postman}\n')
    return path


def test_postman_writes_the_collection_into_the_out_folder(tmp_path: Path) -> None:
    config = _pyproject(tmp_path, 'folders = "paths"')
    code, _, err = _invoke("postman", "--spec", str(SHOP), config=config)
    assert code == 0, err
    written = tmp_path / "out" / "shop.postman_collection.json"
    assert f"wrote {written}" in err
    folders = [f["name"] for f in json.loads(written.read_text())["item"]]
    assert folders == ["pets", "orders", "health"], "[tool.atlas-spec.postman] folders is honoured"


def test_flags_override_the_config_and_dash_means_stdout(tmp_path: Path) -> None:
    config = _pyproject(tmp_path, 'folders = "paths"')
    code, out, _ = _invoke(
        "postman", "--spec", str(SHOP), "--folders", "tags", "--params", "schema", "-o", "-", config=config
    )
    assert code == 0
    collection = json.loads(out)
    assert [f["name"] for f in collection["item"]] == ["Orders", "Pets", "Health check"]
    assert not (tmp_path / "out").exists()


def test_environment_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "env" / "shop.json"
    code, _, err = _invoke("environment", "--spec", str(SHOP), "-o", str(target))
    assert code == 0, err
    assert json.loads(target.read_text())["values"][0] == {
        "key": "baseUrl",
        "value": "https://{{region}}.shop.example/v1",
        "type": "default",
        "enabled": True,
    }


def test_bad_config_is_an_input_error_without_traceback(tmp_path: Path) -> None:
    config = _pyproject(tmp_path, 'parms = "schema"')
    code, _, err = _invoke("postman", "--spec", str(SHOP), config=config)
    assert code == 2
    assert f"{config.name}:6:1: error [config-key] unknown key 'parms' in [tool.atlas-spec.postman]" in err
    assert "hint: did you mean 'params'?" in err
    assert "Traceback" not in err


def test_bad_flag_value_is_a_usage_error() -> None:
    code, _, err = _invoke("postman", "--spec", str(SHOP), "--folders", "tag")
    assert code == 2 and "'tag' is not one of 'tags', 'paths'" in err
