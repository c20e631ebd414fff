"""Which files of a site may be read: regular files inside the site, within a size.

A site is edited by many hands, and a link is easy to commit: a theme asset
that points at ``/etc/passwd`` or ``/proc/self/environ`` would be published, and
a statement that is a FIFO or ``/dev/zero`` would hang a build or fill its
memory. So a link is followed only to a file inside the site, a link to a
folder not at all, and only regular files are opened (without blocking, and
read no further than the limit, whatever ``st_size`` says).
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 2 * 1024 * 1024


class Unreadable(Exception):
    """A file sitegen will not read; the message says why and what to do."""


def outside(path: str, root: str) -> str | None:
    """Where the link ``path`` really leads, if that is outside the folder ``root``
    (resolved); None if it stays inside."""
    real = os.path.realpath(path)
    return None if real == root or real.startswith(root.rstrip(os.sep) + os.sep) else real


def refusal(path: str, root: str) -> str | None:
    """Why the entry ``path`` of the site at ``root`` must not be read, if it must not."""
    try:
        status = os.lstat(path)
    except OSError:
        return None                               # gone, or unreadable: the reader says so
    if stat.S_ISLNK(status.st_mode):
        if os.path.isdir(path):
            return ("is a link to a folder: sitegen reads no folder through a link; move "
                    "the folder here instead")
        real = outside(path, root)
        if real is not None:
            return (f"is a link to {real}, outside the site: sitegen reads only files "
                    "inside the site; copy the file here instead")
        status = os.stat(path)
    if not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode):
        return "is not a regular file (a device, pipe or socket): replace it with a file"
    return None


def refusals(folder: Path, root: Path) -> list[tuple[str, str]]:
    """``(path relative to root, why)`` of every entry of ``folder`` (and of the
    folder itself) that must not be read; folders are entered, not links to them."""
    top, base = os.fspath(folder), os.fspath(root)
    found = []
    if (why := refusal(top, base)) is not None:
        return [(os.path.relpath(top, base).replace(os.sep, "/"), why)]
    for current, dirs, names in os.walk(top):
        for name in sorted(dirs + names):
            path = os.path.join(current, name)
            if (why := refusal(path, base)) is not None:
                found.append((os.path.relpath(path, base).replace(os.sep, "/"), why))
    return found


def read_limited(path: str | Path) -> bytes:
    """The bytes of a regular file, at most ``MAX_FILE_BYTES`` and one more (so that
    the caller can tell it is too long); ``Unreadable`` if it is not a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if not stat.S_ISREG(status.st_mode):
            raise Unreadable("is not a regular file (a device, pipe or socket): replace it "
                             "with a file")
        # Reads of the file's size and a byte more, then of 64 KB while it grows:
        # a read of 1 MB, each file, had the C library map and unmap 1 MB a time
        # (40 ms of reading a 200 x 4 site's 980 files afresh, in the build's
        # first, serial, step).
        chunks, left, ask = [], MAX_FILE_BYTES + 1, status.st_size + 1
        while left > 0:
            chunk = os.read(fd, min(left, ask))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            ask = 1 << 16
        return b"".join(chunks)
    finally:
        os.close(fd)
