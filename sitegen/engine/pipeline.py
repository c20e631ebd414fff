"""``sitegen build`` as steps: fingerprint, load, build, write, keep results.

The one place where the pure core meets the folders: an unchanged site stops at
the fingerprint; otherwise a staging folder is made ready (by a process of its
own while this one loads the site), pages are written into it as they are
rendered, unchanged ones are linked from the previous build, and the folder is
swapped in only when everything succeeded.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from .. import __version__
from ..errors import Problem
from ..output import lock
from ..output.place import OutputError, check_place
from ..output.cachekey import cache_off
from ..output.files import read_table, refused, write_table
from .fingerprint import SITE_FOLDERS, fingerprints, known_entry
from ..output.manifest import Listings, up_to_date

if TYPE_CHECKING:
    from .compiled import CompiledTemplates
    from .memo import Memo
    from ..output.write import Prepared

CACHE_FILE = ".sitegen-cache/memo.pickle"    # results kept between builds (git-ignored)
COMPILED = ".sitegen-cache/templates"         # compiled templates, likewise
KNOWN = ".sitegen-cache/files"                # the digest of each file, by its times
FOLDERS = ".sitegen-cache/folders"            # what the output's folders hold, by their times
PRODUCTION, DRAFTS = "public", "public-drafts"   # the default output folders, in the site


def output_folder(site_dir: Path, out: Path | None, drafts: bool) -> Path:
    """Where a build goes: ``public/`` in the site, or ``public-drafts/`` with
    drafts, which never go into the production folder; refused before a build
    takes its lock if it is no place for a site (``place.check_place``)."""
    production = site_dir / PRODUCTION
    target = (out if out is not None else site_dir / (DRAFTS if drafts else PRODUCTION)).resolve()
    if drafts and target == production.resolve():
        raise OutputError(f"{PRODUCTION}/ is the production folder and a build with --drafts "
                          f"never goes there; leave out --out to build into {DRAFTS}/, or "
                          "choose another folder")
    return check_place(target, site_dir)


@dataclass(frozen=True)
class Outcome:
    out: Path
    pages: int = 0
    files: int = 0
    kept: int = 0
    warnings: tuple = ()
    up_to_date: bool = False


def build_folder(site_dir: Path, out: Path | None, today: dt.date, drafts: bool = False,
                 base_url: str | None = None, jobs: int = 1, track=None,
                 lock_wait: float = lock.WAIT, on_wait: lock.Waiting | None = None) -> Outcome:
    """Build the site at ``site_dir`` into ``out`` (default: its ``public/``), once
    no other build writes there: waiting up to ``lock_wait`` seconds, and calling
    ``on_wait`` with that build's pid if it has to wait (``lock.hold``)."""
    site_dir = site_dir.resolve()
    target = output_folder(site_dir, out, drafts)
    options = [__version__, str(today), str(drafts), str(base_url)]
    contents: dict[str, bytes] = {}               # the files read to fingerprint them
    digests: dict[str, str] = {}                  # the SHA-256 of every file
    refused()                                     # forget cache files refused before this build
    known = read_table(site_dir / KNOWN, known_entry)
    before = dict(known)
    found = fingerprints(site_dir, {"inputs": (options, ("sitegen", *SITE_FOLDERS)),
                                    "code": ((), ("sitegen",)),
                                    "base": (options, ("sitegen", "content", "theme"))},
                         contents, digests, known)
    inputs, code, base = found["inputs"], found["code"], found["base"]
    # One build at a time into ``target`` (see ``lock``), from before the up-to-date
    # check: a build swapping its site in meanwhile could show it one build's
    # manifest and another's files. Taking the lock costs 0.1 ms: an unchanged
    # site is told so as fast.
    with lock.hold(target, lock_wait, on_wait):
        listings = Listings.load(site_dir / FOLDERS)
        if up_to_date(target, inputs, listings):
            if known != before:
                _keep(write_table, site_dir / KNOWN, known)
            if listings.seen.items() - listings.known.items():   # folders newly listed
                _keep(listings.save, site_dir / FOLDERS, True)
            return Outcome(target, up_to_date=True)
        staged = Listings(listings.known)
        from .compiled import CompiledTemplates
        compiled = CompiledTemplates(site_dir / COMPILED, code)
        with _prepared_apart(target, site_dir, staged, jobs, compiled) as prepared:
            from .build import build_site            # the rendering libraries load only now
            from ..content.load import load_site
            from .memo import Memo
            from ..output.write import Staging
            memo, cache = Memo(), site_dir / CACHE_FILE
            memo.load(cache, code)
            site = load_site(site_dir, base_url, memo.reuse, contents, digests)
            contents.clear()                         # parsed now
            with Staging(target, site.root, staged, prepared()) as staging:
                result = build_site(site, today, drafts, **({"track": track} if track else {}),
                                    memo=memo, jobs=jobs, base=base, previous=staging.previous,
                                    sink=staging, compiled=compiled)
                staging.keep(sorted(result.kept))
                staging.commit(inputs, result.keys)
                written = len(staging.paths)
    _keep(memo.save, cache, code)                # the site is out; what is kept only saves
    _keep(write_table, site_dir / KNOWN, known)   # time next time
    _keep(staging.listings.save, site_dir / FOLDERS)
    compiled.keep()
    return Outcome(target, result.pages, written, len(result.kept),
                   result.warnings + _damaged(memo, cache))


@contextlib.contextmanager
def _prepared_apart(out: Path, site_dir: Path, listings: Listings, jobs: int,
                    compiled: CompiledTemplates) -> Iterator[Callable[[], Prepared | None]]:
    """Make the staging folder ready (``write.prepare``: checking the output and
    recycling the previous build's folder, 20 ms on 200 x 4) and compile the
    templates ``compiled`` does not keep (``compiled.compile_theme``: 0.2 s of
    CPU saved in a cold 200 x 4 build, 0.1 s of its time) in a process forked
    while this one is still small, as it loads the libraries, the kept results
    and the site; yields a function that waits for it (raising its
    ``OutputError``) and hands the templates to ``compiled``. A build that fails
    before it asks removes the folder. With one job, or where processes cannot
    fork, the folder is made when asked for, and each template when it is used."""
    from . import parallel
    if jobs < 2 or not parallel.can_fork():
        yield lambda: None                       # Staging makes it ready itself
        return
    from ..output.write import prepare
    from .compiled import compile_theme
    worker = parallel.fork(lambda: (prepare(out, site_dir, listings),
                                    compile_theme(compiled, site_dir)))
    asked = False

    def take() -> Prepared:
        nonlocal asked
        asked = True                             # its result is read once, even if it fails
        prepared, templates = parallel.result(worker)
        compiled.take(templates)
        return prepared

    try:
        yield take
    finally:
        if not asked:                            # the build failed before: undo
            try:
                shutil.rmtree(take().folder, ignore_errors=True)
            except Exception:                    # noqa: BLE001 -- its error comes second
                pass


def _damaged(memo: "Memo", cache: Path) -> tuple[Problem, ...]:
    """One warning if files of the cache could not be read or were refused (they
    only save time), or if there is no key to read and write it with."""
    where = CACHE_FILE.rpartition("/")[0]
    if (off := cache_off(cache)) is not None:
        return (Problem(where, 0, f"not used: {off}; built without it, keeping nothing",
                        "warning"),)
    damaged = [*memo.damaged, *refused()]
    if not damaged:
        return ()
    return (Problem(where, 0, f"could not read {', '.join(damaged)}; "
                    "built without it (it is rewritten now; deleting .sitegen-cache/ is always "
                    "safe)", "warning"),)


def _keep(save, *args) -> None:
    """Save what only saves time next time: a read-only or full disk is no error."""
    try:
        save(*args)
    except OSError:
        pass
