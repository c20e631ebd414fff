"""Markdown -> HTML for one statement, with anchors, rights list and self-links.

The statement is converted chunk by chunk (``chunks``: one heading and what
follows it, each converted once however many versions share it). Then the
whole statement is dressed: every heading gets its id (set with ``{#id}`` or
derived from its text), ``{art=15}`` becomes the ``#art-15`` alias, renamed ids
of earlier versions get alias anchors, every heading a self-link, and the
rights section a list of the rights.
"""
from __future__ import annotations

import difflib
import hashlib
import sys
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, NamedTuple

from . import anchors
from .chunks import Chunk, ChunkConverter, convert_chunk, definitions, placed_problems
from .cuts import split_chunks
from ..errors import Problem
from .escaping import attribute, escape
from ..reuse import Reuse, afresh

# the ids of the page around the body
RESERVED_IDS = frozenset({"main", "toc", "corrections", "contact-card"})
Resolver = Callable[[Iterable[str]], anchors.Resolution]


class Heading(NamedTuple):
    """A heading of a converted body."""

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
    digest: str                      # SHA-256 of the HTML, for the keys of outputs
    # ids of earlier versions that land on no heading (see ``convert.statement``)
    missing: tuple[str, ...] = ()
    # the sections removed since earlier versions, each at its old id
    tombstones: tuple[anchors.Tombstone, ...] = ()
    paired: Mapping[str, str] = field(default_factory=dict)   # renames found by ``pairing``
    outbound: tuple[tuple[int, str], ...] = ()   # (line in the file, address) of http(s) links
    broken: tuple[tuple[int, str], ...] = ()     # (line in the file, id) of #id links to no id
    # the pieces ``html`` joins with line breaks, each one object for every body
    # that has it (see ``__reduce__``); () where it was not made so
    parts: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def rights(self) -> tuple[Heading, ...]:
        return tuple(h for h in self.headings if h.article)

    def __reduce__(self) -> tuple:
        """Pickled (into the memo's file) with its HTML as its parts, which the
        versions of a statement share: a pickle writes each once. The 200 bodies
        of a language of 200 x 4 pickle to 0.77 MB so, 3.4 MB with their HTML."""
        values = dict(self.__dict__)
        if self.parts:
            del values["html"]
        return (_body, (values,))


def _body(values: dict) -> Body:
    """A ``Body`` as ``Body.__reduce__`` pickled it."""
    if "html" not in values:
        values = {**values, "html": "\n".join(values["parts"])}
    return Body(**values)


class _Dresser:
    """Gives a statement's headings their ids, aliases and self-links."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self.labels = labels
        self.problems: list[tuple[int, str, str]] = []
        self.taken: set[str] = set()
        self.aliases: dict[str, str] = {}
        self.earlier: dict[str, str] = {}      # id by the earlier rule -> heading id

    def report(self, line: int, message: str) -> None:
        self.problems.append((line, message, "error"))

    def identify(self, chunks: list[tuple[int, Chunk]]) -> list[Heading]:
        manual = {c.given_id for _, c in chunks if c.given_id}
        articles = {anchors.art_alias(c.article) for _, c in chunks if c.article}
        headings = []
        occupied = self.taken | manual | articles | RESERVED_IDS      # kept up to date
        suffixes: dict[str, int] = {}           # the next -N to try for a derived id
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
            anchor = given or anchors.unique(anchors.slugify(chunk.text), occupied, suffixes)
            self.taken.add(anchor)
            occupied.add(anchor)
            if chunk.article:
                self.article(chunk.article, anchor, line)
            headings.append(Heading(chunk.level, anchor, chunk.text, line, chunk.article))
        self.keep_earlier_ids([h for h in headings if h.id not in manual],
                              manual | articles | RESERVED_IDS)
        return headings

    def keep_earlier_ids(self, headings: list[Heading], reserved: set[str]) -> None:
        """The id the earlier, ASCII-only rule gave a heading whose id is derived
        from its text, where it differs
        (``anchors.earlier_slug``), as an alias, so that a link made then still
        lands. Not a promise of later versions: only as long as the text stays."""
        for heading in headings:
            earlier = anchors.earlier_slug(heading.text)
            if earlier and earlier != heading.id and earlier not in self.taken \
                    and earlier not in reserved and earlier not in self.earlier:
                self.earlier[earlier] = heading.id

    def article(self, article: str, anchor: str, line: int) -> None:
        alias = anchors.art_alias(article)
        if not article.isdigit():
            self.report(line, f"art={article}: the article must be a number, e.g. art=15")
        elif article not in anchors.RIGHTS_ARTICLES:
            known = ", ".join(f"{number} ({right})"
                              for number, right in anchors.RIGHTS_ARTICLES.items())
            self.report(line, f"art={article} is not the article of a data subject's right; "
                        f"the GDPR's are {known}")
        elif alias in self.aliases or alias in self.taken:
            self.report(line, f"art={article} is used twice; each right has its own article")
        else:
            self.aliases[alias] = anchor

    def aliases_of(self) -> dict[str, list[str]]:
        """Once the aliases are known: each heading's, in the order they are shown."""
        found: dict[str, list[str]] = {}
        for alias, target in sorted({**self.earlier, **self.aliases}.items(), reverse=True):
            found.setdefault(target, []).append(alias)
        return found

    def heading_html(self, heading: Heading, chunk: Chunk, aliases: list[str]) -> str:
        spans = "".join(f'<span class="alias" id="{escape(alias)}"></span>' for alias in aliases)
        label = self.labels["self_link"].format(title=heading.text)
        return (f'<h{heading.level} id="{escape(heading.id)}">{spans}{chunk.inner}'
                f'<a aria-label="{attribute(label)}" class="self-link" '
                f'href="#{escape(heading.id)}">#</a></h{heading.level}>')

    def rights_nav(self, rights: list[Heading]) -> str:
        items = "".join(f'<li><a href="#{escape(h.id)}">{escape(h.text)}</a></li>\n'
                        for h in rights)
        return (f'<nav aria-label="{attribute(self.labels["rights_nav"])}" class="rights-nav">\n'
                f"<ul>\n{items}</ul>\n</nav>")


def _broken_links(chunks: list[tuple[int, Chunk]], known: set[str], path: str,
                  absolute: Callable[[int], int]) -> list[Problem]:
    """A warning for each ``#id`` link to an id the page does not have."""
    found = []
    for start, chunk in chunks:
        for line, target in chunk.links:
            if target in known:
                continue
            close = difflib.get_close_matches(target, sorted(known), n=1, cutoff=0.6)
            hint = f"did you mean #{close[0]}?" if close else "no heading has that id"
            found.append(Problem(path, absolute(start + line - 1), f"the link to #{target} "
                                 f"leads to no part of this page: {hint}", "warning"))
    return found


def no_history(own: Iterable[str]) -> anchors.Resolution:
    return anchors.Resolution({}, ())


def convert(source: str, path: str, first_line: int, labels: Mapping[str, str],
            resolver: Resolver = no_history, allow_html: bool = False,
            reuse: Reuse = afresh,
            converter: ChunkConverter | None = None, open_: bool = False) -> Body:
    """Convert one statement body; ``first_line`` is its first line in ``path``.

    The anchors of earlier versions that land nowhere are left in ``missing``.
    Its chunks are converted through ``reuse``; ``open_``: the statement is
    still being edited (an edit leaves most of its chunks as they were).
    """
    converter = converter or ChunkConverter(allow_html, labels.get("footnote_back", "{number}"))
    pieces = split_chunks(source)
    kind = "chunk of an open version" if open_ else "chunk"

    def converted(text: str, has_heading: bool, references: dict) -> Chunk:
        inputs = (text, has_heading, allow_html, tuple(references.items()))
        return reuse(kind, inputs,
                     lambda: convert_chunk(text, has_heading, references, converter, reuse))

    chunks = [(start, converted(text, has_heading, {})) for start, text, has_heading in pieces]
    references = definitions(chunks)
    if references:                     # chunks that may link to them, again with them all
        chunks = [(start, converted(text, has_heading, references) if "[" in text else chunk)
                  for (start, text, has_heading), (_, chunk) in zip(pieces, chunks)]
    dresser = _Dresser(labels)
    headings = dresser.identify(chunks)
    resolution = resolver(dresser.taken | set(dresser.aliases))
    dresser.aliases.update(resolution.aliases)
    parts, by_line, aliases = [], {h.line: h for h in headings}, dresser.aliases_of()
    rights = [h for h in headings if h.article]
    for start, chunk in chunks:
        heading = by_line.get(start) if chunk.level else None
        # (interned: the same heading of every version is one object, see ``Body``)
        if heading is not None and rights and heading is rights[0]:
            parts.append(sys.intern(dresser.rights_nav(rights)))
        if heading is not None:
            parts.append(sys.intern(dresser.heading_html(heading, chunk,
                                                         aliases.get(heading.id, []))))
        if chunk.rest:
            parts.append(chunk.rest)
    problems = placed_problems(chunks) + dresser.problems

    def absolute(line: int) -> int:
        return first_line + line - 1 if line else 0

    found = [Problem(path, absolute(line), message, severity)
             for line, message, severity in problems]
    known = dresser.taken | set(dresser.aliases) | set(dresser.earlier) | RESERVED_IDS
    found += _broken_links(chunks, known, path, absolute)
    html = "\n".join(parts)
    return Body(html=html, parts=tuple(parts), headings=tuple(headings),
                anchors=frozenset(dresser.taken | set(dresser.aliases)),
                aliases=dict(dresser.aliases), problems=tuple(found),
                digest=hashlib.sha256(html.encode("utf-8")).hexdigest(),
                missing=resolution.missing,
                outbound=tuple((absolute(start + line - 1), address) for start, chunk in chunks
                               for line, address in chunk.outbound),
                broken=tuple((absolute(start + line - 1), target) for start, chunk in chunks
                             for line, target in chunk.links if target not in known))
