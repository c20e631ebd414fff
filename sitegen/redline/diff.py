"""Redlines between two versions of a statement. Pure: text in, structure out.

Sections are matched by anchor id (and by the aliases the new version keeps for
renamed ids, and by GDPR article), so a moved or renamed section shows as such;
inside a section, blocks and words are compared by ``textdiff``. The old side of
a diff always reads back as the old text, the new side as the new text.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import pickle
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NamedTuple

from ..markdown.anchors import slugify
from .blocks import Section, parse_sections, split_sections
from ..markdown.markup import Body
from ..engine.memo import Memo
from .textdiff import WORD, BlockDiff, Segment, block_diff, whole, word_diff


@dataclass(frozen=True)
class SectionDiff:
    id: str                      # anchor of the section on its newest side
    old_id: str
    level: int
    article: str
    status: str                  # unchanged | changed | added | removed
    title: tuple[Segment, ...]
    blocks: tuple[BlockDiff, ...]
    old_index: int = field(default=-1, compare=False)   # position in the old version
    moved: bool = False
    renamed: bool = False
    kept_as: tuple = field(default=(), compare=False)   # its memo key, if kept between builds

    def __hash__(self) -> int:
        """Section diffs are memo keys on every page that shows them: hash once."""
        try:
            return self.__dict__["_hash"]
        except KeyError:
            value = hash((self.id, self.old_id, self.level, self.article, self.status,
                          self.title, self.blocks, self.moved, self.renamed))
            object.__setattr__(self, "_hash", value)
            return value

    def __reduce__(self) -> tuple:
        """Pickled as plain tuples (twice as fast as named ones, which pickle through
        a Python method each), with the word counts and without the cached hash
        (another process salts hashes differently); the blocks pickled apart, to be
        made only when read (a rebuild shows most kept section diffs by their kept
        HTML, and needs of them only what the summary of a redline reads)."""
        blocks = self.__dict__.get("_blocks")
        if blocks is None:
            blocks = pickle.dumps(tuple([(b.kind, b.status, tuple(map(tuple, b.segments)))
                                         for b in self.blocks]), pickle.HIGHEST_PROTOCOL)
        return (_restore, (self.id, self.old_id, self.level, self.article, self.status,
                           tuple(map(tuple, self.title)), blocks,
                           self.old_index, self.moved, self.renamed, self.kept_as, self.words))

    def __getattr__(self, name: str) -> Any:
        """Only called for what is not set: the blocks of a section diff read back
        from its pickle, made when first read."""
        state = self.__dict__
        if name == "blocks" and "_blocks" in state:
            state["blocks"] = tuple([_block((kind, status, tuple(map(_segment, segments))))
                                     for kind, status, segments in pickle.loads(state["_blocks"])])
            return state["blocks"]
        raise AttributeError(name)

    def at(self, old_index: int, moved: bool | None = None) -> "SectionDiff":
        """The same section diff at another position of the old version (and
        marked moved there or not): a copy sharing the word counts, and the hash
        unless ``moved`` (part of it) changes."""
        moved = self.moved if moved is None else moved
        if old_index == self.old_index and moved == self.moved:
            return self
        self.words                                  # noqa: B018 -- count once, share
        state = dict(self.__dict__, old_index=old_index, moved=moved)
        if moved != self.moved:
            state.pop("_hash", None)
        other = object.__new__(type(self))          # not __init__: memo hits, every page
        other.__dict__.update(state)
        return other

    @functools.cached_property
    def words(self) -> tuple[int, int]:
        """Words added and removed."""
        counts = {"equal": 0, "insert": 0, "delete": 0}
        for segment in itertools.chain(self.title, *(b.segments for b in self.blocks)):
            if segment.op != "equal":
                counts[segment.op] += len(WORD.findall(segment.text))
        return counts["insert"], counts["delete"]

    @property
    def changed(self) -> bool:
        return self.status != "unchanged" or self.moved or self.renamed

    @property
    def heading(self) -> str:
        """The section's title on its newest side (the old side for a removed section)."""
        keep = ("equal", "delete" if self.status == "removed" else "insert")
        return "".join(s.text for s in self.title if s.op in keep)

    def side(self, op: str) -> str:
        """The text of one side ("delete" for old, "insert" for new) as lines."""
        keep = ("equal", op)
        lines = ["".join(s.text for s in self.title if s.op in keep)] if self.level else []
        for block in self.blocks:
            text = "".join(s.text for s in block.segments if s.op in keep)
            if block.segments and any(s.op in keep for s in block.segments):
                lines.append(text)
        return "\n".join(lines)


_segment = functools.partial(tuple.__new__, Segment)     # named tuples made in C
_block = functools.partial(tuple.__new__, BlockDiff)


def _restore(id: str, old_id: str, level: int, article: str, status: str,
             title: tuple[tuple[str, str], ...], blocks: bytes,
             old_index: int, moved: bool, renamed: bool, kept_as: tuple, words: tuple[int, int]
             ) -> SectionDiff:
    """A section diff from its pickle (see ``SectionDiff.__reduce__``)."""
    diff = object.__new__(SectionDiff)
    diff.__dict__.update(id=id, old_id=old_id, level=level, article=article, status=status,
                         title=tuple(map(_segment, title)), _blocks=blocks,
                         old_index=old_index, moved=moved, renamed=renamed, kept_as=kept_as,
                         words=words)
    return diff


@dataclass(frozen=True)
class RightChange:
    article: str
    title: str
    id: str
    status: str                  # added | removed | changed | unchanged


@dataclass(frozen=True)
class Redline:
    sections: tuple[SectionDiff, ...]
    rights: tuple[RightChange, ...]
    words_added: int
    words_removed: int
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return not any(s.changed for s in self.sections)


class _Named(NamedTuple):
    """A section as redlines name it: its anchor id and article, from the
    converted body, and the digest of the source it was read from (its part, and
    its place there: see ``parsed_sections``), and where that part lies in the
    source. A statement's are kept between builds (``compare``); its parsed
    sections are read only to compare one of them anew, from its part alone."""

    id: str
    article: str
    digest: str
    start: int
    end: int

    @property
    def key(self) -> tuple[str, str, str]:
        """All a section diff depends on: a memo key, short to hash and to keep."""
        return (self.id, self.article, self.digest)


def parse_part(text: str) -> tuple[str, list[Section]]:
    """A part of a statement's source (see ``split_sections``): its digest, its sections."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest(), parse_sections(text)


Parsed = dict[str, tuple[Section, int, int]]


def parsed_sections(source: str, parse: Callable[[str], tuple[str, list[Section]]] = parse_part
                    ) -> Parsed:
    """The sections of a statement in order, by digest: of their part, and their
    place in it (``digest.index``; a part that occurs again is told apart by a
    mark, ``+``), each with where its part starts and ends in ``source``.
    ``parse`` reads one part (a memoised one: versions share most parts)."""
    sections: Parsed = {}
    start = 0
    for part in split_sections(source):        # consecutive lines, one break between
        (digest, parsed), end = parse(part), start + len(part)
        for index, section in enumerate(parsed):
            name = f"{digest}.{index}"
            while name in sections:
                name += "+"
            sections[name] = (section, start, end)
        start = end + 1
    return sections


def named_sections(sections: Parsed, body: Body) -> list[_Named]:
    """The ``parsed_sections`` of a statement, named by the headings of its
    converted body."""
    headings = list(body.headings)
    aligned = sum(1 for s, _, _ in sections.values() if s.level) == len(headings)
    named, index = [], 0
    for digest, (section, start, end) in sections.items():
        if not section.level:
            named.append(_Named("", "", digest, start, end))
            continue
        heading = headings[index] if aligned else None
        named.append(_Named(heading.id if heading else slugify(section.title),
                            heading.article if heading else "", digest, start, end))
        index += 1
    return named


def _match(old: list[_Named], new: list[_Named], aliases: Mapping[str, str]) -> dict[int, int]:
    """new index -> old index, by id, then by alias the new version keeps, then by article."""
    by_id = {s.id: i for i, s in enumerate(new)}
    by_article = {s.article: i for i, s in enumerate(new) if s.article}
    pairs: dict[int, int] = {}
    for i, section in enumerate(old):
        alias = aliases.get(section.id) if section.id else None
        for target in (by_id.get(section.id), by_id.get(alias) if alias else None,
                       by_article.get(section.article) if section.article else None):
            if target is not None and target not in pairs:
                pairs[target] = i
                break
    return pairs


def _stable(old_indices: list[int]) -> set[int]:
    """Old indices on a longest increasing run: the sections that did not move."""
    if not old_indices:
        return set()
    tails: list[int] = []
    links: dict[int, int | None] = {}
    tail_at: list[int] = []
    for value in old_indices:
        pos = bisect.bisect_left(tails, value)          # tails increase
        links[value] = tail_at[pos - 1] if pos else None
        if pos == len(tails):
            tails.append(value)
            tail_at.append(value)
        else:
            tails[pos], tail_at[pos] = value, value
    result, current = set(), tail_at[-1]
    while current is not None:
        result.add(current)
        current = links[current]
    return result


Side = tuple[_Named, Section]           # a section as named, and as parsed


def _section_diff(old: Side | None, new: Side | None, old_index: int, kept_as: tuple = ()
                  ) -> SectionDiff:
    if new is None:
        name, s = old
        return SectionDiff(name.id, name.id, s.level, name.article, "removed",
                           word_diff(s.title, "") if s.level else (),
                           tuple(whole(b, "delete") for b in s.blocks), old_index,
                           kept_as=kept_as)
    if old is None:
        name, s = new
        return SectionDiff(name.id, "", s.level, name.article, "added",
                           word_diff("", s.title) if s.level else (),
                           tuple(whole(b, "insert") for b in s.blocks), kept_as=kept_as)
    (old_name, old_section), (new_name, new_section) = old, new
    title = word_diff(old_section.title, new_section.title)
    blocks = block_diff(old_section.blocks, new_section.blocks)
    same = all(s.op == "equal" for s in title) and all(b.status == "equal" for b in blocks)
    return SectionDiff(new_name.id, old_name.id, new_section.level,
                       new_name.article or old_name.article,
                       "unchanged" if same else "changed", title, blocks, old_index,
                       renamed=old_name.id != new_name.id, kept_as=kept_as)


def compare(old_source: str, old_body: Body, new_source: str, new_body: Body,
            memo: Memo | None = None, keep: bool = False) -> Redline:
    """The redline from one version's statement to another's, in one language.

    With a ``memo``, sections that several pairs of versions share are parsed
    and compared once; with ``keep``, the diffs of sections whose texts differ
    are kept between builds too (for a redline that builds to come will make
    again with most of its sections as they are: one against the current
    version, which every edit of that version changes).
    """
    memo = memo if memo is not None else Memo()

    def parse(part: str) -> tuple[str, list[Section]]:
        return memo.get(("section", part), lambda: parse_part(part))

    def named(source: str, body: Body) -> list[_Named]:
        # the body's digest stands for what is read of it: the ids of its headings,
        # and the articles' aliases on them, are in its HTML (its headings are
        # made only when read: a rebuild reads those of few)
        return memo.get(("sections", source, body.digest),
                        lambda: named_sections(parsed_sections(source, parse), body),
                        durable=True, packed=True)

    old, new = named(old_source, old_body), named(new_source, new_body)

    def side(name: _Named | None, source: str) -> Side | None:
        """A section as parsed: only its part is read (most diffs are kept)."""
        if name is None:
            return None
        index = int(name.digest.rpartition(".")[2].rstrip("+"))
        return name, parse(source[name.start:name.end])[1][index]

    def section_diff(a: _Named | None, b: _Named | None, index: int,
                     moved: bool = False) -> SectionDiff:
        key = ("section-diff", a.key if a else None, b.key if b else None)
        durable = keep and a is not None and b is not None and a.digest != b.digest
        return memo.get(key, lambda: _section_diff(side(a, old_source), side(b, new_source),
                                                   index, key if durable else ()),
                        durable=durable, packed=True).at(index, moved)

    pairs = _match(old, new, new_body.aliases)
    stable = _stable([pairs[j] for j in sorted(pairs)])
    removed_after: dict[int, list[int]] = {}
    order = {old_i: new_j for new_j, old_i in pairs.items()}
    for i in range(len(old)):
        if i not in order:
            anchor = max((order[k] for k in range(i) if k in order), default=-1)
            removed_after.setdefault(anchor, []).append(i)
    sections = [section_diff(old[i], None, i) for i in removed_after.get(-1, [])]
    for j, named in enumerate(new):
        old_i = pairs.get(j)
        sections.append(section_diff(old[old_i], named, old_i, old_i not in stable)
                        if old_i is not None else section_diff(None, named, -1))
        sections.extend(section_diff(old[i], None, i) for i in removed_after.get(j, []))
    return _summarise(tuple(sections))


def _summarise(sections: tuple[SectionDiff, ...]) -> Redline:
    """The redline of ``sections``: the changes to rights (by article), the counts
    of sections by status and of words (one pass: a page shows one summary each)."""
    counts = dict.fromkeys(("changed", "added", "removed", "moved", "unchanged"), 0)
    rights, added, removed = [], 0, 0
    for s in sections:
        if s.status != "unchanged":
            counts[s.status] += 1
        counts["moved"] += s.moved
        counts["unchanged"] += not s.changed
        added, removed = added + s.words[0], removed + s.words[1]
        if s.article:
            title = "".join([x.text for x in s.title if x.op != "delete"]) or \
                "".join([x.text for x in s.title])
            rights.append(RightChange(s.article, title, s.id, "changed" if s.status ==
                                      "unchanged" and s.renamed else s.status))
    rights.sort(key=lambda r: int(r.article) if r.article.isdigit() else 0)
    return Redline(sections, tuple(rights), added, removed, counts)
