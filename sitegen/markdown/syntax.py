"""The optional Markdown syntax a text may use, and a Markdown built for just that.

Python-Markdown runs every processor it has over every text: each cell of a
table, for one, goes through all its inline patterns. A pattern or an extension
finds nothing in a text without the characters its syntax is written with, so a
part of a statement is converted by a Markdown built without the syntax it
cannot hold. The HTML is the same (``tests/unit/test_syntax.py`` converts every
kind of syntax both ways); converting the 3,769 parts of the 200 x 4 benchmark
takes 0.65 s instead of 1.04 s.
"""
from __future__ import annotations

import re
from typing import Callable, NamedTuple

from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

# An inline pattern, by its name in Python-Markdown, finds nothing in a text
# without one of these. A pattern not named here is always kept.
INLINE: dict[str, tuple[str, ...]] = {
    "backtick": ("`",), "escape": ("\\",),
    "reference": ("[",), "link": ("[",), "image_link": ("[",), "image_reference": ("[",),
    "short_reference": ("[",), "short_image_ref": ("[",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "entity": ("&",),
    "linebreak": ("  ", "\t"),          # two spaces at a line's end (tabs are expanded first)
    "em_strong": ("*", "_"), "em_strong2": ("_",), "not_strong": ("*", "_"),
}


class Use(NamedTuple):
    """An extension, made by ``make``, which a text needs if ``used`` says so."""

    name: str
    make: Callable[[], Extension]
    used: Callable[[str], bool]


DEFINITION = re.compile(r"^ {0,3}:", re.MULTILINE)   # a definition list's ": " line
# In the order they are given to Markdown. sane_lists changes how every list is
# read, rather than adding a syntax: always on.
EXTENSIONS = (
    Use("attr_list", AttrListExtension, lambda text: "{" in text),
    Use("sane_lists", SaneListExtension, lambda text: True),
    Use("fenced_code", FencedCodeExtension, lambda text: "```" in text or "~~~" in text),
    Use("def_list", DefListExtension,
        lambda text: ":" in text and DEFINITION.search(text) is not None),
    Use("tables", lambda: TableExtension(use_align_attribute=True), lambda text: "|" in text),
)


class Syntax(NamedTuple):
    """What a Markdown for a text needs: the extensions it uses, and the inline
    patterns it can leave out."""

    extensions: frozenset[str]
    unused_patterns: frozenset[str]


EVERYTHING = Syntax(frozenset(e.name for e in EXTENSIONS), frozenset())


def syntax_of(text: str) -> Syntax:
    """The syntax ``text`` may use."""
    return Syntax(frozenset(e.name for e in EXTENSIONS if e.used(text)),
                  frozenset(name for name, marks in INLINE.items()
                            if not any(mark in text for mark in marks)))


def extensions(syntax: Syntax) -> list[Extension]:
    """New instances of the extensions of ``syntax``, in order."""
    return [use.make() for use in EXTENSIONS if use.name in syntax.extensions]
