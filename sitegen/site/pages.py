"""Which pages a site has, where they live, and how they link to each other.

Addresses are a promise to visitors: ``<lang>/`` is the current version,
``<lang>/<version>/`` each version for good, ``<lang>/versions/`` the history.
Links between pages are relative and name ``index.html``, so the folder works
from any path on any host and from ``file://``.
"""
from __future__ import annotations

import datetime as dt
import functools
from typing import Callable
from dataclasses import dataclass

from ..errors import ContentError
from ..content.model import Site, Version

INDEX = "index.html"
ASSET_DIR = "assets"         # the theme's stylesheet and images
NOTHING_PUBLISHED = ("every version is a draft: nothing to publish. Remove `draft: true` from "
                     "a version, or build with --drafts")


@dataclass(frozen=True)
class Page:
    path: str            # output file, e.g. "nl/3.1/index.html"
    kind: str            # entry | statement | history | diff | notfound
    lang: str
    version: str = ""    # for statement pages: the version shown (or asked for)
    old: str = ""        # for diff pages: the older version

    @property
    def address(self) -> str:
        """The public address relative to the site root: "nl/3.1/"."""
        return address(self.path)


def address(path: str) -> str:
    """The public address of an output file: "nl/3.1/index.html" -> "nl/3.1/"."""
    return path[: -len(INDEX)] if path.endswith(INDEX) else path


def statement_path(lang: str, version: str | None = None) -> str:
    return f"{lang}/{version}/{INDEX}" if version else f"{lang}/{INDEX}"


def history_path(lang: str) -> str:
    return f"{lang}/versions/{INDEX}"


def diff_path(lang: str, old: str, new: str) -> str:
    return f"{lang}/diff/{old}-{new}/{INDEX}"


def relative(from_path: str, to_path: str) -> str:
    """A link from the page at ``from_path`` to the file ``to_path`` (both output
    paths: relative to the site root, without ``.`` or ``..``). Called for every
    link of every page, so it compares path segments instead of using relpath."""
    start, target = from_path.split("/")[:-1], to_path.split("/")
    common = 0
    for a, b in zip(start, target):
        if a != b:
            break
        common += 1
    return "../" * (len(start) - common) + "/".join(target[common:])


@dataclass(frozen=True)
class Plan:
    """The versions to publish, the current one, and every page of the site."""

    versions: tuple[Version, ...]      # published, oldest first
    current: Version
    pages: tuple[Page, ...]
    diffs: frozenset[tuple[str, str, str]] = frozenset()    # (lang, old, new)

    def in_language(self, lang: str) -> list[Version]:
        return self.languages_index.get(lang, [])

    @functools.cached_property
    def languages_index(self) -> dict[str, list[Version]]:
        index: dict[str, list[Version]] = {}
        for version in self.versions:
            for lang in version.documents:
                index.setdefault(lang, []).append(version)
        return index

    def has_feed(self, lang: str) -> bool:
        """A language gets a feed once a version in it is published (not a draft)."""
        return any(not v.draft for v in self.in_language(lang))

    def previous(self, lang: str, version_id: str) -> Version | None:
        """The version before ``version_id`` among those that exist in ``lang``."""
        index = self.positions.get((lang, version_id), 0)
        return self.in_language(lang)[index - 1] if index > 0 else None

    def following(self, lang: str, version_id: str) -> Version | None:
        """The version after ``version_id`` among those that exist in ``lang``."""
        versions = self.in_language(lang)
        index = self.positions.get((lang, version_id), len(versions))
        return versions[index + 1] if index + 1 < len(versions) else None

    @functools.cached_property
    def positions(self) -> dict[tuple[str, str], int]:
        """``(lang, version id)`` -> its place among the versions in that language."""
        return {(lang, v.id): i for lang, versions in self.languages_index.items()
                for i, v in enumerate(versions)}

    def upcoming(self, lang: str) -> Version | None:
        """The next published version after the current one, if its date is still to come."""
        later = [v for v in self.in_language(lang) if v.key > self.current.key and not v.draft]
        return later[0] if later else None

    @functools.cached_property
    def open(self) -> frozenset[str]:
        """The ids of the current version and those to come: the texts an editor
        still changes (older ones are in the past, and locked once published)."""
        return frozenset(v.id for v in self.versions if v.key >= self.current.key)

    def shows_draft(self, page: Page) -> bool:
        """A page of a draft (its statement, or a redline from or to it), which
        search engines are told not to index and the sitemap leaves out."""
        return any(self.by_id[v].draft for v in (page.version, page.old) if v in self.by_id)

    def superseded_on(self, version: Version) -> "dt.date | None":
        """The date a published version stopped being in force: that of the next
        published version, once it is no longer to come (else None)."""
        return None if version.draft else self.successions.get(version.id)

    @functools.cached_property
    def successions(self) -> dict[str, dt.date]:
        """Each published version superseded by now -> the date of the one after it."""
        published = [v for v in self.versions if not v.draft and v.key <= self.current.key]
        return {a.id: b.date for a, b in zip(published, published[1:])}

    def has_diff(self, lang: str, old: str, new: str) -> bool:
        return (lang, old, new) in self.diffs

    def version(self, version_id: str) -> Version:
        return self.by_id[version_id]

    @functools.cached_property
    def by_id(self) -> dict[str, Version]:
        return {v.id: v for v in self.versions}

    def latest_in(self, lang: str) -> Version | None:
        """The newest version that exists in ``lang`` and is in force (or the oldest)."""
        candidates = [v for v in self.versions if lang in v.documents
                      and v.key <= self.current.key]
        return candidates[-1] if candidates else None


def version_line(plan: Plan, version: Version, t: Callable[..., str],
                 long_date: Callable[[dt.date], str]) -> str:
    """How a version is named on its page and in the feed: in force since its date,
    from its date to the next version's, or from a date still to come."""
    date = long_date(version.date)
    if (end := plan.superseded_on(version)) is not None:
        return t("version_line_old", version=version.id, date=date, end=long_date(end))
    if not version.draft and version.key > plan.current.key:
        return t("version_line_upcoming", version=version.id, date=date)
    return t("version_line", version=version.id, date=date)


def current_version(versions: tuple[Version, ...], today: dt.date) -> Version:
    """The latest version whose date has come; the first one if none has yet."""
    in_force = [v for v in versions if v.date <= today and not v.draft]
    return in_force[-1] if in_force else versions[0]


def nothing_published(site: Site) -> tuple[str, int, str]:
    """Where to point when every version is a draft: the latest one's `draft:` line."""
    doc = next(iter(site.versions[-1].documents.values()))
    return doc.path, doc.line_of("draft"), NOTHING_PUBLISHED


def plan_site(site: Site, today: dt.date, drafts: bool = False) -> Plan:
    versions = tuple(v for v in site.versions if drafts or not v.draft)
    if not versions:
        raise ContentError(*nothing_published(site))
    current = current_version(versions, today)
    pages = [Page(INDEX, "entry", site.config.default_language, current.id),
             Page("404.html", "notfound", site.config.default_language)]
    for lang in site.config.languages:
        pages.append(Page(statement_path(lang), "statement", lang, current.id))
        pages.extend(Page(statement_path(lang, v.id), "statement", lang, v.id)
                     for v in versions)
        pages.append(Page(history_path(lang), "history", lang))
        pages.extend(Page(diff_path(lang, old, new), "diff", lang, new, old)
                     for old, new in diff_pairs(versions, current, lang))
    diffs = frozenset((p.lang, p.old, p.version) for p in pages if p.kind == "diff")
    return Plan(versions, current, tuple(pages), diffs)


def diff_pairs(versions: tuple[Version, ...], current: Version, lang: str) -> list[tuple[str, str]]:
    """Consecutive versions, and every other version (older, upcoming, draft)
    against the current one."""
    ids = [v.id for v in versions if lang in v.documents]
    pairs = list(zip(ids, ids[1:]))
    if current.id in ids:
        at = ids.index(current.id)
        pairs += [(old, current.id) for old in ids[:at]]
        pairs += [(current.id, later) for later in ids[at + 1:]]
    position = {id_: n for n, id_ in enumerate(ids)}
    return sorted(set(pairs), key=lambda p: (position[p[1]], position[p[0]]))
