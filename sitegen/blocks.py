"""A statement's Markdown as sections of blocks, for comparing versions.

This is not a Markdown renderer: it reads the block structure a diff needs
(headings, paragraphs, list items, quotes, code) and normalises what is only
spelling: lines reflowed, ``*`` or ``-`` bullets, trailing ``{...}`` attributes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
ATTRS = re.compile(r"\s*\{[^{}]*\}\s*$")
BULLET = re.compile(r"^ {0,3}([-*+]|[0-9]{1,9}[.)])\s+(.*)$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
QUOTE = re.compile(r"^ {0,3}>\s?(.*)$")
MARKS = "#>`~-*+0123456789"      # what a line that is not plain text may start with


@dataclass(frozen=True)
class Block:
    kind: str      # p | ul | ol | quote | code
    text: str      # normalised: one line, single spaces (code keeps its lines)
    line: int = field(compare=False)     # where it is; equal blocks may sit elsewhere


@dataclass(frozen=True)
class Section:
    """A heading and the blocks up to the next heading; the preamble has level 0."""

    level: int
    title: str
    line: int = field(compare=False)
    blocks: tuple[Block, ...] = ()


def _join(lines: list[str]) -> str:
    """One line with single spaces: how a browser shows the text, whatever its wrapping."""
    return " ".join(" ".join(lines).split())          # split() and \s: the same spaces


def parse_blocks(source: str) -> list[Block | tuple[int, str, int]]:
    """Blocks and headings (as ``(level, title, line)``) in source order."""
    items: list[Block | tuple[int, str, int]] = []
    kind, buffer, start = "", [], 0
    fenced = False

    def flush() -> None:
        nonlocal kind, buffer
        if buffer:
            text = "\n".join(buffer) if kind == "code" else _join(buffer)
            items.append(Block(kind, text, start))
        kind, buffer = "", []

    for number, line in enumerate(source.split("\n"), 1):
        if fenced:
            buffer.append(line)
            if FENCE.match(line):
                fenced = False
                flush()
            continue
        if (first := line[:1]) and first not in MARKS and not first.isspace():
            if not buffer:                              # text: no pattern can match
                kind, start = "p", number
            buffer.append(line)
        elif FENCE.match(line):
            flush()
            kind, buffer, start, fenced = "code", [line], number, True
        elif not line.strip():
            flush()
        elif heading := HEADING.match(line):
            flush()
            items.append((len(heading.group(1)), ATTRS.sub("", heading.group(2)), number))
        elif bullet := BULLET.match(line):
            flush()
            kind = "ol" if bullet.group(1)[0].isdigit() else "ul"
            buffer, start = [bullet.group(2)], number
        elif (quote := QUOTE.match(line)) and kind in ("", "quote"):
            if not buffer:
                kind, start = "quote", number
            buffer.append(quote.group(1))
        else:
            if not buffer:
                kind, start = "p", number
            buffer.append(line)
    flush()
    return items


def parse_sections(source: str) -> list[Section]:
    """Sections in source order; blocks before the first heading form a preamble."""
    sections: list[Section] = []
    level, title, line, blocks = 0, "", 0, []
    for item in parse_blocks(source):
        if isinstance(item, Block):
            blocks.append(item)
            continue
        if blocks or level:
            sections.append(Section(level, title, line, tuple(blocks)))
        (level, title, line), blocks = item, []
    if blocks or level:
        sections.append(Section(level, title, line, tuple(blocks)))
    return sections
