"""The build as one step: a loaded ``Site`` -> every output, handed to a sink.

It validates everything first and raises every content error at once, so
nothing is written unless the whole site is good.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from .convert import convert_site
from .diff import Redline, compare
from .errors import ContentErrors, Problem, SitegenError
from .incremental import output_keys
from .memo import Memo
from .model import Site
from .pages import nothing_published, plan_site
from .parallel import Sink
from .published import verify
from .render import Track, render_pages


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
    ``compiled`` (a Jinja2 bytecode cache) keeps compiled templates between builds."""
    plan = plan_site(site, today, drafts)
    converted = convert_site(site, plan.versions, memo, jobs)
    sealed = verify(site)
    errors = converted.errors + [p for p in sealed if p.severity == "error"]
    if errors:
        raise ContentErrors(errors)
    keys = output_keys(site, plan, converted, base) if base else {}
    kept = frozenset(path for path, key in keys.items() if (previous or {}).get(path) == key)
    files = render_pages(site, plan, converted, memo, jobs, track, kept, sink, compiled)
    warnings = [p for p in converted.problems + tuple(sealed) if p.severity == "warning"]
    return BuildResult(files, len(plan.pages), tuple(sorted(warnings + missing_translations(site))),
                       keys, kept)


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
    return sorted(problems)


def previous_version(site: Site, new_id: str, lang: str) -> str:
    """The id of the version before ``new_id`` that exists in ``lang``."""
    try:
        key = site.version(new_id).key
    except KeyError:
        raise SitegenError(f"no version {new_id} in versions/ "
                           f"(versions: {', '.join(v.id for v in site.versions)})") from None
    earlier = [v for v in site.versions if v.key < key and lang in v.documents]
    if not earlier:
        raise SitegenError(f"no version before {new_id} in `{lang}`: nothing to compare")
    return earlier[-1].id


def redline_between(site: Site, old_id: str, new_id: str, lang: str) -> Redline:
    """Compare two versions on disk (drafts included) in one language."""
    try:
        old, new = site.version(old_id), site.version(new_id)
    except KeyError as err:
        known = ", ".join(v.id for v in site.versions)
        raise SitegenError(f"no version {err.args[0]} in versions/ (versions: {known})") from None
    for version in (old, new):
        if lang not in version.documents:
            raise SitegenError(f"version {version.id} has no `{lang}` text; it exists in "
                               f"{', '.join(version.documents)}: choose one with --lang")
    converted = convert_site(site, tuple(v for v in site.versions if v.key <= new.key))
    if converted.errors:
        raise ContentErrors(converted.errors)
    return compare(old.documents[lang].body, converted.bodies[(old.id, lang)],
                   new.documents[lang].body, converted.bodies[(new.id, lang)])
