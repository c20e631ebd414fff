"""The files of ``.sitegen-cache/``: written whole or not at all, read as best
they can be. What they hold only saves time, so a file that cannot be read is
an empty cache, never an error.

Each file, and each record of a journal, starts with the version of the code
that wrote it and a MAC of the rest made with the user's key (``cachekey.cache_key``,
kept outside the site): a file of other code is passed over, and one cut short,
changed since it was written, planted or written with another key is refused,
before anything in it is unpickled. Where there is no key nothing is read
(``NoKey``) and nothing written.
"""
from __future__ import annotations

import hmac
import mmap
import os
import pickle
import struct
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from ..output.cachekey import NoKey, cache_key, cache_off
from ..output.files import TAG, mac, replace, sealed, unsealed

MAGIC = b"sitegen cache 2\n"   # the code's version (next) tells formats apart
RECORD = b"sitegen journal record\n"    # what a journal record's MAC covers first
LENGTH = struct.Struct("<Q")
MAPPED = os.name == "posix"     # where a file mapped into memory can be replaced


class OtherCode(Exception):
    """A cache file written by another version of sitegen: not read, not an error."""


def key_for(path: Path) -> bytes:
    """The key of the cache file at ``path`` (``NoKey`` where there is none)."""
    key = cache_key(path)
    if key is None:
        raise NoKey(cache_off(path))
    return key


def write_kept(path: Path, version: str, value: Any) -> None:
    """``path`` anew, holding ``value`` pickled, its buffers (``pickle.PickleBuffer``)
    out of band: the version, the MAC of all the rest (the version included), the
    length of the pickle, the pickle, the number of buffers and their lengths,
    then the buffers."""
    key = key_for(path)
    buffers: list[pickle.PickleBuffer] = []
    data = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    raws = [buffer.raw() for buffer in buffers]
    # The pickle and the buffers are written and sealed as they are, never joined
    # to the small pieces around them: each copy of a pickle of tens of MB cost
    # its time and as many page faults, at the end of a build (with one job, a
    # cold 200 x 4 build's Memo.save faulted 41,400 pages with them, 14,400 now).
    tail = LENGTH.pack(len(raws)) + struct.pack(f"<{len(raws)}Q",
                                                *(raw.nbytes for raw in raws))
    start = MAGIC + _sized(version.encode("utf-8"))
    size = LENGTH.pack(len(data))
    tag = mac(key, start, size, data, tail, *raws)

    def write(handle: BinaryIO) -> None:
        for piece in (start + tag + size, data, tail, *raws):
            handle.write(piece)
    replace(path, write)


def read_kept(path: Path, version: str) -> Any:
    """What ``write_kept`` wrote, if the code of ``version`` wrote it (else
    ``OtherCode``). The buffers are not read: they are views of the file mapped
    into memory (where the system can map files and replace a mapped one)."""
    key = key_for(path)
    with path.open("rb") as handle:
        if MAPPED and os.fstat(handle.fileno()).st_size:
            whole = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
        else:
            whole = memoryview(handle.read())
    if whole[:len(MAGIC)] != MAGIC:
        raise ValueError(f"{path.name} is not a cache file of sitegen's")
    saved, at = _take(whole, len(MAGIC))
    if bytes(saved) != version.encode("utf-8"):
        raise OtherCode(path.name)
    if at + TAG > len(whole) or not hmac.compare_digest(
            whole[at:at + TAG], mac(key, whole[:at], whole[at + TAG:])):
        raise ValueError(f"{path.name} is not as this user's sitegen wrote it (cut short, "
                         "changed, or sealed with another key)")
    data, at = _take(whole, at + TAG)
    count = LENGTH.unpack_from(whole, at)[0]
    if count > (len(whole) - at) // LENGTH.size:
        raise ValueError(f"{path.name} lists {count} buffers, more than it can hold")
    lengths = struct.unpack_from(f"<{count}Q", whole, at + LENGTH.size)
    at += LENGTH.size * (1 + count)
    buffers = []
    for length in lengths:
        buffers.append(whole[at:at + length])
        at += length
    if at != len(whole):
        raise ValueError(f"{path.name} has {len(whole) - at} bytes more or less than it lists")
    return pickle.loads(data, buffers=buffers)


def append_record(path: Path, version: str, value: Any) -> None:
    """Add ``value`` to the journal at ``path``, marked with the code's version."""
    saved = version.encode("utf-8")
    data = sealed(key_for(path), RECORD + _sized(saved),
                  pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    with path.open("ab") as handle:
        handle.write(_sized(saved) + _sized(data))


def read_records(path: Path, version: str) -> Iterator[Any]:
    """The records of the journal at ``path`` that the code of ``version`` wrote
    (others are passed over unread); ``ValueError`` at a record cut short, changed,
    planted or sealed with another key."""
    key = key_for(path)
    whole = memoryview(path.read_bytes())
    ours = version.encode("utf-8")
    at = 0
    while at < len(whole):
        saved, at = _take(whole, at)
        record, at = _take(whole, at)
        if bytes(saved) != ours:
            continue
        data = unsealed(key, RECORD + _sized(ours), record)
        if data is None:
            raise ValueError("a record is not as this user's sitegen wrote it")
        yield pickle.loads(data)


def _sized(data: bytes) -> bytes:
    return LENGTH.pack(len(data)) + data


def _take(whole: memoryview, at: int) -> tuple[memoryview, int]:
    """The piece of ``whole`` that ``_sized`` wrote at ``at``, and where the next starts."""
    if at + LENGTH.size > len(whole):
        raise ValueError("cut short")
    size = LENGTH.unpack_from(whole, at)[0]
    end = at + LENGTH.size + size
    if end > len(whole):
        raise ValueError("cut short")
    return whole[at + LENGTH.size:end], end
