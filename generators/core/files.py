"""Reading a file the tool is pointed at (configuration, baseline, Redoc bundle, changelog, an output to compare):
a regular file of bounded size, read in full, or an OSError; never a wait on a FIFO or an endless device."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_READ_BYTES = 64 * 1024 * 1024  # as much as a spec source file may hold


def read_file(path: str | Path, limit: int = MAX_READ_BYTES) -> bytes:
    """The bytes of the regular file ``path``; OSError when it is missing, a folder, a FIFO or device (opened
    without blocking, never read), or larger than ``limit`` bytes (read no further than that)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise OSError(errno.EFBIG, f"larger than {limit // 2**20} MiB", str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str | Path, limit: int = MAX_READ_BYTES) -> str:
    """``read_file`` decoded as UTF-8 (UnicodeDecodeError when it is not)."""
    return read_file(path, limit).decode("utf-8")
