"""Links from a statement to the site's own pages by their whole address, as a
letter or an e-mail prints them (``https://privacy.example.org/nl/3.1/#art-15``):
each must lead to a page the site publishes and, on a statement page, to an id,
an old id or a tombstone of the version that page shows. And an ``#id`` link
copied from another language's text: which section it means in this one. Pure."""
from __future__ import annotations

import difflib
from typing import Mapping
from urllib.parse import unquote, urlsplit

from ..content import MEDIA_DIR
from ..content.model import Site
from ..errors import Problem
from ..markdown.markup import RESERVED_IDS, Body, Heading
from .feed import feed_path
from .pages import INDEX, Page, Plan, address
from .versions_json import source_path

MACHINE_FILES = ("sitemap.xml", "robots.txt", "versions.json", "404.html")


def own_links(site: Site, plan: Plan, bodies: Mapping[tuple[str, str], Body]) -> list[Problem]:
    """A warning for each link into this site that leads to no page of ``plan``,
    or to no part of the statement page it names."""
    base = site.config.base_url
    pages = _published(site, plan)
    found = []
    for (version_id, lang), body in sorted(bodies.items()):
        doc = site.version(version_id).documents[lang]
        for line, href in body.outbound:
            if href.startswith(base):
                wrong = _wrong(href[len(base):], pages, bodies)
                if wrong:
                    found.append(Problem(doc.path, line, f"the link to {href} {wrong}",
                                         "warning"))
    return found


def _published(site: Site, plan: Plan) -> dict[str, Page | None]:
    """Every file the site publishes, by its path: a page, or None for the others."""
    files: dict[str, Page | None] = {page.path: page for page in plan.pages}
    for lang in site.config.languages:
        files[feed_path(lang)] = None
        files.update((source_path(lang, v.id), None) for v in plan.in_language(lang))
    files.update((f"{MEDIA_DIR}/{name}", None) for name in site.media)
    files.update((name, None) for name in MACHINE_FILES)
    return files


def _wrong(rest: str, pages: Mapping[str, Page | None],
           bodies: Mapping[tuple[str, str], Body]) -> str:
    """What is wrong with the address ``rest`` (relative to the site's root), or ""."""
    parts = urlsplit(rest)
    path = unquote(parts.path)
    for candidate in (path + INDEX if path.endswith("/") or not path else path,
                      f"{path}/{INDEX}"):
        if candidate in pages:
            break
    else:
        known = sorted("/" + address(p) for p in pages)
        close = difflib.get_close_matches("/" + path, known, n=1, cutoff=0.6)
        return "leads to no page of this site" + (f": did you mean {close[0]}?" if close
                                                  else " (its address is not published)")
    page, anchor = pages[candidate], unquote(parts.fragment)
    if not anchor or page is None or page.kind != "statement":
        return ""
    body = bodies.get((page.version, page.lang))
    if body is None:
        return ""
    ids = body.anchors | {stone.anchor for stone in body.tombstones} | RESERVED_IDS
    if anchor in ids:
        return ""
    close = difflib.get_close_matches(anchor, sorted(ids), n=1, cutoff=0.6)
    hint = f"did you mean #{close[0]}?" if close else "no heading of that version has it"
    return f"leads to no part of /{address(candidate)}: {hint}"


def other_languages(site: Site, bodies: Mapping[tuple[str, str], Body]) -> list[Problem]:
    """A note for each ``#id`` link to no id of its page whose id is a heading of
    the same version in another language: the section that is meant here (the
    same right, or the heading at the same place in a text of the same shape)."""
    found = []
    for (version_id, lang), body in sorted(bodies.items()):
        for line, target in body.broken:
            for other, theirs in _others(bodies, version_id, lang):
                meant = _counterpart(target, theirs, body)
                if meant is not None:
                    doc = site.version(version_id).documents[lang]
                    found.append(Problem(doc.path, line, f"#{target} is a heading of the "
                                         f"`{other}` text; here that section is #{meant.id} "
                                         f"(\u201c{meant.text}\u201d)", "note"))
                    break
    return found


def _others(bodies: Mapping[tuple[str, str], Body], version_id: str, lang: str
            ) -> list[tuple[str, Body]]:
    return [(other, body) for (v, other), body in sorted(bodies.items())
            if v == version_id and other != lang]


def _counterpart(target: str, theirs: Body, ours: Body) -> Heading | None:
    """Our heading for their heading ``target`` (an id or an old one of theirs)."""
    target = theirs.aliases.get(target, target)
    index = next((i for i, h in enumerate(theirs.headings) if h.id == target), None)
    if index is None:
        return None
    heading = theirs.headings[index]
    if heading.article:
        return next((h for h in ours.headings if h.article == heading.article), None)
    shape = [h.level for h in theirs.headings] == [h.level for h in ours.headings]
    return ours.headings[index] if shape else None
