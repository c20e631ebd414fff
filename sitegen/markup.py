"""Markdown -> HTML for one statement, with anchors, rights list and self-links.

A statement is cut into chunks at its headings. Each chunk is converted by
Python-Markdown on its own (an ``Extension`` takes the heading's attributes off,
gives reference-style links the definitions of the whole statement, as in one
Markdown document, and checks links), so a chunk that several versions share is
converted once (``memo``). Then the whole statement is dressed: every heading
gets its id (set with ``{#id}`` or derived from its text), ``{art=15}`` becomes
the ``#art-15`` alias, renamed ids of earlier versions get alias anchors, every
heading a self-link, and the rights section a list of the rights.
"""
from __future__ import annotations

import functools
import hashlib
import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, NamedTuple

import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.treeprocessors import Treeprocessor

from . import anchors
from .errors import Problem
from .escaping import escape
from .memo import Memo

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
RESERVED_IDS = frozenset({"main", "toc", "corrections"})   # ids of the page around the body
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
ALLOWED_ATTRIBUTES = frozenset({"href", "src", "alt", "title", "id", "class", "art", "start",
                                "lang", "dir", "colspan", "rowspan", "align"})
ATX = re.compile(r"^ {0,3}(#{1,6})(\s|$)")
SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
ANY_FENCE = re.compile(r"^\s*(```|~~~)")
LIST_OR_QUOTE = re.compile(r"^ {0,3}([-*+]|[0-9]+[.)]|>)")
LIST_ITEM = re.compile(r"^ {0,3}([-*+]|[0-9]+[.)])\s")
Resolver = Callable[[Iterable[str]], anchors.Resolution]
References = tuple[tuple[str, tuple[str, "str | None"]], ...]   # Markdown's, as pairs


class Heading(NamedTuple):
    """A heading of a converted body (a named tuple: thousands are kept between
    builds, and tuples unpickle twice as fast as dataclasses)."""

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

    @functools.cached_property
    def digest(self) -> str:
        """SHA-256 of the HTML, for the keys of outputs (pickled with the body, so
        kept between builds)."""
        return hashlib.sha256(self.html.encode("utf-8")).hexdigest()

    def __reduce__(self) -> tuple:
        """Pickled with its HTML as UTF-8 bytes, decoded when first read: a rebuild
        loads every body kept from the last build and shows few of them (decoding
        them all took 10 ms on 200 x 4). Headings go as plain tuples: unpickled,
        a named tuple is made by a Python call each, 17,000 of them on 200 x 4."""
        state = dict(self.__dict__)
        html = state.pop("html", None)
        if html is not None:
            state["_utf8"] = html.encode("utf-8")
        state["headings"] = tuple(map(tuple, self.headings))
        return (_kept_body, (state,))

    def __getattr__(self, name: str) -> str:
        """Only called for what is not set: the HTML of a body not yet decoded."""
        if name != "html" or "_utf8" not in self.__dict__:
            raise AttributeError(name)
        html = self.__dict__["html"] = self.__dict__.pop("_utf8").decode("utf-8")
        return html


def _kept_body(state: dict) -> Body:
    body = object.__new__(Body)
    body.__dict__.update(state, headings=tuple(map(Heading._make, state["headings"])))
    return body


@dataclass(frozen=True)
class Chunk:
    """One heading and what follows it up to the next, converted on its own."""

    level: int                   # 0 for the text before the first heading
    inner: str                   # the heading's content as HTML
    text: str                    # the heading's content as plain text
    given_id: str
    article: str
    rest: str                    # HTML of the blocks after the heading
    problems: tuple[tuple[int, str, str], ...]   # (line in the chunk, message, severity)
    references: References       # the link definitions found in the chunk


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


def unsafe(address: str) -> bool:
    """A scheme other than http(s), mailto or tel, as a browser would read it:
    entities decoded, tabs and newlines dropped, leading controls stripped."""
    decoded = re.sub(r"[\t\n\r]", "", html.unescape(address)).lstrip("".join(map(chr, range(33))))
    scheme = SCHEME.match(decoded)
    return scheme is not None and scheme.group(1).lower() not in SAFE_SCHEMES


class DocumentReferences(Treeprocessor):
    """Before inline links are read: note the chunk's own link definitions, then
    give it those of the whole statement (the last definition of a name holds,
    as when Markdown reads one document)."""

    def __init__(self, md: markdown.Markdown, ext: "ChunkExtension") -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        self.ext.defined = tuple(self.md.references.items())
        self.md.references.update(self.ext.references)


class ChunkTreeprocessor(Treeprocessor):
    """After ``attr_list``: note the leading heading's attributes, check links."""

    def __init__(self, md: markdown.Markdown, ext: "ChunkExtension") -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        ext, children = self.ext, list(root)
        ext.meta = {"level": 0, "text": "", "id": "", "art": ""}
        if ext.has_heading and children and children[0].tag in HEADINGS:
            heading = children[0]
            text = "".join(heading.itertext()).strip()
            unescape = self.md.treeprocessors["unescape"]
            ext.meta = {"level": int(heading.tag[1]), "id": heading.attrib.pop("id", ""),
                        "art": heading.attrib.pop("art", ""),
                        "text": unescape.unescape(text) if hasattr(unescape, "unescape") else text}
            heading.attrib.clear()
            children = children[1:]
        for child in children:
            for nested in child.iter():
                if nested.tag in HEADINGS:
                    ext.report(line_of(ext.source, "".join(nested.itertext()).strip()) or 1,
                               "a heading inside a list or quote cannot have an anchor: "
                               "write it at the start of a line")
        self._check_safety(root)

    def _check_safety(self, root: etree.Element) -> None:
        """Only safe attributes and addresses; warn about links that lead nowhere."""
        ext = self.ext
        for el in root.iter():
            for name in [n for n in el.attrib if n not in ALLOWED_ATTRIBUTES]:
                ext.report(line_of(ext.source, name) or 1, f"the attribute `{name}` is not "
                           "allowed in a statement (only ids, classes and link targets)")
                del el.attrib[name]
            refused = False
            for name in ("href", "src"):
                target = el.get(name)
                if target is not None and unsafe(target):
                    used = f"[{el.get('alt') if name == 'src' else ''.join(el.itertext())}]"
                    line = (line_of(ext.source, target.split("\n")[0][:20])
                            or line_of(ext.source, used) or 1)   # defined in another chunk
                    ext.report(line, f"the address `{target[:40]}` is refused: links may use "
                               "http, https, mailto or tel, or point within the site")
                    el.set(name, "#")
                    refused = True
            if el.tag == "a" and not refused and (el.get("href") or "").strip() in ("", "#"):
                text = "".join(el.itertext())
                ext.report(line_of(ext.source, f"[{text}]"), f"the link `{text}` leads "
                           "nowhere (empty target); give it an address", "warning")


class ChunkExtension(Extension):
    """Raw HTML off unless allowed; the chunk tree processor; its findings."""

    def __init__(self, allow_html: bool) -> None:
        super().__init__()
        self.allow_html = allow_html
        self.source, self.has_heading = "", False
        self.references: dict[str, tuple[str, str | None]] = {}   # the statement's
        self.defined: References = ()                               # the chunk's own
        self.meta: dict[str, object] = {}
        self.problems: list[tuple[int, str, str]] = []

    def report(self, line: int, message: str, severity: str = "error") -> None:
        self.problems.append((line, message, severity))

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (library API)
        if not self.allow_html:
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
        md.treeprocessors.register(DocumentReferences(md, self), "sitegen-references", 25)
        md.treeprocessors.register(ChunkTreeprocessor(md, self), "sitegen-chunk", 4)


class ChunkConverter:
    """One Python-Markdown instance, reset between chunks (building one is costly)."""

    def __init__(self, allow_html: bool) -> None:
        self.allow_html = allow_html
        self.ext = ChunkExtension(allow_html)
        # instances, not names: a name is looked up among the entry points of every
        # installed package (20 ms on the first conversion of a build)
        self.md = markdown.Markdown(extensions=[AttrListExtension(), SaneListExtension(),
                                                FencedCodeExtension(), self.ext],
                                    output_format="html")

    def __call__(self, source: str, has_heading: bool,
                 references: Mapping[str, tuple[str, str | None]] | None = None) -> Chunk:
        """Convert one chunk; a heading, if any, is its first line. ``references``:
        the link definitions of the whole statement."""
        md, ext = self.md, self.ext
        md.reset()
        ext.source, ext.has_heading, ext.problems = source, has_heading, []
        ext.references = dict(references or {})
        ext.meta, ext.defined = {"level": 0, "text": "", "id": "", "art": ""}, ()   # for a
        html = md.convert(source)                # blank source, which Markdown returns at once
        meta, inner, rest = ext.meta, "", html
        if meta["level"]:                 # the heading, without attributes, comes first
            tag = f"h{meta['level']}"
            end = html.index(f"</{tag}>")
            inner, rest = html[len(tag) + 2:end], html[end + len(tag) + 3:].lstrip("\n")
        return Chunk(int(meta["level"]), inner, str(meta["text"]), str(meta["id"]),
                     str(meta["art"]), rest, tuple(ext.problems), ext.defined)


def split_parts(text: str, allow_html: bool) -> list[tuple[int, str]]:
    """``(first line, text)`` of the parts of a chunk that Python-Markdown converts
    apart to the HTML it makes of the chunk whole (so a part that versions share is
    converted once, though the chunk changed around it).

    A cut falls on a blank line, before a block that joins nothing before it: one
    whose first line starts with a letter (a paragraph), or a list or a quote
    after such a paragraph. (A list item after a list joins that list, a quote a
    quote, an indented line the list item or code before it.) A chunk with fenced
    code (blank lines inside) or raw HTML allowed (its blocks may span blank
    lines) is not cut."""
    lines = text.split("\n")
    if allow_html or any(ANY_FENCE.match(line) for line in lines):
        return [(1, text)]
    cuts, block = [0], 0                     # block: the first line of the block before
    for i in range(1, len(lines)):
        if lines[i - 1].strip() or not lines[i].strip():
            continue                         # not the first line of a block
        if lines[i][:1].isalpha() or (LIST_OR_QUOTE.match(lines[i])
                                      and lines[block][:1].isalpha()):
            cuts.append(i)
        block = i
    return [(start + 1, "\n".join(lines[start:end]))
            for start, end in zip(cuts, cuts[1:] + [len(lines)])]


def convert_chunk(text: str, has_heading: bool, references: Mapping[str, tuple[str, str | None]],
                  converter: ChunkConverter, memo: Memo) -> Chunk:
    """Convert a chunk part by part (``split_parts``), each part once (``memo``).
    ``references``: those of the whole statement, which hold over the chunk's own;
    a part that links to a definition in another part is converted again with it."""
    allow_html = converter.allow_html
    parts = split_parts(text, allow_html)

    def convert_parts(given: dict) -> list[tuple[int, Chunk]]:
        converted = []
        for start, part in parts:
            heading = has_heading and start == 1
            uses = tuple(given.items()) if "[" in part else ()   # what its HTML depends on
            converted.append((start, memo.get(("part", part, heading, allow_html, uses),
                                              lambda p=part, h=heading, u=uses:
                                              converter(p, h, dict(u)))))
        return converted

    chunks = convert_parts(dict(references))
    defined = {name: found for _, chunk in chunks for name, found in chunk.references}
    if len(chunks) > 1 and not defined.keys() <= references.keys():
        chunks = convert_parts({**defined, **references})
    if len(chunks) == 1:
        return chunks[0][1]
    first = chunks[0][1]
    problems = tuple((start + line - 1 if line else 0, message, severity)
                     for start, chunk in chunks for line, message, severity in chunk.problems)
    return Chunk(first.level, first.inner, first.text, first.given_id, first.article,
                 "\n".join(chunk.rest for _, chunk in chunks if chunk.rest), problems,
                 tuple(defined.items()))


def split_chunks(source: str) -> list[tuple[int, str, bool]]:
    """``(first line, text, starts with a heading)`` for each chunk of ``source``."""
    lines = source.split("\n")
    starts = heading_lines(source)
    bounds = [1] + starts + [len(lines) + 1]
    chunks = []
    for start, end in zip(bounds, bounds[1:]):
        text = "\n".join(lines[start - 1:end - 1])
        if text.strip():
            chunks.append((start, text, start in starts))
    return chunks


class _Dresser:
    """Gives a statement's headings their ids, aliases and self-links."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self.labels = labels
        self.problems: list[tuple[int, str, str]] = []
        self.taken: set[str] = set()
        self.aliases: dict[str, str] = {}

    def report(self, line: int, message: str) -> None:
        self.problems.append((line, message, "error"))

    def identify(self, chunks: list[tuple[int, Chunk]]) -> list[Heading]:
        manual = {c.given_id for _, c in chunks if c.given_id}
        articles = {anchors.art_alias(c.article) for _, c in chunks if c.article}
        headings = []
        for line, chunk in chunks:
            if not chunk.level:
                continue
            given = chunk.given_id
            if given in RESERVED_IDS:
                self.report(line, f"the id #{given} is used by the page itself; choose another")
            elif given and given in self.taken:
                self.report(line, f"the id #{given} is given to two headings; ids must be unique")
            elif given and given in articles:
                self.report(line, f"the id #{given} is the alias of a right's article; "
                            "choose another id")
            anchor = given or anchors.unique(anchors.slugify(chunk.text),
                                             self.taken | manual | articles | RESERVED_IDS)
            self.taken.add(anchor)
            if chunk.article:
                self.article(chunk.article, anchor, line)
            headings.append(Heading(chunk.level, anchor, chunk.text, line, chunk.article))
        return headings

    def article(self, article: str, anchor: str, line: int) -> None:
        alias = anchors.art_alias(article)
        if not article.isdigit():
            self.report(line, f"art={article}: the article must be a number, e.g. art=15")
        elif alias in self.aliases or alias in self.taken:
            self.report(line, f"art={article} is used twice; each right has its own article")
        else:
            self.aliases[alias] = anchor

    def heading_html(self, heading: Heading, chunk: Chunk) -> str:
        spans = "".join(f'<span class="alias" id="{escape(alias)}"></span>'
                        for alias, target in sorted(self.aliases.items(), reverse=True)
                        if target == heading.id)
        label = self.labels["self_link"].format(title=heading.text)
        return (f'<h{heading.level} id="{escape(heading.id)}">{spans}{chunk.inner}'
                f'<a aria-label="{escape(label)}" class="self-link" '
                f'href="#{escape(heading.id)}">#</a></h{heading.level}>')

    def rights_nav(self, rights: list[Heading]) -> str:
        items = "".join(f'<li><a href="#{escape(h.id)}">{escape(h.text)}</a></li>\n'
                        for h in rights)
        return (f'<nav aria-label="{escape(self.labels["rights_nav"])}" class="rights-nav">\n'
                f"<ul>\n{items}</ul>\n</nav>")


def no_history(own: Iterable[str]) -> anchors.Resolution:
    return anchors.Resolution({}, ())


def convert(source: str, path: str, first_line: int, labels: Mapping[str, str],
            resolver: Resolver = no_history, allow_html: bool = False,
            renames_line: int = 1, memo: Memo | None = None,
            converter: ChunkConverter | None = None) -> Body:
    """Convert one statement body; ``first_line`` is its first line in ``path``.

    An anchor of an earlier version that lands nowhere is reported at
    ``renames_line``, where the author declares renames.
    """
    memo = memo if memo is not None else Memo()
    converter = converter or ChunkConverter(allow_html)
    pieces = split_chunks(source)

    def converted(text: str, has_heading: bool, references: dict) -> Chunk:
        key = ("chunk", text, has_heading, allow_html, tuple(references.items()))
        return memo.get(key, lambda: convert_chunk(text, has_heading, references, converter, memo))

    chunks = [(start, converted(text, has_heading, {})) for start, text, has_heading in pieces]
    references = {name: found for _, chunk in chunks for name, found in chunk.references}
    if references:                     # chunks that may link to them, again with them all
        chunks = [(start, converted(text, has_heading, references) if "[" in text else chunk)
                  for (start, text, has_heading), (_, chunk) in zip(pieces, chunks)]
    dresser = _Dresser(labels)
    headings = dresser.identify(chunks)
    resolution = resolver(dresser.taken | set(dresser.aliases))
    dresser.aliases.update(resolution.aliases)
    parts, by_line = [], {h.line: h for h in headings}
    rights = [h for h in headings if h.article]
    for start, chunk in chunks:
        heading = by_line.get(start) if chunk.level else None
        if heading is not None and rights and heading is rights[0]:
            parts.append(dresser.rights_nav(rights))
        if heading is not None:
            parts.append(dresser.heading_html(heading, chunk))
        if chunk.rest:
            parts.append(chunk.rest)
    problems = [(start + line - 1 if line else 0, message, severity)
                for start, chunk in chunks for line, message, severity in chunk.problems]
    problems += dresser.problems

    def absolute(line: int) -> int:
        return first_line + line - 1 if line else 0

    found = [Problem(path, absolute(line), message, severity)
             for line, message, severity in problems]
    found += [Problem(path, renames_line, f"anchor #{anchor} of an earlier version is gone: "
                      "keep the heading, or declare where it went under `renames:` in the "
                      f"front matter (`{anchor}: new-id`)") for anchor in resolution.missing]
    return Body(html="\n".join(parts), headings=tuple(headings),
                anchors=frozenset(dresser.taken | set(dresser.aliases)),
                aliases=dict(dresser.aliases), problems=tuple(found))
