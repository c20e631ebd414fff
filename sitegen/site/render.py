"""Rendering pages with Jinja2 (each page's context: ``context``), the feeds and
the files for machines, each output handed to a sink as soon as it is made.
Nothing here writes a file; which pages, in which process, is the engine's.
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping, Protocol, Sequence

from ..content.model import Site
from ..redline import forms as redline
from ..redline.textdiff import clear_caches as clear_diff_caches
from .context import PageRenderer
from .feed import atom_feed, feed_path
from ..content import MEDIA_DIR
from .pages import ASSET_DIR, Page
from .sitemap import robots, sitemap
from .versions_json import source_bytes, source_path, versions_json

Track = Callable[[Sequence[Page]], Iterable[Page]]


class Sink(Protocol):
    """Where rendered outputs go: an output folder being filled, or memory."""

    shared: bool            # True if what a forked worker adds is there for the parent

    def add(self, path: str, data: bytes) -> None: ...

    def record(self, paths: Iterable[str]) -> None: ...


class MemorySink:
    """Outputs kept in memory (``files``), for ``serve``, ``check`` and tests."""

    shared = False                        # a forked worker's additions stay in the worker

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, path: str, data: bytes) -> None:
        self.files[path] = data

    def record(self, paths: Iterable[str]) -> None:
        """Nothing to note: a worker's outputs come back as bytes."""


def render_run(renderer: PageRenderer, pages: Iterable[Page], into: Sink) -> None:
    """Each page of ``pages`` (read as it is rendered: it may drive a progress bar)."""
    for page in pages:
        into.add(page.path, renderer.render(page))


def render_feed(renderer: PageRenderer, lang: str, into: Sink,
                skip: frozenset[str] = frozenset()) -> None:
    """The Atom feed of ``lang``, if it has one and it is not in ``skip``."""
    if renderer.plan.has_feed(lang) and feed_path(lang) not in skip:
        into.add(feed_path(lang), atom_feed(renderer.site, renderer.plan, lang, renderer.rights,
                                            renderer.formats, renderer.reuse))


def publications(renderer: PageRenderer, into: Sink, skip: frozenset[str] = frozenset(),
                 with_sources: bool = True) -> None:
    """The assets and what machines read (versions.json, the sources, sitemap and
    robots.txt) into ``into``, but for those in ``skip``; ``with_sources=False``:
    without the sources (written with their languages' pages, see ``sources``)."""
    site, plan = renderer.site, renderer.plan
    files = dict(assets(site))
    if "versions.json" not in skip:
        files["versions.json"] = versions_json(site, plan, renderer.state, renderer.reuse)
    if "sitemap.xml" not in skip:
        indexable = [p for p in plan.pages if p.kind != "notfound" and not plan.shows_draft(p)
                     and not (p.version and p.kind != "diff"
                              and p.lang not in plan.version(p.version).documents)]
        files["sitemap.xml"] = sitemap(site, indexable, renderer.alternates)
    if "robots.txt" not in skip:
        files["robots.txt"] = robots(site)
    for path, data in files.items():
        into.add(path, data)
    if with_sources:
        for lang in site.config.languages:
            sources(renderer, lang, into, skip)


def sources(renderer: PageRenderer, lang: str, into: Sink,
            skip: frozenset[str] = frozenset()) -> None:
    """The source (``source.md``) of each version in ``lang``, but for those in ``skip``."""
    for version in renderer.plan.versions:
        doc = version.documents.get(lang)
        if doc is not None and source_path(lang, version.id) not in skip:
            into.add(source_path(lang, version.id), source_bytes(doc))


def assets(site: Site) -> Mapping[str, bytes]:
    """The theme's files, and the content's own (``content/assets/``: images)."""
    return {**{f"{ASSET_DIR}/{name}": data for name, data in site.assets.items()},
            **{f"{MEDIA_DIR}/{name}": data for name, data in site.media.items()}}


def clear_caches() -> None:
    """Empty the caches of the pure functions that redline pages share within a
    language (texts differ between languages)."""
    clear_diff_caches()
    redline.marked.cache_clear()
