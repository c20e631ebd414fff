"""The theme: its folders (the site's own first, then the default), its static
assets, and its interface strings per language, checked against the English ones.
"""
from __future__ import annotations

import difflib
import string
from pathlib import Path
from typing import Any, Iterable

from . import SITE_FILE, frontmatter
from .. import i18n
from ..errors import Problem
from ..reuse import Reuse, afresh
from .model import Theme
from .reading import check_keys, collect, read_text

DEFAULT_THEME = Path(__file__).parent.parent / "theme"


def _names(text: object) -> set[str]:
    """The placeholders of a string, or of every form of a plural text."""
    texts = text.values() if isinstance(text, dict) else [text]
    return {name for t in texts for _, name, _, _ in string.Formatter().parse(str(t)) if name}


def _string_problems(parsed: frontmatter.Parsed, reference: dict[str, Any], lang: str,
                     shown: str) -> list[Problem]:
    """A translated string may use the placeholders of the English one, no others,
    and a plural text has the plural categories of its language."""
    problems = []
    for key, value in parsed.data.items():
        if key not in reference:
            continue
        line = parsed.key_lines.get(key, 1)
        plural = isinstance(reference[key], dict)
        if plural != isinstance(value, dict):
            problems.append(Problem(shown, line, f"`{key}` must be " + (
                "a plural text: a mapping of plural categories (one: ..., other: ...)"
                if plural else "one text, not a mapping")))
            continue
        if plural:
            problems += _category_problems(key, value, lang, shown, line)
        try:
            used = _names(value)
        except ValueError as err:
            problems.append(Problem(shown, line, f"`{key}`: {err}; write a literal brace as "
                                    "{{ or }}"))
            continue
        allowed = _names(reference[key])
        for name in sorted(used - allowed):
            known = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "none"
            problems.append(Problem(shown, line, f"`{key}` uses {{{name}}}, which this text "
                                    f"does not have (placeholders: {known})"))
    return problems


def _category_problems(key: str, value: dict, lang: str, shown: str,
                       line: int) -> list[Problem]:
    """A plural text needs `other` (a category without its own form uses it) and
    may use only its language's categories."""
    try:
        categories = i18n.plural_categories(lang)
    except (ValueError, LookupError):
        categories = frozenset(("zero", "one", "two", "few", "many", "other"))
    known = ", ".join(sorted(categories))
    problems = [Problem(shown, line, f"`{key}` has plural category `{c}`, which {lang} "
                        f"does not use (its categories: {known})")
                for c in value if c not in categories]
    if "other" not in value:
        problems.append(Problem(shown, line, f"`{key}` has no `other:` form, the one used "
                                f"for a count without a form of its own ({known})"))
    return problems


def load_strings(theme: Theme, languages: Iterable[str], problems: list[Problem],
                 root: Path, reuse: Reuse = afresh,
                 warnings: list[Problem] | None = None) -> dict[str, dict[str, Any]]:
    """Interface strings per language; a site's theme overrides key by key. A
    language without some of them shows those of the first language (else the
    English ones), with one warning in ``warnings``."""
    reference = frontmatter.parse_mapping(read_text(DEFAULT_THEME / "strings" / "en.yaml", "en"),
                                          "sitegen/theme/strings/en.yaml", reuse=reuse).data
    strings: dict[str, dict[str, Any]] = {}
    for lang in languages:
        merged: dict[str, Any] = {}
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
                problems.extend(_string_problems(parsed, reference, lang, shown))
                merged.update({k: _text(v) for k, v in parsed.data.items()})
        missing = [key for key in reference if key not in merged]
        if missing:
            fallback = strings[next(iter(strings))] if strings else reference
            shown_in = next(iter(strings)) if strings else "en"
            if warnings is not None:
                warnings.append(Problem(SITE_FILE, 0, f"no interface strings for `{lang}` "
                                        f"({len(missing)} of {len(reference)} missing, e.g. "
                                        f"`{missing[0]}`): its pages show them in {shown_in} "
                                        f"until you add theme/strings/{lang}.yaml, "
                                        "translated from sitegen/theme/strings/en.yaml",
                                        "warning"))
            merged.update({key: _foreign(fallback[key], shown_in) for key in missing})
            merged = {key: merged[key] for key in reference}
        strings[lang] = merged
    return strings


def _foreign(value: str | dict[str, str], lang: str) -> str | dict[str, str]:
    """A fallback string, marked as ``lang`` (each plural form of one that counts)."""
    if isinstance(value, dict):
        return {category: i18n.Foreign(text, lang) for category, text in value.items()}
    return i18n.Foreign(value, lang)


def _text(value: object) -> str | dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else str(value)


def theme_of(root: Path) -> Theme:
    """The theme folders of the site at ``root``: its own ``theme/``, if it has
    one, before the default theme."""
    own = root / "theme"
    return Theme(((own,) if own.is_dir() else ()) + (DEFAULT_THEME,))


def load_theme(root: Path, problems: list[Problem]) -> tuple[Theme, dict[str, bytes]]:
    """The theme folders, and its static assets (a site's file wins over the default)."""
    own = root / "theme"
    theme = theme_of(root)
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
