"""Copy out of git only the files a spec root reaches, not the folder it sits in.

A spec at a repository's top level would otherwise mean unpacking the whole repository for one diff. From the
root, each file's ``$ref`` strings are read from its text (``source.prefetch.refs_in``: a guess, not a parse)
and the files they name are fetched with one ``git cat-file --batch`` process. Links inside the tree are
followed by git; a link leading out of it is left out, like a missing file. The guess can miss a reference
(a discriminator mapping naming a file, a key written with escapes): the caller then loads the side again
from the full ``git archive`` of the folder, so a miss costs time, never a wrong answer.
"""

from __future__ import annotations

import posixpath
import subprocess
from pathlib import Path
from typing import IO
from urllib.parse import unquote

from generators.artefacts.model import Artefact
from generators.core.diagnostics import AtlasError
from generators.source.limits import MAX_FILE_BYTES
from generators.source.prefetch import MAX_FILES, MAX_TOTAL_BYTES, refs_in
from generators.writer import write_scratch_files

_BATCH_BYTES = 16 * 1024
_NOT_A_BLOB = (b"symlink", b"dangling", b"loop", b"notdir")  # --follow-symlinks' answers for links it cannot follow


def copy_reachable(ref: str, starts: list[str], top: Path, dest: Path) -> bool:
    """Write each of ``starts`` (paths relative to ``top``, POSIX) and every file their refs reach inside the
    first one's folder (the bundler reads no other), as they are at ``ref``, under ``dest``. False when a limit
    stopped the walk or git could not be asked (the caller unpacks the folder instead)."""
    try:
        process = subprocess.Popen(
            ["git", "cat-file", "--batch", "--follow-symlinks"],
            cwd=top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return False
    assert process.stdin is not None and process.stdout is not None
    try:
        folder = posixpath.dirname(starts[0])
        return _walk(ref, starts, folder + "/" if folder else "", process.stdin, process.stdout, dest)
    except (OSError, ValueError, IndexError, AtlasError):  # a broken pipe, an answer not as documented
        return False
    finally:
        process.stdin.close()
        process.stdout.close()
        process.wait()


def _walk(ref: str, starts: list[str], within: str, ask: IO[bytes], answer: IO[bytes], dest: Path) -> bool:
    seen = set(starts)
    queue = list(starts)
    files: list[Artefact] = []
    total = 0
    while queue:
        # asked in batches small enough to sit in the pipe whole: git answers as we read, never blocked on us
        batch: list[str] = []
        while queue and sum(map(len, batch)) < _BATCH_BYTES:
            batch.append(queue.pop())
        if len(seen) > MAX_FILES or any("\n" in path for path in batch):
            return False
        ask.write("".join(f"{ref}:{path}\n" for path in batch).encode())
        ask.flush()
        for path in batch:
            content = _blob(answer)
            if content is None:
                continue
            total += len(content)
            if total > MAX_TOTAL_BYTES:
                return False
            files.append(Artefact(path, content))
            for found in _files_named(refs_in(content), posixpath.dirname(path)):
                if found not in seen and found.startswith(within):
                    seen.add(found)
                    queue.append(found)
    write_scratch_files(dest, files)
    return True


def _blob(answer: IO[bytes]) -> bytes | None:
    """The next answer's content: None for no file (missing, a folder, a link leaving the tree)."""
    header = answer.readline().split()
    if not header or header[-1] in (b"missing", b"ambiguous"):
        return None
    size = int(header[-1] if header[0] in _NOT_A_BLOB else header[2])
    if header[0] in _NOT_A_BLOB or header[1] != b"blob" or size > MAX_FILE_BYTES:
        _skip(answer, size + 1)
        if header[0] in _NOT_A_BLOB or header[1] != b"blob":
            return None
        raise ValueError("too big")  # the full unpack lets the loader say so, at the ref
    content = answer.read(size)
    if len(content) != size or answer.read(1) != b"\n":
        raise ValueError("git's answer ended early")
    return content


def _files_named(refs: list[str], folder: str) -> set[str]:
    """The repository paths that relative refs written in ``folder`` name (as written and percent-decoded)."""
    found: set[str] = set()
    for raw in refs:
        file = raw.split("#", 1)[0]
        if not file or "://" in file or file.startswith("/") or ":" in file.split("/", 1)[0]:
            continue  # local, a URL or absolute: nothing in the tree
        for spelling in {file, unquote(file)}:
            path = posixpath.normpath(posixpath.join(folder, spelling))
            if path != ".." and not path.startswith("../") and path != ".":
                found.add(path)
    return found


def _skip(stream: IO[bytes], count: int) -> None:
    while count > 0:
        chunk = stream.read(min(count, 1 << 20))
        if not chunk:
            raise ValueError("git's answer ended early")
        count -= len(chunk)
