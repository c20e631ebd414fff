"""What an output folder holds: the manifest sitegen writes into it (every file
it wrote, with the key of its inputs) and what is really on disk.

Read before any build (is the site up to date?) and by ``write``. Nothing here
changes a file.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from .files import read_table, shaped, write_table
from .stamps import settled

MANIFEST = ".sitegen-manifest"
STAGING = "# staging"          # the manifest of a folder still being filled
INPUTS = "# inputs: "          # the manifest's first line: the fingerprint of what was built


def read_manifest(folder: Path) -> dict[str, str]:
    """``{path: key}`` from the manifest of ``folder`` (key "" where none was kept)."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return {}
    entries = {}
    for line in manifest.read_text("utf-8").split("\n"):
        if line and not line.startswith("#"):
            path, _, key = line.partition("\t")
            entries[path] = key
    return entries


@dataclass(frozen=True)
class Survey:
    """What a folder holds: its manifest's ``{path: key}`` and what is on disk."""

    entries: dict[str, str]
    files: frozenset[str]            # regular files, relative paths
    odd: tuple[str, ...]             # links and other things that are not files
    empty: tuple[str, ...] = ()      # folders with nothing in them

    @property
    def foreign(self) -> list[str]:
        """Files (and links) that the manifest does not list."""
        return sorted([*self.odd, *(rel for rel in self.files
                                    if rel not in self.entries and rel != MANIFEST)])

    @property
    def keys(self) -> dict[str, str]:
        """The keys of the outputs of the last build that are still there as written."""
        return {path: key for path, key in self.entries.items() if key and path in self.files}

    @property
    def complete(self) -> bool:
        return all(path in self.files for path in self.entries) and not self.foreign


Names = tuple[tuple[str, ...], tuple[str, ...]]      # a folder's files, and its folders


class Listings:
    """What earlier walks saw in folders, by inode, with the folder's times.

    Adding, removing or renaming anything in a folder sets its change time, which
    no program can set back: a folder whose change time is as listed holds what
    is listed, and is not read again (a ``stat`` costs a fifth of reading a
    folder). A folder whose times had not ``settled`` when it was read (at
    ``now_ns``, by default when this is made) is not listed. ``seen``: the
    listings of the folders walked since this was made."""

    def __init__(self, known: dict[int, tuple] | None = None,
                 now_ns: int | None = None) -> None:
        self.known = known if known is not None else {}
        self.seen: dict[int, tuple] = {}
        self._shared: dict = {}
        self._now_ns = time.time_ns() if now_ns is None else now_ns

    def names(self, times: os.stat_result) -> Names | None:
        """What a folder holds, if it is listed and unchanged since (``times``: its stat)."""
        listing = self.known.get(times.st_ino)
        if (listing is None or listing[1] != times.st_ctime_ns
                or listing[2] != times.st_mtime_ns or listing[0] != times.st_dev):
            return None
        self.seen[times.st_ino] = listing
        return listing[3], listing[4]

    @classmethod
    def load(cls, path: Path) -> "Listings":
        """The listings an earlier build kept (none if there are none, or unreadable)."""
        return cls(read_table(path, _listing))

    def save(self, path: Path, unseen: bool = False) -> None:
        """Keep what was seen for the next build (replaced atomically); ``unseen``:
        also what was known and not walked this time (the folder kept aside)."""
        write_table(path, {**self.known, **self.seen} if unseen else self.seen)

    def note(self, times: os.stat_result, names: Names) -> None:
        """List a folder just read (``times`` taken before reading it)."""
        if settled(times, self._now_ns):
            share = self._shared.setdefault          # one object for equal values: saved
            self.seen[times.st_ino] = (share(times.st_dev, times.st_dev),   # once, as marshal
                                       times.st_ctime_ns, times.st_mtime_ns,  # refers to it
                                       share(names[0], names[0]), share(names[1], names[1]))


def _listing(key: object, value: object) -> bool:
    """Whether a kept entry has the shape ``Listings.note`` gives it."""
    return (type(key) is int and shaped(value, int, int, int, tuple, tuple)
            and all(type(name) is str for names in value[3:] for name in names))


def survey(folder: Path, listings: Listings | None = None) -> Survey:
    """One walk of ``folder`` (empty if there is none) and one reading of its manifest.
    With ``listings``, folders unchanged since an earlier walk are not read again."""
    files: set[str] = set()
    odd: list[str] = []
    empty: list[str] = []
    pending = [""]
    root = os.path.join(folder, "")              # strings: a Path per folder costs as much
    while pending:                               # as reading it
        prefix = pending.pop()
        path = root + prefix
        try:
            times = os.stat(path) if listings is not None else None
            listed = listings.names(times) if times is not None else None
            if listed is None:
                before = len(odd)
                listed = _read_folder(path, prefix, odd)
                if times is not None and len(odd) == before:   # nothing odd: may be listed
                    listings.note(times, listed)
        except FileNotFoundError:
            if prefix:
                raise
            break
        names, folders = listed
        for name in names:                       # loops: one or two names, mostly
            files.add(prefix + name)
        for name in folders:
            pending.append(prefix + name + "/")
        if not names and not folders and prefix:
            empty.append(prefix.rstrip("/"))
    return Survey(read_manifest(folder) if MANIFEST in files else {}, frozenset(files),
                  tuple(odd), tuple(empty))


def _read_folder(path: str, prefix: str, odd: list[str]) -> Names:
    """The names of the regular files and folders in ``path``; anything else
    (links, devices) goes to ``odd``."""
    names, folders = [], []
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_symlink():
                odd.append(prefix + entry.name)
            elif entry.is_dir():
                folders.append(entry.name)
            elif entry.is_file():
                names.append(entry.name)
            else:
                odd.append(prefix + entry.name)
    return tuple(names), tuple(folders)


def up_to_date(out: Path, inputs: str, listings: Listings | None = None) -> bool:
    """True if ``out`` holds a complete build of exactly these inputs."""
    manifest = out / MANIFEST
    try:
        with manifest.open(encoding="utf-8") as handle:
            if handle.readline().rstrip("\n") != INPUTS + inputs:
                return False
        return survey(out, listings).complete
    except OSError:
        return False


def foreign_files(folder: Path) -> list[str]:
    """Files (and links) in ``folder`` that its manifest does not list."""
    return survey(folder).foreign
