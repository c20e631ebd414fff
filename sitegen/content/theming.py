"""The theme: its folders (the site's own first, then the default), its static
assets, and its interface strings per language, checked against the English ones.
"""
from __future__ import annotations

import difflib
import string
from pathlib import Path
from typing import Any, Iterable

from . import SITE_FILE, frontmatter
from ..errors import Problem
from ..reuse import Reuse, afresh
from .model import Theme
from .reading import check_keys, collect, read_text

DEFAULT_THEME = Path(__file__).parent.parent / "theme"


def _placeholder_problems(parsed: frontmatter.Parsed, reference: dict[str, Any],
                          shown: str) -> list[Problem]:
    """A translated string may use the placeholders of the English one, no others."""
    problems = []
    for key, value in parsed.data.items():
        if key not in reference:
            continue
        allowed = {name for _, name, _, _ in string.Formatter().parse(str(reference[key])) if name}
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(str(value)) if name}
        except ValueError as err:
            problems.append(Problem(shown, parsed.key_lines.get(key, 1), f"`{key}`: {err}; "
                                    "write a literal brace as {{ or }}"))
            continue
        for name in sorted(used - allowed):
            known = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "none"
            problems.append(Problem(shown, parsed.key_lines.get(key, 1), f"`{key}` uses "
                                    f"{{{name}}}, which this text does not have "
                                    f"(placeholders: {known})"))
    return problems


def load_strings(theme: Theme, languages: Iterable[str], problems: list[Problem],
                 root: Path, reuse: Reuse = afresh) -> dict[str, dict[str, str]]:
    """Interface strings per language; a site's theme overrides key by key."""
    reference = frontmatter.parse_mapping(read_text(DEFAULT_THEME / "strings" / "en.yaml", "en"),
                                          "sitegen/theme/strings/en.yaml", reuse=reuse).data
    strings = {}
    for lang in languages:
        merged: dict[str, str] = {}
        for folder in reversed(theme.dirs):
            file = folder / "strings" / f"{lang}.yaml"
            if not file.is_file():
                continue
            shown = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)
            parsed = collect(problems, lambda f=file, s=shown: frontmatter.parse_mapping(
                read_text(f, s), s, reuse=reuse))
            if parsed is not None:
                schema = {key: False for key in reference}
                problems.extend(check_keys(parsed, schema, shown, 1))
                problems.extend(_placeholder_problems(parsed, reference, shown))
                merged.update({k: str(v) for k, v in parsed.data.items()})
        missing = sorted(set(reference) - set(merged))
        if missing:
            problems.append(Problem(SITE_FILE, 0, f"no interface strings for language `{lang}` "
                                    f"({', '.join(missing[:3])}...): add "
                                    f"theme/strings/{lang}.yaml, "
                                    "translated from the English one"))
        strings[lang] = merged
    return strings


def load_theme(root: Path, problems: list[Problem]) -> tuple[Theme, dict[str, bytes]]:
    """The theme folders, and its static assets (a site's file wins over the default)."""
    own = root / "theme"
    theme = Theme(((own,) if own.is_dir() else ()) + (DEFAULT_THEME,))
    defaults = sorted(p.name for p in (DEFAULT_THEME / "templates").glob("*.html"))
    for template in sorted((own / "templates").glob("*.html")):
        if template.name not in defaults and not template.name.startswith("_"):
            close = difflib.get_close_matches(template.name, defaults, n=1)
            hint = f"did you mean {close[0]}?" if close else f"templates: {', '.join(defaults)}"
            problems.append(Problem(template.relative_to(root).as_posix(), 0, "overrides no "
                                    f"template of the default theme ({hint}); a partial "
                                    "of your own starts with _"))
    assets: dict[str, bytes] = {}
    for folder in reversed(theme.dirs):
        static = folder / "static"
        for file in sorted(static.rglob("*")) if static.is_dir() else ():
            if file.is_file() and not file.name.startswith("."):
                assets[file.relative_to(static).as_posix()] = file.read_bytes()
    return theme, dict(sorted(assets.items()))
