"""A fingerprint of everything a build reads, so an unchanged site is not rebuilt.

It hashes bytes and parses nothing: the site's content/, versions/ and theme/,
sitegen's own code and default theme, the versions of the libraries that shape
the output, and the build's options. Any change to any of them gives another
fingerprint.

A build keeps each file's digest with its size, times and inode (``Known``), as
``git`` and ``make`` trust a file's times: the next build reads only the files
whose times changed, which every write to a file does (see ``stamps``).
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import time
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ..content.paths import read_limited, refusal
from ..output.files import shaped
from ..output.stamps import settled

PACKAGE = Path(__file__).parent.parent     # the whole package: its code and default theme
SITE_FOLDERS = ("content", "versions", "theme")
LIBRARIES = ("jinja2", "markupsafe", "markdown", "yaml", "babel", "fast_diff_match_patch",
             "cydifflib")


def libraries() -> list[str]:
    """The installed distributions (as ``name-version.dist-info``) in the folders
    that the libraries shaping the output come from. An upgrade of Markdown or
    Babel changes them, so no page or kept result of the old version is reused.
    Read from folder names: importing the libraries would cost more than a build
    that finds the site up to date."""
    folders = set()
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            module_dir = os.path.dirname(spec.origin)
            folders.add(os.path.dirname(module_dir) if spec.submodule_search_locations
                        else module_dir)
    return sorted(entry for folder in folders for entry in os.listdir(folder)
                  if entry.endswith((".dist-info", ".egg-info")))


def _files(folder: Path) -> Iterable[tuple[str, str]]:
    """``(path, path relative to folder)`` of every file in ``folder``, and of every
    link to a folder (not entered: loading the site refuses it), in a stable
    order, compiled Python left out (strings: a Path a file costs as much as
    hashing it)."""
    root = os.fspath(folder)
    for top, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        relative_top = os.path.relpath(top, root).replace(os.sep, "/")
        links = [d for d in dirs if os.path.islink(os.path.join(top, d))]
        for name in sorted(names + links):
            if not name.endswith(".pyc"):
                yield (os.path.join(top, name),
                       name if relative_top == "." else f"{relative_top}/{name}")


def fingerprint(root: Path, options: Iterable[str],
                folders: Iterable[str] = SITE_FOLDERS) -> str:
    """The hex SHA-256 of the build's inputs: files (by path and bytes) and options."""
    return fingerprints(root, {"": (tuple(options), ("sitegen", *folders))})[""]


Known = dict[str, tuple[int, int, int, int, bytes]]   # path -> (size, mtime, ctime, inode, SHA-256)


def known_entry(path: object, entry: object) -> bool:
    """Whether a kept entry of ``Known`` has its shape."""
    return type(path) is str and shaped(entry, int, int, int, int, bytes) and len(entry[4]) == 32


def _digest(path: str, known: Known | None, now_ns: int,
            site: str | None = None) -> tuple[bytes, bytes | None]:
    """The SHA-256 of a file and its bytes, or, if ``known`` holds its digest for the
    same size, times and inode, that digest and None (the file is not read). A
    file whose times are not yet ``settled`` at ``now_ns`` is read whatever
    ``known`` says, and is not added to it. In the ``site`` folder, an entry that
    must not be read (``paths.refusal``: a link out of the site, a pipe) is not:
    its digest is of its refusal, which loading the site reports."""
    if site is not None and (why := refusal(path, site)) is not None:
        return hashlib.sha256(f"refused\0{why}".encode()).digest(), None
    trusted = False
    if known is not None:
        status = os.stat(path)
        signature = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        trusted = settled(status, now_ns)
        entry = known.pop(path, None)              # put back if it still holds
        if trusted and entry is not None and entry[:4] == signature:
            known[path] = entry
            return entry[4], None
    data = read_limited(path)
    own = hashlib.sha256(data).digest()
    if trusted and len(data) == status.st_size:
        known[path] = (*signature, own)
    return own, data


def fingerprints(root: Path, wanted: Mapping[str, tuple[Sequence[str], Sequence[str]]],
                 contents: dict[str, bytes] | None = None,
                 digests: dict[str, str] | None = None,
                 known: Known | None = None, now_ns: int | None = None) -> dict[str, str]:
    """Several fingerprints in one reading of the files: ``{name: (options,
    sources)}``, a source being "sitegen" (its code and default theme) or a folder
    of the site, gives ``{name: hex SHA-256}``. The bytes of the site's files that
    were read go into ``contents`` (by path), for the build to parse what was
    fingerprinted, and the hex SHA-256 of each into ``digests`` (each file is
    hashed once). With ``known`` (the digests of an earlier run, by path, size,
    times and inode; updated), only files changed since are read; ``now_ns``:
    the time to judge that by (default: the clock)."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    sums = {name: hashlib.sha256() for name in wanted}
    visited: set[str] = set()
    for name, (options, _) in wanted.items():
        for option in options:
            sums[name].update(f"option\0{option}\0".encode())
    labels = dict.fromkeys(label for _, sources in wanted.values() for label in sources)
    for label in sorted(labels, key=lambda x: (x != "sitegen", x)):
        users = [sums[name] for name, (_, sources) in wanted.items() if label in sources]
        folder = PACKAGE if label == "sitegen" else root / label
        if label == "sitegen":
            for digest in users:
                digest.update("\0".join(["libraries", *libraries()]).encode() + b"\0")
        site = None if label == "sitegen" else os.path.realpath(root)
        for path, relative in _files(folder):
            visited.add(path)
            own, data = _digest(path, known, now_ns, site)
            if label != "sitegen":
                if contents is not None and data is not None:
                    contents[path] = data
                if digests is not None:
                    digests[path] = own.hex()
            named = f"{label}/{relative}\0".encode() + own
            for digest in users:
                digest.update(named)
    if known is not None:
        for gone in set(known) - visited:         # removed, or outside what was asked for
            del known[gone]
    return {name: digest.hexdigest() for name, digest in sums.items()}

