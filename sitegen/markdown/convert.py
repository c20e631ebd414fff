"""Convert every statement of a site, in version order per language.

Order matters: each version must still answer the anchors of the versions
before it, so one ``AnchorLedger`` per language walks them oldest first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Mapping, Sequence

from ..engine import parallel
from .anchors import AnchorLedger
from .chunks import ChunkConverter
from ..errors import Problem
from .markup import Body, convert
from ..i18n import labels_name
from ..engine.memo import Memo
from ..content.model import Site, Version

PARALLEL_FROM = 100      # statements; below this, starting processes costs more than it saves


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

    def __or__(self, other: "Converted") -> "Converted":
        """Both, as converted apart (in different languages)."""
        return Converted({**self.bodies, **other.bodies}, self.problems + other.problems)


Key = tuple


def convert_language(site: Site, lang: str, versions: tuple[Version, ...], memo: Memo,
                     keep: Collection[str] = ()) -> list[tuple[Key, str, Body]]:
    """``(memo key, version id, body)`` for each version of ``lang``, oldest first;
    the chunks of the versions in ``keep`` are kept between builds."""
    converter = ChunkConverter(site.config.allow_html)
    ledger = AnchorLedger()
    labels = site.strings[lang]
    label_key = labels_name(labels)              # named once, not per statement
    results = []
    for version in versions:
        doc = version.documents.get(lang)
        if doc is None:
            continue
        key = ("convert", doc.digest, doc.path, label_key, ledger.key(doc.renames),
               site.config.allow_html)
        body = memo.get(key, lambda d=doc: convert(     # now: the ledger moves on after
            d.body, d.path, d.body_line, labels, resolver=ledger.history(d.renames),
            allow_html=site.config.allow_html, renames_line=d.line_of("renames"),
            memo=memo, converter=converter, keep=version.id in keep), durable=True)
        results.append((key, version.id, body))
        if not version.draft:
            ledger.record(version.id, body.anchors, doc.renames)
    return results


def convert_site(site: Site, versions: tuple[Version, ...] | None = None,
                 memo: Memo | None = None, jobs: int = 1,
                 languages: Sequence[str] | None = None, keep: Collection[str] = ()
                 ) -> Converted:
    """Convert ``versions`` (default: all) of ``site`` in ``languages`` (default:
    all); drafts promise no anchors.

    With a ``memo``, a statement whose text, labels and inherited anchors are
    unchanged is not converted again, and of the versions in ``keep`` (those
    still edited), the chunks that an edit left as they were neither. Languages
    are independent: with ``jobs`` > 1 they are converted in worker processes.
    """
    memo = memo if memo is not None else Memo()
    chosen = versions if versions is not None else site.versions
    languages = tuple(languages) if languages is not None else site.config.languages
    work = [lambda lang=lang: convert_language(site, lang, chosen, memo, keep)
            for lang in languages]
    many = len(chosen) * len(languages) >= PARALLEL_FROM
    forking = jobs > 1 and len(languages) > 1 and parallel.can_fork()
    if forking and many and not memo.warm:          # warm: the kept results come quickly
        per_language = parallel.map_forked(work, jobs)
        for results in per_language:              # what the workers did, kept here too
            for key, _, body in results:
                memo.get(key, lambda b=body: b, durable=True)
    else:
        per_language = [job() for job in work]
    bodies: dict[tuple[str, str], Body] = {}
    problems: list[Problem] = []
    for lang, results in zip(languages, per_language):
        for _, version_id, body in results:
            bodies[(version_id, lang)] = body
            problems.extend(body.problems)
    return Converted(bodies, tuple(problems))
