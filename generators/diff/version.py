"""Semver bump of ``info.version`` from a diff report, and release notes prepended to CHANGELOG.md.

Only the ``info.version`` scalar changes (found through YAML/JSON node marks, so comments, key order and
formatting stay byte-for-byte), in the root source file or in the file its ``$ref`` chain leads to (``info:
{$ref: ./info.yaml}``); running it again with the same inputs changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from generators.bundle.refs import RefResolver
from generators.core.diagnostics import AtlasError, Location
from generators.core.escape import for_terminal
from generators.core.files import read_text
from generators.diff.markdown import prose, render_markdown
from generators.diff.model import Bump, DiffReport
from generators.source.editorlines import UNICODE_BREAKS, EditorLines, to_editor_lines
from generators.writer import write_file_atomic

_SEMVER = re.compile(r"^([0-9]+)\.([0-9]+)(?:\.([0-9]+))?(?P<suffix>[-+].*)?$", re.DOTALL)
# semver 2.0.0: dot-separated identifiers of [0-9A-Za-z-] after "-" (pre-release) and "+" (build)
_SUFFIX = re.compile(r"^(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$")
_PLAIN_SAFE = re.compile(r"^\d+\.\d+\.\d+$")  # "2.0" unquoted would read as a number
_PROPERTIES = re.compile(r"(?:[&!][^\s]*\s+)+")
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_VERSION: tuple[str, ...] = ("info", "version")
_MAX_HOPS = 32  # refs to refs on the way to info.version: a loop ends here


@dataclass(frozen=True)
class VersionPlan:
    """What ``atlas-spec version`` decided: versions, bump, and the new texts of the files it owns."""

    base_version: str
    current_version: str
    new_version: str
    bump: Bump
    root: Path
    root_text: str
    changelog: Path
    changelog_text: str

    @property
    def changes_files(self) -> bool:
        """True when writing would alter a file."""
        return self.root_text != _read(self.root) or self.changelog_text != _read(self.changelog)


def parse_semver(version: str, where: str | Location) -> tuple[int, int, int | None]:
    """``MAJOR.MINOR.PATCH`` or ``MAJOR.MINOR`` (patch None; a pre-release or build suffix is dropped).

    Other schemes (dates, ``v1``, four parts) are refused: a bump has no meaning for them. So is a pre-release
    or build part with characters semver does not allow (``1.0.0-<img ...>``): the version lands in release
    notes and in the heading of CHANGELOG.md.
    """
    place = where if isinstance(where, Location) else Location(where)
    match = _SEMVER.match(version.strip())
    if not match:
        raise AtlasError.at(
            "version-format",
            f"info.version '{for_terminal(version)}' is not MAJOR.MINOR.PATCH or MAJOR.MINOR",
            place,
            "write a semantic version such as 1.4.0 (or 2.0); other schemes cannot be bumped or checked",
        )
    if not _SUFFIX.match(match["suffix"] or ""):
        raise AtlasError.at(
            "version-format",
            f"info.version '{for_terminal(version)}' has a pre-release or build part that is not semver",
            place,
            "after - (pre-release) and + (build) semver allows only dot-separated identifiers of letters, digits "
            "and hyphens, e.g. 2.0.0-rc.1+build.5",
        )
    return int(match[1]), int(match[2]), None if match[3] is None else int(match[3])


def _order(version: tuple[int, int, int | None]) -> tuple[int, int, int]:
    return version[0], version[1], version[2] or 0


def next_version(base: str, bump: Bump, where: str = "info.version") -> str:
    """The version after ``base`` for ``bump``; a MAJOR.MINOR version stays two parts (and has no patch to bump)."""
    major, minor, patch = parse_semver(base, where)
    if bump is Bump.MAJOR:
        return f"{major + 1}.0" if patch is None else f"{major + 1}.0.0"
    if bump is Bump.MINOR:
        return f"{major}.{minor + 1}" if patch is None else f"{major}.{minor + 1}.0"
    if bump is Bump.PATCH and patch is not None:
        return f"{major}.{minor}.{patch + 1}"
    return base


def check(
    report: DiffReport,
    base_doc: dict[str, Any],
    revision_doc: dict[str, Any],
    where: str,
    ref_roots: tuple[Path, ...] = (),
) -> tuple[bool, str]:
    """Whether the revision's info.version was raised at least as far as its changes require, and why not."""
    base_version = str((base_doc.get("info") or {}).get("version", ""))
    current = str((revision_doc.get("info") or {}).get("version", ""))
    required = next_version(base_version, report.bump, "base info.version")
    have = _order(_parse_current(current, Path(where), ref_roots))
    if have >= _order(parse_semver(required, where)):
        return True, f"info.version {current} covers the {report.bump.label} change from {base_version}"
    return False, (
        f"info.version {current} is not enough for the {report.bump.label} change from {base_version}: "
        f"raise it to at least {required} (atlas-spec version --write does it)"
    )


def rewrite_version(text: str, new_version: str, name: str, path: tuple[str, ...] = _VERSION) -> str:
    """``text`` of a YAML/JSON file with only the scalar at ``path`` (``info.version`` of a root) replaced.

    The scalar is found at the character offsets libyaml reports (its line numbers count U+2028, U+0085 and
    other YAML line breaks that ``str.splitlines`` and ``\\n`` do not agree on); an anchor or tag before the
    value stays, and so does every other byte, line endings included.
    """
    bom = 1 if text.startswith("\ufeff") else 0  # libyaml skips it and does not count it
    key, node, _ = _descend(_compose(text, name), path)
    ref_key = _entry(node, "$ref")[0]
    if ref_key is not None:  # version_source follows it: only a caller that did not ask it meets one
        raise AtlasError.at("version-ref", "info.version is reached through a $ref", _mark(name, ref_key))
    if not isinstance(node, yaml.ScalarNode):
        raise AtlasError.at(
            "version-missing",
            f"{name} has no info.version scalar",
            _mark(name, key) if key is not None else Location(name),
            "add info.version: 1.0.0",
        )
    where = Location(name, node.start_mark.line + 1, node.start_mark.column + 1)
    if node.style in ("|", ">"):
        raise AtlasError.at(
            "version-block-scalar",
            "info.version is a block scalar (| or >): atlas-spec rewrites only a one-line version",
            where,
            "write it on one line, e.g. version: 1.4.0",
        )
    if node.start_mark.index < key.end_mark.index:  # an alias (*v) of a value written elsewhere
        raise AtlasError.at(
            "version-alias",
            "info.version is an alias of a value written elsewhere: rewriting it would change that value too",
            Location(name, key.start_mark.line + 1, key.start_mark.column + 1),
            "write the version itself under info (an anchor there, &v 1.4.0, is fine)",
        )
    start, end = bom + node.start_mark.index, bom + node.end_mark.index
    properties = _PROPERTIES.match(text, start, end)  # &anchor and !tag before the value stay as written
    start = properties.end() if properties else start
    if node.style == "'":
        scalar = f"'{new_version}'"
    elif node.style == '"' or not _PLAIN_SAFE.match(new_version):
        scalar = f'"{new_version}"'
    else:
        scalar = new_version
    return text[:start] + scalar + text[end:]


def version_source(root: Path, ref_roots: tuple[Path, ...] = ()) -> tuple[Path, tuple[str, ...]]:
    """The file that holds ``info.version`` and the path to it there: the root, or where the ``$ref`` chain on
    the way (``info: {$ref: ./info.yaml}``, ``version: {$ref: '#/x-v'}``) leads, followed as the bundler
    follows refs (inside the spec's folders only). A ref the bundler would refuse is refused at its line."""
    resolver = RefResolver(root, ref_roots)
    file, path = resolver.root_file, _VERSION
    for _ in range(_MAX_HOPS):
        shown = root if file == resolver.root_file else file
        _, node, left = _descend(_compose(_read(shown), str(shown)), path)
        ref_key, ref = _entry(node, "$ref")
        if not isinstance(ref, yaml.ScalarNode):
            return shown, path
        target = resolver.target_of(ref.value, file, partial(_mark, str(shown), ref_key))
        file, path = target.file, (*target.segments, *path[len(path) - left :])
    raise AtlasError.at(
        "version-ref",
        f"info.version is behind more than {_MAX_HOPS} $refs",
        Location(str(root)),
        "write info.version in the root file or in the file info's $ref names",
    )


def _parse_current(version: str, root: Path, ref_roots: tuple[Path, ...]) -> tuple[int, int, int | None]:
    """The spec's own info.version parsed, or refused at its line and column (looked up only then)."""
    try:
        return parse_semver(version, str(root))
    except AtlasError:
        return parse_semver(version, _version_place(root, ref_roots))


def _version_place(root: Path, ref_roots: tuple[Path, ...]) -> Location:
    """Where info.version is written (the root, or where its ``$ref`` chain leads), else the root file."""
    with contextlib.suppress(AtlasError):
        file, path = version_source(root, ref_roots)
        text = _read(file)
        _, node, _ = _descend(_compose(text, str(file)), path)
        if node is not None:  # from the offset: libyaml's lines also break at U+2028 and U+0085
            start = (1 if text.startswith("\ufeff") else 0) + node.start_mark.index
            properties = _PROPERTIES.match(text, start, len(text))  # an anchor or tag before the value
            start = properties.end() if properties else start
            line_start = text.rfind("\n", 0, start) + 1
            return Location(str(file), text.count("\n", 0, start) + 1, start - line_start + 1)
    return Location(str(root))


def _compose(text: str, name: str) -> Any:
    bom = 1 if text.startswith("\ufeff") else 0  # libyaml skips it and does not count it
    try:
        node = yaml.compose(text[bom:], Loader=_LOADER)
        if node is not None and UNICODE_BREAKS.search(text):
            to_editor_lines(node, EditorLines(text))  # lines as an editor shows them
        return node
    except yaml.YAMLError as exc:
        raise AtlasError.at("version-parse", f"cannot read {name}: {exc}", Location(name)) from None


def _descend(node: Any, path: tuple[str, ...]) -> tuple[Any, Any, int]:
    """The key node and value node at ``path`` below ``node`` (Nones when absent), and how many segments were
    left: it stops at a ``$ref`` mapping on the way (or at the end), which names where the rest is."""
    key = None
    for depth, segment in enumerate(path):
        if _entry(node, "$ref")[1] is not None:
            return key, node, len(path) - depth
        if isinstance(node, yaml.SequenceNode) and segment.isdigit() and int(segment) < len(node.value):
            key, node = None, node.value[int(segment)]
        else:
            found, node = _entry(node, segment)
            key = found if found is not None else key  # the deepest key there is: where a missing one belongs
    return key, node, 0


def _mark(name: str, node: Any) -> Location:
    return Location(name, node.start_mark.line + 1, node.start_mark.column + 1)


def _entry(node: Any, key: str) -> tuple[Any, Any]:
    """The key node and value node of ``key`` in a mapping node (Nones when absent)."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None, None


def prepend_changelog(existing: str, version: str, notes: str, released: str | None = None) -> str:
    """CHANGELOG.md with a ``## version - released`` section on top (``released``: an ISO date, or None).

    An existing section for that version is replaced and keeps the date it was released on, so running the
    version step again on a later day changes nothing. A file written with CRLF line endings keeps them.
    """
    if "\r\n" in existing:
        return prepend_changelog(existing.replace("\r\n", "\n"), version, notes, released).replace("\n", "\r\n")
    title = "# Changelog\n"
    body = existing
    if body.startswith("# "):
        title, _, body = body.partition("\n")
        title += "\n"
    body = body.lstrip("\n")
    shown = prose(version)  # a semver version reads as written; anything else cannot make Markdown
    same = re.match(rf"## {re.escape(shown)}(?: - (\d{{4}}-\d{{2}}-\d{{2}}))?\n", body)
    if same:
        released = same.group(1)
        following = re.search(r"^## ", body[3:], flags=re.MULTILINE)
        body = body[3 + following.start() :] if following else ""
    heading = f"## {shown}" + (f" - {released}" if released else "")
    section = f"{heading}\n\n{notes.strip()}\n"
    return f"{title}\n{section}" + (f"\n{body}" if body else "")


def release_date() -> str:
    """Today's date (UTC) for a new release heading; ``SOURCE_DATE_EPOCH`` fixes it for reproducible runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.date().isoformat()


def plan(
    report: DiffReport,
    base_doc: dict[str, Any],
    revision_doc: dict[str, Any],
    root: Path,
    changelog: Path,
    released: str | None = None,
    ref_roots: tuple[Path, ...] = (),
) -> VersionPlan:
    """Compute the bump relative to the base version and the new texts of the file that holds info.version (the
    root, or where its ``$ref`` leads: ``version_source``) and CHANGELOG.md."""
    base_version = str((base_doc.get("info") or {}).get("version", ""))
    current = str((revision_doc.get("info") or {}).get("version", ""))
    bump = report.bump
    computed = next_version(base_version, bump, "base info.version")
    # A version someone already raised further by hand is kept (never lowered).
    have = _parse_current(current, root, ref_roots)
    new = current if _order(have) > _order(parse_semver(computed, str(root))) else computed
    path = _VERSION
    if new != current:
        root, path = version_source(root, ref_roots)
    root_text = _read(root)
    new_root = rewrite_version(root_text, new, str(root), path) if new != current else root_text
    old_log = _read(changelog)
    new_log = (
        prepend_changelog(
            old_log, new, render_markdown(report, heading="##", title=False, budget=None, fold=False), released
        )
        if bump is not Bump.NONE
        else old_log
    )
    return VersionPlan(base_version, current, new, bump, root, new_root, changelog, new_log)


def write(version_plan: VersionPlan, sources: Collection[Path] = ()) -> list[Path]:
    """Write the files that change (each atomically: a temporary file renamed over the old one, mode kept).

    A file that is a symbolic link is refused: writing through it would edit a file elsewhere, replacing it
    would copy the target's text into the repository. So is a changelog that is one of ``sources`` (the files
    the spec was read from): the notes would replace the spec.
    """
    _not_a_source(version_plan.changelog, sources)
    changes = [
        (path, text)
        for path, text in (
            (version_plan.root, version_plan.root_text),
            (version_plan.changelog, version_plan.changelog_text),
        )
        if text != _read(path)
    ]
    for path, _ in changes:
        if path.is_symlink():
            raise AtlasError.at(
                "version-link",
                f"{path.name} is a symbolic link: atlas-spec does not write through links",
                Location(str(path)),
                "replace the link with the file itself, or name the real file in the configuration",
            )
    for path, text in changes:
        write_file_atomic(path, text.encode("utf-8"))
    return [path for path, _ in changes]


def _not_a_source(changelog: Path, sources: Collection[Path]) -> None:
    try:
        here = os.stat(changelog)
    except OSError:
        return  # not there yet (or unreadable: _read said so)
    for source in sources:
        with contextlib.suppress(OSError):
            if os.path.samestat(here, os.stat(source)):
                raise AtlasError.at(
                    "version-changelog-is-source",
                    f"the changelog {changelog} is a file the spec is read from"
                    + (f" ({source})" if source != changelog else "")
                    + ": the release notes would replace it",
                    Location(str(changelog)),
                    "name another file in [tool.atlas-spec.diff] changelog (default CHANGELOG.md)",
                )


def _read(path: Path) -> str:
    """The file's text as it is on disk (CRLF line endings stay CRLF); "" for a file not there yet. A file that
    cannot be read (a folder, a device, not UTF-8) is an input error, as the build reports its changelog."""
    try:
        return read_text(path)
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise AtlasError.at(
            "version-read",
            f"cannot read {path.name}: {reason}",
            Location(str(path)),
            "atlas-spec version rewrites this file: it must be a UTF-8 text file (or not exist yet)",
        ) from None
