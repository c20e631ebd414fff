"""Comparing two versions of a table: rows matched, then the words of each cell.

A table block's text is its rows, the header first, joined by ``ROW``, each its
cells joined by ``CELL`` (``blocks``). The body rows are matched as the blocks of a
section are (``block_pairs``: difflib, then similar rows paired); the cells of a
paired row are compared word by word (``word_diff``, with its budgets). A table
whose columns changed (another number of them, or a header that is not alike
enough to be one edited) is shown as the old table removed and the new added.

The diff of a table is a ``BlockDiff`` like any other, so that word counts, the
reading back of each side, hashing and caching need nothing of tables: its
segments, read in order, hold the old table (equal and delete) and the new one
(equal and insert) exactly. They are laid out for ``rows`` to read back: the
cells of the header, then for each further row an equal ``ROW`` and its cells
(a row paired) or one delete or insert of ``ROW`` and the row's text (a row
removed or added); an equal ``CELL`` between the cells of a row. No segment of a
cell holds ``CELL`` or ``ROW``; one may be empty (see ``_on_both_sides``). Pure:
text in, segments out.
"""
from __future__ import annotations

from typing import NamedTuple

from .blocks import CELL, ROW, Block
from .textdiff import BlockDiff, Segment, block_pairs, similar, whole, word_diff

Cell = tuple[Segment, ...]
WHOLE = {"equal": "equal", "delete": "removed", "insert": "added"}


class Row(NamedTuple):
    status: str                  # equal | changed | added | removed
    cells: tuple[Cell, ...]


def table_diff(old: str, new: str) -> tuple[BlockDiff, ...]:
    """Two tables' texts compared: one changed table, or the old one removed then
    the new one added (their columns changed)."""
    old_rows, new_rows = old.split(ROW), new.split(ROW)
    if not _same_columns(old_rows[0], new_rows[0]):
        return whole(Block("table", old), "delete"), whole(Block("table", new), "insert")
    segments = _row_segments(old_rows[0], new_rows[0])
    body_old = [Block("row", row) for row in old_rows[1:]]
    body_new = [Block("row", row) for row in new_rows[1:]]
    for i, j in block_pairs(body_old, body_new):
        if j < 0:
            segments.append(Segment("delete", ROW + body_old[i].text))
        elif i < 0:
            segments.append(Segment("insert", ROW + body_new[j].text))
        else:
            segments.append(Segment("equal", ROW))
            segments += _row_segments(body_old[i].text, body_new[j].text)
    return (BlockDiff("table", "changed", _on_both_sides(segments)),)


def _on_both_sides(segments: list[Segment]) -> tuple[Segment, ...]:
    """``segments``, first an empty equal one if a side has none: a side of a block
    is read from its segments, and a table of one column can be empty (``|``,
    ``|-|``) where a paragraph cannot."""
    ops = {segment.op for segment in segments}
    if "equal" in ops or {"delete", "insert"} <= ops:
        return tuple(segments)
    return (Segment("equal", ""), *segments)


def _same_columns(old: str, new: str) -> bool:
    """Whether two header rows name the same columns: as many, alike enough to be
    one header edited (as two blocks are paired)."""
    return old.count(CELL) == new.count(CELL) and similar(old, new)


def _row_segments(old: str, new: str) -> list[Segment]:
    """Two rows of as many cells, cell by cell, an equal ``CELL`` between cells."""
    segments: list[Segment] = []
    for index, (a, b) in enumerate(zip(old.split(CELL), new.split(CELL))):
        if index:
            segments.append(Segment("equal", CELL))
        segments += word_diff(a, b)
    return segments


def rows(diff: BlockDiff) -> list[Row]:
    """The rows of a table's diff, the header first, each with its status and the
    segments of each of its cells (read back as the module's docstring says)."""
    if diff.status != "changed":                # a whole table: one segment
        (segment,) = diff.segments
        return [_whole_row(segment.op, row) for row in segment.text.split(ROW)]
    found: list[Row] = []
    cells: list[list[Segment]] = [[]]           # the paired row being read, if any
    for segment in diff.segments:
        if segment.op == "equal" and segment.text == CELL:
            cells.append([])
        elif segment.op == "equal" and segment.text == ROW:
            found += _paired_row(cells)
            cells = [[]]
        elif segment.text.startswith(ROW):       # a row removed or added
            found += _paired_row(cells)
            found.append(_whole_row(segment.op, segment.text[len(ROW):]))
            cells = []
        else:
            cells[-1].append(segment)
    return found + _paired_row(cells)


def _whole_row(op: str, text: str) -> Row:
    """A row kept, removed or added whole (``op``: equal, delete, insert)."""
    cells = tuple((Segment(op, cell),) if cell else () for cell in text.split(CELL))
    return Row(WHOLE[op], cells)


def _paired_row(cells: list[list[Segment]]) -> list[Row]:
    """The paired row read so far, if any (``cells`` is empty if none)."""
    if not cells:
        return []
    changed = any(segment.op != "equal" for cell in cells for segment in cell)
    return [Row("changed" if changed else "equal", tuple(map(tuple, cells)))]
