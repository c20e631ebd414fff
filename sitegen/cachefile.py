"""The files of ``.sitegen-cache/``: written whole or not at all, read as best
they can be. What they hold only saves time, so a file that cannot be read is
an empty cache, never an error.
"""
from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import BinaryIO, Callable


def replace(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write ``path`` anew with ``write``: into a file beside it, which then
    replaces it (a killed build leaves the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(path.name + ".new")
    with open(staged, "wb") as handle:
        write(handle)
    os.replace(staged, path)


def read_table(path: Path) -> dict:
    """A dict ``write_table`` wrote (empty if there is none, or it is unreadable)."""
    try:
        with open(path, "rb") as handle:
            table = marshal.loads(handle.read())     # from a file: a read per value
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return table if isinstance(table, dict) else {}


def write_table(path: Path, table: dict) -> None:
    """A dict of numbers, strings, bytes and tuples of them, with marshal (no import,
    and faster than pickle for such values)."""
    replace(path, lambda handle: marshal.dump(table, handle))
