"""A fingerprint of everything a build reads, so an unchanged site is not rebuilt.

It hashes bytes and parses nothing: the site's content/, versions/ and theme/,
sitegen's own code and default theme, and the build's options. Any change to
any of them gives another fingerprint.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable, Mapping, Sequence

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
    return fingerprints(root, {"": (tuple(options), ("sitegen", *folders))})[""]


def fingerprints(root: Path, wanted: Mapping[str, tuple[Sequence[str], Sequence[str]]]
                 ) -> dict[str, str]:
    """Several fingerprints in one reading of the files: ``{name: (options,
    sources)}``, a source being "sitegen" (its code and default theme) or a folder
    of the site, gives ``{name: hex SHA-256}``."""
    digests = {name: hashlib.sha256() for name in wanted}
    for name, (options, _) in wanted.items():
        for option in options:
            digests[name].update(f"option\0{option}\0".encode())
    labels = dict.fromkeys(label for _, sources in wanted.values() for label in sources)
    for label in sorted(labels, key=lambda x: (x != "sitegen", x)):
        users = [digests[name] for name, (_, sources) in wanted.items() if label in sources]
        folder = PACKAGE if label == "sitegen" else root / label
        for path in _files(folder):
            if path.suffix == ".pyc":
                continue
            data = f"{label}/{path.relative_to(folder).as_posix()}\0".encode() \
                + path.read_bytes() + b"\0"
            for digest in users:
                digest.update(data)
    return {name: digest.hexdigest() for name, digest in digests.items()}
