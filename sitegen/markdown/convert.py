"""Convert every statement of a language, in version order.

Order matters: each version must still answer the anchors of the versions
before it, so one ``AnchorLedger`` per language walks them oldest first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Mapping, Sequence

from .anchors import AnchorLedger
from .chunks import ChunkConverter
from ..errors import Problem
from .markup import Body, convert
from ..i18n import labels_name
from ..reuse import Reuse, afresh
from ..content.model import Site, Version


@dataclass(frozen=True)
class Converted:
    """Every body by (version id, language), and every problem found on the way."""

    bodies: Mapping[tuple[str, str], Body]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def digests(self) -> dict[tuple[str, str], str]:
        """The SHA-256 of each body's HTML (what the keys of outputs need of it)."""
        return {key: body.digest for key, body in self.bodies.items()}


Inputs = tuple        # what a converted statement depends on (see ``convert_language``)


def convert_language(site: Site, lang: str, versions: Sequence[Version], reuse: Reuse = afresh,
                     open_versions: Collection[str] = ()) -> list[tuple[Inputs, str, Body]]:
    """``(inputs, version id, body)`` for each version of ``lang``, oldest first,
    each body made through ``reuse`` from its inputs: the text, the labels and the
    anchors it inherits. ``open_versions``: those still edited (the current one
    and those to come), whose chunks are worth keeping apart."""
    converter = ChunkConverter(site.config.allow_html)
    ledger = AnchorLedger()
    labels = site.strings[lang]
    label_key = labels_name(labels)              # named once, not per statement
    results = []
    for version in versions:
        doc = version.documents.get(lang)
        if doc is None:
            continue
        inputs = (doc.digest, doc.path, label_key, ledger.key(doc.renames),
                  site.config.allow_html)
        body = reuse("statement html", inputs, lambda d=doc: convert(   # now: the ledger moves on
            d.body, d.path, d.body_line, labels, resolver=ledger.history(d.renames),
            allow_html=site.config.allow_html, renames_line=d.line_of("renames"),
            reuse=reuse, converter=converter, open_=version.id in open_versions))
        results.append((inputs, version.id, body))
        if not version.draft:
            ledger.record(version.id, body.anchors, doc.renames)
    return results
