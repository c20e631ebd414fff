"""Rendering a plan's pages on one core or several: which process renders which
pages (``parallel.balance``), a language at a time, with what pages of one
language share (section diffs and their HTML) forgotten before the next, so
memory stays flat.
"""
from __future__ import annotations

import itertools
from typing import Iterable, Sequence

import jinja2

from ..content.model import Site
from ..markdown.convert import Converted
from ..site.context import PageRenderer
from ..site.pages import Page, Plan
from ..site.render import (MemorySink, Sink, Track, clear_caches, publications, render_feed,
                           render_run, sources)
from . import parallel
from .memo import Memo

PARALLEL_FROM = 200          # pages; below this, starting a process costs more than it saves


def render_pages(site: Site, plan: Plan, converted: Converted, memo: Memo | None = None,
                 jobs: int = 1, track: Track = lambda pages: pages,
                 skip: frozenset[str] = frozenset(), sink: Sink | None = None,
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
    need hold no other); ``machines=False`` leaves out the files for machines
    but for the sources of those languages, which come with their feeds (a
    process rendering a language makes its version folders; see ``_convert_and_render``).
    """
    memo = memo if memo is not None else Memo()
    renderer = PageRenderer(site, plan, converted, memo.reuse, compiled)
    sink = sink if sink is not None else MemorySink()

    def render_group(pages: Iterable[Page], languages: Sequence[str], into: Sink) -> None:
        """Pages come a language at a time (as planned), each language's feed with
        its pages. ``pages`` is read as it is rendered (it may drive a progress bar)."""
        fed: set[str] = set()

        def feed(lang: str) -> None:
            render_feed(renderer, lang, into, skip)
            if not machines:
                sources(renderer, lang, into, skip)
            fed.add(lang)

        for lang, run in itertools.groupby(pages, key=lambda page: page.lang):
            with memo.scope():
                render_run(renderer, run, into)
                if lang in languages and lang not in fed:
                    feed(lang)
            clear_caches()
        for lang in languages:
            if lang not in fed:
                feed(lang)

    def publish(into: Sink) -> None:
        publications(renderer, into, skip)

    languages = tuple(languages) if languages is not None else site.config.languages
    pages = tuple(page for page in plan.pages if page.path not in skip and page.lang in languages)
    forking = jobs > 1 and len(pages) >= PARALLEL_FROM and parallel.can_fork()
    groups = parallel.balance(pages, languages, jobs) if forking else []
    if len(groups) > 1:
        parallel.render_groups(groups, render_group, track, sink, MemorySink, memo,
                               extra=publish if machines else None)
    else:
        render_group(track(pages), languages, sink)
        if machines:
            publish(sink)
    return sink.files if isinstance(sink, MemorySink) else {}


def render_for_machines(site: Site, plan: Plan, memo: Memo, sink: Sink) -> None:
    """Only the files for machines but the sources, and the assets: they need no
    converted text."""
    publications(PageRenderer(site, plan, Converted({}, ()), memo.reuse), sink,
                 with_sources=False)
