"""What an output folder holds: the manifest sitegen writes into it (every file
it wrote, with the key of its inputs) and what is really on disk.

Read before any build (is the site up to date?) and by ``write``. Nothing here
changes a file.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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


def survey(folder: Path) -> Survey:
    """One walk of ``folder`` (empty if there is none) and one reading of its manifest."""
    files: set[str] = set()
    odd: list[str] = []
    empty: list[str] = []
    pending = [""]
    root = os.path.join(folder, "")              # strings: a Path per folder costs as much
    while pending:                               # as reading it
        prefix = pending.pop()
        try:
            entries = os.scandir(root + prefix)
        except FileNotFoundError:
            if prefix:
                raise
            break
        with entries:
            count = 0
            for entry in entries:
                count += 1
                rel = prefix + entry.name
                if entry.is_symlink():
                    odd.append(rel)
                elif entry.is_dir():
                    pending.append(rel + "/")
                elif entry.is_file():
                    files.add(rel)
                else:
                    odd.append(rel)
            if not count and prefix:
                empty.append(prefix.rstrip("/"))
    return Survey(read_manifest(folder) if MANIFEST in files else {}, frozenset(files),
                  tuple(odd), tuple(empty))


def up_to_date(out: Path, inputs: str) -> bool:
    """True if ``out`` holds a complete build of exactly these inputs."""
    manifest = out / MANIFEST
    try:
        with manifest.open(encoding="utf-8") as handle:
            if handle.readline().rstrip("\n") != INPUTS + inputs:
                return False
        return survey(out).complete
    except OSError:
        return False


def foreign_files(folder: Path) -> list[str]:
    """Files (and links) in ``folder`` that its manifest does not list."""
    return survey(folder).foreign
