"""``sitegen build`` as steps: fingerprint, load, build, write, keep results.

The one place where the pure core meets the folders: an unchanged site stops at
the fingerprint; otherwise pages are written into a staging folder as they are
rendered, unchanged ones are linked from the previous build, and the folder is
swapped in only when everything succeeded.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .collector import long_lived
from .cachefile import read_table, write_table
from .fingerprint import SITE_FOLDERS, fingerprints
from .manifest import Listings, up_to_date

CACHE_FILE = ".sitegen-cache/memo.pickle"    # results kept between builds (git-ignored)
COMPILED = ".sitegen-cache/templates"         # compiled templates, likewise
KNOWN = ".sitegen-cache/files"                # the digest of each file, by its times
FOLDERS = ".sitegen-cache/folders"            # what the output's folders hold, by their times


@dataclass(frozen=True)
class Outcome:
    out: Path
    pages: int = 0
    files: int = 0
    kept: int = 0
    warnings: tuple = ()
    up_to_date: bool = False
    made: tuple = field(default=(), repr=False, compare=False)
    """What the build made and kept to its end (the memo, the site): freeing it
    costs 8 ms on 200 x 4, which a process that exits next can leave undone."""


def build_folder(site_dir: Path, out: Path | None, today: dt.date, drafts: bool = False,
                 base_url: str | None = None, jobs: int = 1, track=None) -> Outcome:
    """Build the site at ``site_dir`` into ``out`` (default: its ``public/``)."""
    site_dir = site_dir.resolve()
    target = (out if out is not None else site_dir / "public").resolve()
    options = [__version__, str(today), str(drafts), str(base_url)]
    contents: dict[str, bytes] = {}               # the files read to fingerprint them
    digests: dict[str, str] = {}                  # the SHA-256 of every file
    known = read_table(site_dir / KNOWN)
    before = dict(known)
    found = fingerprints(site_dir, {"inputs": (options, ("sitegen", *SITE_FOLDERS)),
                                    "code": ((), ("sitegen",)),
                                    "base": (options, ("sitegen", "content", "theme"))},
                         contents, digests, known)
    inputs, code, base = found["inputs"], found["code"], found["base"]
    listings = Listings.load(site_dir / FOLDERS)
    if up_to_date(target, inputs, listings):
        if known != before:
            _keep(write_table, site_dir / KNOWN, known)
        if listings.seen.items() - listings.known.items():   # folders newly listed
            _keep(listings.save, site_dir / FOLDERS, True)
        return Outcome(target, up_to_date=True)
    from .build import build_site                # the rendering libraries load only now
    from .compiled import CompiledTemplates
    from .load import load_site
    from .memo import Memo
    from .write import Staging
    memo, cache = Memo(), site_dir / CACHE_FILE
    memo.load(cache, code)
    with long_lived():                          # the kept results (12 ms on 200 x 4)
        site = load_site(site_dir, base_url, memo, contents, digests)
        contents.clear()                         # parsed now
        compiled = CompiledTemplates(site.root / COMPILED, code)
        with Staging(target, site.root, Listings(listings.known)) as staging:
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
    return Outcome(target, result.pages, written, len(result.kept), result.warnings,
                   made=(memo, site, result, staging))


def _keep(save, *args) -> None:
    """Save what only saves time next time: a read-only or full disk is no error."""
    try:
        save(*args)
    except OSError:
        pass
