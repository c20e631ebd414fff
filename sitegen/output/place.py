"""Where a site may be written: never over the sources, a home folder or a
file system's root. Checked from the path alone, before a build takes the
output's lock or reads anything (``write.check_output`` then looks inside).
"""
from __future__ import annotations

from pathlib import Path

from ..errors import SitegenError

# The site's sources, and its working folders: a build's cache (which a site in
# it would publish) and git's.
PROTECTED = ("content", "versions", "theme", ".sitegen-cache", ".git")


class OutputError(SitegenError):
    """The output folder cannot be used; nothing was written or removed."""

    def __init__(self, message: str, where: str = "--out") -> None:
        super().__init__(message, where)


def check_place(out: Path, site_root: Path) -> Path:
    """``out`` resolved, unless it is no place for a site (``OutputError``)."""
    out, root, home = out.resolve(), site_root.resolve(), Path.home().resolve()
    if out == Path(out.anchor) or out == home or out in home.parents:
        raise OutputError(f"refusing to write the site to {out}: choose a folder of its own, "
                          "such as public/")
    if out == root or out in root.parents:
        raise OutputError(f"refusing to write the site to {out}: it holds the site's sources; "
                          "choose a folder of its own, such as public/")
    for name in PROTECTED:
        if out == root / name or (root / name) in out.parents:
            kind = "sources" if name[0] != "." else "sitegen's or git's own files"
            raise OutputError(f"refusing to write the site into {name}/, which holds {kind}: "
                              "choose a folder of its own, such as public/")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file, not a folder: choose another --out")
    return out
