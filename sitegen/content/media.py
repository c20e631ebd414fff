"""``content/assets/``: the images and files a statement shows or links to."""
from __future__ import annotations

from pathlib import Path

from . import MEDIA_FOLDER
from ..errors import Problem
from .reading import collect, read_bytes


def load_media(root: Path, problems: list[Problem]) -> dict[str, bytes]:
    """The files of ``content/assets/`` (images a statement shows), by their
    path in it; each is published once, at one address for every page."""
    found: dict[str, bytes] = {}
    folder = root / MEDIA_FOLDER
    for file in sorted(folder.rglob("*")) if folder.is_dir() else ():
        name = file.relative_to(folder).as_posix()
        if file.is_file() and not any(part.startswith(".") for part in name.split("/")):
            data = collect(problems, read_bytes, file, f"{MEDIA_FOLDER}/{name}")
            if data is not None:
                found[name] = data
    return found
