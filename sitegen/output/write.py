"""The only code that touches the output folder.

A build is written to a new folder beside the output and swapped in at the end
(atomically where the kernel can exchange two folders), so a failed or killed
build leaves the previous site as it was. A manifest lists every file sitegen
wrote; a folder holding anything else is refused, never emptied.

The folder swapped out is kept beside the output (``.<name>.previous``) and is
the next build's staging folder: made to mirror the live site by linking the
few files that differ, then changed where the new build differs. So a build
that changes one page touches a handful of files, not every folder of the site.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Mapping

from .place import OutputError, check_place
from .manifest import INPUTS, MANIFEST, STAGING, Listings, Survey, foreign_files, survey

TRASH = ".sitegen-trash"      # in a recycled folder: its stale files, being removed


def check_output(out: Path, site_root: Path, listings: Listings | None = None
                 ) -> tuple[Path, Survey]:
    """Refuse an output folder that is not safe to replace; return it resolved, and
    what it holds (``listings``: see ``manifest.Listings``)."""
    out = check_place(out, site_root)
    try:
        found = survey(out, listings)
    except OSError as err:
        raise OutputError(f"cannot read the output folder {out}: {err.strerror or err}; "
                          "choose another --out") from None
    if found.foreign:
        shown = ", ".join(found.foreign[:5]) + (" ..." if len(found.foreign) > 5 else "")
        raise OutputError(f"refusing to replace {out}: it holds files sitegen did not write "
                          f"({shown}). Move them away, or choose an empty or new folder")
    return out, found


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    libc = ctypes.CDLL(None, use_errno=True)      # the C library sitegen runs on
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def _swap_in(new: Path, out: Path) -> None:
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        _keep_spare(new, out)          # ``new`` now holds the previous site, which we wrote
        return
    old = new.with_name(new.name.replace(".new-", ".old-"))
    os.rename(out, old)
    try:
        os.rename(new, out)
    except OSError:
        os.rename(old, out)
        raise
    shutil.rmtree(old)


def _spare(out: Path) -> Path:
    return out.with_name(f".{out.name}.previous")


def _keep_spare(folder: Path, out: Path) -> None:
    """Keep the site just replaced for the next build to recycle, or remove it."""
    try:
        os.rename(folder, _spare(out))
    except OSError:
        shutil.rmtree(folder)


def _recyclable(spare: Path, listings: Listings | None = None) -> dict[str, str] | None:
    """``{path: key}`` of the files in a spare folder, if it holds only files
    sitegen wrote (by its manifest) and is not a staging folder; else None."""
    if not spare.is_dir() or spare.is_symlink():
        return None
    try:
        with (spare / MANIFEST).open(encoding="utf-8") as handle:
            if handle.readline().startswith(STAGING):
                return None
        found = survey(spare, listings)
    except OSError:
        return None
    if found.foreign:
        return None                              # not only ours: left alone
    if not found.complete or found.empty:
        shutil.rmtree(spare, ignore_errors=True)   # ours, but changed since: start afresh
        return None
    return dict(found.entries)


def _clean_leftovers(out: Path) -> None:
    """Remove what a killed build left beside ``out``: its staging folders (marked by
    a staging manifest), or swapped-out folders whose manifest lists every file."""
    leftovers = [*out.parent.glob(f".{out.name}.new-*"), *out.parent.glob(f".{out.name}.old-*")]
    for folder in leftovers:
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            manifest = folder / MANIFEST
            staging = manifest.is_file() and manifest.read_text("utf-8").startswith(STAGING)
            if staging or not foreign_files(folder):
                shutil.rmtree(folder)
        except OSError:
            continue                             # in use or half gone: next time


def _remove_aside(folder: Path) -> Callable[[], None]:
    """Start removing ``folder`` (files of an earlier build) in a process of its
    own: freeing their blocks is the kernel's slowest work in a rebuild (0.2 ms a
    file on ext4), and meanwhile this process renders on another core. Returns a
    function that waits for it and removes whatever is left; where no ``rm`` can
    be started, the folder is removed at once."""
    rm = shutil.which("rm") if hasattr(os, "posix_spawn") else None
    pid = None
    if rm is not None:
        try:
            pid = os.posix_spawn(rm, [rm, "-rf", "--", os.fspath(folder)], os.environ)
        except OSError:
            pid = None

    def wait() -> None:
        if pid is not None:
            os.waitpid(pid, 0)
        shutil.rmtree(folder, ignore_errors=True)
        if folder.exists():
            raise OSError(f"could not remove {folder}")

    if pid is None:
        wait()
    return wait


def _take_over(source: Path, target: Path) -> None:
    """A file of the previous build, unchanged: a hard link where possible (its
    folder made if it is missing)."""
    try:
        _link(source, target)
    except FileNotFoundError:
        if target.parent.is_dir():
            raise                                # the file itself is gone
        target.parent.mkdir(parents=True, exist_ok=True)
        _link(source, target)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:                              # no hard links here: a copy
        shutil.copyfile(source, target)


def _write_new(path: Path, data: bytes) -> None:
    """Write a file with three system calls (``Path.write_bytes`` makes six: it
    also asks whether the file is a terminal, its block size and its position)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def safe_relative(path: str) -> str:
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or ".." in parts or "" in parts:
        raise OutputError(f"refusing to write outside the output folder: {path!r}")
    return path


@dataclass(frozen=True)
class Prepared:
    """A staging folder made ready by ``prepare`` (here, or in a forked process)."""

    out: Path                           # the output folder, resolved
    previous: Mapping[str, str]         # the live site's files, by key
    folder: Path
    recycled: bool                      # the folder mirrors the live site (``previous``)
    emptied: frozenset[Path]            # folders that lost files: maybe empty now
    trash: Path | None                  # the recycled folder's stale files, to remove
    seen: Mapping[int, tuple]           # the folders the surveys listed (``Listings``)


def prepare(out: Path, site_root: Path, listings: Listings | None = None) -> Prepared:
    """Check ``out`` and make a staging folder beside it: the previous build's
    folder, recycled to mirror the live site, where it can be, else an empty one.
    Raises ``OutputError`` (having written nothing) if ``out`` is not safe."""
    out, live = check_output(out, site_root, listings)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _clean_leftovers(out)
        folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        recycled, emptied, trash = _recycle(out, folder, live.keys, listings)
        (folder / MANIFEST).write_text(STAGING + "\n", "utf-8")
    except OSError as err:
        raise OutputError(f"cannot create the output folder {out}: "
                          f"{err.strerror or err}; choose another --out") from None
    return Prepared(out, live.keys, folder, recycled, frozenset(emptied), trash,
                    dict(listings.seen) if listings is not None else {})


def _recycle(out: Path, folder: Path, live: Mapping[str, str], listings: Listings | None
             ) -> tuple[bool, set[Path], Path | None]:
    """Take the spare folder, if it holds only what sitegen wrote, and make it
    mirror the live site in ``folder`` (just made, empty): move what differs to
    its trash, link the live files it lacks. Whether it could (else ``folder``
    stays empty), the folders that lost files, and the trash."""
    spare = _spare(out)
    held = _recyclable(spare, listings)
    if held is None:
        return False, set(), None
    os.rename(spare, folder)                      # onto the empty folder just made
    emptied: set[Path] = set()
    trash = None
    try:
        (folder / MANIFEST).write_text(STAGING + "\n", "utf-8")   # before any change
        stale = [rel for rel, key in held.items() if not key or live.get(rel) != key]
        if stale:
            trash = folder / TRASH
            trash.mkdir()
            for number, rel in enumerate(stale):
                os.rename(folder / rel, trash / str(number))
                emptied.add((folder / rel).parent)
        for rel, key in live.items():
            if held.get(rel) != key:
                target = folder / rel
                _take_over(out / rel, target)
                emptied.discard(target.parent)           # not empty after all
    except OSError:
        shutil.rmtree(folder)
        folder.mkdir()
        return False, set(), None
    return True, emptied, trash


class Staging:
    """The new output, filled beside ``out`` and swapped in by ``commit``.

    It starts as a mirror of the live site where the previous build's folder can
    be recycled (see the module's docstring), else empty: made ready by
    ``prepare``, here or in another process meanwhile (``prepared``). Files may
    be added while pages are rendered, also by forked worker processes
    (``shared``: what they write is on disk for all); ``record`` notes the paths
    a worker wrote. Leaving the ``with`` block without ``commit`` removes the folder.
    """

    shared = True

    def __init__(self, out: Path, site_root: Path, listings: Listings | None = None,
                 prepared: Prepared | None = None) -> None:
        if prepared is None:
            prepared = prepare(out, site_root, listings)
        elif listings is not None:
            listings.seen.update(prepared.seen)
        self.out, self.folder, self.listings = prepared.out, prepared.folder, listings
        self.previous = prepared.previous         # the live site's files, by key
        self.present = dict(prepared.previous) if prepared.recycled else {}   # in the folder
        self.paths: set[str] = set()
        self._made: set[Path] = set()
        self._emptied: set[Path] = set(prepared.emptied)
        self._removing: Callable[[], None] | None = None   # waits for the trash to go
        if prepared.trash is not None:
            try:
                self._removing = _remove_aside(prepared.trash)
            except OSError as err:
                shutil.rmtree(self.folder, ignore_errors=True)
                raise OutputError(f"cannot clear the output folder {self.out}: "
                                  f"{err.strerror or err}; choose another --out") from None

    def _unlink(self, rel: str) -> None:
        """Remove a file of the recycled folder."""
        path = self.folder / rel
        os.unlink(path)
        self._emptied.add(path.parent)

    def _removed(self) -> None:
        """Wait until the files moved to the trash are removed."""
        removing, self._removing = self._removing, None
        if removing is not None:
            removing()

    def add(self, rel: str, data: bytes | Path) -> None:
        """Write one file; a ``Path`` is an unchanged file of the previous build."""
        target = self.folder / safe_relative(rel)
        try:
            if target.parent not in self._made:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(target.parent)
            if isinstance(data, Path):
                if rel not in self.present:      # present: the same file, by its key
                    _take_over(data, target)
            else:
                if rel in self.present:          # maybe a link to the live file: never
                    os.unlink(target)            # write through it
                _write_new(target, data)
        except OSError as err:
            raise OutputError(f"could not write the site to {self.out}: {err.strerror or err}; "
                              "the previous site is untouched") from None
        self._emptied.discard(target.parent)
        self.paths.add(rel)

    def keep(self, paths: Iterable[str]) -> None:
        """Outputs unchanged since the previous build: linked from the live site,
        unless the folder holds them already (recycled: most of a rebuild's files)."""
        for rel in paths:
            if rel in self.present:
                self.paths.add(rel)
            else:
                self.add(rel, self.out / rel)

    def record(self, paths: Iterable[str]) -> None:
        self.paths.update(paths)

    def _drop_stale(self) -> None:
        """Remove what the recycled folder held but this build did not make, and
        the folders that leaves empty."""
        for rel in set(self.present) - self.paths:
            self._unlink(rel)
        for folder in sorted(self._emptied, key=lambda p: len(p.parts), reverse=True):
            while folder != self.folder:
                try:
                    folder.rmdir()
                except OSError:
                    break                        # not empty: in use
                folder = folder.parent

    def commit(self, inputs: str = "", keys: Mapping[str, str] | None = None) -> Path:
        """Write the manifest and swap the folder in for the previous site."""
        header = [INPUTS + inputs] if inputs else []
        lines = [f"{name}\t{keys[name]}" if keys and name in keys else name
                 for name in sorted(self.paths)]
        try:
            self._removed()
            self._drop_stale()
            (self.folder / MANIFEST).write_text("\n".join(header + lines) + "\n", "utf-8")
            os.chmod(self.folder, 0o755)
            _swap_in(self.folder, self.out)
        except OSError as err:
            raise OutputError(f"could not write the site to {self.out}: {err.strerror or err}; "
                              "the previous site is untouched") from None
        self.folder = None
        return self.out

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.folder is not None:
            self._removed()
            shutil.rmtree(self.folder, ignore_errors=True)


def write_site(files: Mapping[str, bytes | Path], out: Path, site_root: Path, inputs: str = "",
               keys: Mapping[str, str] | None = None) -> Path:
    """Write ``files`` as the complete new content of ``out``; return ``out``.

    A value that is a ``Path`` is a file of the previous build, unchanged: it is
    linked (or copied) instead of written. ``inputs``, the fingerprint of what
    was built, heads the manifest; ``keys`` are kept beside each file's name.
    """
    with Staging(out, site_root) as staging:
        for rel, data in sorted(files.items()):
            staging.add(rel, data)
        return staging.commit(inputs, keys)
