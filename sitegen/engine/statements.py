"""Converting every statement of a site, on one core or several: languages are
independent (each walks its own versions in order, ``convert_language``), so
with several jobs they are converted in worker processes.
"""
from __future__ import annotations

from typing import Collection, Sequence

from ..content.model import Site, Version
from ..errors import Problem
from ..markdown.convert import Converted, convert_language
from ..markdown.markup import Body
from . import parallel
from .memo import Memo

PARALLEL_FROM = 100      # statements; below this, starting processes costs more than it saves


def convert_site(site: Site, versions: tuple[Version, ...] | None = None,
                 memo: Memo | None = None, jobs: int = 1,
                 languages: Sequence[str] | None = None, open_versions: Collection[str] = ()
                 ) -> Converted:
    """Convert ``versions`` (default: all) of ``site`` in ``languages`` (default:
    all); drafts promise no anchors.

    With a ``memo``, a statement whose text, labels and inherited anchors are
    unchanged is not converted again, and of the versions in ``open_versions``
    (those still edited), the chunks that an edit left as they were neither.
    """
    memo = memo if memo is not None else Memo()
    chosen = versions if versions is not None else site.versions
    languages = tuple(languages) if languages is not None else site.config.languages
    work = [lambda lang=lang: convert_language(site, lang, chosen, memo.reuse, open_versions)
            for lang in languages]
    many = len(chosen) * len(languages) >= PARALLEL_FROM
    forking = jobs > 1 and len(languages) > 1 and parallel.can_fork()
    if forking and many and not memo.warm:          # warm: the kept results come quickly
        per_language = parallel.map_forked(work, jobs)
        for results in per_language:              # what the workers did, kept here too
            for inputs, _, body in results:
                memo.reuse("statement html", inputs, lambda b=body: b)
    else:
        per_language = [job() for job in work]
    bodies: dict[tuple[str, str], Body] = {}
    problems: list[Problem] = []
    for lang, results in zip(languages, per_language):
        for _, version_id, body in results:
            bodies[(version_id, lang)] = body
            problems.extend(body.problems)
    return Converted(bodies, tuple(problems))
