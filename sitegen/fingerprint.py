"""A fingerprint of everything a build reads, so an unchanged site is not rebuilt.

It hashes bytes and parses nothing: the site's content/, versions/ and theme/,
sitegen's own code and default theme, and the build's options. Any change to
any of them gives another fingerprint.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable

PACKAGE = Path(__file__).parent
SITE_FOLDERS = ("content", "versions", "theme")


def _files(folder: Path) -> Iterable[Path]:
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            yield Path(top, name)


def fingerprint(root: Path, options: Iterable[str],
                folders: Iterable[str] = SITE_FOLDERS) -> str:
    """The hex SHA-256 of the build's inputs: files (by path and bytes) and options."""
    digest = hashlib.sha256()
    for option in options:
        digest.update(f"option\0{option}\0".encode())
    sources = [(PACKAGE, "sitegen")] + [(root / name, name) for name in folders]
    for folder, label in sources:
        for path in _files(folder):
            if path.suffix == ".pyc":
                continue
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()
