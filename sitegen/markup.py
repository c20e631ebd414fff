"""Markdown -> HTML for one statement, with anchors, rights list and self-links.

A Python-Markdown ``Extension`` does the work on the element tree: it gives
every heading an id, turns ``{art=15}`` into the ``#art-15`` alias, adds alias
anchors for renamed sections, a visible self-link on each heading, and a list of
the rights before the first right. Problems come back with the source line.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from . import anchors
from .errors import Problem

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
RESERVED_IDS = frozenset({"main", "toc", "corrections"})   # ids the theme's page uses around the body
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
ATX = re.compile(r"^ {0,3}(#{1,6})(\s|$)")
SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
LIST_ITEM = re.compile(r"^ {0,3}([-*+]|[0-9]+[.)])\s")
Resolver = Callable[[Iterable[str]], anchors.Resolution]


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str
    line: int
    article: str = ""


@dataclass(frozen=True)
class Body:
    """A converted statement: its HTML and what the checks need to know of it."""

    html: str
    headings: tuple[Heading, ...]
    anchors: frozenset[str]          # every id a link may point at, aliases included
    aliases: Mapping[str, str]       # alias id -> heading id
    problems: tuple[Problem, ...]

    @property
    def rights(self) -> tuple[Heading, ...]:
        return tuple(h for h in self.headings if h.article)


def heading_lines(source: str) -> list[int]:
    """1-based lines of the headings in ``source`` (``#`` and underlined), outside code."""
    lines, fenced, text = [], False, source.split("\n")
    for index, line in enumerate(text):
        if FENCE.match(line):
            fenced = not fenced
        elif fenced:
            continue
        elif ATX.match(line):
            lines.append(index + 1)
        elif (line.strip() and index + 1 < len(text) and SETEXT.match(text[index + 1])
              and not LIST_ITEM.match(line) and (index == 0 or not text[index - 1].strip())):
            lines.append(index + 1)
    return lines


def line_of(source: str, needle: str) -> int:
    """The first 1-based line of ``source`` that contains ``needle``, else 0."""
    for number, line in enumerate(source.split("\n"), 1):
        if needle in line:
            return number
    return 0


class StatementTreeprocessor(Treeprocessor):
    """Runs after ``attr_list``: ids the author set are already on the headings."""

    def __init__(self, md: markdown.Markdown, ext: "StatementExtension") -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        ext = self.ext
        lines = heading_lines(ext.source)
        elements = [el for el in root.iter() if el.tag in HEADINGS]
        manual = {el.get("id") for el in elements if el.get("id")}
        articles = {anchors.art_alias(el.get("art")) for el in elements if el.get("art")}
        taken: set[str] = set()
        aliases: dict[str, str] = {}
        for reserved in sorted(manual & RESERVED_IDS):
            self.ext.report(0, f"the id #{reserved} is used by the page itself; choose another")
        for index, el in enumerate(elements):
            line = lines[index] if len(lines) == len(elements) else 0
            heading = self._identify(el, line, manual | articles, taken, aliases)
            ext.headings.append(heading)
        resolution = ext.resolver(taken | set(aliases))
        aliases.update(resolution.aliases)
        ext.lost = resolution.missing
        by_id = {el.get("id"): el for el in elements}
        for alias, target in sorted(aliases.items()):
            heading = by_id[target]
            span = etree.Element("span", {"id": alias, "class": "alias"})
            span.tail, heading.text = heading.text, None
            heading.insert(0, span)
        for el in elements:
            self._add_self_link(el)
        self._insert_rights_nav(root, elements)
        self._check_links(root)
        ext.aliases = aliases
        ext.anchor_ids = taken | set(aliases)

    def _identify(self, el: etree.Element, line: int, manual: set[str], taken: set[str],
                  aliases: dict[str, str]) -> Heading:
        text = self._text(el)
        given = el.get("id")
        if given and given in taken:
            self.ext.report(line, f"the id #{given} is given to two headings; ids must be unique")
        elif given and given.startswith(anchors.ART_PREFIX) and given in manual:
            self.ext.report(line, f"the id #{given} is the alias of a right's article; "
                            "choose another id")
        anchor = given or anchors.unique(anchors.slugify(text), taken | manual | RESERVED_IDS)
        el.set("id", anchor)
        taken.add(anchor)
        article = el.attrib.pop("art", "")
        if article:
            alias = anchors.art_alias(article)
            if not article.isdigit():
                self.ext.report(line, f"art={article}: the article must be a number, e.g. art=15")
            elif alias in aliases or alias in taken:
                self.ext.report(line, f"art={article} is used twice; each right has its own article")
            else:
                aliases[alias] = anchor
        return Heading(int(el.tag[1]), anchor, text, line, article)

    def _text(self, el: etree.Element) -> str:
        text = "".join(el.itertext()).strip()
        unescape = self.md.treeprocessors["unescape"]
        return unescape.unescape(text) if hasattr(unescape, "unescape") else text

    def _add_self_link(self, el: etree.Element) -> None:
        label = self.ext.labels["self_link"].format(title=self._text(el))
        link = etree.SubElement(el, "a", {"class": "self-link", "href": f"#{el.get('id')}",
                                          "aria-label": label})
        link.text = "#"

    def _insert_rights_nav(self, root: etree.Element, elements: list[etree.Element]) -> None:
        rights = [h for h in self.ext.headings if h.article]
        if not rights:
            return
        first = next(el for el in elements if el.get("id") == rights[0].id)
        nav = etree.Element("nav", {"class": "rights-nav",
                                    "aria-label": self.ext.labels["rights_nav"]})
        ul = etree.SubElement(nav, "ul")
        for right in rights:
            a = etree.SubElement(etree.SubElement(ul, "li"), "a", {"href": f"#{right.id}"})
            a.text = right.text
        parent = next(p for p in root.iter() if first in list(p))
        parent.insert(list(parent).index(first), nav)

    def _check_links(self, root: etree.Element) -> None:
        for el in root.iter("a"):
            href = (el.get("href") or "").strip()
            text = "".join(el.itertext())
            if href.lower().startswith(UNSAFE_SCHEMES):
                self.ext.report(line_of(self.ext.source, href), f"link `{href[:40]}` is refused: "
                                "javascript: and data: links are not allowed in a statement")
                el.set("href", "#")
            elif href in ("", "#") and "self-link" not in el.get("class", ""):
                self.ext.report(line_of(self.ext.source, f"[{text}]"), f"the link `{text}` "
                                "leads nowhere (empty target); give it an address", "warning")
        for el in root.iter("img"):
            if (el.get("src") or "").strip().lower().startswith(UNSAFE_SCHEMES):
                self.ext.report(line_of(self.ext.source, el.get("src", "")),
                                "image sources with javascript: or data: are not allowed")
                el.set("src", "")


class StatementExtension(Extension):
    """Registers the statement tree processor; holds its results for one document."""

    def __init__(self, source: str, labels: Mapping[str, str], resolver: Resolver,
                 allow_html: bool) -> None:
        super().__init__()
        self.source, self.labels, self.resolver = source, labels, resolver
        self.allow_html = allow_html
        self.headings: list[Heading] = []
        self.problems: list[tuple[int, str, str]] = []
        self.aliases: dict[str, str] = {}
        self.anchor_ids: set[str] = set()
        self.lost: tuple[str, ...] = ()

    def report(self, line: int, message: str, severity: str = "error") -> None:
        self.problems.append((line, message, severity))

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (library API)
        if not self.allow_html:
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
        md.treeprocessors.register(StatementTreeprocessor(md, self), "sitegen-statement", 4)


def no_history(own: Iterable[str]) -> anchors.Resolution:
    return anchors.Resolution({}, ())


def convert(source: str, path: str, first_line: int, labels: Mapping[str, str],
            resolver: Resolver = no_history, allow_html: bool = False,
            renames_line: int = 1) -> Body:
    """Convert one statement body; ``first_line`` is its first line in ``path``.

    An anchor of an earlier version that lands nowhere is reported at
    ``renames_line``, where the author declares renames.
    """
    ext = StatementExtension(source, labels, resolver, allow_html)
    md = markdown.Markdown(extensions=["attr_list", "sane_lists", "fenced_code", ext], output_format="html")
    html = md.convert(source)

    def absolute(line: int) -> int:
        return first_line + line - 1 if line else 0

    problems = [Problem(path, absolute(line), message, severity)
                for line, message, severity in ext.problems]
    problems += [Problem(path, renames_line, f"anchor #{anchor} of an earlier version is gone: "
                         "keep the heading, or declare where it went under `renames:` in the "
                         f"front matter (`{anchor}: new-id`)") for anchor in ext.lost]
    return Body(html=html, headings=tuple(ext.headings), anchors=frozenset(ext.anchor_ids),
                aliases=dict(ext.aliases), problems=tuple(problems))
