"""Where a statement can be cut for Python-Markdown, the HTML staying the same.

A statement is converted a chunk at a time (a heading and what follows it up
to the next), and a chunk a part at a time (blocks Markdown cannot join to the
block before), so that what versions share is converted once. The cuts must
fall exactly where Markdown itself ends a block; they are found with
Markdown's own patterns and its reading of blank lines, and property tests
compare chunk-by-chunk conversion with Markdown reading the whole text.
"""
from __future__ import annotations

import re

from markdown.blockprocessors import HashHeaderProcessor, HRProcessor, SetextHeaderProcessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor

TAB = 4                                     # Python-Markdown's tab_length
HASH_HEADING = HashHeaderProcessor.RE        # Python-Markdown's own patterns
UNDERLINED = SetextHeaderProcessor.RE
RULE = HRProcessor.SEARCH_RE
RULE_START = frozenset(" -_*")
ANY_FENCE = re.compile(r"^\s*(```|~~~)")
LIST_OR_QUOTE = re.compile(r"^ {0,3}([-*+]|[0-9]+[.)]|>)")


def _blank(lines: list[str], index: int) -> bool:
    """Whether Python-Markdown reads line ``index`` as empty: it empties lines of
    spaces and tabs, but only after a line break (not the first line of a text);
    other white space, such as a no-break space, is text."""
    line = lines[index]
    return not line or (index > 0 and not line.strip(" \t"))


def _fenced(source: str, lines: list[str]) -> set[int]:
    """The 0-based lines inside fenced code (fences included), found as
    Python-Markdown's fenced_code finds them (same fence to close, at the start of a
    line; a fence never closed is text)."""
    if "```" not in source and "~~~" not in source:
        return set()
    normal = "\n".join("" if _blank(lines, i) else line.expandtabs(TAB)
                       for i, line in enumerate(lines))
    inside: set[int] = set()
    for match in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(normal):
        first = normal.count("\n", 0, match.start())
        inside.update(range(first, first + normal.count("\n", match.start(), match.end()) + 1))
    return inside


def heading_lines(source: str) -> list[int]:
    """1-based lines of the headings in ``source`` that Python-Markdown makes at the
    top level: a line that starts with ``#``, or the first line of a block (after
    an empty line, a heading, a rule or fenced code) underlined with ``=`` or
    ``-``; never in fenced code, nor in a block that starts indented (Markdown
    reads it into the list item before it). A heading Markdown makes where this
    finds none, in a list, say, stays inside its chunk and converts the same."""
    lines = source.split("\n")
    fenced = _fenced(source, lines)
    found, index, begins, indented = [], 0, True, False   # begins: the line starts a block
    last = len(lines) - 1
    while index <= last:
        line = lines[index]
        if line[:1].isalpha() and index not in fenced:      # text, the commonest line:
            if begins:                                      # only an underline can
                indented = False                            # make it a heading
                if (index < last and lines[index + 1][:1] in ("=", "-")
                        and index + 1 not in fenced
                        and UNDERLINED.match(line + "\n" + lines[index + 1])):
                    found.append(index + 1)
                    index += 2
                    continue
            index, begins = index + 1, False
            continue
        step, starts = 1, False
        blank = not line or (index > 0 and not line.strip(" \t"))     # as ``_blank``
        if begins and not blank:
            indented = line.expandtabs(TAB).startswith(" " * TAB)
        if index in fenced:
            starts = index + 1 not in fenced     # Markdown sets the code apart
        elif blank:
            starts = True
        elif indented:
            pass
        elif line[:1] == "#" and ("\\" not in line or HASH_HEADING.match(line)):
            # (without a backslash, Markdown's pattern takes every line that starts so)
            found.append(index + 1)
            starts = True
        elif (begins and index + 1 < len(lines) and index + 1 not in fenced
              and lines[index + 1][:1] in ("=", "-")
              and UNDERLINED.match(line + "\n" + lines[index + 1])):
            found.append(index + 1)
            step, starts = 2, True
        elif (line[:1] in RULE_START and not line.strip(" \t-*_")       # rule characters
              and RULE.match(line.expandtabs(TAB))):                    # only, first
            starts = True
        index, begins = index + step, starts
    return found


def split_chunks(source: str) -> list[tuple[int, str, bool]]:
    """``(first line, text, starts with a heading)`` for each chunk of ``source``."""
    lines = source.split("\n")
    starts = heading_lines(source)
    bounds, headed = [1] + starts + [len(lines) + 1], set(starts)
    chunks = []
    for start, end in zip(bounds, bounds[1:]):
        text = "\n".join(lines[start - 1:end - 1])
        if text.strip():
            chunks.append((start, text, start in headed))
    return chunks


def split_parts(text: str, allow_html: bool) -> list[tuple[int, str]]:
    """``(first line, text)`` of the parts of a chunk that Python-Markdown converts
    apart to the HTML it makes of the chunk whole (so a part that versions share is
    converted once, though the chunk changed around it).

    A cut falls on a blank line, before a block that joins nothing before it: one
    whose first line starts with a letter (a paragraph), or a list or a quote
    after a block of lines that all start with a letter (a paragraph: a heading,
    a rule or an underline in a block ends it, and a list after them joins the
    next). (A list item after a list joins that list, a quote a quote, an
    indented line the list item or code before it.) A chunk with fenced code
    (blank lines inside) or raw HTML allowed (its blocks may span blank lines)
    is not cut."""
    lines = text.split("\n")
    if allow_html or any(ANY_FENCE.match(line) for line in lines):
        return [(1, text)]
    cuts, plain = [0], lines[0][:1].isalpha()   # plain: every line of the block before
    for i in range(1, len(lines)):           # starts with a letter
        if not _blank(lines, i - 1) or _blank(lines, i):
            plain = plain and (_blank(lines, i) or lines[i][:1].isalpha())
            continue                         # not the first line of a block
        if lines[i][:1].isalpha() or (LIST_OR_QUOTE.match(lines[i]) and plain):
            cuts.append(i)
        plain = lines[i][:1].isalpha()
    return [(start + 1, "\n".join(lines[start:end]))
            for start, end in zip(cuts, cuts[1:] + [len(lines)])]
