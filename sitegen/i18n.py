"""Interface strings and CLDR formatting (dates, language names) via Babel."""
from __future__ import annotations

import datetime as dt
import functools
from typing import Mapping

from babel import Locale
from babel.dates import format_date


def locale_name(lang: str) -> str:
    """Babel's spelling of a language code: "pt-BR" -> "pt_BR"."""
    return lang.replace("-", "_")


@functools.lru_cache(maxsize=4096)
def long_date(date: dt.date, locale: str) -> str:
    """The date as a reader of ``locale`` writes it: 25 mei 2018, 25 May 2018."""
    return format_date(date, format="long", locale=locale_name(locale))


@functools.lru_cache(maxsize=None)
def language_name(lang: str) -> str:
    """The language's own name for itself, capitalised: Nederlands, English."""
    name = Locale.parse(locale_name(lang)).get_display_name(locale_name(lang)) or lang
    return name[:1].upper() + name[1:]


class Translator:
    """``t("key", name=value)`` for one language's interface strings."""

    def __init__(self, strings: Mapping[str, str]) -> None:
        self.strings = strings

    def __call__(self, key: str, **values: object) -> str:
        return self.strings[key].format(**values)
