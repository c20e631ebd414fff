"""A Word document (.docx) -> Markdown, through mammoth (which reads the
document's structure, its heading styles, lists, tables, links and notes, not its
looks) and ``html_to_markdown``.

It refuses a document with tracked changes or comments (mammoth would take the
insertions and drop the deletions and comments unseen) and never keeps an image.
"""
from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from ..errors import Problem, SitegenError
from .html import html_to_markdown, left_out, word_footnotes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REVISIONS = {W + tag for tag in ("ins", "del", "moveFrom", "moveTo")}
REVISED_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
# Word's styles -> HTML; Heading N a level below Title, so that a title stands out.
STYLE_MAP = "\n".join([
    "p[style-name='Title'] => h1:fresh",
    "p[style-name='Subtitle'] => p:fresh",
    *(f"p[style-name='heading {n}'] => h{min(n + 1, 6)}:fresh" for n in range(1, 7)),
    "p[style-name='Quote'] => blockquote > p:fresh",
    "p[style-name='Intense Quote'] => blockquote > p:fresh",
    "p[style-name^='toc '] => !",             # Word's contents: sitegen makes its own
])


def read_docx(data: bytes, where: str) -> tuple[str, str, list[Problem]]:
    """The document's Markdown, the title its properties give, and notes."""
    import mammoth
    archive = _word_archive(data, where)
    _refuse_revisions(archive, where)
    contents: list[str] = []

    def count_contents(paragraph):
        if (paragraph.style_name or "").lower().startswith("toc "):
            contents.append(paragraph.style_name)
        return paragraph

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data), style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(lambda image: {}),   # alt, no data
            transform_document=mammoth.transforms.paragraph(count_contents))
    except Exception as err:                  # mammoth's own errors on a broken part
        raise SitegenError(f"cannot read this Word document ({type(err).__name__}: "
                           f"{err}); open it in Word and save it again", where) from None
    notes = [Problem(where, 0, f"{m.message}: its text was kept, as plain text", "note")
             if m.message.startswith("Unrecognised") else Problem(where, 0, m.message, "warning")
             for m in result.messages]
    if contents:
        notes.append(Problem(where, 0, "Word's table of contents was left out: sitegen "
                                       "makes its own", "note"))
    html, more = left_out(word_footnotes(result.value), where)   # images too
    return html_to_markdown(html), _core_title(archive), [*notes, *more]


def _word_archive(data: bytes, where: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        archive = None
    if archive is None or "word/document.xml" not in archive.namelist():
        raise SitegenError("this is not a Word document (.docx), or it is damaged; an "
                           "older .doc must first be saved as .docx in Word", where)
    return archive


def _refuse_revisions(archive: zipfile.ZipFile, where: str) -> None:
    """Refuse tracked changes and comments: mammoth would silently take the
    insertions and drop the deletions and comments."""
    names = set(archive.namelist())
    changes = sum(_count(archive, part, REVISIONS, where) for part in REVISED_PARTS
                  if part in names)
    comments = (_count(archive, "word/comments.xml", {W + "comment"}, where)
                if "word/comments.xml" in names else 0)
    found = [f"{n} {what}{'s' * (n != 1)}" for n, what in
             ((changes, "tracked change"), (comments, "comment")) if n]
    if not found:
        return
    todo = [step for n, step in (
        (changes, "accept or reject every change (Review > Accept > Accept All Changes)"),
        (comments, "delete every comment (Review > Delete > Delete All Comments in "
                   "Document)")) if n]
    raise SitegenError(f"the document has {' and '.join(found)}, which an import cannot "
                       f"carry over: in Word, {' and '.join(todo)}, save it, and import "
                       "it again", where)


def _count(archive: zipfile.ZipFile, part: str, tags: set[str], where: str) -> int:
    try:
        with archive.open(part) as stream:
            return sum(element.tag in tags for _, element in ElementTree.iterparse(stream))
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError) as err:
        raise SitegenError(f"this Word document is damaged ({part}: {err}); open it in "
                           "Word and save it again", where) from None


def _core_title(archive: zipfile.ZipFile) -> str:
    """The title in the document's properties (File > Info), or ``""``."""
    try:
        with archive.open("docProps/core.xml") as stream:
            found = ElementTree.parse(stream).find("{http://purl.org/dc/elements/1.1/}title")
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
        return ""
    return " ".join((found.text or "").split()) if found is not None else ""
