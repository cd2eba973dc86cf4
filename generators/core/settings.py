"""Settings: built-in defaults < the project's configuration file < command-line flags.

The configuration follows the spec: the nearest ``pyproject.toml`` with a ``[tool.atlas-spec]`` table, or
``atlas-spec.toml`` holding the same keys at its top level, in the ``--spec`` root file's folder or above it
(in one folder ``pyproject.toml`` is looked at first). The working folder is searched only when no ``--spec``
is given, and ``--config FILE`` overrides the search. Without a configuration the project is the spec's
folder: nothing is read or written outside it unless a flag says so.

A configuration found by the search whose ``spec`` key names another file than ``--spec`` is another spec's
configuration (a test fixture inside a repository, one spec of several): it is not applied (its ``out``,
``name`` and house rules belong to that spec), and a note says which file was passed over and how to apply it
anyway (``--config``).
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generators.core.diagnostics import AtlasError, Location, display_path
from generators.core.escape import for_terminal
from generators.core.files import read_head, read_text
from generators.core.paths import inside, resolved
from generators.core.tomlplace import key_location, syntax_location

DEFAULT_SPEC = "spec/openapi.yaml"
DEFAULT_OUT = "build"
PYPROJECT = "pyproject.toml"
OWN_FILE = "atlas-spec.toml"
# The artefact name when neither the configuration nor info.title gives one.
FALLBACK_NAME = "api"
_NAME_LIMIT = 64
_NOT_NAME = re.compile(r"[^a-z0-9]+")
_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}")
Keys = tuple[str, ...]
# Configured paths the tool writes to: inside the project (the configuration's folder), never beyond it
WRITTEN_PATHS: tuple[Keys, ...] = (("out",), ("diff", "changelog"))

# Top-level keys of [tool.atlas-spec]; each sub-table belongs to one feature and is checked there.
KNOWN_KEYS = {
    "spec": str,
    "out": str,
    "name": str,
    "ref-roots": list,
    "build": dict,
    "lint": dict,
    "docs": dict,
    "postman": dict,
    "diff": dict,
    "serve": dict,
}


@dataclass(frozen=True)
class Settings:
    """Resolved settings; paths are absolute.

    ``name`` is the configured artefact base name; None means "a slug of the spec's info.title"
    (``artefact_name``), so an API without a configuration never borrows another API's name.
    """

    spec: Path
    out_dir: Path
    name: str | None = None
    ref_roots: tuple[Path, ...] = ()
    project_dir: Path = field(default_factory=Path.cwd)
    config_file: Path | None = None
    build: Mapping[str, Any] = field(default_factory=dict)
    lint: Mapping[str, Any] = field(default_factory=dict)
    docs: Mapping[str, Any] = field(default_factory=dict)
    postman: Mapping[str, Any] = field(default_factory=dict)
    diff: Mapping[str, Any] = field(default_factory=dict)
    serve: Mapping[str, Any] = field(default_factory=dict)
    # The text of the release notes (CHANGELOG.md) for the site's changelog page and feed; read by the pipeline
    # (generators read no files), None until then. Not a configuration key: [tool.atlas-spec.diff] changelog
    # names the file.
    release_notes: str | None = None
    # What the user should know about how these settings were found (a configuration passed over), for stderr.
    notes: tuple[str, ...] = ()

    def with_overrides(self, **flags: Any) -> Settings:
        """Apply command-line flags; a flag whose value is None was not given."""
        given = {k: v for k, v in flags.items() if v is not None}
        if "spec" in given:
            given["spec"] = resolved(given["spec"])
        if "out_dir" in given:
            given["out_dir"] = resolved(given["out_dir"])
        return replace(self, **given)


def artefact_name(settings: Settings, document: Mapping[str, Any]) -> str:
    """The artefact base name: the configured ``name``, else a slug of ``info.title``, else ``api``."""
    if settings.name is not None:
        return settings.name
    info = document.get("info")
    title = info.get("title") if isinstance(info, Mapping) else None
    return (slug(title) if isinstance(title, str) else "") or FALLBACK_NAME


def slug(text: str) -> str:
    """``text`` as a file-name-safe slug: ASCII letters and digits joined by ``-`` (``Café API`` -> ``cafe-api``)."""
    folded = unicodedata.normalize("NFKD", text[: _NAME_LIMIT * 4]).encode("ascii", "ignore").decode("ascii")
    words = _NOT_NAME.sub("-", folded.lower().replace("'", "")).strip("-")
    return words[:_NAME_LIMIT].rstrip("-")


def find_config(start: Path) -> Path | None:
    """The nearest configuration from ``start`` upwards: a pyproject.toml with a [tool.atlas-spec] table, else
    an atlas-spec.toml (pyproject.toml first within one folder).

    The search ends at a repository root (a folder holding ``.git``) and never leaves a package installed under
    ``node_modules``: a description that ships inside someone else's package is not this project's spec.
    """
    for folder in search_folders(start):
        found = config_in(folder)
        if found is not None:
            return found
    return None


def config_in(folder: Path) -> Path | None:
    """The configuration held by ``folder`` itself: its pyproject.toml with a [tool.atlas-spec] table (or one
    that cannot be read, which load_settings reports), else its atlas-spec.toml."""
    candidate = folder / PYPROJECT
    if candidate.is_file():
        import tomllib  # 3 ms: only where there is a file to read

        try:
            data = tomllib.loads(read_text(candidate))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            return candidate  # reported properly by load_settings
        if "atlas-spec" in data.get("tool", {}):
            return candidate
    own = folder / OWN_FILE
    return own if own.is_file() else None


def search_folders(start: Path) -> Iterator[Path]:
    """``start`` and its parents, up to the repository (or package) root that holds it."""
    for folder in (start, *start.parents):
        yield folder
        if (folder / ".git").exists() or folder.parent.name == "node_modules":
            return
        if folder.parent.name.startswith("@") and folder.parent.parent.name == "node_modules":
            return  # a scoped package: node_modules/@scope/name


def load_settings(spec: Path | None = None, config_file: Path | None = None, cwd: Path | None = None) -> Settings:
    """Resolve the settings of one run.

    ``spec`` (the ``--spec`` flag) decides where the configuration is looked for: from its folder upwards;
    without it, from ``cwd`` (default: the working folder) upwards. ``config_file`` (``--config``) wins over both.
    """
    here = resolved(cwd or Path.cwd())
    root = resolved(spec) if spec is not None else None
    path = config_file or find_config(root.parent if root is not None else here)
    table = _read_table(path) if path is not None else {}
    base = resolved(path.parent) if path is not None else here
    if path is not None and config_file is None and root is not None and not _configures(table, base, root):
        shown = display_path(str(path))
        note = (
            f"note: {shown} configures {display_path(str(base / str(table['spec'])))}, not "
            f"{display_path(str(root))}: using the defaults (pass --config {shown} to apply it)"
        )
        return replace(_unconfigured(root, here), notes=(note,))
    if path is None:
        return _unconfigured(root, here)
    name = table.get("name")
    if name is not None and not _NAME.fullmatch(name):
        raise AtlasError.at(
            "config-value",
            f"'name' {name!r} cannot name files",
            Location(str(path)),
            "use letters, digits, '.', '_' and '-' (not starting with '.'), e.g. name = \"my-api\"",
        )
    return Settings(
        spec=root or resolved(base / str(table.get("spec", DEFAULT_SPEC))),
        out_dir=resolved(base / str(table.get("out", DEFAULT_OUT))),
        name=name,
        ref_roots=tuple(resolved(base / str(p)) for p in table.get("ref-roots", [])),
        project_dir=base,
        config_file=path,
        build=table.get("build", {}),
        lint=table.get("lint", {}),
        docs=table.get("docs", {}),
        postman=table.get("postman", {}),
        diff=table.get("diff", {}),
        serve=table.get("serve", {}),
    )


def _unconfigured(root: Path | None, here: Path) -> Settings:
    """No configuration: the project is the spec's folder (else the working folder)."""
    project = root.parent if root is not None else here
    return Settings(spec=root or project / DEFAULT_SPEC, out_dir=project / DEFAULT_OUT, project_dir=project)


def _configures(table: Mapping[str, Any], base: Path, root: Path) -> bool:
    """False when the table's ``spec`` names another file than ``root`` (a table without ``spec`` configures
    any spec below it: it claims no particular one)."""
    if "spec" not in table:
        return True
    return resolved(base / str(table["spec"])) == root


def _read_table(path: Path) -> dict[str, Any]:
    """The settings table of ``path``: ``[tool.atlas-spec]``, or the top level of any other file (atlas-spec.toml)."""
    import tomllib

    try:
        text = read_text(path)
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AtlasError.at("config-syntax", f"cannot read TOML: {exc}", syntax_location(path, str(exc))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AtlasError.at("config-read", f"cannot read config: {exc}", Location(str(path))) from None
    tool = data.get("tool")
    prefix: Keys = ("tool", "atlas-spec") if path.name == PYPROJECT else ()
    if isinstance(tool, dict) and "atlas-spec" in tool:
        table, label = tool["atlas-spec"], "[tool.atlas-spec]"
    elif path.name == PYPROJECT:
        table, label = {}, "[tool.atlas-spec]"
    else:
        table, label = data, path.name
    if not isinstance(table, dict):
        raise AtlasError.at("config-type", f"{label} must be a table", key_location(path, text, prefix))
    for key, value in table.items():
        expected = KNOWN_KEYS.get(key)
        if expected is None:
            where = key_location(path, text, (*prefix, key))
            raise AtlasError.at("config-key", f"unknown key '{key}' in {label}", where, did_you_mean(key, KNOWN_KEYS))
        if not isinstance(value, expected):
            message = f"{label} '{key}' must be a {expected.__name__}, not {type(value).__name__}"
            raise AtlasError.at("config-type", message, key_location(path, text, (*prefix, key)))
    _refuse_nul(table, label, lambda keys: key_location(path, text, (*prefix, *keys)))
    _refuse_outside(table, resolved(path.parent), lambda keys: key_location(path, text, (*prefix, *keys)))
    return table


def _refuse_outside(table: Mapping[str, Any], project: Path, place: Callable[[Keys], Location]) -> None:
    """A configured output path that leads out of the project (``..``, an absolute path, a link) is refused: a
    configuration file from a pull request could otherwise have the build or the release notes overwrite any
    file the user may write. A command-line flag (``--out``) may still name any folder."""
    for keys in WRITTEN_PATHS:
        value: Any = table
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and not inside(project, project / value):
            raise AtlasError.at(
                "config-path-outside",
                f"'{'.'.join(keys)}' = '{for_terminal(value)}' leads outside the project folder "
                f"{display_path(str(project))}; atlas-spec writes there",
                place(keys),
                "name a path inside the folder of the configuration file (no '..', absolute path or link out of it)"
                + ("; --out on the command line may name any folder" if keys == ("out",) else ""),
            )


def _refuse_nul(value: object, label: str, place: Callable[[Keys], Location], keys: Keys = ()) -> None:
    """A NUL character in any key or string of the table is refused: no file name or option can hold one (the
    system refuses such a path with a ValueError, far from the key that held it)."""
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, label, place, keys)
            _refuse_nul(item, label, place, (*keys, str(key)))
    elif isinstance(value, list):
        for item in value:
            _refuse_nul(item, label, place, keys)
    elif isinstance(value, str) and "\x00" in value:
        raise AtlasError.at(
            "config-value",
            f"{label} '{'.'.join(keys)}' holds a NUL character: {value!r}",
            place(keys),
            "remove the \\u0000 from the value: no file name or option can hold it",
        )


def config_place(settings: Settings, *keys: str | int) -> Location | None:
    """Where ``[tool.atlas-spec]``'s key ``keys`` (``"postman", "folders"``) is written in the configuration
    file, for an error about it: its line when the file shows it, else the file; None without a file."""
    path = settings.config_file
    if path is None:
        return None
    try:
        text = read_text(path)
    except (OSError, UnicodeDecodeError):
        return Location(str(path))
    prefix: Keys = ("tool", "atlas-spec") if path.name == PYPROJECT else ()
    return key_location(path, text, (*prefix, *keys))


def did_you_mean(word: str, choices: Iterable[str], otherwise: str | None = None) -> str:
    """The hint for an unknown name (every config table uses it): the closest known one, else ``otherwise``,
    else the list of known ones."""
    import difflib  # only for a name that is wrong

    known = sorted(choices)
    close = difflib.get_close_matches(word, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return otherwise or f"known: {', '.join(known)}"


def spec_hint(missing: Path) -> str:
    """The hint for a spec root that does not exist: the OpenAPI 3 descriptions found near it, if any (another
    team's repository keeps its description at openapi.yaml, api/openapi.json, ...)."""
    found = spec_candidates(missing)
    if not found:
        return "pass --spec PATH or set spec in [tool.atlas-spec]"
    shown = [display_path(str(path)) for path in found]
    return f"found {', '.join(shown)}: pass --spec {shlex.quote(shown[0])}, or set spec in [tool.atlas-spec]"


def spec_candidates(missing: Path, most: int = 3) -> list[Path]:
    """YAML or JSON files declaring ``openapi: 3.x`` in their first 4 KB, in the nearest existing folder above
    ``missing`` and its subfolders one level down (hidden ones and node_modules skipped); a bounded look."""
    folder = missing.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    try:
        entries = sorted(folder.iterdir())[:_LOOK_ENTRIES]
        files = [p for p in entries if p.suffix.lower() in _SPEC_SUFFIXES]
        for sub in (p for p in entries if p.is_dir() and not p.name.startswith(".") and p.name != "node_modules"):
            files += sorted(p for p in sub.iterdir() if p.suffix.lower() in _SPEC_SUFFIXES)[:_LOOK_ENTRIES]
    except OSError:
        return []
    found: list[Path] = []
    for path in files[:_LOOK_FILES]:
        try:
            if _OPENAPI3.search(read_head(path, 4096)):
                found.append(path)
        except OSError:
            continue
        if len(found) == most:
            break
    return found


_SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_LOOK_ENTRIES = 200  # per folder
_LOOK_FILES = 100  # files opened at most
_OPENAPI3 = re.compile(rb"""(?m)^\s*\{?\s*["']?openapi["']?\s*:\s*["']?3\.""")
