"""Convert every statement of a language, in version order.

Order matters: each version must still answer the anchors of the versions
before it, so one ``AnchorLedger`` per language walks them oldest first.
"""
from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, replace
from typing import Callable, Collection, Mapping, Sequence
from urllib.parse import urlsplit

from . import pairing
from .anchors import AnchorHistory, AnchorLedger, Tombstone
from .chunks import ChunkConverter, Images
from ..errors import Problem
from .markup import Body, convert
from ..i18n import labels_name
from ..reuse import Reuse, afresh
from ..content import MEDIA_DIR
from ..content.model import Document, Site, Version


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


@dataclass(frozen=True)
class Earlier:
    """The last published version before a statement, in its language: where a
    lost anchor's section is looked for, and a removed section's title."""

    version: str
    doc: Document
    body: Body

    @property
    def key(self) -> tuple[str, str, str]:
        return self.version, self.doc.digest, self.body.digest


def convert_language(site: Site, lang: str, versions: Sequence[Version], reuse: Reuse = afresh,
                     open_versions: Collection[str] = ()) -> list[tuple[Inputs, str, Body]]:
    """``(inputs, version id, body)`` for each version of ``lang``, oldest first,
    each body made through ``reuse`` from its inputs: the text, the labels, the
    anchors it inherits and the version before it. ``open_versions``: those
    still edited (the current one and those to come), whose chunks are worth
    keeping apart."""
    labels = site.strings[lang]
    images = Images(urlsplit(site.config.base_url).path + MEDIA_DIR + "/", frozenset(site.media))
    converter = ChunkConverter(site.config.allow_html, labels["footnote_back"], images)
    ledger = AnchorLedger()
    label_key = labels_name(labels)              # named once, not per statement
    strict = site.config.strict_anchors
    earlier: Earlier | None = None
    results = []
    for version in versions:
        doc = version.documents.get(lang)
        if doc is None:
            continue

        def converted(history: AnchorHistory, d: Document = doc) -> Body:
            return convert(d.body, d.path, d.body_line, labels, resolver=history,
                           allow_html=site.config.allow_html, reuse=reuse,
                           converter=converter, open_=d.version in open_versions)

        inputs = (doc.digest, doc.path, label_key, ledger.key(doc.renames),
                  site.config.allow_html, strict, earlier.key if earlier else None)
        body = reuse("statement html", inputs, lambda d=doc, e=earlier: statement(   # now:
            d, e, ledger, converted, strict))                     # the ledger moves on
        results.append((inputs, version.id, body))
        if not version.draft:
            ledger.record(version.id, body.anchors, {**doc.renames, **body.paired},
                          body.tombstones)
            earlier = Earlier(version.id, doc, body)
    return results


def statement(doc: Document, earlier: Earlier | None, ledger: AnchorLedger,
              converted: Callable[[AnchorHistory], Body], strict: bool) -> Body:
    """``doc`` converted so that every anchor of an earlier version still lands:
    on its heading, on the heading it was renamed to (declared, or paired with
    its reworded section, ``pairing``), or on a tombstone that says the section
    was removed. A pairing or removal nobody declared is a note, or an error
    where the site's anchors are strict."""
    body = converted(ledger.history(doc.renames))
    paired: dict[str, str] = {}
    lost = [anchor for anchor in body.missing if anchor not in doc.removed]
    if lost and earlier is not None:
        paired = pairing.paired(pairing.sections(earlier.doc.body, earlier.body.headings),
                                pairing.sections(doc.body, body.headings), lost)
        if paired:
            body = converted(ledger.history({**paired, **doc.renames}))
    stones = tombstones(doc, earlier, ledger, body.missing)
    problems = [*_paired_problems(doc, earlier, body, paired, strict),
                *_removed_problems(doc, ledger, body, stones, strict),
                *_notes_problems(doc, body)]
    # the digest names what pages show of the statement: its HTML and its tombstones
    digest = hashlib.sha256(f"{body.digest}{stones!r}".encode()).hexdigest() if stones \
        else body.digest
    return replace(body, problems=body.problems + tuple(problems), tombstones=stones,
                   paired=paired, digest=digest)


def tombstones(doc: Document, earlier: Earlier | None, ledger: AnchorLedger,
               missing: Sequence[str]) -> tuple[Tombstone, ...]:
    """A tombstone for each anchor that lands nowhere: the one an earlier version
    made, or one of this version, which removed the section."""
    titles = {h.id: h.text for h in earlier.body.headings} if earlier else {}
    stones = []
    for anchor in missing:
        reason = doc.removed.get(anchor, "")
        if anchor in ledger.gone:
            stone = ledger.gone[anchor]
            stones.append(replace(stone, reason=reason or stone.reason))
        elif earlier is not None:
            heading = earlier.body.aliases.get(anchor, anchor)
            stones.append(Tombstone(anchor, titles.get(heading, ""), heading, earlier.version,
                                    doc.version, reason))
    return tuple(stones)


def _paired_problems(doc: Document, earlier: Earlier | None, body: Body,
                     paired: Mapping[str, str], strict: bool) -> list[Problem]:
    titles = {h.id: h.text for h in earlier.body.headings} if earlier else {}
    lines = {h.id: doc.body_line + h.line - 1 for h in body.headings}
    found = []
    for old, new in paired.items():
        said = (f"#{old} now answers #{new}: the heading \u201c{titles.get(old, old)}\u201d of "
                f"version {earlier.version if earlier else ''} was reworded and its text is "
                "mostly the same")
        found.append(Problem(doc.path, lines.get(new, doc.line_of("renames")), said + (
            f"; as this site's anchors are strict, declare it under `renames:` (`{old}: {new}`)"
            if strict else " (to pair it otherwise, declare `renames:`)"),
            "error" if strict else "note"))
    return found


def _notes_problems(doc: Document, body: Body) -> list[Problem]:
    """A note on a right this text does not have would be shown nowhere."""
    rights = {h.article: h.text for h in body.rights}
    return [Problem(doc.path, doc.line_of("rights_notes"), f"`rights_notes` has a line for "
                    f"article {article}, which is no right of this text (its rights: "
                    f"{', '.join(f'{a} {t}' for a, t in rights.items()) or 'none'})")
            for article in doc.rights_notes if article not in rights]


def _removed_problems(doc: Document, ledger: AnchorLedger, body: Body,
                      stones: Sequence[Tombstone], strict: bool) -> list[Problem]:
    found = []
    where = doc.line_of("removed") if doc.removed else doc.line_of("renames")
    for stone in stones:
        if stone.removed_in != doc.version or stone.anchor in doc.removed:
            continue
        said = (f"#{stone.anchor} (\u201c{stone.title}\u201d, last in version {stone.last}) "
                "is not in this version: its address shows that the section was removed")
        found.append(Problem(doc.path, where, said + (
            "; as this site's anchors are strict, declare it under `removed:`, or under "
            "`renames:` if it went elsewhere" if strict else
            f" (say why under `removed:` if you like: `{stone.anchor}: ...`)"),
            "error" if strict else "note"))
    for anchor in doc.removed:
        if anchor in body.anchors:
            found.append(Problem(doc.path, doc.line_of("removed"), f"#{anchor} is declared "
                                 "removed, but this version still has it; remove the heading, "
                                 "or the line under `removed:`"))
        elif anchor not in ledger.promised:
            close = difflib.get_close_matches(anchor, sorted(ledger.promised), n=1)
            hint = f"did you mean #{close[0]}?" if close else \
                "only sections of published versions can be removed"
            found.append(Problem(doc.path, doc.line_of("removed"), f"#{anchor} is declared "
                                 f"removed, but no earlier version had it: {hint}"))
    return found
