"""The build as one step: a loaded ``Site`` -> every output, handed to a sink.

It validates everything first and raises every content error at once, so
nothing is written unless the whole site is good.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..content.model import Site
from ..content.published import verify
from ..errors import ContentErrors, Problem
from ..site.pages import Plan, nothing_published, plan_site
from ..site.links import other_languages, own_links
from ..site.render import MemorySink, Sink, Track
from ..words import words
from . import parallel, rendering, statements
from .incremental import output_keys
from .memo import Memo
from .rendering import render_for_machines, render_pages
from .statements import convert_site

Outline = tuple[Mapping[tuple[str, str], str], tuple[Problem, ...]]   # digests, problems


@dataclass(frozen=True)
class BuildResult:
    files: dict[str, bytes]          # what was rendered
    pages: int
    warnings: tuple[Problem, ...]
    keys: Mapping[str, str] = field(default_factory=dict)   # every output's key
    kept: frozenset[str] = frozenset()   # outputs unchanged since the previous build


def missing_translations(site: Site) -> list[Problem]:
    return [Problem(f"versions/{v.id}", 0, f"no `{lang}` translation: visitors of /{lang}/{v.id}/ "
                    "see a notice that points to the languages it exists in", "warning")
            for v in site.versions for lang in site.config.languages if lang not in v.documents]


def build_site(site: Site, today: dt.date, drafts: bool = False,
               track: Track = lambda pages: pages, memo: Memo | None = None,
               jobs: int = 1, base: str = "", previous: Mapping[str, str] | None = None,
               sink: Sink | None = None, compiled: Any = None) -> BuildResult:
    """Validate and render the site. With ``previous`` (the keys of the last
    build) and ``base`` (the fingerprint of everything outside versions/),
    outputs whose key did not change are not rendered but listed in ``kept``.
    Outputs go to ``sink`` as they are rendered (by default: ``files``);
    ``compiled`` (a Jinja2 bytecode cache) keeps compiled templates between builds.
    A cold build on several cores converts and renders each language at once
    (``_convert_and_render``); either way, nothing is kept by the caller unless
    the whole site is valid."""
    plan = plan_site(site, today, drafts)
    memo = memo if memo is not None else Memo()
    sink = sink if sink is not None else MemorySink()
    at_once, processes = _at_once(site, plan, memo, jobs)
    if at_once:
        digests, problems = _convert_and_render(site, plan, memo, at_once, processes, track,
                                                sink, compiled)
    else:
        converted = convert_site(site, plan.versions, memo, jobs, open_versions=plan.open)
        digests, problems = converted.digests, converted.problems
    sealed = verify(site)
    errors = [p for p in problems + tuple(sealed) if p.severity == "error"]
    if errors:
        raise ContentErrors(errors)
    keys = output_keys(site, plan, digests, base) if base else {}
    kept: frozenset[str] = frozenset()            # rendered already, all of it, if at once
    if not at_once:
        kept = frozenset(path for path, key in keys.items() if (previous or {}).get(path) == key)
        render_pages(site, plan, converted, memo, jobs, track, kept, sink, compiled)
    files = sink.files if isinstance(sink, MemorySink) else {}
    warnings = [p for p in problems + tuple(sealed) if p.severity == "warning"]
    return BuildResult(files, len(plan.pages), tuple(sorted(warnings + missing_translations(site))),
                       keys, kept)


def _at_once(site: Site, plan: Plan, memo: Memo, jobs: int) -> tuple[list[str], int]:
    """The languages, heaviest first, and how many processes share them out, if
    they are to be converted and rendered in one go (``_convert_and_render``),
    else none: on several cores, with nothing kept from an earlier build, for a
    site large enough to be worth the processes, and with languages that share
    out evenly (within a quarter, given to the processes as ``whole_languages``
    would; see ``_work``)."""
    languages = site.config.languages
    if not (jobs > 1 and parallel.can_fork() and not memo.warm and len(languages) >= jobs
            and len(languages) <= parallel.Shares.LIMIT
            and len(plan.pages) >= rendering.PARALLEL_FROM
            and len(plan.versions) * len(languages) >= statements.PARALLEL_FROM):
        return [], 0
    work = {lang: _work(plan, lang) for lang in languages}
    groups = parallel.whole_languages(work, jobs)
    heaviest = max(sum(work[lang] for lang in group) for group in groups)
    if heaviest * jobs > 1.25 * sum(work.values()):
        return [], 0
    return sorted(languages, key=lambda lang: -work[lang]), len(groups)


# What a word adds to the work of a character: fitted on the benchmark's nl, en,
# de and ja (a cold build of each alone: 1.21, 1.06, 1.26 and 1.23 s; by
# characters alone Japanese, a word a character, looked half as heavy).
WORD_WEIGHT = 2.4


def _work(plan: Plan, lang: str) -> float:
    """How long a language takes to convert and render: it has a page of each
    kind for each version it exists in, which take as long as its text is long,
    Markdown's work going by characters and the redline's by words (as
    ``words`` counts them in its latest statement)."""
    bodies = [version.documents[lang].body for version in plan.versions
              if lang in version.documents]
    if not bodies:
        return 0.0
    latest = bodies[-1]
    return sum(map(len, bodies)) * (1 + WORD_WEIGHT * len(words(latest)) / max(len(latest), 1))


def _convert_and_render(site: Site, plan: Plan, memo: Memo, languages: list[str],
                        processes: int, track: Track, sink: Sink, compiled: Any) -> Outline:
    """A cold build on several cores: ``processes`` processes take the
    ``languages`` one at a time, in order, each the next one left when it is
    done with its last (``parallel.Shares``): whichever takes longer than its
    length says (Japanese, say), the others take more. Each converts the
    statements of a language and renders its pages straight away, waiting for no
    other (the languages share nothing), and writes its sources into the version
    folders it made; one more process writes the other files for machines.
    (When that process wrote the sources too, two processes made the same
    folders at once: 200 x 4 took 0.2 s longer, 3.5 s instead of 3.3.) This
    process is one of them and shows the progress of its languages. What the
    workers keep is saved by each (``Memo.keep_apart``); they send back only the
    digests of the converted statements and the problems found."""
    shares = parallel.Shares(len(languages))

    def in_languages(shown: Track = lambda pages: pages) -> parallel.Task:
        def task(into: Sink) -> Outline:
            digests: dict[tuple[str, str], str] = {}
            problems: list[Problem] = []
            for index in shares:
                chosen = [languages[index]]
                converted = convert_site(site, plan.versions, memo, languages=chosen,
                                         open_versions=plan.open)
                if not converted.errors:          # else the build fails: not rendered
                    render_pages(site, plan, converted, memo, track=shown, sink=into,
                                 compiled=compiled, languages=chosen, machines=False)
                digests.update(converted.digests)
                problems += converted.problems
            return digests, tuple(problems)
        return task

    def for_machines(into: Sink) -> None:
        render_for_machines(site, plan, memo, into)

    try:
        values = parallel.run_tasks(in_languages(track),
                                    [*(in_languages() for _ in range(processes - 1)),
                                     for_machines], sink, MemorySink, memo, apart=True)
    finally:
        shares.close()
    outlines = values[:processes]
    return ({key: digest for digests, _ in outlines for key, digest in digests.items()},
            tuple(problem for _, problems in outlines for problem in problems))


def placeholders(site: Site) -> list[Problem]:
    """Lines still marked TODO (as ``sitegen init`` leaves them)."""
    return [Problem(doc.path, doc.body_line + number - 1, "placeholder text (TODO) to fill in",
                    "warning")
            for version in site.versions for doc in version.documents.values()
            for number, line in enumerate(doc.body.split("\n"), 1) if "TODO" in line]


def check_site(site: Site, today: dt.date) -> list[Problem]:
    """Every problem of the site, drafts included, without writing anything."""
    converted = convert_site(site)
    problems = list(converted.problems) + missing_translations(site) + placeholders(site)
    problems += verify(site) + list(site.warnings)
    if site.versions and all(v.draft for v in site.versions):
        problems.append(Problem(*nothing_published(site), "warning"))   # build fails; --drafts not
    if not converted.errors:
        plan = plan_site(site, today, drafts=True)
        render_pages(site, plan, converted)       # template errors raise with file:line
        problems += own_links(site, plan, converted.bodies)
        problems += other_languages(site, converted.bodies)
    return sorted(problems)
