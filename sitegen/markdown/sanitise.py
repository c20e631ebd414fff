"""Raw HTML in a statement (``allow_html: true``), through an allow-list.

Real statements hold a ``<table>``, a ``<br>`` or an ``<a id>``; they must not
hold a script, an event handler, a style or a ``javascript:`` link. nh3 (the
Rust sanitiser ammonia) keeps what the lists below allow and drops the rest;
``refusals`` says what that was, for a warning that names it.
"""
from __future__ import annotations

from html.parser import HTMLParser

import nh3

from .chunks import SAFE_SCHEMES, unsafe

TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "wbr"})
EVERYWHERE = frozenset({"id", "class", "lang", "dir", "title"})
ATTRIBUTES = {"a": {"href", "name"}, "img": {"src", "alt", "width", "height"},
              "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align",
                                                           "scope"},
              "ol": {"start", "type"}, "time": {"datetime"}, "q": {"cite"},
              "blockquote": {"cite"}, "col": {"span"}, "colgroup": {"span"}}
DROPPED_WHOLE = frozenset({"script", "style", "iframe", "object", "embed", "template",
                           "noscript", "textarea", "select", "svg", "math"})


def clean(fragment: str) -> str:
    """``fragment`` with only the allowed tags, attributes and link schemes."""
    return nh3.clean(fragment, tags=set(TAGS), clean_content_tags=set(DROPPED_WHOLE),
                     attributes={"*": set(EVERYWHERE), **ATTRIBUTES},
                     url_schemes=set(SAFE_SCHEMES), link_rel=None, strip_comments=True)


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append(f"<{tag}>")
            return
        for name, value in attrs:
            if name not in EVERYWHERE and name not in ATTRIBUTES.get(tag, ()):
                self.found.append(f"the attribute `{name}` of <{tag}>")
            elif name in ("href", "src", "cite") and value and unsafe(value):
                self.found.append(f"the address `{value[:40]}` of <{tag}>")


def refusals(fragment: str) -> list[str]:
    """What ``clean`` drops from ``fragment``: tags, attributes and addresses."""
    finder = _Finder()
    finder.feed(fragment)
    finder.close()
    return list(dict.fromkeys(finder.found))
