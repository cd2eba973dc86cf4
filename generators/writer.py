"""The only module that writes artefacts: all files of one build land together or not at all."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from generators.artefacts.model import Artefact
from generators.core.diagnostics import AtlasError, Location

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


# A folder holding more than this is not a build folder we may swap wholesale (say --out . or /tmp):
# there each file is replaced atomically on its own instead.
_MAX_SWAP_ENTRIES = 256


def write_artefacts(out_dir: Path, artefacts: Sequence[Artefact]) -> list[Path]:
    """Write ``artefacts`` into ``out_dir`` atomically; files already there and not rebuilt are kept.

    The new folder is prepared beside the old one and swapped in with one atomic exchange, so a
    reader (or a build killed half-way) sees either the old set of files or the new one, never a mix.
    Concurrent builds into the same folder are serialised by a lock on the parent folder. A folder
    too big to be a build folder is never copied or swapped: each file is then replaced atomically.
    """
    out_dir = out_dir.resolve()
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    with _locked(parent):
        _remove_stale_staging(parent, out_dir.name)
        if out_dir.is_dir() and not _swappable(out_dir):
            return [write_file_atomic(out_dir / _relative(a.path), a.content) for a in artefacts]
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=parent))
        try:
            if out_dir.is_dir():
                _copy_tree(out_dir, staging)
            written = [_write_file(staging, artefact) for artefact in artefacts]
            os.chmod(staging, out_dir.stat().st_mode & 0o7777 if out_dir.is_dir() else 0o755)
            _fsync_dir(staging)
            _swap_in(staging, out_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / p for p in written]


def _remove_stale_staging(parent: Path, name: str) -> None:
    """Staging folders left by a build that was killed; safe to remove while we hold the lock."""
    for leftover in parent.glob(f".{name}.tmp-*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def write_file_atomic(path: Path, content: bytes | Sequence[bytes]) -> Path:
    """Replace one file atomically (temporary file beside it, fsync, rename), keeping its permissions.

    ``content`` is the file's bytes, or pieces of them in order (a big document need not be joined first).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.writelines([content] if isinstance(content, bytes) else content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def write_new_files(folder: Path, artefacts: Sequence[Artefact]) -> list[Path]:
    """Create each file below ``folder``, never replacing one: when any exists, nothing is written.

    Each file is written beside its place and linked in (``link`` fails when the name was taken meanwhile),
    so a reader never sees half a file; a folder on the way that is a symbolic link is refused.
    """
    folder = folder.resolve()
    targets = [folder / _relative(artefact.path) for artefact in artefacts]
    existing = [target for target in targets if os.path.lexists(target)]
    if existing:
        names = ", ".join(str(target.relative_to(folder)) for target in existing)
        raise AtlasError.at(
            "file-exists",
            f"refusing to overwrite {len(existing)} existing file(s): {names}",
            Location(str(existing[0])),
            "only files that do not exist yet are written; move these away or choose another folder",
        )
    for target in targets:
        for parent in target.relative_to(folder).parents:
            if (folder / parent).is_symlink():
                raise AtlasError.at(
                    "write-through-link", "refusing to write through a symbolic link", Location(str(folder / parent))
                )
    for target, artefact in zip(targets, artefacts, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.tmp-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(artefact.content)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)
            os.link(temporary, target)
        except FileExistsError:
            raise AtlasError.at(
                "file-exists", "refusing to overwrite a file created meanwhile", Location(str(target))
            ) from None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return targets


def _swappable(folder: Path) -> bool:
    return all(count < _MAX_SWAP_ENTRIES for count, _ in enumerate(folder.rglob("*")))


def _relative(path: str) -> Path:
    relative = Path(path)
    if relative.is_absolute() or ".." in relative.parts:
        raise AtlasError.at("artefact-path", f"refusing to write outside the out dir: {path}")
    return relative


def _write_file(folder: Path, artefact: Artefact) -> str:
    relative = _relative(artefact.path)
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(artefact.content)
        handle.flush()
        os.fsync(handle.fileno())
    return str(relative)


def _copy_tree(source: Path, target: Path) -> None:
    for item in source.iterdir():
        destination = target / item.name
        if item.is_dir() and not item.is_symlink():
            shutil.copytree(item, destination, symlinks=True)
        else:
            shutil.copy2(item, destination, follow_symlinks=False)


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Atomically exchange ``staging`` and ``out_dir`` (Linux renameat2), else rename in two steps."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        staging.mkdir()  # so the caller's cleanup has something to remove
        return
    if _exchange(staging, out_dir):
        return
    backup = staging.with_name(staging.name + ".old")
    os.rename(out_dir, backup)
    os.rename(staging, out_dir)
    os.rename(backup, staging)


def _exchange(a: Path, b: Path) -> bool:
    import ctypes  # only a folder swap needs it; single-file writes skip the import
    import ctypes.util

    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise AtlasError.at("out-dir", f"cannot open output folder: {exc}", Location(str(folder))) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
