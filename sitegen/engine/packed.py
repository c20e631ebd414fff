"""Durable results kept pickled until they are asked for (the memo's ``packed``).

A redline is made of section diffs that later builds can take again (the
sections of two versions that did not change since), thousands of them on a
large site, each a few hundred objects. Loaded as objects they would cost every
build more than the few a rebuild needs save. Kept as pickles in one buffer of
the memo's file, with an index of where each one is, loading them costs a
marshalled dict, and a build unpickles only the ones it reads.

A build uses only the packed results of the pages it renders, so one that goes
unused is not dropped at once: it is kept through ``AGE`` rewrites of the
memo's file.
"""
from __future__ import annotations

import marshal
import pickle
from typing import Any, Iterable, Mapping

AGE = 4         # rewrites of the memo's file that an unused packed result survives


class Packed:
    """One packed result: its value, its pickle (``blob``) or both, and the
    number of rewrites of the memo's file it went unused (``age``)."""

    __slots__ = ("value", "blob", "age")

    def __init__(self, value: Any = None, blob: Any = None, age: int = 0) -> None:
        self.value, self.blob, self.age = value, blob, age

    def unpack(self) -> Any:
        if self.value is None and self.blob is not None:
            self.value = pickle.loads(self.blob)
        return self.value

    def pickled(self) -> Any:
        if self.blob is None:
            self.blob = pickle.dumps(self.value, protocol=pickle.HIGHEST_PROTOCOL)
        return self.blob

    def aged(self, age: int) -> "Packed":
        return Packed(self.value, self.blob, age)

    def __reduce__(self) -> tuple:
        """Sent to the parent process, or to the memo's journal, as its pickle."""
        return (Packed, (None, bytes(self.pickled()), self.age))


class Shelf:
    """The packed results of the memo's file: one buffer of pickles (a view of
    the file, mapped into memory) and where each lies in it, by name."""

    def __init__(self, index: bytes = b"", blob: Any = b"") -> None:
        self.index: dict[str, tuple[int, int, int]] = marshal.loads(index) if index else {}
        self.blob = blob

    def __contains__(self, name: str) -> bool:
        return name in self.index

    def names(self) -> Iterable[str]:
        return self.index.keys()

    def take(self, name: str) -> Packed:
        start, end, age = self.index[name]
        return Packed(blob=self.blob[start:end], age=age)


def shelve(entries: Mapping[str, Packed]) -> tuple[bytes, pickle.PickleBuffer]:
    """The index and the buffer of a ``Shelf`` holding ``entries`` (the buffer is
    pickled out of band: written to the memo's file as it is)."""
    index, blobs, at = {}, [], 0
    for name in sorted(entries):
        packed = entries[name]
        blob = packed.pickled()
        index[name] = (at, at + len(blob), packed.age)
        blobs.append(blob)
        at += len(blob)
    return marshal.dumps(index), pickle.PickleBuffer(b"".join(blobs))
