"""HTML -> the Markdown sitegen reads, through markdownify (BeautifulSoup's tree,
one converter per tag, tables as pipe tables): used for Word documents (after
mammoth made them HTML), HTML pages and HTML blocks found in Markdown files.

It never drops a word of the text it keeps: what it leaves out (scripts, a
page's navigation) goes whole, and is named by ``page_content``.
"""
from __future__ import annotations

import re

from markdownify import MarkdownConverter

from ..errors import Problem

DROPPED = ("script", "style", "noscript", "template", "iframe", "object", "embed", "form")
# What a page has around its text, left out by ``page_content``; by the name a report uses.
AROUND = {"nav": "navigation", "header": "header", "footer": "footer", "aside": "sidebar"}
# Text that would start a heading, list or quote at the start of a line, where it
# is text: `# of users`, `2. The data`, `- or not`, `> 18`.
LINE_START = re.compile(r"^(\s*)(#{1,6}|[-+*]|\d{1,9}[.)]|>)(?=\s|$)", re.M)
ANCHOR = re.compile(r"[A-Za-z][\w.:-]*")       # an id that survives as {#id}
NO_BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre", "code"}


class _Converter(MarkdownConverter):
    """markdownify, escaping only what Python-Markdown would read as markup here
    (``\\=`` or ``\\&`` would show their backslash, so no other character is)."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = super().escape(text, parent_tags)
        if not text or parent_tags & {"pre", "code"}:
            return text
        if parent_tags & {"td", "th"}:
            text = text.replace("|", r"\|")
        if not parent_tags & NO_BLOCKS:
            text = LINE_START.sub(lambda m: m[1] + re.sub(r"([#+*>.)-])", r"\\\1", m[2]), text)
        return text


    def convert_hN(self, n: int, el, text: str, parent_tags: set[str]) -> str:
        """A heading with an ``id`` keeps it: ``## Title {#id}``, an anchor that
        links to the page may already use."""
        heading = super().convert_hN(n, el, text, parent_tags)
        given = el.get("id") or next((a.get("id") or a.get("name") for a in el.find_all("a")
                                      if a.get("id") or a.get("name")), None)
        if not given or not ANCHOR.fullmatch(given) or "#" not in heading:
            return heading
        body = heading.rstrip("\n")
        return f"{body} {{#{given}}}" + heading[len(body):]


def html_to_markdown(html: str) -> str:
    """``html`` as Markdown: headings ``#``, lists ``-``, emphasis, links and
    tables kept; scripts, styles and forms dropped; every word of the text kept."""
    from bs4 import BeautifulSoup
    tree = BeautifulSoup(html, "html.parser")
    for element in tree.find_all(DROPPED):
        element.decompose()                   # gone with its text, not just its tags
    text = _Converter(heading_style="ATX", bullets="-", escape_misc=False,
                      table_infer_header=True).convert_soup(tree)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def page_content(html: str) -> tuple[str, str, list[str]]:
    """The statement in a whole page: its HTML, the element it is (``main``,
    ``article`` or ``body``) and what of the page was left out (``navigation``...).

    The text is the page's ``<main>``, else its one ``<article>``, else its
    ``<body>``; navigation is left out wherever it is, a header, footer and
    sidebar outside an article or ``<main>``, and scripts, styles and forms."""
    from bs4 import BeautifulSoup
    tree = BeautifulSoup(html, "html.parser")
    articles = tree.find_all("article")
    content = (tree.find("main") or (articles[0] if len(articles) == 1 else None)
               or tree.body or tree)
    left = []
    for name, label in AROUND.items():
        around = [e for e in tree.find_all(name) if name == "nav" or not _inside(e, content)
                  or not e.find_parent(["article", "main"])]
        if around:
            left.append(label)
        for element in around:
            if not element.decomposed:            # not inside one left out already
                element.decompose()
    if content.find(DROPPED):
        left.append("scripts, styles and forms")
    inner = content.decode_contents() if content is not tree else str(tree)
    return inner, content.name if content is not tree else "body", left


def _inside(element, ancestor) -> bool:
    """Whether ``element`` is within ``ancestor`` (by identity: tags compare by content)."""
    return any(parent is ancestor for parent in element.parents)


def word_footnotes(html: str) -> str:
    """mammoth's footnotes and endnotes as sitegen's: ``[^1]`` in the text, and
    ``[^1]: the note`` where mammoth lists them (endnotes ``[^e1]``)."""
    from bs4 import BeautifulSoup
    tree = BeautifulSoup(html, "html.parser")
    for ref in tree.select("sup > a[href^='#footnote-'], sup > a[href^='#endnote-']"):
        ref.parent.replace_with(f"[^{_note_label(ref['href'][1:])}]")
    for item in tree.select("li[id^='footnote-'], li[id^='endnote-']"):
        for back in item.select("a[href^='#footnote-ref-'], a[href^='#endnote-ref-']"):
            back.decompose()
        note, notes = tree.new_tag("p"), item.parent
        note.append(f"[^{_note_label(item['id'])}]: ")
        for number, part in enumerate(item.find_all("p") or [item]):
            if number:
                note.append(tree.new_tag("br"))   # one paragraph: a note's lines stay in it
            note.extend(list(part.contents))
        notes.insert_before(note)
        item.decompose()
        if not notes.find("li"):
            notes.decompose()
    return str(tree)


def _note_label(note_id: str) -> str:
    kind, number = note_id.split("-", 1)
    return number if kind == "footnote" else f"e{number}"


def left_out(html: str, where: str) -> tuple[str, list[Problem]]:
    """``html`` without its images (a note for each) and a note for a table with
    merged cells, which a Markdown table cannot show."""
    from bs4 import BeautifulSoup
    tree = BeautifulSoup(html, "html.parser")
    images = [image.get("alt", "") for image in tree.find_all("img")]
    for image in tree.find_all("img"):
        image.decompose()
    merged = sum(1 for table in tree.find_all("table")
                 if table.find(lambda cell: cell.name in ("td", "th") and
                               (cell.get("colspan", "1"), cell.get("rowspan", "1")) != ("1", "1")))
    notes = [Problem(where, 0, _image_note(alt), "warning") for alt in images]
    if merged:
        notes.append(Problem(where, 0, f"{merged} table{'s' * (merged != 1)} had merged "
                                       "cells, which a Markdown table cannot have: check "
                                       "that each cell's text is in its place", "warning"))
    return str(tree), notes


def _image_note(alt: str) -> str:
    shown = f' (its text: "{" ".join(alt.split())}")' if alt.strip() else " without text"
    return (f"an image{shown} was left out: to show it, put it in content/assets/ and "
            "write ![what it shows](assets/NAME)")
