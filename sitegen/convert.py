"""Convert every statement of a site, in version order per language.

Order matters: each version must still answer the anchors of the versions
before it, so one ``AnchorLedger`` per language walks them oldest first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .anchors import AnchorLedger
from .errors import Problem
from .markup import Body, ChunkConverter, convert
from .memo import Memo
from .model import Site, Version


@dataclass(frozen=True)
class Converted:
    """Every body by (version id, language), and every problem found on the way."""

    bodies: Mapping[tuple[str, str], Body]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def convert_site(site: Site, versions: tuple[Version, ...] | None = None,
                 memo: Memo | None = None) -> Converted:
    """Convert ``versions`` (default: all) of ``site``; drafts promise no anchors.

    With a ``memo``, a statement whose text, labels and inherited anchors are
    unchanged is not converted again.
    """
    memo = memo if memo is not None else Memo()
    converter = ChunkConverter(site.config.allow_html)
    bodies: dict[tuple[str, str], Body] = {}
    problems: list[Problem] = []
    for lang in site.config.languages:
        ledger = AnchorLedger()
        labels = site.strings[lang]
        label_key = tuple(sorted(labels.items()))
        for version in versions if versions is not None else site.versions:
            doc = version.documents.get(lang)
            if doc is None:
                continue
            history = ledger.history(doc.renames)
            key = ("convert", doc.body, doc.path, doc.body_line, label_key, history,
                   site.config.allow_html, doc.line_of("renames"))
            body = memo.get(key, lambda d=doc, h=history: convert(
                d.body, d.path, d.body_line, labels, resolver=h,
                allow_html=site.config.allow_html, renames_line=d.line_of("renames"),
                memo=memo, converter=converter), durable=True)
            problems.extend(body.problems)
            bodies[(version.id, lang)] = body
            if not version.draft:
                ledger.record(version.id, body.anchors, doc.renames)
    return Converted(bodies, tuple(problems))

