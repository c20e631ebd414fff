"""A Word (.docx), HTML or Markdown file -> one draft version in one language:
``sitegen import document``.

Word documents go through mammoth to HTML, HTML pages through their ``<main>``
(or ``<article>``, or ``<body>``), both then through ``html_to_markdown``;
Markdown is read as it is. Headings, paragraphs, lists, tables, emphasis and
links are kept, and every word as it was. The title is the first heading, when
no other heading is at its level or above (Word's Title style counts as one
level above Heading 1); else the title the file gives in its metadata (Word's
document properties, the page's ``<title>``, the front matter's ``title:``);
else the import is refused. The other headings move so that sections are ``##``.

It never writes a file (``target`` does), never keeps an image (each one left
out is a note), and never imports a Word document with tracked changes or
comments: their text would be taken or lost unseen, so the user settles them in
Word first.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Callable

from ..content import frontmatter
from ..content.reading import decode_text
from ..errors import ContentError, Problem, SitegenError
from .effective import SETEXT, in_fence
from .html import html_to_markdown, left_out, page_content
from .shaping import whole_links
from .word import read_docx
from .target import Imported, Text

SUPPORTED = "a Word document (.docx), an HTML page (.html, .htm) or a Markdown file (.md)"
HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
NOT_A_HEADING = re.compile(r"^(\s{4}|\s*([-+*>|#]|\d+[.)])(\s|$))")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(---|\.\.\.)[ \t]*(\n|\Z)", re.S)

# What a reader gives: the file's Markdown, the title its metadata gives, notes.
Read = tuple[str, str, list[Problem]]


def from_document(path: Path, version: str, date: dt.date, lang: str,
                  links_from: str | None = None) -> Imported:
    """The file at ``path`` as a draft of ``version`` in ``lang``, effective ``date``,
    with a note for everything it could not carry over; relative links made whole
    against ``links_from``, the address the document was published at."""
    where = str(path)
    reader = READERS.get(path.suffix.lower())
    if not path.is_file():
        raise SitegenError(f"there is no file {path}" if not path.exists() else
                           f"{path} is a folder: give the file to import", where)
    if reader is None:
        raise SitegenError(f"cannot import a `{path.suffix or 'nameless'}` file: give "
                           f"{SUPPORTED}", where)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SitegenError(f"cannot read {path}: {err.strerror or err}", where) from None
    markdown, meta_title, notes = reader(data, where)
    if not re.search(r"\w", markdown):
        raise SitegenError(f"{path.name} has no text to import", where)
    title, body, more = _title_and_body(markdown, meta_title, where)
    if links_from:                  # lines of the new text, not of the file: none named
        lines = whole_links([(0, line) for line in body.split("\n")], links_from, where, more)
        body = "\n".join(text for _, text in lines)
    text = Text(version, lang, title, date, body, path.name, draft=True)
    return Imported((text,), tuple([*notes, *more]))


# --- The title and the headings ---------------------------------------------

def _title_and_body(markdown: str, meta_title: str, where: str
                    ) -> tuple[str, str, list[Problem]]:
    """The title (the first heading, when it stands above all the others, taken
    out of the body; else ``meta_title``) and the body with sections at ``##``."""
    lines = _atx(markdown.split("\n"))
    headings = [(i, len(HEADING.match(lines[i])[1])) for i in _outside_fences(lines)
                if HEADING.match(lines[i])]
    notes = []
    if headings and all(level > headings[0][1] for _, level in headings[1:]):
        at = headings[0][0]
        title = _plain(HEADING.match(lines.pop(at))[2])
        headings = [(i - 1, level) for i, level in headings[1:]]
    else:
        title = " ".join(meta_title.split())
        if title:
            notes.append(Problem(where, 0, "no heading stands above all the others, so the "
                                           f'title is the one the file names: "{title}"', "note"))
    if not title:
        raise SitegenError("the document has no title: start it with one heading above "
                           "all the others (in Word the Title or Heading 1 style, in HTML "
                           "<h1>, in Markdown `# Title`) and import it again", where)
    notes += _to_sections(lines, headings, where)
    return title, "\n".join(lines).strip("\n") + "\n", notes


def _to_sections(lines: list[str], headings: list[tuple[int, int]], where: str
                 ) -> list[Problem]:
    """Move every heading so that the highest are ``##``, sitegen's sections."""
    shift = 2 - min((level for _, level in headings), default=2)
    if not shift:
        return []
    for i, level in headings:
        lines[i] = "#" * max(1, min(level + shift, 6)) + lines[i][level:]
    deepest = max(level for _, level in headings) + shift
    return [Problem(where, 0, f"the headings were moved {abs(shift)} level"
                              f"{'s' * (abs(shift) != 1)} {'down' if shift > 0 else 'up'}, "
                              "so that sections are `##` as in every statement" +
                    (" (and those below ###### stayed at ######)" if deepest > 6 else ""),
                    "note")]


def _atx(lines: list[str]) -> list[str]:
    """Underlined (setext) headings of one line written with ``#`` instead."""
    out = list(lines)
    for i in _outside_fences(lines):
        under = SETEXT.match(lines[i])
        above = lines[i - 1] if i else ""
        if (under and above.strip() and not NOT_A_HEADING.match(above)
                and (i < 2 or not lines[i - 2].strip()) and out[i - 1] == above):
            out[i - 1] = f"{'#' if under[1][0] == '=' else '##'} {above.strip()}"
            out[i] = None
    return [line for line in out if line is not None]


def _outside_fences(lines: list[str]) -> list[int]:
    """The indexes of the lines that are not in a fenced code block (nor open or
    close one)."""
    found, fence = [], ""
    for i, line in enumerate(lines):
        was, fence = fence, in_fence(fence, line)
        if not was and not fence:
            found.append(i)
    return found


def _plain(heading: str) -> str:
    """A heading's Markdown as the plain text of a title, without ``{#id}``."""
    import markdown
    from bs4 import BeautifulSoup
    heading = re.sub(r"\s*\{[^{}]*\}\s*$", "", heading)
    return " ".join(BeautifulSoup(markdown.markdown(heading), "html.parser").get_text().split())


# --- HTML -------------------------------------------------------------------

def _read_html(data: bytes, where: str) -> Read:
    from bs4 import BeautifulSoup
    text = _decode(data, where, _declared_charset(data))
    head = BeautifulSoup(text, "html.parser").title
    html, container, left = page_content(text)
    notes = []
    if left:
        names = left[0] if len(left) == 1 else f"{', '.join(left[:-1])} and {left[-1]}"
        notes.append(Problem(where, 0, f"the page's text is its <{container}>: its {names} "
                                       "were left out", "note"))
    html, more = left_out(html, where)
    return html_to_markdown(html), head.get_text(" ", strip=True) if head else "", [*notes,
                                                                                  *more]


def _declared_charset(data: bytes) -> str | None:
    found = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", data[:4096], re.I)
    return found[1].decode("ascii") if found else None


# --- Markdown ---------------------------------------------------------------

def _read_markdown(data: bytes, where: str) -> Read:
    text = decode_text(data, where)
    if not text.startswith("---\n"):
        return text, "", []
    try:
        cut = frontmatter.split(text, where)
        meta = frontmatter.parse_mapping(cut.meta, where, cut.meta_line).data
    except ContentError:                      # a rule `---`, or YAML sitegen would refuse
        return text, "", []
    title = meta.get("title") if isinstance(meta, dict) else None
    keys = f" ({', '.join(map(str, meta))})" if isinstance(meta, dict) and meta else ""
    note = Problem(where, 1, f"the front matter was left out{keys}: the import gives the "
                             "title, the date and `draft: true`", "note")
    return cut.body, title if isinstance(title, str) else "", [note]


def _decode(data: bytes, where: str, declared: str | None) -> str:
    """``data`` as text: UTF-8, else the charset an HTML page declares."""
    try:
        return decode_text(data, where)
    except ContentError:
        if not declared or declared.lower().replace("-", "") == "utf8":
            raise
    try:
        return data.decode(declared).replace("\r\n", "\n")
    except (UnicodeDecodeError, LookupError):
        raise SitegenError(f"the page is neither UTF-8 nor {declared}, the charset it "
                           "declares: save it as UTF-8 and import it again", where) from None


READERS: dict[str, Callable[[bytes, str], Read]] = {
    ".docx": read_docx, ".html": _read_html, ".htm": _read_html,
    ".md": _read_markdown, ".markdown": _read_markdown}
