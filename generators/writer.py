"""The only module that writes files: all files of one build land together or not at all, never through a link.

``build/`` is committed, so a pull request can turn an artefact into a symbolic link to any file (``../run.sh``,
``~/.bashrc``): a writer that opened the link would overwrite its target with text the spec controls. Here a
file is always replaced by a new one (written beside it, then renamed over it), so a link is replaced itself and
its target is never touched or created. A device or a named pipe (``-o /dev/null``, ``-o >(gzip)``) is written
into instead: renaming over it would turn ``/dev/null`` into a regular file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from generators.artefacts.model import Artefact
from generators.core.diagnostics import AtlasError, Location
from generators.core.paths import resolved

Revise = Callable[[], bytes]  # see write_file_atomic
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


# A folder holding more than this is not a build folder we may swap wholesale (say --out . or /tmp):
# there each file is replaced atomically on its own instead.
_MAX_SWAP_ENTRIES = 256
_PROJECT_MARKERS = (".git", "pyproject.toml", "atlas-spec.toml")  # a project's folder, never a build folder

# Names here are the system's, not files: /dev/stdout is a link to the process's output, whatever that is.
_SYSTEM_FOLDERS = ("/dev/", "/proc/")


def write_artefacts(out_dir: Path, artefacts: Sequence[Artefact]) -> list[Path]:
    """Write ``artefacts`` into ``out_dir`` atomically; files already there and not rebuilt are kept.

    The new folder is prepared beside the old one and swapped in with one atomic exchange, so a reader (or a
    build killed half-way) sees either the old set of files or the new one, never a mix. Concurrent builds into
    the same folder are serialised by a lock on the parent folder. A folder too big to be a build folder is
    never copied or swapped: each file is then replaced atomically."""
    with staged(out_dir) as stage:
        if stage.folder is None:
            return [write_file_atomic(_inside(stage.out_dir, _relative(a.path)), a.content) for a in artefacts]
        return stage.swap_in(stage.fill(artefacts))


class Staging:
    """The new build folder beside ``out_dir``, while ``staged`` holds the lock (None: ``out_dir`` is not
    swappable). ``fill`` may run in a forked child (``build`` writes on the second core while the checks run):
    the child shares the lock, and the folder is removed whatever happens unless ``swap_in`` put it in place."""

    def __init__(self, out_dir: Path, folder: Path | None) -> None:
        self.out_dir, self.folder = out_dir, folder

    def fill(self, artefacts: Sequence[Artefact]) -> list[str]:
        """Put the old folder's files and then ``artefacts`` in the staging folder, synced; the paths written."""
        assert self.folder is not None
        if self.out_dir.is_dir():  # (not the files about to be written again: GitHub's are 40 MB)
            _copy_tree(self.out_dir, self.folder, {a.path for a in artefacts})
        written = [_write_file(self.folder, artefact) for artefact in artefacts]
        os.chmod(self.folder, self.out_dir.stat().st_mode & 0o7777 if self.out_dir.is_dir() else 0o777 & ~_umask())
        _fsync_dir(self.folder)
        return written

    def swap_in(self, written: Sequence[str]) -> list[Path]:
        """Exchange the filled staging folder with ``out_dir``; the files ``fill`` wrote, in ``out_dir``."""
        assert self.folder is not None
        _swap_in(self.folder, self.out_dir)
        return [self.out_dir / p for p in written]


@contextlib.contextmanager
def staged(out_dir: Path, swappable_only: bool = False) -> Iterator[Staging]:
    """Lock ``out_dir``'s parent (made when missing) and prepare a ``Staging`` for it, removed on the way out.
    ``swappable_only`` (a build not yet sure to write): lock and make nothing, and yield a ``Staging`` without
    a folder, unless ``out_dir`` is a folder (or nothing) in an existing folder."""
    out_dir = resolved(out_dir)
    try:
        _out_folder(out_dir)
    except AtlasError:
        if not swappable_only:
            raise
        ready = False
    else:
        ready = not swappable_only or out_dir.parent.is_dir()
    if not ready:
        yield Staging(out_dir, None)
        return
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    with _locked(parent):
        _remove_stale_staging(parent, out_dir.name)
        if out_dir.is_dir() and not _swappable(out_dir):
            yield Staging(out_dir, None)
            return
        import shutil  # with tempfile, 4.5 ms of imports that writing one file does without
        import tempfile

        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=parent))
        try:
            yield Staging(out_dir, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _out_folder(out_dir: Path) -> Path:
    """``out_dir`` when it is a folder or is not there yet. A folder is swapped in by renaming it over the old
    one: over ``/dev/null`` (or a pipe, a file) that would put a folder in its place, so anything else that
    is there, and the system's own folders, are refused."""
    here = _lstat(out_dir)
    if (str(out_dir) + os.sep).startswith(_SYSTEM_FOLDERS):
        what = "one of the system's folders"
    elif here is None or stat.S_ISDIR(here.st_mode):
        return out_dir
    else:
        what = "a regular file" if stat.S_ISREG(here.st_mode) else "not a folder (a device, pipe, socket or link)"
    raise AtlasError.at(
        "out-not-a-folder",
        f"the output folder {out_dir} is {what}: atlas-spec writes a folder of artefacts there",
        Location(str(out_dir)),
        "name a new or existing folder with --out (or out under [tool.atlas-spec]); for one artefact on a "
        "stream, use a command's -o (atlas-spec bundle -o /dev/stdout)",
    )


def _remove_stale_staging(parent: Path, name: str) -> None:
    """Staging folders left by a build that was killed; safe to remove while we hold the lock."""
    import shutil

    for leftover in parent.glob(f".{name}.tmp-*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def write_file_atomic(path: Path, content: bytes | Sequence[bytes], revise: Revise | None = None) -> Path:
    """Replace one file atomically (temporary file beside it, fsync, rename), keeping its permissions.

    ``content`` is the file's bytes, or pieces of them in order (a big document need not be joined first).
    ``revise`` (with ``content`` as bytes) returns the file's final bytes, ``content`` itself when those were
    final: it runs while ``content`` is written and synced (a thread writes, and a write does not hold the
    interpreter lock), and different bytes are then written instead.
    ``path`` is taken as written (make it absolute, never resolved): a symbolic link there is replaced by the
    file, its target left alone; a device or a named pipe there (or behind the link) is written into; a new
    file gets the permissions the umask gives.
    """
    pieces = [content] if isinstance(content, bytes) else content
    here = _lstat(path)
    if here is not None and stat.S_ISDIR(here.st_mode):
        raise AtlasError.at("write-folder", "cannot write a file here: it is a folder", Location(str(path)))
    if _writes_into(path, here):
        _write_into(path, [revise()] if revise is not None else pieces)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = here.st_mode & 0o7777 if here is not None and stat.S_ISREG(here.st_mode) else 0o666 & ~_umask()
    handle, temporary = _create_beside(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            if revise is None:
                _write_synced(stream, pieces)
            else:
                _write_revised(stream, pieces, revise)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def _create_beside(path: Path) -> tuple[int, str]:
    """A new file, only ours, beside ``path``: its descriptor and name (what ``tempfile.mkstemp`` gives, whose
    import, with shutil and random, costs 4.5 ms: 2% of bundling GitHub's description)."""
    for _ in range(100):
        temporary = os.path.join(path.parent, f".{path.name}.tmp-{os.urandom(6).hex()}")
        try:
            return os.open(temporary, _CREATE, 0o600), temporary
        except FileExistsError:
            continue
    raise AtlasError.at("write-temporary", "no unused temporary name beside the file", Location(str(path)))


def _write_synced(stream: BinaryIO, pieces: Sequence[bytes]) -> None:
    stream.writelines(pieces)
    stream.flush()
    os.fsync(stream.fileno())


def _write_revised(stream: BinaryIO, pieces: Sequence[bytes], revise: Revise) -> None:
    """Write ``pieces`` on a thread while ``revise()`` runs here; its answer replaces them when it differs.

    GitHub's 13 MB bundle: writing and syncing take 20-50 ms, the revision (``jsonout``'s float check) 15 ms.
    """
    failed: list[BaseException] = []

    def write() -> None:
        try:
            _write_synced(stream, pieces)
        except BaseException as exc:  # noqa: BLE001 - raised again below, in the caller's thread
            failed.append(exc)

    writing = threading.Thread(target=write, name="atlas-spec-write")
    writing.start()
    try:
        final = revise()
    finally:
        writing.join()
    if failed:
        raise failed[0]
    if len(pieces) != 1 or final is not pieces[0]:
        stream.seek(0)
        stream.truncate()
        _write_synced(stream, [final])


def same_file(path: Path, file_ids: Mapping[tuple[int, int], Path]) -> Path | None:
    """The file of ``file_ids`` (by device and inode) that ``path``, followed through links, is: a write there
    would replace it."""
    try:
        target = os.stat(path)
    except OSError:
        return None
    return file_ids.get((target.st_dev, target.st_ino))


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def is_stream(path: Path) -> bool:
    """True when writing ``path`` writes into something that is not a file (a device, a pipe, ``/dev/stdout``):
    no file is made there, so nothing belongs beside it either."""
    return _writes_into(path, _lstat(path))


def _writes_into(path: Path, here: os.stat_result | None) -> bool:
    """True when ``path`` is (or links to) a device, pipe or socket, or names the system's own files."""
    if here is None:
        return False
    if not stat.S_ISLNK(here.st_mode):
        return not stat.S_ISREG(here.st_mode)
    if str(path).startswith(_SYSTEM_FOLDERS):
        return True
    try:
        target = os.stat(path)
    except OSError:
        return False  # a dangling link: replaced, its target never created
    return not stat.S_ISREG(target.st_mode) and not stat.S_ISDIR(target.st_mode)


def _write_into(path: Path, pieces: Sequence[bytes]) -> None:
    # no O_CREAT: this writes into what is there (a reader at the other end of a pipe), it creates nothing
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "wb") as stream:
        stream.writelines(pieces)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_new_files(folder: Path, artefacts: Sequence[Artefact]) -> list[Path]:
    """Create each file below ``folder``, never replacing one: when any exists, nothing is written.

    Each file is written beside its place and linked in (``link`` fails when the name was taken meanwhile),
    so a reader never sees half a file; a folder on the way that is a symbolic link is refused.
    """
    folder = resolved(folder)
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
        handle, temporary = _create_beside(target)
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


def write_scratch_files(folder: Path, artefacts: Sequence[Artefact]) -> None:
    """Create each file below ``folder``, a private temporary folder read back at once (``diff git:REF``'s
    copy of a tree): never through a link, never over a file, and not synced (nothing outlives the process)."""
    for artefact in artefacts:
        target = _inside(folder, _relative(artefact.path))
        target.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(target, _CREATE, 0o600), "wb") as stream:
            stream.write(artefact.content)


def _swappable(folder: Path) -> bool:
    """A folder that may be replaced whole: small, and not a project (``out = "."`` names the project's own
    folder; swapping it would move the working folder of a shell or an editor out from under them)."""
    if any((folder / marker).exists() for marker in _PROJECT_MARKERS):
        return False
    with contextlib.suppress(OSError):
        if Path.cwd().resolve().is_relative_to(folder):
            return False
    return all(count < _MAX_SWAP_ENTRIES for count, _ in enumerate(folder.rglob("*")))


def _relative(path: str) -> Path:
    relative = Path(path)
    if relative.is_absolute() or ".." in relative.parts:
        raise AtlasError.at("artefact-path", f"refusing to write outside the out dir: {path}")
    return relative


def _inside(folder: Path, relative: Path) -> Path:
    """``folder / relative``, refused when a folder on the way is a link (it could lead anywhere)."""
    current = folder
    for part in relative.parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise AtlasError.at(
                "out-link",
                "the out folder holds a symbolic link where a folder of artefacts belongs",
                Location(str(current)),
                "remove the link; atlas-spec never writes through links",
            )
    return folder / relative


def _write_file(folder: Path, artefact: Artefact) -> str:
    """Write one artefact into the private staging folder: whatever the old folder had there is replaced."""
    relative = _relative(artefact.path)
    current = folder
    for part in relative.parts[:-1]:
        current = current / part
        found = _lstat(current)
        if found is not None and not stat.S_ISDIR(found.st_mode):
            current.unlink()  # a link (or file) copied from the old folder: never followed
            found = None
        if found is None:
            current.mkdir()
    target = folder / relative
    if _lstat(target) is not None:
        if target.is_dir() and not target.is_symlink():
            import shutil

            shutil.rmtree(target)
        else:
            target.unlink()
    fd = os.open(target, _CREATE, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(artefact.content)
        handle.flush()
        os.fsync(handle.fileno())
    return str(relative)


def _copy_tree(source: Path, target: Path, rewritten: Collection[str] = ()) -> None:
    import shutil

    for item in source.iterdir():
        destination = target / item.name
        if item.name in rewritten and not item.is_dir():
            continue  # the artefact written there replaces it
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
