"""Load one side of a diff: a spec root on disk (modular or bundled), ``git:REF`` or ``git:REF:PATH``."""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generators.artefacts.registry import kind
from generators.core.diagnostics import AtlasError, Diagnostic, Location
from generators.core.files import read_file
from generators.core.paths import resolved
from generators.core.settings import Settings
from generators.core.shape import not_openapi3
from generators.diff.gitfiles import copy_reachable
from generators.diff.resolve import unescape
from generators.source.limits import MAX_FILE_BYTES

ACK_FILE = "breaking-changes-ack.yaml"
_EXTERNAL_REF = re.compile(rb'"\$ref"\s*:\s*"(?!#)')


@dataclass(frozen=True)
class Side:
    """One loaded side: its bundled document, where it came from and its acknowledgement file (if any)."""

    label: str
    document: dict[str, Any]
    root: Path | None = None
    acks: Any = None
    ack_file: str | None = None
    locate: Callable[[str], Location | None] | None = None
    files: tuple[Path, ...] = ()  # the files on disk it was read from (none for git:): never written over


def default_base(settings: Settings, name: str) -> str:
    """The released bundle at HEAD: ``git:HEAD:build/<name>.openapi.json`` (``name``: the artefact base name)."""
    top = _git_top(settings.project_dir)
    target = settings.out_dir / kind("openapi").file_name(name)
    try:
        rel = resolved(target).relative_to(top)
    except ValueError:
        raise AtlasError.at(
            "diff-base", f"{target} is outside the git repository {top}", hint="pass BASE explicitly"
        ) from None
    return f"git:HEAD:{rel.as_posix()}"


def load_side(spec: str, settings: Settings, with_locations: bool = False) -> Side:
    """Load ``spec`` (a path, ``git:REF`` or ``git:REF:PATH``) into a bundled document."""
    if spec.startswith("git:"):
        return _load_git(spec, settings)
    path = Path(spec)
    if not path.is_file():
        raise AtlasError.at(
            "diff-input", f"{spec}: no such file", hint="give a spec root file, git:REF or git:REF:PATH"
        )
    return _load_path(resolved(path), spec, settings.ref_roots, with_locations, keep_root=True, settings=settings)


def ack_file_for(settings: Settings, side: Side) -> str:
    """Where the acknowledgement file of a side is (or would be): beside its spec root."""
    if side.ack_file:
        return side.ack_file
    return str(_ack_file(settings, side.root or settings.spec))


def _ack_file(settings: Settings, root: Path) -> Path:
    name = settings.diff.get("ack-file", ACK_FILE)
    return root.parent / str(name)


def _load_path(
    path: Path,
    label: str,
    ref_roots: tuple[Path, ...],
    with_locations: bool,
    keep_root: bool,
    settings: Settings | None = None,
) -> Side:
    from generators.bundle.bundler import bundle_spec
    from generators.source.loader import load_file

    ack = path.parent / ACK_FILE if settings is None else _ack_file(settings, path)
    acks = load_file(ack) if ack.is_file() else None
    ack_name = str(ack) if acks is not None else None
    document = _self_contained_json(path)
    if document is not None:
        _an_openapi_description(document, path)
        locate = _json_locator(path) if with_locations else None
        return Side(label, document, path if keep_root else None, acks, ack_name, locate, (path,))
    bundled = bundle_spec(path, ref_roots=ref_roots)
    _an_openapi_description(bundled.document, path)
    locate = bundled.locate if with_locations else None
    return Side(label, bundled.document, path if keep_root else None, acks, ack_name, locate, bundled.files_read)


def _an_openapi_description(document: Any, path: Path) -> None:
    """A side must be an OpenAPI 3.x description: anything else (a Swagger 2.0 file, a component file, ``{}``)
    compared as one would pass the gate with every operation "added"."""
    why = not_openapi3(document)
    if why is None:
        return
    swagger = isinstance(document, dict) and "swagger" in document
    raise AtlasError.at(
        "diff-not-openapi",
        f"not an OpenAPI 3.x description: {why[0]}",
        Location(str(path), 1, 1),
        why[1] if swagger else "give a spec root file, git:REF or git:REF:PATH",
    )


def _json_locator(path: Path) -> Callable[[str], Location | None]:
    """Positions in a released JSON bundle, indexed lazily (only the containers findings pass through)."""
    from generators.source.jsonpos import JsonPositions

    positions: list[JsonPositions] = []

    def locate(pointer: str) -> Location | None:
        if not positions:
            positions.append(JsonPositions(path))
        try:
            return positions[0].locate([unescape(t) for t in pointer.split("/")[1:]] if pointer else [])
        except (ValueError, IndexError):
            return Location(str(path))

    return locate


def _self_contained_json(path: Path) -> dict[str, Any] | None:
    """A released bundle (JSON, local refs only) needs no bundling: read it directly, twice as fast."""
    from generators.source.loader import load_bytes

    if path.suffix != ".json":
        return None
    try:
        raw = read_file(path, MAX_FILE_BYTES)  # as bundling reads it: never more than the limit
    except OSError:
        return None  # bundling reads it again, and says why it cannot
    if _EXTERNAL_REF.search(raw):
        return None
    document = load_bytes(raw, str(path))
    return document if isinstance(document, dict) else None


def _run_git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise AtlasError.at("diff-git", f"cannot run git: {exc.strerror}", hint="install git") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AtlasError.at("diff-git", f"git {' '.join(args[:2])} failed: {message[-1] if message else '?'}")
    return done.stdout


def _git_top(cwd: Path) -> Path:
    try:
        return resolved(_run_git(["rev-parse", "--show-toplevel"], cwd).decode().strip())
    except AtlasError:
        raise AtlasError.at(
            "diff-git", f"{cwd} is not inside a git repository", hint="pass BASE as a file path instead of git:REF"
        ) from None


def _load_git(spec: str, settings: Settings) -> Side:
    ref, _, rel = spec[4:].partition(":")
    if not ref:
        raise AtlasError.at("diff-input", f"{spec}: no git ref", hint="write git:REF or git:REF:PATH")
    top = _git_top(settings.project_dir)
    try:
        _run_git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except AtlasError:
        raise AtlasError.at(
            "diff-git",
            f"unknown git ref '{ref}'",
            hint="fetch it first (git fetch origin) or name a branch, tag or commit",
        ) from None
    root_rel = Path(rel) if rel else _relative(settings.spec, top)
    folders = {root_rel.parent.as_posix() or "."}
    folders |= {_relative(r, top).as_posix() for r in settings.ref_roots if resolved(r).is_relative_to(top)}
    if not _exists(ref, root_rel, top):
        hint = (
            "run 'atlas-spec build' and commit build/"
            if root_rel.parts[:1] == ("build",)
            else "check the path (relative to the repository root)"
        )
        raise AtlasError.at("diff-git", f"{root_rel.as_posix()} does not exist at {ref}", hint=hint)
    if not settings.ref_roots:  # only the files the root reaches, when that is all the bundler may read
        with tempfile.TemporaryDirectory(prefix="atlas-diff-") as tmp:
            base = Path(tmp)
            ack = posixpath.normpath(_ack_file(settings, root_rel).as_posix())  # the revision's acks, if any
            starts = [root_rel.as_posix(), *([ack] if not ack.startswith(("../", "/")) else [])]
            if copy_reachable(ref, starts, top, base):
                try:
                    return _load_extracted(base, root_rel, spec, ref, settings, ())
                except AtlasError:
                    pass  # perhaps a file the text did not show to be needed: the whole folder says for sure
    with tempfile.TemporaryDirectory(prefix="atlas-diff-") as tmp:
        base = Path(tmp)
        _extract(["archive", "--format=tar", ref, "--", *sorted(folders)], top, base)
        roots = tuple(base / _relative(r, top) for r in settings.ref_roots if resolved(r).is_relative_to(top))
        return _load_extracted(base, root_rel, spec, ref, settings, roots)


def _load_extracted(
    base: Path, root_rel: Path, spec: str, ref: str, settings: Settings, roots: tuple[Path, ...]
) -> Side:
    try:
        side = _load_path(base / root_rel, spec, roots, False, keep_root=False, settings=settings)
    except AtlasError as exc:
        raise AtlasError([_in_git(d, base, ref) for d in exc.diagnostics]) from None
    if side.ack_file is not None:
        side = replace(side, ack_file=_git_name(side.ack_file, base, ref))
    return side


def _extract(args: list[str], top: Path, folder: Path) -> None:
    """Unpack ``git archive`` into ``folder`` as it streams (a 400 MB blob is never held in memory).

    A link that leads out of the tree (or is absolute) is left out, as is anything else tar's ``data`` filter
    refuses: a ``$ref`` through it then fails like a ref to a missing file, at its line.
    """
    try:
        process = subprocess.Popen(["git", *args], cwd=top, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        raise AtlasError.at("diff-git", f"cannot run git: {exc.strerror}", hint="install git") from None
    assert process.stdout is not None and process.stderr is not None
    unreadable = None
    try:
        with tarfile.open(fileobj=process.stdout, mode="r|") as tar:
            tar.extractall(folder, filter=_inside_tree)
    except tarfile.TarError as exc:
        unreadable = exc  # most often git stopped half-way (a missing object): its own words say why
    finally:
        process.stdout.close()
        errors = process.stderr.read()
        process.stderr.close()
        code = process.wait()
    said = errors.decode("utf-8", "replace").strip().splitlines()
    if code != 0 and said:
        # git's first line names the cause ("invalid object ... for 'docs/index.html'"); the last is often generic
        raise AtlasError.at("diff-git", f"git {' '.join(args[:2])} failed: {said[0].removeprefix('error: ')}")
    if unreadable is not None or code != 0:
        raise AtlasError.at("diff-git", f"git {' '.join(args[:2])} gave an unreadable archive: {unreadable or code}")


def _inside_tree(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None


def _in_git(diagnostic: Diagnostic, base: Path, ref: str) -> Diagnostic:
    """A finding in the unpacked copy, named ``git:REF:PATH`` as the user wrote it (never the temporary path)."""
    location = diagnostic.location
    message = diagnostic.message.replace(str(base) + os.sep, f"git:{ref}:")
    if location is None:
        return replace(diagnostic, message=message)
    return replace(diagnostic, message=message, location=replace(location, file=_git_name(location.file, base, ref)))


def _git_name(file: str, base: Path, ref: str) -> str:
    prefix = str(base) + os.sep
    return f"git:{ref}:{Path(file[len(prefix) :]).as_posix()}" if file.startswith(prefix) else file


def _exists(ref: str, rel: Path, top: Path) -> bool:
    try:
        _run_git(["cat-file", "-e", f"{ref}:{rel.as_posix()}"], top)
    except AtlasError:
        return False
    return True


def _relative(path: Path, top: Path) -> Path:
    try:
        return resolved(path).relative_to(top)
    except ValueError:
        raise AtlasError.at(
            "diff-git", f"{path} is outside the git repository {top}", hint="use a file path instead of git:REF"
        ) from None
