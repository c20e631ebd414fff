"""Small files written whole or not at all, and tables kept in them.

A table only saves time (what a file or folder held when it was last read),
so one that cannot be read, was changed since it was written (a CRC-32 tells),
or holds entries of another shape, is read as empty or without them: never an
error, never a wrong answer.
"""
from __future__ import annotations

import marshal
import os
import struct
import zlib
from pathlib import Path
from typing import Any, BinaryIO, Callable


CRC = struct.Struct("<I")


def replace(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write ``path`` anew with ``write``: into a file beside it, which then
    replaces it (a killed build leaves the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(path.name + ".new")
    with open(staged, "wb") as handle:
        write(handle)
    os.replace(staged, path)


def sealed(data: bytes) -> bytes:
    """``data`` behind its CRC-32, for ``unsealed`` to tell whether it changed."""
    return CRC.pack(zlib.crc32(data)) + data


def unsealed(data: bytes | memoryview) -> bytes | memoryview | None:
    """What ``sealed`` sealed, or None if it was cut short or changed since."""
    if len(data) < CRC.size or CRC.unpack_from(data)[0] != zlib.crc32(data[CRC.size:]):
        return None
    return data[CRC.size:]


def read_table(path: Path, valid: Callable[[Any, Any], bool]) -> dict:
    """The entries of a dict ``write_table`` wrote for which ``valid(key, value)``
    holds (none if there is no such file, or it cannot be read)."""
    try:
        with open(path, "rb") as handle:
            data = unsealed(handle.read())           # from a file: a read per value
        if data is None:
            return {}
        table = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict):
        return {}
    return {key: value for key, value in table.items() if valid(key, value)}


def write_table(path: Path, table: dict) -> None:
    """A dict of numbers, strings, bytes and tuples of them, with marshal (no import,
    and faster than pickle for such values)."""
    data = sealed(marshal.dumps(table))
    replace(path, lambda handle: handle.write(data))


def shaped(value: Any, *types: type) -> bool:
    """Whether ``value`` is a tuple of values of ``types``, in order."""
    return (type(value) is tuple and len(value) == len(types)
            and all(isinstance(item, kind) for item, kind in zip(value, types)))
