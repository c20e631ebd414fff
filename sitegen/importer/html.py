"""HTML -> the Markdown sitegen reads, through markdownify (BeautifulSoup's tree,
one converter per tag, tables as pipe tables): used for Word documents (after
mammoth made them HTML), HTML pages and HTML blocks found in Markdown files."""
from __future__ import annotations

import re

DROPPED = ("script", "style", "noscript", "template", "iframe", "object", "embed", "form")


def html_to_markdown(html: str) -> str:
    """``html`` as Markdown: headings ``#``, lists ``-``, emphasis, links and
    tables kept; scripts, styles and forms dropped; every word of the text kept."""
    from bs4 import BeautifulSoup
    from markdownify import MarkdownConverter
    tree = BeautifulSoup(html, "html.parser")
    for element in tree.find_all(DROPPED):
        element.decompose()                   # gone with its text, not just its tags
    text = MarkdownConverter(heading_style="ATX", bullets="-", escape_misc=False,
                             table_infer_header=True).convert_soup(tree)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
