"""What a statement says about itself at its head: front matter, a title
heading, and the effective date, read in its own language.

The title is the first heading if it is of level 1 (``# Title`` or a ``===``
setext heading); front matter is Jekyll's ``---`` block. A date line is a short
line with a label such as "Effective", "Last updated", "Datum", "Gültig ab" or
"Date d'effet" and a date: ISO (2018-05-25), written
out with the language's month names from CLDR through Babel ("May 4, 2026",
"25 mei 2018", "1. März 2020", "1er mars 2020"), or in the language's numeric
form (25.05.2018); or any line with a ``datetime="2018-05-25"`` attribute.

This module only reads text, as lines numbered as in the file: it never
decides what a version is, and never rewrites a line.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..content.frontmatter import parse_mapping
from ..errors import SitegenError

LONGEST_LINE = 160            # a date line is short; a paragraph that mentions a date is not one

# Labels that introduce an effective date, in the languages statements are most
# often written in; matched anywhere in the line, case-insensitively.
LABELS = re.compile(
    r"effective|in effect|in force|updated|revised|modified|last changed|\bdated?\b|"
    r"datum|geldig|van kracht|bijgewerkt|gewijzigd|ingang|"
    r"gültig|\bstand\b|aktualisiert|in kraft|"
    r"vigueur|mise à jour|mis à jour|date d'effet|"
    r"vigente|vigor|actualiza|fecha|aggiornat|valid|obowiązuje", re.IGNORECASE)
DATETIME_ATTRIBUTE = re.compile(r"""datetime\s*=\s*["']?(\d{4})-(\d{2})-(\d{2})""")
ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
NUMERIC = re.compile(r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{4}(?!\d)")
MARKUP = re.compile(r"<[^>]*>|[*_`>#]+")
ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")
Line = tuple[int, str]        # (line number in the file, text)
# Front-matter keys that state an effective date (Jekyll, Hugo), most telling first.
FRONT_DATES = ("effective_date", "effective", "last_updated", "lastmod", "updated", "date")


@dataclass(frozen=True)
class DateLine:
    """The line of a text that states its effective date."""

    index: int                # in the lines searched, from 0
    text: str                 # the line as written
    date: dt.date


@dataclass(frozen=True)
class Head:
    """A text's lines without its front matter and title, and what they said."""

    lines: list[Line]
    title: str | None                   # from the heading, else from the front matter
    front: tuple[int, tuple[str, ...]] | None   # the front matter's last line and keys
    title_from_front: bool = False
    front_date: DateLine | None = None  # an effective date the front matter states


def read_head(lines: list[Line]) -> Head:
    """``lines`` without front matter and title heading, and what they said."""
    lines, front, data = _front_matter(lines)
    title, lines = _title(lines)
    stated = _front_date(data)
    if title is None and isinstance(data.get("title"), str) and data["title"].strip():
        return Head(lines, " ".join(data["title"].split()), front, True, stated)
    return Head(lines, title, front, front_date=stated)


def _front_date(data: dict[str, Any]) -> DateLine | None:
    """The first of ``FRONT_DATES`` in front matter that holds an ISO date (index
    -1: it is no line of the body)."""
    for key in FRONT_DATES:
        found = ISO.fullmatch(str(data.get(key, "")).strip()[:10])
        date = _date(*found.groups()) if found else None
        if date is not None:
            return DateLine(-1, f"{key}: {data[key]}", date)
    return None


def without(lines: Sequence[Line], index: int, count: int = 1) -> list[Line]:
    """``lines`` without ``count`` lines from ``index``, and without the blank
    line that would then be doubled."""
    kept = [*lines[:index], *lines[index + count:]]
    if 0 < index < len(kept) and not kept[index - 1][1].strip() and not kept[index][1].strip():
        del kept[index]
    return kept


def in_fence(fence: str, text: str) -> str:
    """The code fence open after ``text`` (e.g. three backticks; empty: none),
    given the one open before it."""
    opening = FENCE.match(text)
    if not fence:
        return opening.group(1) if opening else ""
    closes = text.strip() and set(text.strip()) == {fence[0]} and len(text.strip()) >= len(fence)
    return "" if closes else fence


def _front_matter(lines: list[Line]) -> tuple[list[Line], tuple[int, tuple[str, ...]] | None,
                                               dict[str, Any]]:
    if len(lines) < 2 or lines[0][1].rstrip() != "---":
        return lines, None, {}
    end = next((i for i in range(1, len(lines)) if lines[i][1].rstrip() in ("---", "...")), 0)
    if not end:
        return lines, None, {}
    try:
        data = parse_mapping("\n".join(t for _, t in lines[1:end]), "front matter", 2).data
    except SitegenError:
        data = {}
    data = data if isinstance(data, dict) else {}
    return lines[end + 1:], (lines[end][0], tuple(str(key) for key in data)), data


def _title(lines: list[Line]) -> tuple[str | None, list[Line]]:
    """The first heading's text, taken out, if it is of level 1."""
    fence = ""
    for index, (_, text) in enumerate(lines):
        was, fence = fence, in_fence(fence, text)
        if was or fence:
            continue
        atx = ATX.match(text)
        under = SETEXT.match(lines[index + 1][1]) if index + 1 < len(lines) else None
        if atx or (under and text.strip() and (index == 0 or not lines[index - 1][1].strip())):
            level_one = atx.group(1) == "#" if atx else "=" in under.group(1)
            heading = (atx.group(2) or "") if atx else text
            if not level_one:
                return None, lines
            title = ATTRIBUTES.sub("", heading).strip() or None
            return title, without(lines, index, 1 if atx else 2)
    return None, lines


def find_date_line(lines: Sequence[str], lang: str) -> DateLine | None:
    """The first line of ``lines`` that states an effective date in ``lang``."""
    for index, line in enumerate(lines):
        date = line_date(line, lang)
        if date is not None:
            return DateLine(index, line, date)
    return None


def line_date(line: str, lang: str) -> dt.date | None:
    """The date that ``line`` states as an effective date, or None if it is no date line."""
    attribute = DATETIME_ATTRIBUTE.search(line)
    if attribute:
        return _date(*attribute.groups())
    plain = MARKUP.sub(" ", line).strip()
    if len(plain) > LONGEST_LINE or not LABELS.search(plain):
        return None
    return parse_date(plain, lang)


def parse_date(text: str, lang: str) -> dt.date | None:
    """The first date written in ``text``, in ``lang``'s words or ISO form."""
    found = ISO.search(text)
    if found:
        return _date(*found.groups())
    for pattern, order in _patterns(_language(lang)):
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups()))
            month = _months(_language(lang)).get(_month_key(parts["month"]))
            date = _date(parts["year"], month, parts["day"])
            if date:
                return date
    return _numeric(text, lang)


def _numeric(text: str, lang: str) -> dt.date | None:
    from babel.dates import parse_date as babel_parse
    for match in NUMERIC.finditer(text):
        try:
            return babel_parse(re.sub(r"[.-]", "/", match.group()), locale=_language(lang))
        except (ValueError, IndexError):
            continue
    return None


def _date(year: str | int, month: str | int | None, day: str | int) -> dt.date | None:
    if month is None:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


@cache
def _language(lang: str) -> str:
    """``lang`` as a locale Babel knows, else English (a tag Babel cannot read)."""
    from babel import Locale, UnknownLocaleError
    try:
        return str(Locale.parse(lang.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return "en"


def _month_key(name: str) -> str:
    return name.casefold().rstrip(".")


@cache
def _months(locale: str) -> dict[str, int]:
    """Every name of every month in ``locale``, wide and abbreviated, folded: number."""
    from babel import Locale
    months = Locale.parse(locale).months
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in months[context][width].items():
                names.setdefault(_month_key(name), number)
    return names


@cache
def _patterns(locale: str) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """The written-out date forms: month first ("May 4, 2026") and day first
    ("4 May 2026", "4. Mai 2026", "1er mai 2026", "4 de mayo de 2026")."""
    names = sorted(_months(locale), key=len, reverse=True)
    month = r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")\.?(?!\w)"
    day = r"(?<!\d)(\d{1,2})(?:st|nd|rd|th|er|e|\.)?"
    year = r"(\d{4})(?!\d)"
    flags = re.IGNORECASE
    return ((re.compile(rf"{month}\s+{day},?\s+{year}", flags), ("month", "day", "year")),
            (re.compile(rf"{day}\s+(?:de\s+)?{month}\s+(?:de\s+)?{year}", flags),
             ("day", "month", "year")))
