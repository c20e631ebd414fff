"""Comparing the blocks of one section, and the words inside a changed block.

Blocks are matched first (difflib's SequenceMatcher over whole blocks; a
replaced range paired by the greatest total word similarity), then words inside
each changed pair (diff-match-patch over word tokens, with its semantic
clean-up), so a changed phrase reads as one deletion and one insertion. Both
run in C++ ports: CyDifflib gives difflib's results exactly, six times as fast.
Pure: text in, segments out.

Every comparison has a budget, so that no text within the size limits takes
unbounded time: difflib's matching costs up to the cube of the items it compares
(one paragraph of 20,000 words, every other one changed, took 104 s), and
diff-match-patch the square. The work of difflib's matching is counted step by
step (``_matching``) in units of about a nanosecond; where it would pass its
budget, or a word diff is over ``WORD_LIMIT`` tokens, the comparison is made
coarser, never unfaithful: what it shows as kept is kept, so the old side still
reads back as the old text and the new side as the new, and a run it cannot
afford to compare is shown deleted and inserted whole. A budget follows from the
texts compared alone, never from the clock, so the same texts always give the
same redline. Ordinary statements never come near one (``tests/unit/
test_diff_budget.py``): they are compared exactly as before there were budgets.
"""
from __future__ import annotations

import functools
import itertools
import re
import zlib
from collections import Counter
from typing import Iterable, NamedTuple, Sequence

import fast_diff_match_patch
from cydifflib import SequenceMatcher

from .blocks import Block
from ..words import CHARACTER_WORD, RUN_WORD, spaced, words

# A link or autolink is one token. The label stops at the next "[" and the
# address at the next "](", so a run of "[" or of "[a](" is read in linear time
# (from every "[" the pattern scanned to the end of the text: 300,000 "[" took
# minutes); no real link holds either, and Markdown itself reads "[a [b](c)" as
# "[a " and a link. An autolink, as in Markdown, holds no "<".
LINK = r"\[[^\[\]\n]*\]\((?:[^)\s\]]|\](?!\())*\)|<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>"
TOKEN = re.compile(LINK + r"|\w+|\s+|[^\w\s]")
# The same, with each character of a script without spaces its own word (``words``)
TOKEN_UNSPACED = re.compile(f"{LINK}|{RUN_WORD}|{CHARACTER_WORD}" + r"|\s+|[^\w\s]")
LOOKAHEAD = 6          # how far ahead a changed block looks for its counterpart
ALIGN_LIMIT = 2500     # block pairs in a replaced range above which pairing is greedy
DMP_OPS = {"=": "equal", "-": "delete", "+": "insert"}
SIMILAR = 0.5          # quick_ratio of word tokens above which two blocks are one, edited

# --- the budgets, in units of about a nanosecond of one core --------------------------------
# One step of difflib's matching costs a call of CyDifflib's find_longest_match
# with this module's loop around it (measured 1.5 us), a cell of the range it
# searches (it clears a row of them for each item: 0.1 ns) and each pair of equal
# items it visits (2.6 to 4.7 ns).
STEP_UNITS, CELL_SHIFT, PAIR_UNITS = 1_500, 3, 5
# Two texts of m and n words with m * n * min(m, n) under this (both under 15
# words, as most list items) are rated by CyDifflib in one call, without the loop:
# 7 us at most even for the worst words (de de de ... against de het de het ...).
FAST_CUBE = 3_375
# Rating two longer texts may cost 20 us plus 2 us a word of the two, 7 times what
# the costliest pair of the 200 x 4 corpus spends (24 and 32 words, 20 us): 1,000
# words a side stop within 4 ms, where de de de ... against de het de het ... took
# 0.5 s (and 20,000 words, 4,000 s); past it, what was proven alike counts.
RATE_BASE, RATE_PER_WORD = 20_000, 2_000
# Pairing a replaced range by the greatest total similarity (up to ALIGN_LIMIT
# ratings) may cost 0.5 ms plus 2 us a word of the range, 8 times what the
# costliest range of the 200 x 4 corpus spends (6 blocks against 4, 78 us);
# past it the range is paired greedily, as a very large one is: 50 x 50 blocks of
# 100 random words a side took 17 us a word, now 4 us.
ALIGN_BASE, ALIGN_PER_WORD = 500_000, 2_000
# Matching the blocks of a section (more than 15 a side; the corpus has at most
# 10) may cost 1 ms plus 2 us a block: 50,000 list items of which every other one
# changed stop after 0.2 s, where they took hours; past it, the blocks the two
# share at the start and at the end, and the matches found so far, are kept.
BLOCKS_BASE, BLOCKS_PER_BLOCK = 1_000_000, 2_000
# A word diff of up to 6,000 tokens (old and new) is exact: 16 times the longest
# of the corpus (369), and the real statements compared whole (5,278) are too;
# diff-match-patch takes at most some 40 ms on it.
WORD_LIMIT = 6_000
# A longer one keeps the tokens the two share at the start and at the end, then
# matches what lies between, first in chunks of tokens (cut after words whose
# CRC-32 is a multiple of CHUNK, some 16 tokens, or after CHUNK_MAX: the same
# words are cut alike in both texts), then token by token in each changed run of
# chunks, for 1 ms plus 0.25 us a token: 2 MB of text a side within 1 s, where
# 40,000 words, every other one changed, were killed after 120 s.
COARSE_BASE, COARSE_PER_TOKEN = 1_000_000, 250
CHUNK, CHUNK_MAX = 8, 64
# Two headings of more characters than this are compared word by word only if
# they are alike enough to be paired (an ordinary heading is a line of 20 words).
TITLE_CHARS = 2_000


class Segment(NamedTuple):
    """A run of words: ``op`` is equal, insert or delete. Segments and blocks are
    named tuples, hashed and compared in C: they are memo keys on every page."""

    op: str
    text: str


class BlockDiff(NamedTuple):
    kind: str
    status: str                  # equal | changed | added | removed
    segments: tuple[Segment, ...]


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text) if spaced(text) else TOKEN_UNSPACED.findall(text)


def _encode(items: Sequence[str], table: dict[str, str]) -> str:
    """One character per token, so diff-match-patch diffs tokens, not letters."""
    for item in dict.fromkeys(items):                   # in order of first use
        if item not in table:
            code = 0x100 + len(table)
            table[item] = chr(code + 0x800 if code >= 0xD800 else code)   # skip surrogates
    return "".join(map(table.__getitem__, items))


Raw = list[tuple[str, str]]         # (op, text) as diff-match-patch gives them


def _dmp(old: Sequence[str], new: Sequence[str]) -> Raw:
    """diff-match-patch over two token lists."""
    table: dict[str, str] = {}
    a, b = _encode(old, table), _encode(new, table)
    # timelimit=0: no deadline, so the same input always gives the same output;
    # counts only: each run is a slice of the tokens, so no character is decoded
    diffs = fast_diff_match_patch.diff(a, b, timelimit=0, checklines=False,
                                       cleanup="Semantic", counts_only=True)
    raw: Raw = []
    i = j = 0
    for op, count in diffs:
        if op == "+":
            raw.append(("insert", "".join(new[j:j + count])))
            j += count
        else:
            raw.append((DMP_OPS[op], "".join(old[i:i + count])))
            i += count
            j += count if op == "=" else 0
    return raw


@functools.lru_cache(maxsize=1 << 16)       # pure; versions repeat the same edits
def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level segments; each run of changes is one deletion then one insertion."""
    if old == new:
        return (Segment("equal", old),) if old else ()
    a, b = tokens(old), tokens(new)
    if len(a) + len(b) <= WORD_LIMIT:
        return _merge_runs(_dmp(a, b))
    return _merge_runs(_joined(_coarse(a, b)))


def title_diff(old: str, new: str) -> tuple[Segment, ...]:
    """``word_diff`` of two headings; a long heading is compared word by word only
    if its words are alike enough for two blocks to be paired (``TITLE_CHARS``)."""
    if len(old) + len(new) > TITLE_CHARS and old and new and \
            _text_similarity(old, new)[0] < SIMILAR:
        return (Segment("delete", old), Segment("insert", new))
    return word_diff(old, new)


def _coarse(a: list[str], b: list[str]) -> Raw:
    """A word diff of long token lists, within a budget (see ``COARSE_BASE``)."""
    start, end = _common_ends(a, b)
    old, new = a[start:len(a) - end], b[start:len(b) - end]
    if len(old) + len(new) <= WORD_LIMIT:
        middle = _dmp(old, new) if old and new else _matched(old, new, Budget(0), False)
    else:
        middle = _matched(old, new, Budget(COARSE_BASE + COARSE_PER_TOKEN
                                           * (len(old) + len(new))), True)
    return [("equal", "".join(a[:start]))] + middle + [("equal", "".join(a[len(a) - end:]))]


def _common_ends(a: Sequence, b: Sequence) -> tuple[int, int]:
    """How many items ``a`` and ``b`` share at the start, and then at the end."""
    start, most = 0, min(len(a), len(b))
    while start < most and a[start] == b[start]:
        start += 1
    end = 0
    while end < most - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    return start, end


def _matched(old: list[str], new: list[str], budget: Budget, chunked: bool) -> Raw:
    """Tokens compared by difflib's matching within ``budget``: equal runs kept,
    the rest deleted and inserted; with ``chunked``, chunks of tokens are matched
    first, then the tokens of each changed run of chunks, while budget is left."""
    if not old or not new:
        return [("delete", "".join(old)), ("insert", "".join(new))]
    if chunked:
        a, b = _chunks(old), _chunks(new)
        at_a, at_b = _offsets(a), _offsets(b)
    else:
        a, b = old, new
        at_a, at_b = range(len(old) + 1), range(len(new) + 1)
    matches, _, spent = _matching(a, b, budget.left)
    budget.left -= spent
    raw: Raw = []
    for op, i1, i2, j1, j2 in _opcodes(matches, len(a), len(b)):
        part_a, part_b = old[at_a[i1]:at_a[i2]], new[at_b[j1]:at_b[j2]]
        if op == "equal":
            raw.append(("equal", "".join(part_a)))
        elif chunked and budget.left > 0:
            raw += _matched(part_a, part_b, budget, False)
        else:
            raw += [("delete", "".join(part_a)), ("insert", "".join(part_b))]
    return raw


def _chunks(items: list[str]) -> list[tuple[str, ...]]:
    """``items`` cut where their content says (after a word whose CRC-32 is a
    multiple of ``CHUNK``, or after ``CHUNK_MAX`` items), so that an edit moves no
    cut but those next to it: the same text is cut the same in either version."""
    cuts = {token for token in set(items) if token[:1].isalnum()
            and zlib.crc32(token.encode("utf-8", "surrogatepass")) % CHUNK == 0}
    chunks, start = [], 0
    for index, token in enumerate(items, 1):
        if token in cuts or index - start == CHUNK_MAX:
            chunks.append(tuple(items[start:index]))
            start = index
    if start < len(items):
        chunks.append(tuple(items[start:]))
    return chunks


def _offsets(chunks: list[tuple[str, ...]]) -> list[int]:
    return list(itertools.accumulate(map(len, chunks), initial=0))


def _joined(raw: Iterable[tuple[str, str]]) -> Raw:
    """Runs without empty texts and without two of the same op in a row."""
    kept = (run for run in raw if run[1])
    return [(op, "".join(text for _, text in runs))
            for op, runs in itertools.groupby(kept, key=lambda run: run[0])]


def clear_caches() -> None:
    """Empty the caches of this module's pure functions (to bound memory)."""
    for cached in (word_diff, _whole_text, _text_similarity, _words, word_count):
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


def whole(block: Block, op: str) -> BlockDiff:
    """A block removed ("delete"), added ("insert") or kept ("equal") whole."""
    return _whole_text(block.kind, block.text, op)


@functools.lru_cache(maxsize=1 << 14)       # one object for a block many redlines show whole
def _whole_text(kind: str, text: str, op: str) -> BlockDiff:
    status = {"delete": "removed", "insert": "added", "equal": "equal"}[op]
    return BlockDiff(kind, status, (Segment(op, text),))


# --- difflib's matching, counted --------------------------------------------------------------

Match = tuple[int, int, int]


def _matching(a: Sequence, b: Sequence, budget: int, matcher: SequenceMatcher | None = None
              ) -> tuple[list[Match], bool, int]:
    """The matching blocks difflib's SequenceMatcher finds (not collapsed, not
    sorted), found by its own ``find_longest_match`` step by step while their
    cost stays within ``budget`` units: ``(matches, complete, units spent)``.
    Incomplete, the matches are those found so far: true ones, in order.
    ``matcher``: one made already for ``a`` and ``b`` (without autojunk)."""
    if STEP_UNITS + (len(a) * len(b) >> CELL_SHIFT) > budget:     # the first step alone
        return [], False, budget
    matcher = matcher or SequenceMatcher(None, a, b, autojunk=False)
    counts = Counter(b).get
    pairs = list(itertools.accumulate([counts(x, 0) for x in a], initial=0))
    queue, found, spent = [(0, len(a), 0, len(b))], [], 0
    longest = matcher.find_longest_match
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        spent += (STEP_UNITS + ((ahi - alo) * (bhi - blo) >> CELL_SHIFT)
                  + PAIR_UNITS * (pairs[ahi] - pairs[alo]))
        if spent > budget:
            return found, False, budget
        i, j, k = longest(alo, ahi, blo, bhi)
        if k:
            found.append((i, j, k))
            if alo < i and blo < j:
                queue.append((alo, i, blo, j))
            if i + k < ahi and j + k < bhi:
                queue.append((i + k, ahi, j + k, bhi))
    return found, True, spent


def _opcodes(matches: Iterable[Match], la: int, lb: int) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from matching blocks."""
    result, i, j = [], 0, 0
    for ai, bj, size in sorted(matches) + [(la, lb, 0)]:
        if i < ai or j < bj:
            result.append(("replace" if i < ai and j < bj else "delete" if i < ai else "insert",
                           i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            result.append(("equal", ai, i, bj, j))
    return result


# --- how alike two blocks are -----------------------------------------------------------------

class Budget:
    """Units left to spend: what is spent follows from the texts alone."""

    __slots__ = ("left",)

    def __init__(self, units: int) -> None:
        self.left = units


def _similarity(a: Block, b: Block, budget: Budget | None = None) -> float:
    if a.kind != b.kind:
        return 0.0
    ratio, spent = _text_similarity(a.text, b.text)
    if budget is not None:
        budget.left -= spent
    return ratio


@functools.lru_cache(maxsize=1 << 16)
def _text_similarity(a: str, b: str) -> tuple[float, int]:
    """The ratio of matching words (difflib's, in CyDifflib's C++), exact where
    the lengths and the words in common let it reach SIMILAR; 0.0 where they do
    not (only that it is below SIMILAR matters); and the units it cost. Past its
    budget (``RATE_BASE``), the ratio of the words proven alike: those matched so
    far, or those the two share at the start and at the end, whichever are more
    (a common subsequence: so never more than the longest)."""
    words_a, words_b = _words(a), _words(b)
    la, lb = len(words_a), len(words_b)
    total = la + lb
    if total and 2.0 * min(la, lb) / total < SIMILAR:
        return 0.0, 0
    cube = la * lb * min(la, lb)
    if cube <= FAST_CUBE:
        return SequenceMatcher(None, words_a, words_b, autojunk=False).ratio(), \
            STEP_UNITS + cube * PAIR_UNITS
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    spent = STEP_UNITS + (la + lb) * PAIR_UNITS
    if matcher.quick_ratio() < SIMILAR:          # the words in common, counted in C++
        return 0.0, spent
    matches, complete, cost = _matching(words_a, words_b, RATE_BASE + RATE_PER_WORD * total,
                                        matcher)
    matched = sum(k for _, _, k in matches)
    if not complete:
        matched = max(matched, sum(_common_ends(words_a, words_b)))
    return 2.0 * matched / total, spent + cost


@functools.lru_cache(maxsize=1 << 14)
def _words(text: str) -> tuple[str, ...]:
    return tuple(words(text))


@functools.lru_cache(maxsize=1 << 16)
def word_count(text: str) -> int:
    """How many words ``text`` has: counted once for the many redlines that show
    the same runs (7 % of the redlines' time, counted each time)."""
    return len(words(text))


def _align(old: Sequence[Block], new: Sequence[Block]) -> list[tuple[int, int]]:
    """Pairs (i, j) of similar blocks, in order, with the greatest total similarity.

    Dynamic programming over the replaced range; a very large range (a rewrite),
    or one whose ratings pass the budget (``ALIGN_BASE``), is paired greedily
    within a small window instead, to stay near linear.
    """
    if not old or not new:
        return []
    if len(old) == len(new) == 1:                       # the usual edit: one block
        return [(0, 0)] if _similarity(old[0], new[0]) >= SIMILAR else []
    sim = None
    if len(old) * len(new) <= ALIGN_LIMIT:
        words = sum(len(_words(block.text)) for block in itertools.chain(old, new))
        sim = _ratings(old, new, Budget(ALIGN_BASE + ALIGN_PER_WORD * words))
    if sim is None:
        pairs, j = [], 0
        for i, block in enumerate(old):
            match = next((k for k in range(j, min(j + LOOKAHEAD, len(new)))
                          if _similarity(block, new[k]) >= SIMILAR), None)
            if match is not None:
                pairs.append((i, match))
                j = match + 1
        return pairs
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


def _ratings(old: Sequence[Block], new: Sequence[Block], budget: Budget
             ) -> list[list[float]] | None:
    """The similarity of every pair, or None if they cost more than ``budget``."""
    rows = []
    for a in old:
        row = []
        for b in new:
            row.append(_similarity(a, b, budget))
            if budget.left < 0:
                return None
        rows.append(row)
    return rows


def _range_pairs(old: Sequence[Block], new: Sequence[Block]) -> list[tuple[int, int]]:
    """The blocks of a replaced range in order: ``(i, j)`` for similar blocks
    paired, ``(i, -1)`` for a block removed, ``(-1, j)`` for one added."""
    pairs: list[tuple[int, int]] = []
    i = j = 0
    for pi, pj in _align(old, new) + [(len(old), len(new))]:
        pairs.extend((k, -1) for k in range(i, pi))
        pairs.extend((-1, k) for k in range(j, pj))
        if pi < len(old):
            pairs.append((pi, pj))
        i, j = pi + 1, pj + 1
    return pairs


def _pair_range(old: Sequence[Block], new: Sequence[Block]) -> list[BlockDiff]:
    """Blocks of a replaced range: similar ones paired and diffed word by word, in
    order; the rest removed or added whole."""
    result: list[BlockDiff] = []
    for i, j in _range_pairs(old, new):
        if j < 0:
            result.append(whole(old[i], "delete"))
        elif i < 0:
            result.append(whole(new[j], "insert"))
        elif old[i] == new[j]:              # only where matching stopped short
            result.append(whole(old[i], "equal"))
        else:
            result.extend(_changed(old[i], new[j]))
    return result


REWRITTEN = 0.5    # a block keeping less than this share of its words reads as rewritten


def _changed(old: Block, new: Block) -> tuple[BlockDiff, ...]:
    """Two paired blocks that differ, word by word; tables row by row and cell by
    cell, or (their columns changed) the old one removed and the new one added.
    A block rewritten beyond about half its words is shown whole, old then new:
    word by word it would read as a patchwork of neither."""
    if old.kind == "table":                 # rare; tables is built on this module
        from .tables import table_diff
        return table_diff(old.text, new.text)
    segments = word_diff(old.text, new.text)
    kept = sum(word_count(s.text) for s in segments if s.op == "equal")
    if kept < REWRITTEN * max(len(_words(old.text)), len(_words(new.text))):
        return whole(old, "delete"), whole(new, "insert")
    return (BlockDiff(old.kind, "changed", segments),)


def block_pairs(old: Sequence[Block], new: Sequence[Block]) -> list[tuple[int, int]]:
    """Every block of both sides once, in order, matched as ``block_diff`` matches
    them: ``(i, j)`` for a block kept or edited, ``(i, -1)`` for one removed,
    ``(-1, j)`` for one added."""
    pairs: list[tuple[int, int]] = []
    for op, i1, i2, j1, j2 in _block_opcodes(old, new):
        if op == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
        else:
            pairs.extend((i + i1 if i >= 0 else -1, j + j1 if j >= 0 else -1)
                         for i, j in _range_pairs(old[i1:i2], new[j1:j2]))
    return pairs


def similar(old: str, new: str) -> bool:
    """Whether two texts are alike enough to be shown as one edited (as blocks
    are paired)."""
    return old == new or _text_similarity(old, new)[0] >= SIMILAR


def _block_opcodes(old: Sequence[Block], new: Sequence[Block]
                   ) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes for the blocks, within the budget (``BLOCKS_BASE``); past
    it, the blocks the two share at the start and the end, and what matching
    found in between before it stopped."""
    la, lb = len(old), len(new)
    if la * lb * min(la, lb) <= FAST_CUBE:
        return SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    budget = BLOCKS_BASE + BLOCKS_PER_BLOCK * (la + lb)
    matches, complete, _ = _matching(old, new, budget)
    if complete:
        return _opcodes(matches, la, lb)
    start, end = _common_ends(old, new)
    middle, _, _ = _matching(old[start:la - end], new[start:lb - end], budget)
    found = [(0, 0, start)] + [(i + start, j + start, k) for i, j, k in middle] + \
        [(la - end, lb - end, end)]
    return _opcodes([m for m in found if m[2]], la, lb)


def block_diff(old: Sequence[Block], new: Sequence[Block]) -> tuple[BlockDiff, ...]:
    if tuple(old) == tuple(new):
        return tuple(whole(b, "equal") for b in old)
    result: list[BlockDiff] = []
    for op, i1, i2, j1, j2 in _block_opcodes(old, new):   # blocks: tuples
        if op == "equal":
            result.extend(whole(b, "equal") for b in old[i1:i2])
        else:
            result.extend(_pair_range(old[i1:i2], new[j1:j2]))
    return tuple(result)
