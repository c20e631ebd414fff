"""The files of ``.sitegen-cache/``: written whole or not at all, read as best
they can be. What they hold only saves time, so a file that cannot be read is
an empty cache, never an error.
"""
from __future__ import annotations

import marshal
import mmap
import os
import pickle
import struct
from pathlib import Path
from typing import Any, BinaryIO, Callable


def replace(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write ``path`` anew with ``write``: into a file beside it, which then
    replaces it (a killed build leaves the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(path.name + ".new")
    with open(staged, "wb") as handle:
        write(handle)
    os.replace(staged, path)


def read_table(path: Path) -> dict:
    """A dict ``write_table`` wrote (empty if there is none, or it is unreadable)."""
    try:
        with open(path, "rb") as handle:
            table = marshal.loads(handle.read())     # from a file: a read per value
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return table if isinstance(table, dict) else {}


def write_table(path: Path, table: dict) -> None:
    """A dict of numbers, strings, bytes and tuples of them, with marshal (no import,
    and faster than pickle for such values)."""
    replace(path, lambda handle: marshal.dump(table, handle))


def write_kept(handle: BinaryIO, value: Any) -> None:
    """``value`` pickled with its large texts (``pickle.PickleBuffer``) out of band:
    the length of the pickle, the pickle, the number of texts and their lengths,
    then the texts (their lengths together: reading them touches one page of
    the file, not one a text)."""
    texts: list[pickle.PickleBuffer] = []
    data = pickle.dumps(value, protocol=5, buffer_callback=texts.append)
    raws = [text.raw() for text in texts]
    handle.write(LENGTH.pack(len(data)))
    handle.write(data)
    handle.write(LENGTH.pack(len(raws)))
    handle.write(struct.pack(f"<{len(raws)}Q", *(raw.nbytes for raw in raws)))
    for raw in raws:
        handle.write(raw)


def read_kept(path: Path) -> Any:
    """What ``write_kept`` wrote. The texts are not read: they are views of the
    file mapped into memory (where the system can map files and replace a mapped
    one), read when they are used (``memo.kept_text``)."""
    with path.open("rb") as handle:
        if MAPPED:
            whole = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
        else:
            whole = memoryview(handle.read())
    size = LENGTH.unpack_from(whole)[0]
    data, at = whole[LENGTH.size:LENGTH.size + size], LENGTH.size + size
    count = LENGTH.unpack_from(whole, at)[0]
    if count > (len(whole) - at) // LENGTH.size:
        raise ValueError(f"{path}: lists {count} texts, more than it can hold")
    lengths = struct.unpack_from(f"<{count}Q", whole, at + LENGTH.size)
    at += LENGTH.size * (1 + count)
    texts = []
    for length in lengths:
        texts.append(whole[at:at + length])
        at += length
    if at != len(whole):
        raise ValueError(f"{path}: {len(whole) - at} bytes more or less than it lists")
    return pickle.loads(data, buffers=texts)


LENGTH = struct.Struct("<Q")
MAPPED = os.name == "posix"     # where a file mapped into memory can be replaced
