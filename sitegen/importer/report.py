"""What an import says when it is done: the versions written, per language, and
what was converted or left out."""
from __future__ import annotations

from pathlib import Path

from ..content.model import version_key
from .target import Imported


def summary(imported: Imported, root: Path) -> list[str]:
    """Lines for the terminal after ``imported`` was written into ``root``."""
    versions = sorted({t.version for t in imported.texts}, key=version_key)
    per_lang: dict[str, int] = {}
    for text in imported.texts:
        per_lang[text.lang] = per_lang.get(text.lang, 0) + 1
    span = versions[0] if len(versions) == 1 else f"{versions[0]} to {versions[-1]}"
    written = ", ".join(f"{lang} {count}" for lang, count in per_lang.items())
    kinds = {severity: sum(n.severity == severity for n in imported.notes)
             for severity in ("warning", "note")}
    said = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind, n in kinds.items() if n)
    return [f"imported {len(versions)} version{'s' * (len(versions) != 1)} ({span}) into "
            f"{root}: {written}" + (f"; {said} above" if said else ""),
            f"Next: `sitegen check --site {root}`, then `sitegen serve --site {root}` to "
            "read them."]
