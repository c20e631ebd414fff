"""Redlines between two versions of a statement. Pure: text in, structure out.

Sections are matched by anchor id (and by the aliases the new version keeps for
renamed ids, and by GDPR article), so a moved or renamed section shows as such.
Inside a section, blocks are matched first (difflib over whole blocks), then
words inside each changed pair of blocks (diff-match-patch over word tokens,
with its semantic clean-up), so a changed phrase reads as one deletion and one
insertion. The old side of a diff always reads back as the old text, the new
side as the new text.
"""
from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping, NamedTuple, Sequence

from diff_match_patch import diff_match_patch

from .anchors import slugify
from .blocks import Block, Section, parse_sections
from .markup import Body
from .memo import Memo

TOKEN = re.compile(r"\[[^\]\n]*\]\([^)\s]*\)|<[A-Za-z][A-Za-z0-9+.-]*:[^>\s]*>|\w+|\s+|[^\w\s]")
WORD = re.compile(r"\w+")
LOOKAHEAD = 6          # how far ahead a changed block looks for its counterpart
ALIGN_LIMIT = 2500     # block pairs in a replaced range above which pairing is greedy
DMP_OPS = {0: "equal", -1: "delete", 1: "insert"}
SIMILAR = 0.5          # quick_ratio of word tokens above which two blocks are one, edited


class Segment(NamedTuple):
    """A run of words: ``op`` is equal, insert or delete. Segments and blocks are
    named tuples, hashed and compared in C: they are memo keys on every page."""

    op: str
    text: str


class BlockDiff(NamedTuple):
    kind: str
    status: str                  # equal | changed | added | removed
    segments: tuple[Segment, ...]


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

    def __hash__(self) -> int:
        """Section diffs are memo keys on every page that shows them: hash once."""
        try:
            return self.__dict__["_hash"]
        except KeyError:
            value = hash((self.id, self.old_id, self.level, self.article, self.status,
                          self.title, self.blocks, self.moved, self.renamed))
            object.__setattr__(self, "_hash", value)
            return value

    def __getstate__(self) -> dict:
        """Pickled without the cached hash: another process salts hashes differently."""
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

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


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def _encode(items: Sequence[str], table: dict[str, str]) -> str:
    """One character per token, so diff-match-patch diffs tokens, not letters."""
    for item in dict.fromkeys(items):                   # in order of first use
        if item not in table:
            code = 0x100 + len(table)
            table[item] = chr(code + 0x800 if code >= 0xD800 else code)   # skip surrogates
    return "".join(map(table.__getitem__, items))


@functools.lru_cache(maxsize=1 << 16)       # pure; versions repeat the same edits
def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level segments; each run of changes is one deletion then one insertion."""
    if old == new:
        return (Segment("equal", old),) if old else ()
    table: dict[str, str] = {}
    a, b = _encode(tokens(old), table), _encode(tokens(new), table)
    decode = {char: token for token, char in table.items()}.__getitem__
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0            # no deadline: the same input gives the same output
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return _merge_runs([(DMP_OPS[op], "".join(map(decode, chars))) for op, chars in diffs])


def clear_caches() -> None:
    """Empty the caches of this module's pure functions (to bound memory)."""
    for cached in (word_diff, _whole_text, _text_similarity, _words, _bag):
        cached.cache_clear()


def _merge_runs(raw: Iterable[tuple[str, str]]) -> tuple[Segment, ...]:
    """Fold whitespace-only equalities into the changes around them; order del, ins."""
    raw = list(raw)
    out: list[Segment] = []
    deleted, inserted = [], []

    def flush() -> None:
        if deleted:
            out.append(Segment("delete", "".join(deleted)))
        if inserted:
            out.append(Segment("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for index, (op, text) in enumerate(raw):
        between = 0 < index < len(raw) - 1 and raw[index - 1][0] != "equal" \
            and raw[index + 1][0] != "equal"
        if op == "equal" and not (between and not text.strip()):
            flush()
            out.append(Segment("equal", text))
        elif op == "equal":
            deleted.append(text)
            inserted.append(text)
        else:
            (deleted if op == "delete" else inserted).append(text)
    flush()
    return tuple(out)


def _whole(block: Block, op: str) -> BlockDiff:
    """A block removed ("delete"), added ("insert") or kept ("equal") whole."""
    return _whole_text(block.kind, block.text, op)


@functools.lru_cache(maxsize=1 << 14)       # shared: fewer objects for the collector
def _whole_text(kind: str, text: str, op: str) -> BlockDiff:
    status = {"delete": "removed", "insert": "added", "equal": "equal"}[op]
    return BlockDiff(kind, status, (Segment(op, text),))


def _similarity(a: Block, b: Block) -> float:
    return _text_similarity(a.text, b.text) if a.kind == b.kind else 0.0


@functools.lru_cache(maxsize=1 << 16)
def _text_similarity(a: str, b: str) -> float:
    """The ratio of matching words, exact from SIMILAR up; 0.0 below, where only
    that it is below matters (told by upper bounds, without matching)."""
    words_a, words_b = _words(a), _words(b)
    total = len(words_a) + len(words_b)
    if total and 2.0 * min(len(words_a), len(words_b)) / total < SIMILAR:
        return 0.0
    if total and 2.0 * (_bag(a) & _bag(b)).total() / total < SIMILAR:
        return 0.0
    return difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).ratio()


@functools.lru_cache(maxsize=1 << 14)
def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text))


@functools.lru_cache(maxsize=1 << 14)
def _bag(text: str) -> Counter[str]:
    return Counter(_words(text))


def _align(old: Sequence[Block], new: Sequence[Block]) -> list[tuple[int, int]]:
    """Pairs (i, j) of similar blocks, in order, with the greatest total similarity.

    Dynamic programming over the replaced range; a very large range (a rewrite)
    is paired greedily within a small window instead, to stay near linear.
    """
    if not old or not new:
        return []
    if len(old) == len(new) == 1:                       # the usual edit: one block
        return [(0, 0)] if _similarity(old[0], new[0]) >= SIMILAR else []
    if len(old) * len(new) > ALIGN_LIMIT:
        pairs, j = [], 0
        for i, block in enumerate(old):
            match = next((k for k in range(j, min(j + LOOKAHEAD, len(new)))
                          if _similarity(block, new[k]) >= SIMILAR), None)
            if match is not None:
                pairs.append((i, match))
                j = match + 1
        return pairs
    sim = [[_similarity(a, b) for b in new] for a in old]
    best = [[0.0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for i in range(len(old) - 1, -1, -1):
        for j in range(len(new) - 1, -1, -1):
            pair = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= SIMILAR else 0.0
            best[i][j] = max(pair, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < len(old) and j < len(new):
        if sim[i][j] >= SIMILAR and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _pair_range(old: Sequence[Block], new: Sequence[Block]) -> list[BlockDiff]:
    """Blocks of a replaced range: similar ones paired and diffed word by word, in
    order; the rest removed or added whole."""
    result: list[BlockDiff] = []
    i = j = 0
    for pi, pj in _align(old, new) + [(len(old), len(new))]:
        result.extend(_whole(b, "delete") for b in old[i:pi])
        result.extend(_whole(b, "insert") for b in new[j:pj])
        if pi < len(old):
            result.append(BlockDiff(old[pi].kind, "changed", word_diff(old[pi].text, new[pj].text)))
        i, j = pi + 1, pj + 1
    return result


def block_diff(old: Sequence[Block], new: Sequence[Block]) -> tuple[BlockDiff, ...]:
    keys_a = [(b.kind, b.text) for b in old]
    keys_b = [(b.kind, b.text) for b in new]
    if keys_a == keys_b:
        return tuple(_whole(b, "equal") for b in old)
    result: list[BlockDiff] = []
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.extend(_whole(b, "equal") for b in old[i1:i2])
        else:
            result.extend(_pair_range(old[i1:i2], new[j1:j2]))
    return tuple(result)


@dataclass(frozen=True)
class _Named:
    """A section with its anchor id and article, from the converted body."""

    section: Section
    id: str
    article: str

    @functools.cached_property
    def key(self) -> tuple:
        """All a section diff depends on, as plain strings: a memo key that hashes
        and compares in C, where the dataclasses would each call ``__hash__``."""
        s = self.section
        blocks = (x for b in s.blocks for x in (b.kind, b.text))
        return (self.id, self.article, s.level, s.title, *blocks)


def _heading_names(body: Body) -> tuple[str, ...]:
    """All of the body that ``named_sections`` reads, cheaper to hash than headings."""
    return tuple(x for h in body.headings for x in (h.id, h.article))


def named_sections(source: str, body: Body) -> list[_Named]:
    sections = parse_sections(source)
    headings = list(body.headings)
    titled = [s for s in sections if s.level]
    aligned = len(titled) == len(headings)
    named, index = [], 0
    for section in sections:
        if not section.level:
            named.append(_Named(section, "", ""))
            continue
        heading = headings[index] if aligned else None
        named.append(_Named(section, heading.id if heading else slugify(section.title),
                            heading.article if heading else ""))
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


def _section_diff(old: _Named | None, new: _Named | None, old_index: int) -> SectionDiff:
    if new is None:
        s = old.section
        return SectionDiff(old.id, old.id, s.level, old.article, "removed",
                           word_diff(s.title, "") if s.level else (),
                           tuple(_whole(b, "delete") for b in s.blocks), old_index)
    if old is None:
        s = new.section
        return SectionDiff(new.id, "", s.level, new.article, "added",
                           word_diff("", s.title) if s.level else (),
                           tuple(_whole(b, "insert") for b in s.blocks))
    title = word_diff(old.section.title, new.section.title)
    blocks = block_diff(old.section.blocks, new.section.blocks)
    same = all(s.op == "equal" for s in title) and all(b.status == "equal" for b in blocks)
    return SectionDiff(new.id, old.id, new.section.level, new.article or old.article,
                       "unchanged" if same else "changed", title, blocks, old_index,
                       renamed=old.id != new.id)


def compare(old_source: str, old_body: Body, new_source: str, new_body: Body,
            memo: Memo | None = None) -> Redline:
    """The redline from one version's statement to another's, in one language.

    With a ``memo``, sections that several pairs of versions share are parsed
    and compared once.
    """
    memo = memo if memo is not None else Memo()
    old = memo.get(("sections", old_source, _heading_names(old_body)),
                   lambda: named_sections(old_source, old_body))
    new = memo.get(("sections", new_source, _heading_names(new_body)),
                   lambda: named_sections(new_source, new_body))

    def section_diff(a: _Named | None, b: _Named | None, index: int,
                     moved: bool = False) -> SectionDiff:
        key = ("section-diff", a.key if a else None, b.key if b else None)
        return memo.get(key, lambda: _section_diff(a, b, index)).at(index, moved)

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


def _count_words(sections: Iterable[SectionDiff], op: str) -> int:
    return sum(s.words[0 if op == "insert" else 1] for s in sections)


def _summarise(sections: tuple[SectionDiff, ...]) -> Redline:
    rights = tuple(RightChange(s.article, "".join(x.text for x in s.title if x.op != "delete")
                               or "".join(x.text for x in s.title), s.id,
                               s.status if s.status != "unchanged" or not s.renamed else "changed")
                   for s in sections if s.article)
    counts = {"changed": sum(s.status == "changed" for s in sections),
              "added": sum(s.status == "added" for s in sections),
              "removed": sum(s.status == "removed" for s in sections),
              "moved": sum(s.moved for s in sections),
              "unchanged": sum(not s.changed for s in sections)}
    return Redline(sections, tuple(sorted(rights, key=lambda r: int(r.article)
                                          if r.article.isdigit() else 0)),
                   _count_words(sections, "insert"), _count_words(sections, "delete"), counts)
