"""Interface strings and CLDR formatting (dates, language names) via Babel.

Babel and its locale data take about 40 ms to load: more than a rebuild that
renders a few pages spends on anything else it formats. ``Formats`` asks for
them through ``reuse``, whose answers the engine keeps between builds, so Babel
is imported only for a date or language not formatted before.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    from markupsafe import Markup

from .reuse import Reuse, afresh


def locale_name(lang: str) -> str:
    """Babel's spelling of a language code: "pt-BR" -> "pt_BR"."""
    return lang.replace("-", "_")


@functools.lru_cache(maxsize=4096)
def long_date(date: dt.date, locale: str) -> str:
    """The date as a reader of ``locale`` writes it: 25 mei 2018, 25 May 2018."""
    from babel.dates import format_date
    return format_date(date, format="long", locale=locale_name(locale))


@functools.lru_cache(maxsize=None)
def language_name(lang: str) -> str:
    """The language's own name for itself, capitalised: Nederlands, English."""
    from babel import Locale
    name = Locale.parse(locale_name(lang)).get_display_name(locale_name(lang)) or lang
    return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=None)
def direction(lang: str) -> str:
    """``rtl`` for a language written right to left (CLDR's character order), else ``ltr``."""
    from babel import Locale
    order = Locale.parse(locale_name(lang)).character_order
    return "rtl" if order == "right-to-left" else "ltr"


class Formats:
    """``long_date``, ``language_name`` and ``direction`` through ``reuse``."""

    def __init__(self, reuse: Reuse = afresh) -> None:
        self.reuse = reuse

    def long_date(self, date: dt.date, locale: str) -> str:
        return self.reuse("long date", (date.isoformat(), locale), lambda: long_date(date, locale))

    def language_name(self, lang: str) -> str:
        return self.reuse("language name", lang, lambda: language_name(lang))

    def direction(self, lang: str) -> str:
        return self.reuse("direction", lang, lambda: direction(lang))


def labels_name(strings: Mapping[str, str]) -> str:
    """A name for one language's interface strings, for the keys of kept results
    that show them (converted statements, the HTML of redline sections)."""
    marked = sorted((key, value, _marks(value)) for key, value in strings.items())
    return hashlib.sha256(repr(marked).encode("utf-8")).hexdigest()


def _marks(value: object) -> object:
    """The language marks of a string (or of each plural form): a fallback's
    output differs from the same words in their own language."""
    if isinstance(value, Mapping):
        return sorted((k, getattr(v, "lang", "")) for k, v in value.items())
    return getattr(value, "lang", "")


Strings = Mapping[str, "str | Mapping[str, str]"]


@functools.lru_cache(maxsize=None)
def plural_categories(lang: str) -> frozenset[str]:
    """The CLDR plural categories of ``lang`` ("one", "other"; Arabic has six)."""
    from babel import Locale
    return frozenset(Locale.parse(locale_name(lang)).plural_form.tags | {"other"})


@functools.lru_cache(maxsize=65536)
def plural_category(count: int, lang: str) -> str:
    """The CLDR plural category of ``count`` in ``lang``: 1 -> "one" in English."""
    from babel import Locale
    return Locale.parse(locale_name(lang)).plural_form(count)


def isolated(name: object) -> "Markup":
    """``name`` in ``<bdi>``: a name in another script (an organisation, a URL)
    keeps its own direction inside right-to-left text, and the text around it."""
    from markupsafe import Markup, escape
    return Markup(f"<bdi>{escape(name)}</bdi>")


def _marked(text: str, values: Mapping[str, object]) -> "Markup":
    """``text`` formatted as HTML: markup among ``values`` kept, the rest escaped."""
    from markupsafe import Markup, escape
    said = Markup(escape(str(text))).format(**values)
    return Markup(_in_language(text.lang, said)) if isinstance(text, Foreign) else said


def _in_language(lang: str, html: str) -> str:
    """``html`` marked as written in ``lang``, with that language's direction."""
    from markupsafe import escape
    return f'<span lang="{escape(lang)}" dir="{direction(lang)}">{html}</span>'


class Foreign(str):
    """An interface string in another language than its page's (a fallback for a
    language without strings). In the text of a page it carries its own ``lang``;
    where markup cannot go (attributes, ``<title>``, the ``plain`` filter, any
    ``str()`` of it) it is plain text."""

    lang: str

    def __new__(cls, text: str, lang: str) -> "Foreign":
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj

    def __reduce__(self) -> tuple:
        return (Foreign, (str(self), self.lang))

    def __html__(self) -> str:
        from markupsafe import escape
        return _in_language(self.lang, escape(str(self)))


class Translator:
    """``t("key", name=value)`` for one language's interface strings; a text that
    counts is a mapping of plural categories, chosen by ``count``."""

    def __init__(self, strings: Strings, lang: str) -> None:
        self.strings, self.lang = strings, lang

    def __call__(self, key: str, **values: object) -> str:
        text = self.strings[key]
        if not isinstance(text, str):
            category = plural_category(values["count"], self.lang)  # type: ignore[arg-type]
            text = text.get(category) or text["other"]
        for value in values.values():           # markup among the values: an HTML text
            if hasattr(value, "__html__"):
                return _marked(text, values)
        said = text.format(**values)
        return Foreign(said, text.lang) if isinstance(text, Foreign) else said

    def counts(self, **counts: int) -> str:
        """The counts that are not zero, each by its plural text, as a list in the
        language ("2 sections changed, 1 section added and 40 words added")."""
        from babel.lists import format_list
        said = [self(key, count=n) for key, n in counts.items() if n]
        return format_list(said, locale=locale_name(self.lang)) if said else ""
