"""Small files written whole or not at all, tables kept in them, and the seal
(a MAC) on every file of ``.sitegen-cache/``.

What the cache holds is unpickled or unmarshalled (and compiled templates run),
so a file there is believed only if it carries a MAC made with a key kept
outside the site (``cachekey``): a file planted in the cache, committed to git
or restored from another machine's CI cache, is passed over unread, like a file
cut short or changed since it was written.

A table only saves time (what a file or folder held when it was last read),
so one that cannot be read, was changed since it was written (its MAC tells),
or holds entries of another shape, is read as empty or without them: never an
error, never a wrong answer.
"""
from __future__ import annotations

import hmac
import marshal
import os
from pathlib import Path
from typing import Any, BinaryIO, Callable

from .cachekey import NoKey, cache_key, cache_off

# The MAC: HMAC-SHA-256, the faster here. Measured on the 36 MB that a one-file
# rebuild of 200 versions x 4 languages reads from memo.pickle and its parts
# (best of 7; OpenSSL 3.0 on a CPU with SHA extensions): HMAC-SHA-256 20 ms
# (1.8 GB/s), keyed BLAKE2b 38 ms (0.95 GB/s), the CRC-32 it replaced 8.5 ms
# (4.2 GB/s); on a 5 KB compiled template 4.4 us against BLAKE2b's 5.9 us. So a
# rebuild's Memo.load takes some 11 ms more than with the CRC. (Without SHA
# extensions BLAKE2b would be the faster; two threads hashing halves gained
# nothing on this 2-core machine.)
DIGEST = "sha256"
TAG = 32                        # bytes of a MAC
TABLE = b"sitegen table 3\n"    # a table's first bytes (older tables had none: passed over)


def replace(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write ``path`` anew with ``write``: into a file beside it, which then
    replaces it (a killed build leaves the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(path.name + ".new")
    with open(staged, "wb") as handle:
        write(handle)
    os.replace(staged, path)


_REFUSED: list[str] = []          # cache files whose MAC failed (``refused``)


def mac(key: bytes, *pieces: bytes | memoryview) -> bytes:
    """The MAC of ``pieces`` one after the other."""
    if len(pieces) == 1:
        return hmac.digest(key, pieces[0], DIGEST)
    code = hmac.new(key, digestmod=DIGEST)
    for piece in pieces:
        code.update(piece)
    return code.digest()


def note_refused(name: str) -> None:
    """Note a cache file passed over because its MAC failed (for ``refused``)."""
    if name not in _REFUSED:
        _REFUSED.append(name)


def refused() -> list[str]:
    """The cache files passed over since the last call because their MAC failed
    (planted, written with another key, or changed since), and forget them."""
    names = _REFUSED[:]
    del _REFUSED[:]
    return names


def sealed(key: bytes, label: bytes, data: bytes) -> bytes:
    """``data`` behind its MAC (of ``label`` and ``data``: a file sealed for one
    use is refused in another), for ``unsealed`` to tell whether it is as sealed."""
    return mac(key, label, data) + data


def unsealed(key: bytes, label: bytes, data: bytes | memoryview) -> bytes | memoryview | None:
    """What ``sealed`` sealed with ``key`` and ``label``, or None if it was cut
    short or changed since, or sealed with another key."""
    if len(data) < TAG or not hmac.compare_digest(data[:TAG], mac(key, label, data[TAG:])):
        return None
    return data[TAG:]


# ------------------------------------------------------------------------ tables

def read_table(path: Path, valid: Callable[[Any, Any], bool]) -> dict:
    """The entries of a dict ``write_table`` wrote for which ``valid(key, value)``
    holds (none if there is no such file, or it cannot be read, or its MAC fails:
    then it is named in ``refused``; a table of other code is passed over)."""
    key = cache_key(path)
    if key is None:
        return {}
    try:
        with open(path, "rb") as handle:
            whole = handle.read()                # from a file: a read per value
        if not whole.startswith(TABLE):
            return {}                            # another format: not read
        data = unsealed(key, TABLE + path.name.encode("utf-8", "surrogateescape") + b"\0",
                        memoryview(whole)[len(TABLE):])
        if data is None:
            note_refused(path.name)
            return {}
        table = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict):
        return {}
    return {key: value for key, value in table.items() if valid(key, value)}


def write_table(path: Path, table: dict) -> None:
    """A dict of numbers, strings, bytes and tuples of them, with marshal (no import,
    and faster than pickle for such values), sealed (``NoKey`` where no key can be
    had: nothing is written)."""
    key = cache_key(path)
    if key is None:
        raise NoKey(cache_off(path))
    data = TABLE + sealed(key, TABLE + path.name.encode("utf-8", "surrogateescape") + b"\0",
                          marshal.dumps(table))
    replace(path, lambda handle: handle.write(data))


def shaped(value: Any, *types: type) -> bool:
    """Whether ``value`` is a tuple of values of ``types``, in order."""
    return (type(value) is tuple and len(value) == len(types)
            and all(isinstance(item, kind) for item, kind in zip(value, types)))
