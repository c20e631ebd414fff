"""A statement's Markdown as sections of blocks, for comparing versions.

This is not a Markdown renderer: it reads the block structure a diff needs
(headings, paragraphs, list items, quotes, code, pipe tables) and normalises what
is only spelling: lines reflowed, ``*`` or ``-`` bullets, trailing ``{...}``
attributes, the spaces around a table's cells and its delimiter row.
"""
from __future__ import annotations

import re
from typing import NamedTuple

# A heading line; its title is group 2 less the closing hashes and the spaces
# around them (``title``: in the pattern, ``(.*?)\s*#*\s*$`` took time cubic in a
# run of spaces, 0.8 s for 800 of them).
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*)$")
# Trailing ``{...}`` attributes; they are sought only where a run of spaces starts
# (from every space of a run the search ran to its end: quadratic in the run).
ATTRS = re.compile(r"(?<!\s)\s*\{[^{}]*\}\s*$")
BULLET = re.compile(r"^ {0,3}([-*+]|[0-9]{1,9}[.)])\s+(.*)$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
QUOTE = re.compile(r"^ {0,3}>\s?(.*)$")
MARKS = "#>`~-*+0123456789"      # what a line that is not plain text may start with
HEADING_OR_FENCE = frozenset("#`~ ")   # what a heading or fence line may start with
# A table block's text: its rows, the header first, joined by ROW, each its cells
# joined by CELL. A cell has single spaces (as a paragraph), so holds neither.
CELL, ROW = "\t", "\n"
# In a table row: an escaped backslash, an escaped pipe (a "|" in its cell), or a
# pipe between cells.
PIPE = re.compile(r"\\[\\|]|\|")
DELIMITER_CELL = re.compile(r":?-+:?")
DELIMITER_CHARS = " \t|:-"


class Block(NamedTuple):
    """A paragraph, list item, quote or code block. Blocks are named tuples: the
    diff hashes and compares them by the thousand, and tuples do that in C."""

    kind: str      # p | ul | ol | quote | code | table
    text: str      # normalised: one line, single spaces (code keeps its lines,
                   # a table its rows of cells: CELL and ROW)


class Section(NamedTuple):
    """A heading and the blocks up to the next heading; the preamble has level 0."""

    level: int
    title: str
    blocks: tuple[Block, ...] = ()


def title(heading: re.Match[str]) -> str:
    """The title of a ``HEADING`` match: without closing hashes and the spaces
    around them, nor trailing attributes (``str.rstrip()`` strips what ``\\s`` matches)."""
    return ATTRS.sub("", heading.group(2).rstrip().rstrip("#").rstrip())


def _join(lines: list[str]) -> str:
    """One line with single spaces: how a browser shows the text, whatever its wrapping."""
    return " ".join(" ".join(lines).split())          # split() and \s: the same spaces


def _pieces(line: str) -> list[str]:
    """``line`` cut at its pipes (not the escaped ones), each ``\\|`` read as ``|``."""
    pieces, piece, last = [], [], 0
    for match in PIPE.finditer(line):
        token = match.group()
        piece.append(line[last:match.start()])
        if token == "|":
            pieces.append("".join(piece))
            piece = []
        else:
            piece.append("|" if token == "\\|" else token)    # an escaped backslash stays
        last = match.end()
    piece.append(line[last:])
    pieces.append("".join(piece))
    return pieces


def _cells(line: str) -> list[str]:
    """The cells of a table row, as GFM reads them: a leading and a trailing pipe
    are optional; each cell with single spaces."""
    line = line.strip()
    pieces = _pieces(line)
    if line.startswith("|"):
        pieces = pieces[1:]
    if len(pieces) > 1 and line.endswith("|") and pieces[-1] == "":
        pieces = pieces[:-1]
    return [" ".join(piece.split()) for piece in pieces]


def _columns(delimiter: str) -> int:
    """How many columns a delimiter row (``|---|:--:|``) has; 0 if it is none."""
    if "|" not in delimiter or "-" not in delimiter or delimiter.strip(DELIMITER_CHARS):
        return 0
    cells = _cells(delimiter)
    return len(cells) if all(DELIMITER_CELL.fullmatch(cell) for cell in cells) else 0


def _table(lines: list[str]) -> str | None:
    """The text of a table (``CELL``, ``ROW``) if ``lines`` are one, else None: a
    header row with a pipe, a delimiter row of as many cells, then body rows, each
    cut or padded to as many cells (as the site's Markdown shows them). As there,
    a table starts a block; alignment is not part of the text."""
    columns = _columns(lines[1])
    if not columns or len(_pieces(lines[0].strip())) < 2:
        return None
    header = _cells(lines[0])
    if len(header) != columns:
        return None
    padding = [""] * columns
    rows = [header] + [(_cells(line) + padding)[:columns] for line in lines[2:]]
    return ROW.join(CELL.join(row) for row in rows)


def _delimits(kind: str, buffer: list[str], line: str) -> bool:
    """Whether ``line``, which reads as a list item, is rather the delimiter row
    of a table whose header row is the paragraph so far (``- | -``)."""
    return kind == "p" and len(buffer) == 1 and bool(_columns(line))


def parse_blocks(source: str) -> list[Block | tuple[int, str]]:
    """Blocks and headings (as ``(level, title)``) in source order."""
    items: list[Block | tuple[int, str]] = []
    kind, buffer = "", []
    fenced = False

    def flush() -> None:
        nonlocal kind, buffer
        if buffer:
            if kind == "code":
                text = "\n".join(buffer)
            elif kind == "p" and len(buffer) > 1 and (table := _table(buffer)) is not None:
                kind, text = "table", table
            else:
                text = _join(buffer)
            items.append(Block(kind, text))
        kind, buffer = "", []

    for line in source.split("\n"):
        if fenced:
            buffer.append(line)
            if FENCE.match(line):
                fenced = False
                flush()
            continue
        if (first := line[:1]) and first not in MARKS and not first.isspace():
            if not buffer:                              # text: no pattern can match
                kind = "p"
            buffer.append(line)
        elif FENCE.match(line):
            flush()
            kind, buffer, fenced = "code", [line], True
        elif not line.strip():
            flush()
        elif heading := HEADING.match(line):
            flush()
            items.append((len(heading.group(1)), title(heading)))
        elif (bullet := BULLET.match(line)) and not _delimits(kind, buffer, line):
            flush()
            kind = "ol" if bullet.group(1)[0].isdigit() else "ul"
            buffer = [bullet.group(2)]
        elif (quote := QUOTE.match(line)) and kind in ("", "quote"):
            if not buffer:
                kind = "quote"
            buffer.append(quote.group(1))
        else:
            if not buffer:
                kind = "p"
            buffer.append(line)
    flush()
    return items


def parse_sections(source: str) -> list[Section]:
    """Sections in source order; blocks before the first heading form a preamble."""
    sections: list[Section] = []
    level, title, blocks = 0, "", []
    for item in parse_blocks(source):
        if isinstance(item, Block):
            blocks.append(item)
            continue
        if blocks or level:
            sections.append(Section(level, title, tuple(blocks)))
        (level, title), blocks = item, []
    if blocks or level:
        sections.append(Section(level, title, tuple(blocks)))
    return sections


def split_sections(source: str) -> list[str]:
    """``source`` cut before each heading ``parse_blocks`` reads (none in fenced
    code): ``parse_sections`` of the parts, one after the other, is that of the
    whole, since a heading ends every block before it."""
    lines = source.split("\n")
    starts, fenced = [0], False
    for index, line in enumerate(lines):
        if line[:1] not in HEADING_OR_FENCE:
            continue
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and HEADING.match(line):
            starts.append(index)
    return ["\n".join(lines[a:b]) for a, b in zip(starts, starts[1:] + [len(lines)]) if b > a]

