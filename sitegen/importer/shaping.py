"""One text from a file's history -> the body of a version file: its head (front
matter, title, and the effective-date line where it was used) out, the rest
verbatim but for what sitegen would refuse (HTML blocks, inline tags, ``<a name>``
anchors, kramdown attribute lists), each in its Markdown form with a note.

Pure: it never reads or writes a file.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Problem
from .effective import ATX, DateLine, Line, find_date_line, in_fence, read_head, without
from .html import html_to_markdown


@dataclass(frozen=True)
class Shaped:
    """A text made ready for a version file, and what was done to it."""

    title: str | None
    body: str
    date_line: DateLine | None          # the effective-date line left out, if any
    notes: tuple[Problem, ...]


BLOCK_TAGS = ("address|article|aside|blockquote|center|details|div|dl|figure|footer|h[1-6]|"
              "header|hr|main|nav|ol|p|pre|section|table|ul")
HTML_BLOCK = re.compile(rf"^ {{0,3}}<(?:({BLOCK_TAGS})(?![\w-])|!--)", re.IGNORECASE)
VOID = {"hr"}
ANCHOR = re.compile(r"""<a\s+(?:name|id)\s*=\s*["']?([\w.:-]+)["']?\s*>\s*</a>""", re.IGNORECASE)
IAL = re.compile(r"^ {0,3}\{:\s*(.*?)\}\s*$")
TOC_ITEM = re.compile(r"^ {0,3}(?:[-*+]|1\.)\s+\S+\s*$")
INLINE = re.compile(r"<(b|strong|i|em|code|a)\b[^<>]*>[^<]+</\1\s*>|<br\s*/?>", re.IGNORECASE)
TAG = re.compile(r"</?[a-zA-Z][\w-]*(?:\s[^<>]*)?/?>")
CODE_SPAN = re.compile(r"((`+).*?\2)")
LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{::")
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)")
WHOLE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|#|assets/")
NESTED_HEADING = re.compile(r"^\s*(?:[-*+]|\d+[.)]|>)\s+#{1,6}\s")
AS_TEXT = "sitegen shows it as text unless `allow_html: true` is in site.yaml"


def shape(text: str, lang: str, origin: str, use_date: bool,
          links_from: str | None = None) -> Shaped:
    """``text`` without its front matter and title and, with ``use_date``, without
    the line that states its effective date; what sitegen would refuse converted;
    relative links made whole against ``links_from`` if given."""
    notes = [Problem(origin, 0, "bytes that are not UTF-8 shown as \ufffd: correct them in "
                     "the version file", "note")] if "\ufffd" in text else []
    head = read_head(list(enumerate(text.lstrip("\ufeff").replace("\r\n", "\n").split("\n"), 1)))
    lines = head.lines
    if head.front:
        keys = f", with {', '.join(head.front[1])}" if head.front[1] else ""
        title = "; the title taken from it" if head.title_from_front else ""
        notes.append(Problem(origin, 1, f"front matter (lines 1-{head.front[0]}{keys}) left "
                             f"out{title}", "note"))
    if head.title is None:
        notes.append(Problem(origin, 0, "no title (a `#` heading first, or `title:` in front "
                             "matter): the version before's is used, else the file's name",
                             "note"))
    date_line = find_date_line([t for _, t in lines], lang) if use_date else None
    if date_line is not None:
        notes.append(Problem(origin, lines[date_line.index][0], f"the line `"
                             f"{date_line.text.strip()}` left out: sitegen shows the date", "note"))
        lines = without(lines, date_line.index)
    elif use_date and head.front_date is not None:
        date_line = head.front_date
        notes.append(Problem(origin, 1, f"the effective date taken from the front matter "
                             f"(`{date_line.text}`): the text states none", "note"))
    if links_from:
        lines = whole_links(lines, links_from, origin, notes)
    body = "\n".join(t for _, t in convert(lines, origin, notes)).strip("\n")
    return Shaped(head.title, body, date_line, tuple(notes))


def whole_links(lines: Sequence[Line], base: str, origin: str,
                notes: list[Problem]) -> list[Line]:
    """Relative link targets (``/terms``, ``../privacy``) as whole addresses
    against ``base``, the address the text was published at; a note for each."""
    from urllib.parse import urljoin
    out, fence = [], ""

    def whole(found: re.Match[str]) -> str:
        at = 1 if found.group(1) else 2
        target = found.group(at)
        if WHOLE.match(target):
            return found.group(0)
        made = urljoin(base, target)
        notes.append(Problem(origin, number, f"the relative link `{target}` made whole: "
                             f"{made}", "note"))
        start, end = found.span(at)
        return found.group(0)[:start - found.start()] + made + found.group(0)[end - found.start():]

    for number, text in lines:
        was, fence = fence, in_fence(fence, text)
        code = was or fence or text.startswith(("    ", "\t"))
        out.append((number, text if code else LINK.sub(whole, text)))
    return out


def convert(lines: Sequence[Line], origin: str, notes: list[Problem]) -> list[Line]:
    """``lines`` with HTML blocks, inline HTML, ``<a name>`` anchors and kramdown
    attribute lists in their Markdown form; a note for each, and for what stays."""
    out: list[Line] = []
    index, fence, gap, ids = 0, "", False, []
    while index < len(lines):
        number, text = lines[index]
        was, fence = fence, in_fence(fence, text)
        before, step = len(out), 1
        if not text.strip() and (gap or ids) and (not out or not out[-1][1].strip()):
            pass                                # the blank line of something left out
        elif was or fence or text.startswith(("    ", "\t")):
            out.append(lines[index])
        elif ANCHOR.fullmatch(text.strip()) and _heading_follows(lines, index):
            ids.append(ANCHOR.match(text.strip()).group(1))
        elif HTML_BLOCK.match(text) and (not out or not out[-1][1].strip()):
            step = _html_block_end(lines, index) - index
            out.extend(_html_block(lines[index:index + step], origin, notes))
        elif not _attribute_list(number, text, out, origin, notes):
            out.append((number, _line(number, text, ids, origin, notes)))
            ids = []
        gap = len(out) <= before if text.strip() else gap
        index += step
    return out


def _heading_follows(lines: Sequence[Line], index: int) -> bool:
    following = next((t for _, t in lines[index + 1:] if t.strip()), "")
    return bool(ATX.match(following)) and "{" not in following


def _html_block_end(lines: Sequence[Line], start: int) -> int:
    """The index after an HTML block: its tag closed, at a blank line."""
    tag = (HTML_BLOCK.match(lines[start][1]).group(1) or "").lower()
    depth, index = 0, start
    while index < len(lines) and (lines[index][1].strip() or depth > 0):
        text = lines[index][1]
        if not tag and "-->" in text:
            return index + 1
        if tag and tag not in VOID:
            depth += len(re.findall(rf"<{tag}(?![\w-])", text, re.IGNORECASE))
            depth -= len(re.findall(rf"</{tag}\s*>", text, re.IGNORECASE))
        index += 1
    return index


def _html_block(block: Sequence[Line], origin: str, notes: list[Problem]) -> list[Line]:
    first, last = block[0][0], block[-1][0]
    where = f"line {first}" if first == last else f"lines {first}-{last}"
    source = "\n".join(t for _, t in block)
    if source.lstrip().startswith("<!--"):
        notes.append(Problem(origin, first, f"HTML comment ({where}) left out", "note"))
        return []
    notes.append(Problem(origin, first, f"HTML ({where}) converted to Markdown", "note"))
    return [(first, line) for line in html_to_markdown(source).strip("\n").split("\n")]


def _attribute_list(number: int, text: str, out: list[Line], origin: str,
                    notes: list[Problem]) -> bool:
    """Whether ``text``, a kramdown ``{: ...}`` line, was moved onto the heading
    before it or dropped (a ``{:toc}`` marker); a note either way."""
    found = IAL.match(text)
    content = found.group(1).strip() if found else ""
    if content in ("toc", ":toc") and out and TOC_ITEM.match(out[-1][1]):
        out.pop()
        notes.append(Problem(origin, number, "kramdown's `{:toc}` list left out: sitegen "
                             "makes the contents list itself", "note"))
        return True
    if content and out and ATX.match(out[-1][1]):
        heading = out[-1][1].rstrip()
        heading = f"{heading[:-1]} {content}}}" if heading.endswith("}") else \
            f"{heading} {{{content}}}"
        out[-1] = (out[-1][0], heading)
        notes.append(Problem(origin, number, f"kramdown's `{text.strip()}` moved onto the "
                             "heading before it", "note"))
        return True
    return False


def _line(number: int, text: str, ids: list[str], origin: str, notes: list[Problem]) -> str:
    """One line, its inline HTML converted; a heading gets the id of an ``<a name>``
    in it or on the line before it (``ids``)."""
    if ATX.match(text) and "{" not in text and (ids or ANCHOR.search(text)):
        ids = [*ids, *ANCHOR.findall(text)]
        text = f"{ANCHOR.sub('', text).rstrip()} {{#{ids[0]}}}"
        notes.append(Problem(origin, number, f"`<a name=\"{ids[0]}\">` made the heading's id"
                             f"{' (and the other anchors left out)' if ids[1:] else ''}", "note"))
    parts = CODE_SPAN.split(text)             # text, a code span, its backticks, text...
    if any(INLINE.search(part) for part in parts[::3]):
        text = "".join(INLINE.sub(_inline_markdown, part) if i % 3 == 0 else part
                       for i, part in enumerate(parts) if i % 3 != 2)
        notes.append(Problem(origin, number, "inline HTML converted to Markdown", "note"))
    notes.extend(Problem(origin, number, message, "note")
                 for message in left_as_is(CODE_SPAN.sub("", text)))
    return text


def _inline_markdown(found: re.Match[str]) -> str:
    if found.group(1) is None:                          # <br>: a Markdown line break
        return "  " if found.end() == len(found.string) else "  \n"
    return html_to_markdown(found.group()).strip("\n")


def left_as_is(text: str) -> list[str]:
    """What in the line ``text`` has no Markdown form, and what sitegen will do with it."""
    tags = [t for t in TAG.findall(text) if not t.startswith("</")] or TAG.findall(text)
    found = [f"HTML {', '.join(f'`{t}`' for t in tags)} left as is: {AS_TEXT}"] if tags else []
    found += [f"template code `{code}` left as is: sitegen shows it as text"
              for code in LIQUID.findall(text)]
    found += [f"the relative link `{target}` left as is: sitegen check refuses it; give "
              "--links-from (the address the text was published at), or write a whole "
              "address" for target in (m.group(1) or m.group(2) for m in LINK.finditer(text))
              if not WHOLE.match(target)]
    if NESTED_HEADING.match(text):
        found.append("a heading in a list or quote left as is: sitegen check refuses it")
    return found
