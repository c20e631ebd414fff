"""Redlines between two versions of a statement. Pure: text in, structure out.

Sections are matched by anchor id (and by the aliases the new version keeps for
renamed ids, and by GDPR article), so a moved or renamed section shows as such;
inside a section, blocks and words are compared by ``textdiff``. The old side of
a diff always reads back as the old text, the new side as the new text.
"""
from __future__ import annotations

import bisect
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Callable, Mapping, NamedTuple

from ..markdown.anchors import slugify
from .blocks import Section, parse_sections, split_sections
from ..markdown.markup import Body
from ..reuse import Reuse, afresh
from .textdiff import BlockDiff, Segment, block_diff, title_diff, whole, word_count, word_diff


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
    words: tuple[int, int] = (0, 0)      # words added and removed
    # the sections compared, each by id, article and digest of its text (None
    # for the side a section is missing from): all that its HTML depends on
    # but ``moved``, and much shorter to hash than the diff itself
    source: tuple = ()

    def placed(self, old_index: int, moved: bool) -> "SectionDiff":
        """The same section diff at a position of the old version, marked moved or not
        (pairs of versions that share a section diff place it differently)."""
        if old_index == self.old_index and moved == self.moved:
            return self
        other = object.__new__(SectionDiff)     # a sixth of ``dataclasses.replace``'s
        other.__dict__.update(self.__dict__, old_index=old_index, moved=moved)   # time,
        return other                            # 37,000 times in a build of 200 x 4

    @property
    def changed(self) -> bool:
        return self.status != "unchanged" or self.moved or self.renamed

    @property
    def heading(self) -> str:
        """The section's title on its newest side (the old side for a removed section)."""
        keep = ("equal", "delete" if self.status == "removed" else "insert")
        return "".join(s.text for s in self.title if s.op in keep)

    @property
    def old_heading(self) -> str:
        """The section's title on its old side."""
        return "".join(s.text for s in self.title if s.op != "insert")

    def side(self, op: str) -> str:
        """The text of one side ("delete" for old, "insert" for new) as lines."""
        keep = ("equal", op)
        lines = ["".join(s.text for s in self.title if s.op in keep)] if self.level else []
        for block in self.blocks:
            text = "".join(s.text for s in block.segments if s.op in keep)
            if block.segments and any(s.op in keep for s in block.segments):
                lines.append(text)
        return "\n".join(lines)


def _words(title: tuple[Segment, ...], blocks: tuple[BlockDiff, ...]) -> tuple[int, int]:
    """Words added and removed."""
    counts = {"equal": 0, "insert": 0, "delete": 0}
    for segment in itertools.chain(title, *(b.segments for b in blocks)):
        if segment.op != "equal":
            counts[segment.op] += word_count(segment.text)
    return counts["insert"], counts["delete"]


@dataclass(frozen=True)
class RightChange:
    article: str
    title: str
    id: str
    status: str                  # added | removed | changed | unchanged
    target: str = ""             # the id of its section on the redline page
    first_change: tuple[Segment, ...] = ()   # its first changed block, marked


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

    @property
    def rights_changed(self) -> list[RightChange]:
        """The rights that changed (were changed, added or removed), in order."""
        return [r for r in self.rights if r.status != "unchanged"]

    @property
    def rights_unchanged(self) -> list[RightChange]:
        return [r for r in self.rights if r.status == "unchanged"]


class _Named(NamedTuple):
    """A section as redlines name it: its anchor id and article, from the
    converted body, and the digest of the source it was read from (its part, and
    its place there: see ``parsed_sections``), and where that part lies in the
    source: a section is parsed again from its part alone, when it is compared."""

    id: str
    article: str
    digest: str
    start: int
    end: int

    @property
    def key(self) -> tuple[str, str, str]:
        """All a section diff depends on, short to hash and to keep."""
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


def _section_diff(old: Side | None, new: Side | None) -> SectionDiff:
    source = tuple(side[0].key if side else None for side in (old, new))
    if new is None:
        name, s = old
        title = word_diff(s.title, "") if s.level else ()
        blocks = tuple(whole(b, "delete") for b in s.blocks)
        return SectionDiff(name.id, name.id, s.level, name.article, "removed", title, blocks,
                           words=_words(title, blocks), source=source)
    if old is None:
        name, s = new
        title = word_diff("", s.title) if s.level else ()
        blocks = tuple(whole(b, "insert") for b in s.blocks)
        return SectionDiff(name.id, "", s.level, name.article, "added", title, blocks,
                           words=_words(title, blocks), source=source)
    (old_name, old_section), (new_name, new_section) = old, new
    title = title_diff(old_section.title, new_section.title)
    blocks = block_diff(old_section.blocks, new_section.blocks)
    same = all(s.op == "equal" for s in title) and all(b.status == "equal" for b in blocks)
    return SectionDiff(new_name.id, old_name.id, new_section.level,
                       new_name.article or old_name.article,
                       "unchanged" if same else "changed", title, blocks,
                       renamed=old_name.id != new_name.id, words=_words(title, blocks),
                       source=source)


def compare(old_source: str, old_body: Body, new_source: str, new_body: Body,
            reuse: Reuse = afresh, current: bool = False) -> Redline:
    """The redline from one version's statement to another's, in one language.

    Through ``reuse``, what several pairs of versions share (the parts of the
    sources, each statement's named sections, the diff of two sections) is
    made once. ``current``: the new side is the current version (whose
    redlines against every older version an edit of it changes).
    """
    def parse(part: str) -> tuple[str, list[Section]]:
        return reuse("parsed part", part, lambda: parse_part(part))

    def named(source: str, body: Body) -> list[_Named]:
        # the body's digest stands for what is read of it: the ids of its headings,
        # and the articles' aliases on them, are in its HTML
        return reuse("named sections", (source, body.digest),
                     lambda: named_sections(parsed_sections(source, parse), body))

    old, new = named(old_source, old_body), named(new_source, new_body)

    def side(name: _Named | None, source: str) -> Side | None:
        """A section as parsed: only its part is read."""
        if name is None:
            return None
        index = int(name.digest.rpartition(".")[2].rstrip("+"))
        return name, parse(source[name.start:name.end])[1][index]

    kind = "section diff against the current version" if current else "section diff"

    def section_diff(a: _Named | None, b: _Named | None, index: int,
                     moved: bool = False) -> SectionDiff:
        inputs = (a.key if a else None, b.key if b else None)
        return reuse(kind, inputs, lambda: _section_diff(side(a, old_source), side(b, new_source))
                     ).placed(index, moved)

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


def section_target(section: SectionDiff) -> str:
    """The id of a changed section on a redline page (what its list of changes links to)."""
    return f"s-{section.status}-{section.id or 'preamble'}"


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
            first = next((b.segments for b in s.blocks if b.status != "equal"), ())
            rights.append(RightChange(s.article, title, s.id, "changed" if s.status ==
                                      "unchanged" and s.renamed else s.status,
                                      section_target(s), first))
    rights.sort(key=lambda r: int(r.article) if r.article.isdigit() else 0)
    return Redline(sections, tuple(rights), added, removed, counts)
