"""A memo for pure steps: the same inputs give the same result, so keep it.

The stages ask through ``reuse`` (``sitegen.reuse``); ``policy`` says for each
kind of result how long it is kept. Keys are tuples of the step's inputs
(hashable values only). The build is deterministic either way; the memo only
saves work: in a long-running ``sitegen serve``, between versions that share
their text, and, for the results kept between builds (``durable``), between
runs of ``sitegen build`` (``save`` / ``load``).

A durable result keeps alive the durable results it was made from: asking for
it again marks them used too, so that they are saved with it and are there
when it has to be made again (a statement's parsed front matter, while the
statement is found whole).

A ``packed`` durable result stays pickled until it is asked for (see
``packed``). The processes of a build from scratch each keep what they
made in a part of the memo's file of their own (see ``keep_apart``).
"""
from __future__ import annotations

import contextlib
import glob
import hashlib
import io
import itertools
import marshal
import os
import pickle
from pathlib import Path
from typing import Any, Callable, Hashable, Iterator, Mapping, TypeVar

from . import cachefile, packed as packing
from .policy import BUILD, PACKED, POLICY, SAME_AS
from .packed import Packed, Shelf

T = TypeVar("T")
Durable = tuple[dict[str, Any], dict[str, tuple[str, ...]]]    # results, what each was made from
PART = ".part-"            # the memo's file, a worker's part of it: memo.pickle.part-<token>


def durable_key(key: Hashable) -> str:
    """A stable name for a key across processes (``hash()`` is salted per process).

    Keys are tuples of strings, numbers and frozen dataclasses. Made of plain
    tuples, strings and numbers, they are written with marshal's version 2 (the
    last without references: a text occurs in its bytes as often as in the key,
    one object or equal ones); else pickled without the pickler's memo, for the
    same reason: a key made of texts read back from the memo's file must find
    the result kept under the same key made of texts computed afresh. Equal keys
    built otherwise differently could still differ; that costs a recomputation,
    never a wrong result."""
    try:
        data: bytes | memoryview = marshal.dumps(key, 2)     # a third of pickle's time
    except ValueError:                                    # a dataclass, a date: pickled
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.fast = True                               # no memo (keys hold no cycles)
        pickler.dump(key)
        data = buffer.getbuffer()
    return hashlib.sha256(data).hexdigest()


class Memo:
    def __init__(self, sweeping: bool = False) -> None:
        """``sweeping``: for a long-lived memo, note what each build uses (see ``sweep``)."""
        self._store: dict[Hashable, Any] = {}
        self._used: set[Hashable] | None = set() if sweeping else None
        self._durable: dict[str, Any] = {}        # loaded from, and saved to, a file
        self._durable_keys: set[Hashable] = set()  # keys of the store whose result is there
        self._shelves: list[Shelf] = []           # the packed results of the files
        self._file: tuple[Path, str] | None = None   # loaded from: its path, its code
        self._fresh: set[str] = set()             # parts that workers of this run wrote
        self._handed: set[str] = set()            # results a worker keeps for this process
        self._durable_used: set[str] = set()
        self._sources: dict[str, tuple[str, ...]] = {}   # name -> names it was made from
        self._making: list[set[str]] = []          # durable names used by each compute
        self._loaded: set[str] = set()            # the names ``load`` found
        self._marked: set[str] = set()            # the names there were at ``mark``
        self._torn = False                        # the journal ends in a cut-off record
        self.damaged: list[str] = []              # files of it that could not be read

    def get(self, key: Hashable, compute: Callable[[], T], durable: bool = False,
            packed: bool = False) -> T:
        """The result for ``key``, computed once; ``durable``: kept between runs
        (``packed``: pickled, see the module's docstring)."""
        if self._used is not None:
            self._used.add(key)
        try:
            value = self._store[key]
        except KeyError:
            pass
        else:
            if durable and (self._making or key not in self._durable_keys):
                self._keep(key, value, packed)    # made from it, or made as not durable
            return value
        if not durable:
            value = self._store[key] = compute()
            return value
        name = durable_key(key)
        self._use(name)
        self._durable_keys.add(key)
        if name not in self._durable and (shelf := self._shelf_of(name)) is not None:
            self._durable[name] = shelf.take(name)
        if name in self._durable:
            value = self._durable[name]
            if type(value) is Packed:
                value = value.unpack()
            self._store[key] = value
            return value
        self._making.append(set())
        try:
            value = compute()
        finally:
            sources = self._making.pop()
        self._store[key] = value
        self._durable[name] = Packed(value) if packed else value
        if sources:
            self._sources[name] = tuple(sorted(sources))
        return value

    def reuse(self, kind: str, inputs: Hashable, compute: Callable[[], T]) -> T:
        """``sitegen.reuse.Reuse``: the result for ``inputs``, kept as ``POLICY`` says
        for its ``kind``."""
        policy = POLICY[kind]
        return self.get((SAME_AS.get(kind, kind), inputs), compute, durable=policy != BUILD,
                        packed=policy == PACKED)

    def _keep(self, key: Hashable, value: Any, packed: bool) -> None:
        """Asked for as durable, a result found in the store is kept between runs:
        also if it was computed as not durable (where another step needed the same
        for itself alone), and noted as used."""
        name = durable_key(key)
        self._use(name)
        if key not in self._durable_keys:
            self._durable_keys.add(key)
            if name not in self._durable and self._shelf_of(name) is None:
                self._durable[name] = Packed(value) if packed else value

    def _use(self, name: str) -> None:
        """Note that durable result ``name`` is used, with what it was made from."""
        names = (name, *self._sources.get(name, ()))
        self._durable_used.update(names)
        if self._making:
            self._making[-1].update(names)

    @property
    def warm(self) -> bool:
        """Whether results of an earlier run were loaded (not only computed in this one)."""
        return bool(self._loaded or self._shelves)

    def mark(self) -> None:
        """Remember which durable results exist now (before forking workers)."""
        self._marked = set(self._durable)

    def new_durable(self) -> Durable:
        """The durable results computed since ``mark``, and what each was made from
        (in a worker, to send back)."""
        new = {k: v for k, v in self._durable.items() if k not in self._marked}
        return new, {k: v for k, v in self._sources.items() if k in new}

    def keep_apart(self, marked: bool = False) -> str | None:
        """Write the durable results computed since ``mark`` (``marked``: and those
        there were then) into a part of the memo's file of their own, which this
        memo's ``save`` leaves as it is; its name, or None where the memo was not
        loaded from a file or the part cannot be written. In a build from scratch
        each process keeps its own this way, all at once, when its work is done
        (in a worker, rather than sending them back: that cost this process as
        much as saving them)."""
        if self._file is None:
            return None
        path, version = self._file
        new = {k: v for k, v in self._durable.items()
               if (marked or k not in self._marked) and k not in self._handed}
        sources = {k: v for k, v in self._sources.items() if k in new}
        part = path.with_name(f"{path.name}{PART}{os.urandom(4).hex()}")
        try:
            _write_file(part, version, new, sources)
        except OSError:
            return None
        self._fresh.add(part.name)
        self._handed.update(new)
        return part.name

    def absorb(self, durable: Durable | str, marked: bool = False) -> None:
        """Take durable results a worker computed, so that they are saved too (or
        the name of the part of the memo's file it kept them in, ``keep_apart``:
        left as it is; ``marked``: with the results there were at ``mark``, which
        this process then leaves to that part)."""
        if isinstance(durable, str):
            self._fresh.add(durable)
            if marked:
                self._handed |= self._marked
            return
        values, sources = durable
        self._durable.update(values)
        self._sources.update(sources)
        self._durable_used.update(values)
        for names in sources.values():
            self._durable_used.update(names)

    @contextlib.contextmanager
    def scope(self) -> Iterator[None]:
        """Forget the results computed inside when it ends (durable ones are still
        saved): for a step whose results the rest of a build does not need. A
        sweeping memo keeps them for the next build. (They are the last keys of
        the store, which keeps the order keys came in.)"""
        known = len(self._store)
        try:
            yield
        finally:
            if self._used is None:
                for key in list(itertools.islice(self._store, known, None)):
                    del self._store[key]
                    self._durable_keys.discard(key)

    def sweep(self) -> None:
        """Forget what the last build did not use, so memory stays bounded (the
        durable results too: a preview server builds for hours, and keeps no file)."""
        assert self._used is not None, "a sweeping Memo notes what is used"
        self._store = {k: v for k, v in self._store.items() if k in self._used}
        self._durable_keys &= self._store.keys()
        self._used = set()
        self._durable = {k: v for k, v in self._durable.items() if k in self._durable_used}
        self._sources = {k: v for k, v in self._sources.items() if k in self._durable}
        self._durable_used = set()

    def load(self, path: Path, version: str) -> None:
        """Take the durable results of an earlier run, if made by the same code: the
        file ``path``, the parts of it beside it, and the records appended to its
        journal since. A file that cannot be read, or whose MAC fails (planted, or
        sealed with another key), is left out (and named in ``damaged``): the build
        computes what it would have held. Where the user has no key for the cache
        (``cachekey.cache_key``), nothing is read, and ``save`` writes nothing."""
        self._durable, self._sources, self._shelves = {}, {}, []
        self._loaded, self._torn, self._file = set(), False, (path, version)
        self.damaged = []
        if cachefile.cache_key(path) is None:    # no key: the cache is neither read nor
            self._file = None                    # written (``cachekey.cache_off`` says why)
            return
        if not self._read_file(path, version):
            return                               # no cache, or an unreadable one: start cold
        for part in _parts(path):
            self._read_file(part, version)
        journal_read = self._read_journal(_journal(path), version)
        self._torn = not journal_read or bool(self.damaged)   # rewritten at the next save
        self._loaded = set(self._durable)

    def _read_file(self, path: Path, version: str) -> bool:
        """Take what the memo's file (or a part of it) at ``path`` holds, if it is
        readable and made by the same code."""
        try:
            durable, sources, index, blob = cachefile.read_kept(path, version)
            shelf = Shelf(index, blob)
        except (FileNotFoundError, cachefile.OtherCode):
            return False
        except Exception as err:                 # noqa: BLE001 -- whatever the file holds,
            self.damaged.append(f"{path.name} ({type(err).__name__})")   # it only saves time
            return False
        self._shelves.append(shelf)
        self._durable.update(durable)
        self._sources.update(sources)
        return True

    def _read_journal(self, journal: Path, version: str) -> bool:
        """Take the records of ``journal``; False if one was cut off (a killed run)
        or cannot be read, which the next save then rewrites."""
        try:
            for entries, sources in cachefile.read_records(journal, version):
                self._durable.update(entries)
                self._sources.update(sources)
        except FileNotFoundError:
            pass
        except Exception as err:                 # noqa: BLE001 -- as in ``_read_file``
            self.damaged.append(f"{journal.name} ({type(err).__name__})")
            return False
        return True

    def save(self, path: Path, version: str) -> None:
        """Keep the durable results this run used (and packed ones not too old). What
        is new is appended to the journal; the file is rewritten (atomically) when
        a quarter of the plain results it holds went unused or the journal has
        grown to a quarter of its size."""
        used = {k: v for k, v in self._durable.items()
                if k in self._durable_used and k not in self._handed}
        loaded = {k for k in self._loaded if type(self._durable[k]) is not Packed}
        journal = _journal(path)
        try:
            size = sum(part.stat().st_size for part in [path, *_parts(path)])
            grown = journal.stat().st_size * 4 > size
        except OSError:
            grown = not loaded
        if loaded and not self._torn and not grown and len(loaded - used.keys()) * 4 <= len(loaded):
            new = {k: v for k, v in used.items()
                   if k not in self._loaded and self._shelf_of(k) is None}
            if new:
                cachefile.append_record(journal, version, (new, self._sources_of(new)))
            return
        plain = {k: v for k, v in used.items() if type(v) is not Packed}
        _write_file(path, version, {**plain, **self._packed()}, self._sources_of(plain))
        journal.unlink(missing_ok=True)
        for part in _parts(path):
            if part.name not in self._fresh:      # read, and written into the file now
                part.unlink(missing_ok=True)

    def _shelf_of(self, name: str) -> Shelf | None:
        """The shelf of the memo's files that holds packed result ``name``, if any."""
        return next((shelf for shelf in self._shelves if name in shelf), None)

    def _packed(self) -> dict[str, Packed]:
        """The packed results to keep: those this run used, and those not too old."""
        kept = {k: v for k, v in self._durable.items()
                if type(v) is Packed and k not in self._handed}
        for shelf in self._shelves:
            kept.update((k, shelf.take(k)) for k in shelf.names() if k not in kept)
        return {k: v.aged(0 if k in self._durable_used else v.age + 1)
                for k, v in kept.items() if k in self._durable_used or v.age < packing.AGE}

    def _sources_of(self, names: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
        return {k: v for k, v in self._sources.items() if k in names}


def _write_file(path: Path, version: str, entries: Mapping[str, Any],
                sources: Mapping[str, tuple[str, ...]]) -> None:
    """The memo's file (or a part of it) at ``path``, holding ``entries``: the
    plain ones pickled whole, the packed ones on their shelf."""
    plain = {k: v for k, v in entries.items() if type(v) is not Packed}
    packed = {k: v for k, v in entries.items() if type(v) is Packed}
    cachefile.write_kept(path, version, (plain, sources, *packing.shelve(packed)))


def _journal(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def _parts(path: Path) -> list[Path]:
    """The parts of the memo's file at ``path`` (see ``keep_apart``)."""
    return sorted(path.parent.glob(glob.escape(path.name) + PART + "*"))
