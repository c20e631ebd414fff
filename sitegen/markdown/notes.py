"""Footnotes over a statement converted chunk by chunk (see ``chunks``).

A reference and its note may lie in different chunks: every chunk is given the
statement's notes, as it is given its link definitions, so a reference is
numbered as in one document and links to its note.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Mapping

from markdown.extensions.footnotes import FootnoteExtension

NOTE = "^"          # a statement's footnote among its definitions: ``^label -> (text, None)``
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")      # one left as text: never defined
FOOTNOTE_LINKS = frozenset({"footnote-ref", "footnote-backref"})   # made in pairs by Markdown


class StatementFootnotes(FootnoteExtension):
    """Python-Markdown's footnotes over a statement converted chunk by chunk:
    every chunk knows the statement's footnotes (``DocumentReferences``), so a
    reference is numbered as in one document, in the order the notes are
    defined; the notes are listed where they are defined, each with its number."""

    def __init__(self, back_title: str) -> None:
        super().__init__(BACKLINK_TITLE=back_title.replace("{number}", "{}"))
        self.statement: Mapping[str, tuple[str, str | None]] = {}   # what the chunk is given

    @staticmethod
    def order(given: Mapping[str, tuple[str, str | None]],
              own: Mapping[str, str]) -> dict[str, str]:
        """The statement's footnotes in order (label -> text), then the chunk's others."""
        notes = {k[len(NOTE):]: text for k, (text, _) in given.items() if k.startswith(NOTE)}
        return {**notes, **{label: text for label, text in own.items() if label not in notes}}

    def makeFootnotesDiv(self, root: etree.Element) -> etree.Element | None:  # noqa: N802
        div = super().makeFootnotesDiv(root)
        order = self.order(self.statement, self.footnotes)
        numbers = {label: n for n, label in enumerate(order, 1)}
        for item, label in zip(div.find("ol") if div is not None else (), self.footnotes):
            item.set("value", str(numbers[label]))
            for link in item.iter("a"):
                if link.get("class") == "footnote-backref":
                    link.set("title", self.getConfig("BACKLINK_TITLE").format(numbers[label]))
        return div
