"""Settings: built-in defaults < ``[tool.atlas-spec]`` in pyproject.toml < command-line flags."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generators.core.diagnostics import AtlasError, Location

DEFAULT_SPEC = "spec/openapi.yaml"
DEFAULT_OUT = "build"
DEFAULT_NAME = "atlas-public-api"

# Top-level keys of [tool.atlas-spec]; each sub-table belongs to one feature and is checked there.
KNOWN_KEYS = {
    "spec": str,
    "out": str,
    "name": str,
    "ref-roots": list,
    "lint": dict,
    "docs": dict,
    "postman": dict,
    "diff": dict,
    "serve": dict,
}


@dataclass(frozen=True)
class Settings:
    """Resolved settings; paths are absolute."""

    spec: Path
    out_dir: Path
    name: str = DEFAULT_NAME
    ref_roots: tuple[Path, ...] = ()
    project_dir: Path = field(default_factory=Path.cwd)
    config_file: Path | None = None
    lint: Mapping[str, Any] = field(default_factory=dict)
    docs: Mapping[str, Any] = field(default_factory=dict)
    postman: Mapping[str, Any] = field(default_factory=dict)
    diff: Mapping[str, Any] = field(default_factory=dict)
    serve: Mapping[str, Any] = field(default_factory=dict)
    # The text of the release notes (CHANGELOG.md) for the site's changelog page and feed; read by the pipeline
    # (generators read no files), None until then. Not a configuration key: [tool.atlas-spec.diff] changelog
    # names the file.
    release_notes: str | None = None

    def with_overrides(self, **flags: Any) -> Settings:
        """Apply command-line flags; a flag whose value is None was not given."""
        given = {k: v for k, v in flags.items() if v is not None}
        if "spec" in given:
            given["spec"] = Path(given["spec"]).resolve()
        if "out_dir" in given:
            given["out_dir"] = Path(given["out_dir"]).resolve()
        return replace(self, **given)


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml holding a [tool.atlas-spec] table, from ``start`` upwards."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                return candidate  # reported properly by load_settings
            if "atlas-spec" in data.get("tool", {}):
                return candidate
    return None


def load_settings(start: Path | None = None, config_file: Path | None = None) -> Settings:
    """Read settings from the nearest pyproject.toml with a [tool.atlas-spec] table (or built-in defaults)."""
    here = (start or Path.cwd()).resolve()
    path = config_file or find_config(here)
    if path is None:
        return Settings(spec=here / DEFAULT_SPEC, out_dir=here / DEFAULT_OUT, project_dir=here)
    table = _read_table(path)
    base = path.parent.resolve()
    return Settings(
        spec=(base / str(table.get("spec", DEFAULT_SPEC))).resolve(),
        out_dir=(base / str(table.get("out", DEFAULT_OUT))).resolve(),
        name=str(table.get("name", DEFAULT_NAME)),
        ref_roots=tuple((base / str(p)).resolve() for p in table.get("ref-roots", [])),
        project_dir=base,
        config_file=path,
        lint=table.get("lint", {}),
        docs=table.get("docs", {}),
        postman=table.get("postman", {}),
        diff=table.get("diff", {}),
        serve=table.get("serve", {}),
    )


def _read_table(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise AtlasError.at("config-syntax", f"cannot read TOML: {exc}", Location(str(path))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AtlasError.at("config-read", f"cannot read config: {exc}", Location(str(path))) from None
    table = data.get("tool", {}).get("atlas-spec", {})
    if not isinstance(table, dict):
        raise AtlasError.at("config-type", "[tool.atlas-spec] must be a table", Location(str(path)))
    for key, value in table.items():
        expected = KNOWN_KEYS.get(key)
        if expected is None:
            hint = did_you_mean(key, KNOWN_KEYS)
            raise AtlasError.at("config-key", f"unknown key '{key}' in [tool.atlas-spec]", Location(str(path)), hint)
        if not isinstance(value, expected):
            raise AtlasError.at(
                "config-type",
                f"[tool.atlas-spec] '{key}' must be a {expected.__name__}, not {type(value).__name__}",
                Location(str(path)),
            )
    return table


def did_you_mean(word: str, choices: Iterable[str], otherwise: str | None = None) -> str:
    """The hint for an unknown name (every config table uses it): the closest known one, else ``otherwise``,
    else the list of known ones."""
    known = sorted(choices)
    close = difflib.get_close_matches(word, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return otherwise or f"known: {', '.join(known)}"
