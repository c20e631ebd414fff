"""Comparing the blocks of one section, and the words inside a changed block.

Blocks are matched first (difflib's SequenceMatcher over whole blocks; a
replaced range paired by the greatest total word similarity), then words inside
each changed pair (diff-match-patch over word tokens, with its semantic
clean-up), so a changed phrase reads as one deletion and one insertion. Both
run in C++ ports: CyDifflib gives difflib's results exactly, six times as fast.
Pure: text in, segments out.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable, NamedTuple, Sequence

import fast_diff_match_patch
from cydifflib import SequenceMatcher

from .blocks import Block

TOKEN = re.compile(r"\[[^\]\n]*\]\([^)\s]*\)|<[A-Za-z][A-Za-z0-9+.-]*:[^>\s]*>|\w+|\s+|[^\w\s]")
WORD = re.compile(r"\w+")
LOOKAHEAD = 6          # how far ahead a changed block looks for its counterpart
ALIGN_LIMIT = 2500     # block pairs in a replaced range above which pairing is greedy
DMP_OPS = {"=": "equal", "-": "delete", "+": "insert"}
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
    # timelimit=0: no deadline, so the same input always gives the same output
    diffs = fast_diff_match_patch.diff(a, b, timelimit=0, checklines=False,
                                       cleanup="Semantic", counts_only=False)
    return _merge_runs([(DMP_OPS[op], "".join(map(decode, chars))) for op, chars in diffs])


def clear_caches() -> None:
    """Empty the caches of this module's pure functions (to bound memory)."""
    for cached in (word_diff, _whole_text, _text_similarity, _words):
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


def _similarity(a: Block, b: Block) -> float:
    return _text_similarity(a.text, b.text) if a.kind == b.kind else 0.0


@functools.lru_cache(maxsize=1 << 16)
def _text_similarity(a: str, b: str) -> float:
    """The ratio of matching words (difflib's, in CyDifflib's C++), exact where
    the lengths let it reach SIMILAR; 0.0 where they do not (only that it is
    below SIMILAR matters)."""
    words_a, words_b = _words(a), _words(b)
    total = len(words_a) + len(words_b)
    if total and 2.0 * min(len(words_a), len(words_b)) / total < SIMILAR:
        return 0.0
    return SequenceMatcher(None, words_a, words_b, autojunk=False).ratio()


@functools.lru_cache(maxsize=1 << 14)
def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text))


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
        result.extend(whole(b, "delete") for b in old[i:pi])
        result.extend(whole(b, "insert") for b in new[j:pj])
        if pi < len(old):
            result.append(BlockDiff(old[pi].kind, "changed", word_diff(old[pi].text, new[pj].text)))
        i, j = pi + 1, pj + 1
    return result


def block_diff(old: Sequence[Block], new: Sequence[Block]) -> tuple[BlockDiff, ...]:
    if tuple(old) == tuple(new):
        return tuple(whole(b, "equal") for b in old)
    result: list[BlockDiff] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)   # blocks: tuples
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.extend(whole(b, "equal") for b in old[i1:i2])
        else:
            result.extend(_pair_range(old[i1:i2], new[j1:j2]))
    return tuple(result)
