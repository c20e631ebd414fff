"""Python-Markdown over a statement's chunks: one heading and what follows it.

A statement is cut into chunks at its headings, and a chunk into parts where
Markdown cannot join a block to the one before (``cuts``), so that what several
versions share is converted once. An ``Extension`` takes the leading
heading's attributes off, gives reference-style links the definitions of the
whole statement (as in one Markdown document) and checks links and attributes.
``markup`` puts the chunks of a statement together.
"""
from __future__ import annotations

import difflib
import html
import re
from urllib.parse import quote, unquote
import xml.etree.ElementTree as etree
from collections import OrderedDict
from dataclasses import dataclass
from typing import Iterable, Mapping, NamedTuple

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from ..content import MEDIA_FOLDER
from .cuts import split_parts
from .syntax import EVERYTHING, Syntax, extensions, syntax_of
from .notes import FOOTNOTE_LINKS, FOOTNOTE_REF, NOTE, StatementFootnotes
from ..reuse import Reuse

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
ALLOWED_ATTRIBUTES = frozenset({"href", "src", "alt", "title", "id", "class", "art", "start",
                                "lang", "dir", "colspan", "rowspan", "align", "value"})
# What a statement defines for all its chunks, as pairs: Markdown's link
# definitions (name -> (address, title)), and its footnotes as ``^label -> (text,
# None)`` (``notes.NOTE``; a link definition cannot be named ``^...``).
References = tuple[tuple[str, tuple[str, "str | None"]], ...]
MEDIA_PREFIX = "assets/"            # how a statement names an image: ![...](assets/name.png)


class Images(NamedTuple):
    """The images a statement may show, and the address their folder is published at."""

    base: str                        # e.g. "/media/", from the site's address
    names: frozenset[str] = frozenset()




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
    links: tuple[tuple[int, str], ...] = ()   # (line in the chunk, id) of each #id link
    outbound: tuple[tuple[int, str], ...] = ()   # (line, address) of each http(s) link


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
        notes, given = self.ext.notes, self.ext.references
        self.ext.defined = tuple(self.md.references.items())
        self.md.references.update((k, v) for k, v in given.items() if not k.startswith(NOTE))
        if "footnote" not in self.md.treeprocessors:      # a part without footnotes
            return
        self.ext.defined += tuple((NOTE + label, (text, None))
                                  for label, text in notes.footnotes.items())
        notes.footnotes = OrderedDict((label, notes.footnotes.get(label, text)) for label, text
                                      in notes.order(given, notes.footnotes).items())


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
        if "](" in self.ext.source or "<" in self.ext.source:   # a link, image or raw HTML
            self._place_images(root)
        self._check_safety(root)
        if "[^" in self.ext.source:
            self._check_footnotes(root)
        _scroll_tables(root)

    def _place_images(self, root: etree.Element) -> None:
        """An image of ``content/assets/`` (written ``assets/name.png``) gets its
        one published address; it must exist and say what it shows (``alt``)."""
        ext = self.ext
        for img in root.iter("img"):
            src = img.get("src") or ""
            line = line_of(ext.source, f"]({src}") or line_of(ext.source, src) or 1
            if not (img.get("alt") or "").strip():
                ext.report(line, f"the image `{src}` has no text: say what it shows, "
                           "![what it shows](...), for readers who cannot see it")
            if SCHEME.match(src) or src.startswith("//"):
                ext.report(line, f"the image `{src}` is on another site, which then sees "
                           f"every reader of the statement: copy it into {MEDIA_FOLDER}/ "
                           f"and write ![...]({MEDIA_PREFIX}name)", "warning")
            else:
                self._place(img, "src", line, "image")
        for link in root.iter("a"):
            href = link.get("href") or ""
            if href and not SCHEME.match(href) and not href.startswith(("#", "//")):
                self._place(link, "href", line_of(ext.source, f"]({href}") or
                            line_of(ext.source, href) or 1, "link")

    def _place(self, el: etree.Element, name: str, line: int, what: str) -> None:
        """A file of ``content/assets/`` named in ``el``'s ``name`` at its address;
        anything else relative is an error: from ``/en/`` and ``/en/1.0/`` it
        would lead to two places."""
        ext, target = self.ext, el.get(name) or ""
        if not target.startswith(MEDIA_PREFIX):
            ext.report(line, f"the {what} `{target}` is relative, and so leads elsewhere from "
                       "each page: " + (f"put the file in {MEDIA_FOLDER}/ and write "
                       f"![...]({MEDIA_PREFIX}name)" if what == "image" else
                       "write a whole address (https://...), #id for a part of the "
                       f"statement, or {MEDIA_PREFIX}name for a file in {MEDIA_FOLDER}/"))
            return
        file = unquote(target[len(MEDIA_PREFIX):].partition("#")[0])
        if file not in ext.images.names:
            close = difflib.get_close_matches(file, sorted(ext.images.names), n=1)
            hint = f"did you mean {MEDIA_PREFIX}{close[0]}?" if close else \
                f"there is no {MEDIA_FOLDER}/{file}"
            ext.report(line, f"the {what} `{target}` leads to no file: {hint}")
        else:
            el.set(name, ext.images.base + quote(file))

    def _check_footnotes(self, root: etree.Element) -> None:
        """A ``[^label]`` left as text: a footnote nobody defined."""
        for el in root.iter():
            for text in ((el.tail,) if el.tag in ("code", "pre") else (el.text, el.tail)):
                for label in FOOTNOTE_REF.findall(text or ""):
                    self.ext.report(line_of(self.ext.source, f"[^{label}]") or 1,
                                    f"the footnote [^{label}] is not defined: add a line "
                                    f"`[^{label}]: ...` with its text", "warning")

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
            href = (el.get("href") or "").strip() if el.tag == "a" else ""
            if href and "".join(el.itertext()).strip() in (href, href.removeprefix("mailto:")):
                el.set("class", " ".join(filter(None, [el.get("class"), "bare"])))  # print once
            if el.tag == "a" and not refused and href in ("", "#"):
                text = "".join(el.itertext())
                ext.report(line_of(ext.source, f"[{text}]"), f"the link `{text}` leads "
                           "nowhere (empty target); give it an address", "warning")
            elif href.startswith(("https://", "http://")) and not refused:
                ext.outbound.append((line_of(ext.source, href) or 1, href))
            elif href.startswith("#") and not refused and \
                    el.get("class") not in FOOTNOTE_LINKS:      # checked once the ids are known
                target = unquote(href[1:])
                ext.links.append((line_of(ext.source, f"(#{href[1:]}") or
                                  line_of(ext.source, href) or 1, target))


class RawHtmlCleaner(Postprocessor):
    """Raw HTML, where a site allows it, through the allow-list of ``sanitise``;
    what it drops is a warning at its line."""

    def __init__(self, md: markdown.Markdown, ext: "ChunkExtension") -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, text: str) -> str:
        from .sanitise import clean, refusals       # loaded by sites that allow HTML
        blocks = [str(block) for block in self.md.htmlStash.rawHtmlBlocks]
        for block in blocks:
            for what in refusals(block):
                self.ext.report(line_of(self.ext.source, block.strip()[:30]) or 1,
                                f"{what} is not allowed in a statement's HTML and was left "
                                "out (allowed: text, tables, lists, links, images, ids)",
                                "warning")
        return clean(text) if blocks else text       # whole tags: an <a> keeps its text


def _scroll_tables(root: etree.Element) -> None:
    """Each table in a box of its own that scrolls sideways (a wide table on a
    phone moves within it, never the page), which the keyboard can reach; a
    column's alignment as a class (HTML has no ``align`` attribute any more)."""
    for cell in root.iter():
        if cell.tag in ("th", "td") and \
                (align := cell.attrib.pop("align", None)) in ("left", "center", "right"):
            cell.set("class", f"align-{align}")
    for parent in list(root.iter()):
        for index, child in enumerate(list(parent)):
            if child.tag == "table":
                box = etree.Element("div", {"class": "table-scroll", "tabindex": "0"})
                parent.remove(child)
                box.append(child)
                box.tail, child.tail = child.tail, None
                parent.insert(index, box)


class ChunkExtension(Extension):
    """Raw HTML off unless allowed; the chunk tree processor; its findings."""

    def __init__(self, allow_html: bool, notes: StatementFootnotes, images: Images) -> None:
        super().__init__()
        self.allow_html, self.notes, self.images = allow_html, notes, images
        self.source, self.has_heading = "", False
        self.references: dict[str, tuple[str, str | None]] = {}   # the statement's
        self.defined: References = ()                               # the chunk's own
        self.meta: dict[str, object] = {}
        self.problems: list[tuple[int, str, str]] = []
        self.links: list[tuple[int, str]] = []
        self.outbound: list[tuple[int, str]] = []

    def report(self, line: int, message: str, severity: str = "error") -> None:
        self.problems.append((line, message, severity))

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (library API)
        if not self.allow_html:
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
        else:                            # once raw_html (30) has put the HTML back
            md.postprocessors.register(RawHtmlCleaner(md, self), "sitegen-clean-html", 25)
        md.treeprocessors.register(DocumentReferences(md, self), "sitegen-references", 25)
        md.treeprocessors.register(ChunkTreeprocessor(md, self), "sitegen-chunk", 4)


class ChunkConverter:
    """Python-Markdown instances, one for each syntax a chunk may use
    (``markdown_for``), reset between chunks (building one is costly), each
    built when a chunk first needs it (a rebuild converts none in most languages).
    ``back_title``: the title of a footnote's link back to the text, with
    ``{number}``."""

    def __init__(self, allow_html: bool,
                 back_title: str = "Back to footnote {number} in the text",
                 images: Images = Images("/media/")) -> None:
        self.allow_html, self.back_title, self.images = allow_html, back_title, images
        self.notes = StatementFootnotes(back_title)
        self.ext = ChunkExtension(allow_html, self.notes, images)
        self._built: dict[tuple[bool, Syntax], markdown.Markdown] = {}   # by ``markdown_for``

    def markdown_for(self, source: str) -> markdown.Markdown:
        """A Markdown for ``source``, with the syntax it may use (``syntax``); with
        footnotes if it has one, and then with everything: a part's notes are
        listed with the statement's others, whose text it does not hold."""
        notes = "[^" in source
        key = (notes, EVERYTHING if notes else syntax_of(source))
        md = self._built.get(key)
        if md is None:
            md = self._built[key] = self._markdown(*key)
        return md

    def _markdown(self, notes: bool, syntax: Syntax) -> markdown.Markdown:
        # instances, not names: a name is looked up among the entry points of every
        # installed package (20 ms on the first conversion of a build)
        md = markdown.Markdown(extensions=[*extensions(syntax), *([self.notes] if notes else []),
                                           self.ext], output_format="html")
        for name in syntax.unused_patterns:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        return md

    def __call__(self, source: str, has_heading: bool,
                 references: Mapping[str, tuple[str, str | None]] | None = None) -> Chunk:
        """Convert one chunk; a heading, if any, is its first line. ``references``:
        the link definitions of the whole statement."""
        md, ext = self.markdown_for(source), self.ext
        md.reset()
        ext.source, ext.has_heading, ext.problems, ext.links = source, has_heading, [], []
        ext.outbound = []
        ext.references = dict(references or {})
        self.notes.statement = ext.references
        # what a blank source gives, for which Markdown returns at once
        ext.meta, ext.defined = {"level": 0, "text": "", "id": "", "art": ""}, ()
        html = md.convert(source)
        meta, inner, rest = ext.meta, "", html
        if meta["level"]:                 # the heading, without attributes, comes first
            tag = f"h{meta['level']}"
            end = html.index(f"</{tag}>")
            inner, rest = html[len(tag) + 2:end], html[end + len(tag) + 3:].lstrip("\n")
        return Chunk(int(meta["level"]), inner, str(meta["text"]), str(meta["id"]),
                     str(meta["art"]), rest, tuple(ext.problems), ext.defined,
                     tuple(ext.links), tuple(ext.outbound))


def convert_chunk(text: str, has_heading: bool, references: Mapping[str, tuple[str, str | None]],
                  converter: ChunkConverter, reuse: Reuse) -> Chunk:
    """Convert a chunk part by part (``split_parts``), each through ``reuse``.
    ``references``: those of the whole statement, which hold over the chunk's own;
    a part that links to a definition in another part is converted again with it."""
    allow_html = converter.allow_html
    parts = split_parts(text, allow_html)

    def convert_parts(given: dict) -> list[tuple[int, Chunk]]:
        converted = []
        for start, part in parts:
            heading = has_heading and start == 1
            uses = tuple(given.items()) if "[" in part else ()   # what its HTML depends on
            if "[^" in part:                                     # a footnote's back link
                uses += (converter.back_title,)
            if MEDIA_PREFIX in part:                             # a file's address
                uses += (converter.images,)
            converted.append((start, reuse("markdown part", (part, heading, allow_html, uses),
                                           lambda p=part, h=heading, u=given:
                                           converter(p, h, u))))
        return converted

    chunks = convert_parts(dict(references))
    defined = definitions(chunks)
    if len(chunks) > 1 and not defined.keys() <= references.keys():
        chunks = convert_parts({**defined, **references})
    if len(chunks) == 1:
        return chunks[0][1]
    first = chunks[0][1]
    return Chunk(first.level, first.inner, first.text, first.given_id, first.article,
                 "\n".join(chunk.rest for _, chunk in chunks if chunk.rest),
                 tuple(placed_problems(chunks)), tuple(defined.items()),
                 _placed(chunks, "links"), _placed(chunks, "outbound"))


def _placed(chunks: list[tuple[int, Chunk]], field: str) -> tuple[tuple[int, str], ...]:
    """The (line, target) pairs of the parts' ``links`` or ``outbound``, on the
    lines of the whole chunk."""
    return tuple((start + line - 1, target) for start, chunk in chunks
                 for line, target in getattr(chunk, field))


def definitions(chunks: Iterable[tuple[int, Chunk]]) -> dict[str, tuple[str, str | None]]:
    """The link definitions of consecutive chunks; the last of a name holds."""
    return {name: found for _, chunk in chunks for name, found in chunk.references}


def placed_problems(chunks: Iterable[tuple[int, Chunk]]) -> list[tuple[int, str, str]]:
    """The problems of chunks that start at the given lines, on the lines of the
    text they were cut from (0 stays "no line")."""
    return [(start + line - 1 if line else 0, message, severity)
            for start, chunk in chunks for line, message, severity in chunk.problems]
