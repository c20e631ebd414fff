"""Rendering a plan's pages with Jinja2 (each page's context: ``context``), its
feeds and the files for machines, and handing each output to a sink as soon as
it is made. Nothing here writes a file.
"""
from __future__ import annotations

import itertools
from typing import Callable, Iterable, Mapping, Sequence

import jinja2

from ..engine import parallel
from ..redline import forms as redline
from .context import PageRenderer
from ..markdown.convert import Converted
from .feed import atom_feed, feed_path
from ..engine.memo import Memo
from ..content.model import Site
from .pages import ASSET_DIR, Page, Plan
from .sitemap import robots, sitemap
from ..redline.textdiff import clear_caches as clear_diff_caches
from .versions_json import source_bytes, source_path, versions_json

PARALLEL_FROM = 200          # pages; below this, starting a process costs more than it saves
Track = Callable[[Sequence[Page]], Iterable[Page]]


class MemorySink:
    """Outputs kept in memory (``files``), for ``serve``, ``check`` and tests."""

    shared = False                        # a forked worker's additions stay in the worker

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, path: str, data: bytes) -> None:
        self.files[path] = data

    def record(self, paths: Iterable[str]) -> None:
        """Nothing to note: a worker's outputs come back as bytes (see parallel)."""


def render_pages(site: Site, plan: Plan, converted: Converted, memo: Memo | None = None,
                 jobs: int = 1, track: Track = lambda pages: pages,
                 skip: frozenset[str] = frozenset(), sink: parallel.Sink | None = None,
                 compiled: jinja2.BytecodeCache | None = None,
                 languages: Sequence[str] | None = None, machines: bool = True
                 ) -> dict[str, bytes]:
    """Every page of the plan, the feeds, the machine-readable files and the assets,
    but for the outputs in ``skip`` (unchanged since the last build), each handed to
    ``sink`` as soon as it is rendered (by default kept and returned).

    With ``jobs`` > 1, groups of pages are rendered in parallel (see
    ``parallel.balance``); ``track`` wraps the pages this process renders (a
    progress bar); ``compiled`` keeps compiled templates between builds.
    ``languages`` limits the pages and feeds to those languages (``converted``
    need hold no other); ``machines=False`` leaves out the files for machines.
    """
    renderer = PageRenderer(site, plan, converted, memo, compiled)
    sink = sink if sink is not None else MemorySink()

    def render_group(pages: Iterable[Page], languages: Sequence[str], into: parallel.Sink) -> None:
        """Pages come a language at a time (as planned), each language's feed with
        its pages; what they shared (section diffs and their HTML) is forgotten
        before the next language, so memory stays flat. ``pages`` is read as it
        is rendered (it may drive a progress bar)."""
        fed: set[str] = set()

        def feed(lang: str) -> None:
            if lang in languages and lang not in fed and plan.has_feed(lang) \
                    and feed_path(lang) not in skip:
                into.add(feed_path(lang),
                         atom_feed(site, plan, lang, renderer.rights, renderer.formats,
                                   renderer.memo))
            fed.add(lang)

        for lang, run in itertools.groupby(pages, key=lambda page: page.lang):
            with renderer.memo.scope():
                for page in run:
                    into.add(page.path, renderer.render(page))
                feed(lang)
            clear_caches()
        for lang in languages:
            if lang not in fed:
                feed(lang)

    def publish(into: parallel.Sink) -> None:
        publications(site, plan, renderer, into, skip)

    languages = tuple(languages) if languages is not None else site.config.languages
    pages = tuple(page for page in plan.pages if page.path not in skip and page.lang in languages)
    forking = jobs > 1 and len(pages) >= PARALLEL_FROM and parallel.can_fork()
    groups = parallel.balance(pages, languages, jobs) if forking else []
    if len(groups) > 1:
        parallel.render_groups(groups, render_group, track, sink, MemorySink, renderer.memo,
                               extra=publish if machines else None)
    else:
        render_group(track(pages), languages, sink)
        if machines:
            publish(sink)
    return sink.files if isinstance(sink, MemorySink) else {}


def render_for_machines(site: Site, plan: Plan, memo: Memo, sink: parallel.Sink) -> None:
    """Only the files for machines and the assets: they need no converted text."""
    publications(site, plan, PageRenderer(site, plan, Converted({}, ()), memo), sink)


def publications(site: Site, plan: Plan, renderer: PageRenderer, into: parallel.Sink,
                 skip: frozenset[str] = frozenset()) -> None:
    """The assets and what machines read (versions.json, the sources, sitemap and
    robots.txt) into ``into``, but for those in ``skip``."""
    files = dict(assets(site))
    if "versions.json" not in skip:
        files["versions.json"] = versions_json(site, plan, renderer.state, renderer.memo)
    for version in plan.versions:
        for lang, doc in version.documents.items():
            if source_path(lang, version.id) not in skip:
                files[source_path(lang, version.id)] = source_bytes(doc)
    if "sitemap.xml" not in skip:
        indexable = [p for p in plan.pages if p.kind != "notfound" and not (
            p.version and p.kind != "diff" and p.lang not in plan.version(p.version).documents)]
        files["sitemap.xml"] = sitemap(site, indexable, renderer.alternates)
    if "robots.txt" not in skip:
        files["robots.txt"] = robots(site)
    for path, data in files.items():
        into.add(path, data)


def assets(site: Site) -> Mapping[str, bytes]:
    return {f"{ASSET_DIR}/{name}": data for name, data in site.assets.items()}


def clear_caches() -> None:
    """Empty the caches of the pure functions that redline pages share within a
    language (texts differ between languages)."""
    clear_diff_caches()
    redline.marked.cache_clear()
