"""What a value of the front matter or site.yaml may be: an id, a one-line text,
the site's address. Pure: a value in, the problem with it (or None) out.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..errors import brief

ABSOLUTE_URL = re.compile(r"https?://[^\x00-\x20\x7f/?#]+(/[^\x00-\x20\x7f?#]*)?", re.ASCII)
# What a one-line text may not hold: it lands in titles, feeds, JSON and headers.
NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def anchor_id(value: Any) -> bool:
    """Whether ``value`` can be a heading's id: letters, marks and digits of any
    script, hyphens and underscores (what ``slugify`` makes, and more)."""
    return isinstance(value, str) and bool(value) and all(
        char in "-_" or unicodedata.category(char)[0] in "LMN" for char in value)


# A BCP 47 tag as sitegen takes it: language, then optionally script and region
# (zh-Hant, sr-Latn, es-419, pt-BR), in any case; ``canonical_tag`` spells it.
LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:-([A-Za-z]{4}))?(?:-([A-Za-z]{2}|[0-9]{3}))?\Z")


def canonical_tag(tag: str) -> str | None:
    """The BCP 47 spelling of ``tag`` ("pt-br" -> "pt-BR", "ZH-hant" -> "zh-Hant"),
    or None if it is not a tag of language, script and region."""
    found = LANGUAGE_TAG.match(tag) if isinstance(tag, str) else None
    if found is None:
        return None
    language, script, region = found.groups()
    return "-".join(filter(None, (language.lower(), script and script.title(),
                                  region and region.upper())))


def one_line_problem(key: str, value: Any) -> str | None:
    """Why ``value`` cannot be the one-line text ``key`` is (a line break, a control
    character), if it cannot."""
    if not isinstance(value, str) or (found := NOT_ONE_LINE.search(value.strip())) is None:
        return None
    what = "a line break" if found.group() in "\n\r\u2028\u2029\x85" else \
        f"the control character U+{ord(found.group()):04X}"
    return (f"`{key}` holds {what}: write it on one line, as plain text (a `>` block "
            "folds lines into one)")


def url_problem(url: Any) -> str | None:
    """Why ``url`` cannot be the site's address, if it cannot."""
    if not isinstance(url, str) or not ABSOLUTE_URL.fullmatch(url):
        shown = repr(brief(url)) if isinstance(url, str) else f"`{brief(url)}`"
        return (f"base_url {shown} must be an absolute http(s) address with no spaces, line "
                "breaks, `?` or `#`, e.g. https://privacy.example.org/")
    return None
