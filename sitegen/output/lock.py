"""One build at a time per output folder.

A build writes beside its output folder (a staging folder, and the folder kept
aside for the next build: see ``write``) and clears what it takes for a killed
build's leftovers there, so two builds into one folder at the same moment would
remove each other's folders. ``hold`` keeps them apart: an exclusive ``flock``
on a file beside the output, ``.<name>.lock`` (``.public.lock`` beside
``public/``), taken before the build reads the output and held until its site
is swapped in. The file names the process holding it, so that a build waiting
for it can say whom it waits for.

The kernel releases a ``flock`` when its process ends, killed or not: a lock
file that a killed build left means nothing, and the next build takes it at
once. The holder removes the file while it still holds it, so that a finished
or failed build leaves nothing beside the output; a build that meanwhile took
the lock of the removed file sees that it is no longer the file by that name
and takes that one instead (``_take``), so two builds never hold two files.

Where ``fcntl`` does not exist (Windows), ``hold`` is a no-op: builds there are
not kept apart.
"""
from __future__ import annotations

import contextlib
import errno
import os
import time
from pathlib import Path
from typing import Callable, Iterator

from .place import OutputError

try:
    import fcntl
except ImportError:                              # Windows: no flock
    fcntl = None  # type: ignore[assignment]

# Seconds a build waits for another: ten times a cold build of 200 versions in 4
# languages (3 s), yet short enough that a build behind a hung one says so soon.
WAIT = 30.0
POLL = 0.1                # seconds between two attempts
TELL_AFTER = 0.5          # seconds of waiting before ``on_wait`` is called

Waiting = Callable[[int | None], None]            # told the pid of the holder (None: unknown)


def lock_path(out: Path) -> Path:
    """The lock file of the output folder ``out``: ``.<name>.lock`` beside it."""
    return out.parent / f".{out.name}.lock"


@contextlib.contextmanager
def hold(out: Path, wait: float = WAIT, on_wait: Waiting | None = None) -> Iterator[None]:
    """Hold the lock of the output folder ``out`` for the ``with`` block, waiting up
    to ``wait`` seconds for another build to release it; ``on_wait`` is called
    once, with the other build's pid, if that takes longer than ``TELL_AFTER``.
    Raises ``OutputError`` if the lock is still held after ``wait``, or if its
    file cannot be made. A no-op where there is no ``fcntl`` (Windows), and for
    a file system's root, which has nothing beside it (and is refused anyway)."""
    out = out.resolve()
    if fcntl is None or not out.name:
        yield
        return
    path = lock_path(out)
    fd = _take(path, out, wait, on_wait)
    try:
        _sign(fd, out)
        yield
    finally:
        _release(fd, path)


def _take(path: Path, out: Path, wait: float, on_wait: Waiting | None) -> int:
    """An open descriptor of the lock file, locked; retried every ``POLL`` seconds."""
    started = time.monotonic()
    holder: int | None = None
    while True:
        fd = _open(path, out)
        try:
            while not _try(fd, path, out):
                holder = _holder(fd) or holder
                waited = time.monotonic() - started
                if waited >= wait:
                    raise _still_held(out, holder, wait)
                if on_wait is not None and waited >= TELL_AFTER:
                    on_wait(holder)
                    on_wait = None               # once
                time.sleep(min(POLL, wait - waited))
        except BaseException:
            os.close(fd)
            raise
        if _current(fd, path):
            return fd
        os.close(fd)        # the file its holder removed on leaving: lock the one there now


def _open(path: Path, out: Path) -> int:
    """Open (or make) the lock file, and the folder it is in (the output's parent,
    which the build would make next anyway)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
    try:
        try:
            return os.open(path, flags, 0o644)
        except FileNotFoundError:                # a new output in a new folder
            path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(path, flags, 0o644)
    except OSError as err:
        raise OutputError(f"cannot make the lock file {path} for the output folder {out}: "
                          f"{err.strerror or err}; choose another --out") from None


def _try(fd: int, path: Path, out: Path) -> bool:
    """Lock ``fd`` if no other build holds it; False if one does."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as err:
        if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise OutputError(f"cannot lock {path} for the output folder {out}: "
                          f"{err.strerror or err}; choose another --out") from None
    return True


def _current(fd: int, path: Path) -> bool:
    """Whether ``fd`` is still the file at ``path`` (not removed by its last holder)."""
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)


def _holder(fd: int) -> int | None:
    """The pid written in the lock file by its holder (None before it wrote it)."""
    try:
        first = os.pread(fd, 64, 0).split(b"\n", 1)[0]
        return int(first) if first.strip() else None
    except (OSError, ValueError):
        return None


def _sign(fd: int, out: Path) -> None:
    """Write this process's pid and the output folder into the lock file, for the
    builds waiting for it to name (a full disk is no error). Cut to length after
    writing, not emptied before: ext4 flushes a file emptied and written on
    closing it, which costs 0.15 ms."""
    signature = f"{os.getpid()}\n{out}\n".encode()
    try:
        os.pwrite(fd, signature, 0)
        os.ftruncate(fd, len(signature))
    except OSError:
        pass


def _release(fd: int, path: Path) -> None:
    """Remove the lock file (still holding it, and if it is still ours), then unlock:
    explicitly, as a process forked meanwhile may still have ``fd`` open."""
    try:
        if _current(fd, path):
            os.unlink(path)
    except OSError:
        pass                                     # left behind: unlocked, it means nothing
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _still_held(out: Path, holder: int | None, wait: float) -> OutputError:
    who = f"another sitegen build (process {holder})" if holder else "another sitegen build"
    return OutputError(f"{who} is writing {out}; it still had it after {wait:g} s. Wait for it "
                       "to finish, or build into another folder with --out")
