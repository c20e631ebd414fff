"""One page: what it shows (its template and context, from the site, the plan
and the converted statements), then its HTML. Pure; ``render`` renders a plan's
pages and hands them out.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from .. import i18n
from ..redline import forms as redline
from ..markdown.convert import Converted
from ..redline.diff import Redline, RightChange, SectionDiff, compare
from .feed import feed_path
from ..markdown.anchors import Tombstone
from ..markdown.markup import Heading
from ..reuse import Reuse, afresh
from ..content.model import Site, Version
from .pages import (ASSET_DIR, Page, Plan, address, diff_path, history_path, relative,
                    statement_path, version_line)
from .sitemap import Alternate
from .templates import in_template, make_environment, template_error


# What templates loop over, as named tuples: Jinja2 reads an attribute of one at
# once, and of a dict only after getattr failed (six times the cost; 100,000
# reads on 200 x 4). ``entry.href`` and ``entry["href"]`` both work.

class TocEntry(NamedTuple):
    heading: Heading
    children: list[Heading]


class LanguageLink(NamedTuple):
    lang: str
    name: str
    href: str
    active: bool = False
    absent: bool = False         # the version shown does not exist in this language


def toc(headings: tuple[Heading, ...]) -> list[TocEntry]:
    """Level-2 headings with their level-3 headings nested under them, but for the
    rights: the rights section opens with their list, so they are listed once."""
    entries: list[TocEntry] = []
    for heading in headings:
        if heading.level == 2:
            entries.append(TocEntry(heading, []))
        elif heading.level == 3 and entries and not heading.article:
            entries[-1].children.append(heading)
    return entries


class PageRenderer:
    """Builds one context per page and renders it; holds nothing that changes."""

    def __init__(self, site: Site, plan: Plan, converted: Converted,
                 reuse: Reuse = afresh, compiled: jinja2.BytecodeCache | None = None
                 ) -> None:
        self.site, self.plan, self.converted = site, plan, converted
        self.reuse = reuse
        self.formats = i18n.Formats(reuse)
        self.labels = {lang: i18n.labels_name(site.strings[lang]) for lang in site.config.languages}
        self.env = make_environment(site.theme, compiled)
        self.spans: dict[str, tuple[list[str], list[tuple[int, Version]]]] = {}  # ``_spans``

    def render(self, page: Page) -> bytes:
        try:
            template, context = self.context(page)
            return self.env.get_template(template).render(context).encode("utf-8")
        except jinja2.TemplateError as err:
            raise template_error(err, self.site) from None
        except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as err:
            if not in_template(err):
                raise                              # a bug of sitegen's, not of a template
            raise template_error(err, self.site) from None

    def context(self, page: Page) -> tuple[str, dict[str, Any]]:
        base = self.common(page)
        if page.kind == "history":
            return "history.html", {**base, **self.history(page)}
        if page.kind == "diff":
            return "diff.html", {**base, **self.diff(page)}
        if page.kind == "notfound":
            return "404.html", {**base, **self.notfound()}
        version = self.plan.version(page.version)
        if page.lang not in version.documents:
            return "missing.html", {**base, **self.missing(page, version)}
        return "statement.html", {**base, **self.statement(page, version)}

    def common(self, page: Page) -> dict[str, Any]:
        config, lang = self.site.config, page.lang
        url: Callable[[str], str] = lambda target: relative(page.path, target)
        if page.kind == "notfound":          # served at any depth: links from the site root
            url = lambda target: urlsplit(config.base_url).path + target   # noqa: E731
        return {
            "page": page, "lang": lang, "site": config,
            "direction": self.formats.direction(lang),
            "t": i18n.Translator(self.site.strings[lang], lang),
            "url": url, "canonical": config.base_url + page.address,
            "noindex": self.plan.shows_draft(page),
            "stylesheet": url(f"{ASSET_DIR}/site.css"),
            "favicon": url(f"{ASSET_DIR}/favicon.svg"),
            "script": url(f"{ASSET_DIR}/site.js"),
            "alternates": (alternates := self.alternates(page)),
            "x_default": self.x_default(page, alternates),
            "switcher": self.switcher(page),
            "format_date": lambda date: self.formats.long_date(date, config.locale(lang)),
            "history_href": url(history_path(lang)),
            "feed_href": url(feed_path(lang)) if self.plan.has_feed(lang) else "",
            "current": self.plan.current,
        }

    def _same_page(self, page: Page, lang: str) -> str:
        if page.kind == "notfound":
            return page.path
        if page.kind == "history":
            return history_path(lang)
        if page.kind == "diff" and self.plan.has_diff(lang, page.old, page.version):
            return diff_path(lang, page.old, page.version)
        if page.kind == "entry" or page.path == statement_path(page.lang):
            return statement_path(lang)
        return statement_path(lang, page.version)

    def alternates(self, page: Page) -> list[Alternate]:
        """hreflang links: only to languages in which the same text exists."""
        result: list[dict[str, str]] = []
        if page.kind == "notfound" or (page.version and page.kind != "diff" and page.lang
                                       not in self.plan.version(page.version).documents):
            return result                    # a notice is nobody's translation
        for lang in self.site.config.languages:
            if page.kind == "diff" and not self.plan.has_diff(lang, page.old, page.version):
                continue
            if page.kind != "history" and lang not in self.plan.version(page.version).documents:
                continue
            href = self.site.config.base_url + address(self._same_page(page, lang))
            result.append(Alternate(lang, href))
        return result if len(result) > 1 else []      # no translation, no hreflang

    def x_default(self, page: Page, alternates: list[Alternate]) -> str:
        """The entry page stands for the current version in every language; other
        pages for their default-language page."""
        if len(alternates) < 2:
            return ""
        if page.kind == "entry" or page.path == statement_path(page.lang):
            return self.site.config.base_url
        return alternates[0].href

    def switcher(self, page: Page) -> list[LanguageLink]:
        """Every language; those the version shown does not exist in are marked."""
        documents = self.plan.version(page.version).documents \
            if page.version and page.kind in ("statement", "entry") else None
        def href(lang: str) -> str:
            if page.kind == "notfound":         # served at any depth: from the site's root
                return urlsplit(self.site.config.base_url).path + statement_path(lang)
            return relative(page.path, self._same_page(page, lang))

        return [LanguageLink(lang, self.formats.language_name(lang), href(lang),
                             lang == page.lang and page.kind != "entry",
                             documents is not None and lang not in documents)
                for lang in self.site.config.languages]

    def statement(self, page: Page, version: Version) -> dict[str, Any]:
        doc = version.documents[page.lang]
        body = self.converted.bodies[(version.id, page.lang)]
        previous = self.plan.previous(page.lang, version.id)
        since = self.plan.current.id
        upcoming = self.plan.upcoming(page.lang) if version.id == since else None
        return {
            "state": self.state(version),
            "version_line": version_line(
                self.plan, version, i18n.Translator(self.site.strings[page.lang], page.lang),
                lambda date: self.formats.long_date(date, self.site.config.locale(page.lang))),
            "upcoming": upcoming,
            "upcoming_href": relative(page.path, diff_path(page.lang, since, upcoming.id))
            if upcoming and self.plan.has_diff(page.lang, since, upcoming.id) else "",
            "previous": previous,
            "previous_diff_href": relative(page.path, diff_path(page.lang, previous.id, version.id))
            if previous else "",
            "to_current_href": self.compare_with_current(page, version),
            "doc": doc, "version": version, "body": Markup(body.html),
            "toc": toc(body.headings),
            "tombstones": [self.tombstone(page, stone) for stone in body.tombstones],
            "current_href": relative(page.path, statement_path(page.lang)),
            "languages": [s for s in self.switcher(page) if s.lang != page.lang],
        }

    def tombstone(self, page: Page, stone: Tombstone) -> dict[str, Any]:
        """A removed section's notice: when it went, and links to where it still is."""
        removed_in = self.plan.by_id.get(stone.removed_in)
        has_diff = self.plan.has_diff(page.lang, stone.last, stone.removed_in)
        return {
            "stone": stone, "date": removed_in.date if removed_in else None,
            "last_href": relative(page.path, statement_path(page.lang, stone.last))
            + f"#{stone.heading}",
            "diff_href": relative(page.path, diff_path(page.lang, stone.last, stone.removed_in))
            + f"#s-removed-{stone.heading}" if has_diff else "",
        }

    def summaries(self, lang: str, first: int, end: int) -> Markup:
        """The versions in ``lang`` from place ``first`` up to ``end`` (a redline's
        span), each with its summary, as list items."""
        if end - first < 2:
            return Markup("")
        return Markup("\n".join(filter(None, self._spans(lang)[0][first:end])))

    def _spans(self, lang: str) -> tuple[list[str], list[tuple[int, Version]]]:
        """For the versions in ``lang``, in order: each one's summary as a list item
        ("" without one), and those with editors' notes on rights, by place. Made
        once: a redline against the current version spans up to every version."""
        if lang not in self.spans:
            versions = self.plan.in_language(lang)
            self.spans[lang] = (
                [f"<li><b>{escape(v.id)}</b> {escape(v.documents[lang].summary)}</li>"
                 if v.documents[lang].summary else "" for v in versions],
                [(i, v) for i, v in enumerate(versions) if v.documents[lang].rights_notes])
        return self.spans[lang]

    def missing(self, page: Page, version: Version) -> dict[str, Any]:
        latest = self.plan.latest_in(page.lang)
        return {
            "version": version,
            "available": [LanguageLink(lang, self.formats.language_name(lang),
                                       relative(page.path, statement_path(lang, version.id)))
                          for lang in version.documents],
            "latest": latest,
            "latest_href": relative(page.path, statement_path(page.lang, latest.id))
            if latest else "",
        }

    def history(self, page: Page) -> dict[str, Any]:
        rows = []
        for version in reversed(self.plan.versions):
            doc = version.documents.get(page.lang)
            previous = self.plan.previous(page.lang, version.id) if doc else None
            rows.append({"version": version, "doc": doc, "previous": previous,
                         "state": self.state(version),
                         "superseded_on": self.plan.superseded_on(version),
                         "year": version.date.year,
                         "current_href": self.compare_with_current(page, version)
                         if doc else "",
                         "diff_href": relative(page.path, diff_path(page.lang, previous.id,
                                                                   version.id)) if previous else "",
                         "href": relative(page.path, statement_path(page.lang, version.id))})
        return {"rows": rows, "redlines": self.redlines(page)}

    def redlines(self, page: Page) -> dict[str, dict[str, str]]:
        """Every redline built in the page's language, as {old: {new: href}}, for
        the history's compare form (whose script offers only these pairs)."""
        key = self.plan.version
        built = sorted(((key(old).key, key(new).key), old, new)
                       for lang, old, new in self.plan.diffs if lang == page.lang)
        pairs: dict[str, dict[str, str]] = {}
        for _, old, new in built:
            pairs.setdefault(old, {})[new] = relative(page.path, diff_path(page.lang, old, new))
        return pairs

    def compare_with_current(self, page: Page, version: Version) -> str:
        """A link to the redline between ``version`` and the current one, oldest first."""
        pair = sorted([version, self.plan.current], key=lambda v: v.key)
        old, new = (v.id for v in pair)
        if version.id == self.plan.current.id or not self.plan.has_diff(page.lang, old, new):
            return ""
        return relative(page.path, diff_path(page.lang, old, new))

    def notfound(self) -> dict[str, Any]:
        base = urlsplit(self.site.config.base_url).path
        messages = []
        for lang in self.site.config.languages:
            t = i18n.Translator(self.site.strings[lang], lang)
            messages.append({"lang": lang, "title": t("notfound_title"), "text": t("notfound_text"),
                             "site_title": self.site.config.titles[lang],
                             "href": base + statement_path(lang)})
        return {"messages": messages}

    def state(self, version: Version) -> str:
        """current | old | upcoming | draft: what a reader must be told about a version."""
        if version.draft:
            return "draft"
        if version.key == self.plan.current.key:
            return "current"
        return "old" if version.key < self.plan.current.key else "upcoming"

    def redline(self, lang: str, old_id: str, new_id: str) -> Redline:
        """Not kept whole (a page shows it once); its parts are (see ``compare``)."""
        old, new = self.plan.version(old_id), self.plan.version(new_id)
        return compare(old.documents[lang].body, self.converted.bodies[(old_id, lang)],
                       new.documents[lang].body, self.converted.bodies[(new_id, lang)],
                       self.reuse, current=new.key == self.plan.current.key)

    def rights(self, lang: str, old_id: str, new_id: str, redline_: Redline | None = None
               ) -> tuple[RightChange, ...]:
        """What changed in the rights between two versions (taken from ``redline_``
        if it is at hand)."""
        old, new = self.plan.version(old_id), self.plan.version(new_id)
        inputs = (old.documents[lang].digest, self.converted.bodies[(old_id, lang)].digest,
                  new.documents[lang].digest, self.converted.bodies[(new_id, lang)].digest)
        return self.reuse("rights changes", inputs,
                          lambda: (redline_ or self.redline(lang, old_id, new_id)).rights)

    def diff(self, page: Page) -> dict[str, Any]:
        old, new = self.plan.version(page.old), self.plan.version(page.version)
        redline_ = self.redline(page.lang, old.id, new.id)
        previous = self.plan.previous(page.lang, new.id)
        if previous and previous.id == old.id and not new.draft:
            self.rights(page.lang, old.id, new.id, redline_)     # for the feed, which follows
        lang = page.lang
        before, after = self.plan.previous(lang, old.id), self.plan.following(lang, new.id)
        at = self.plan.positions                  # the versions the redline spans
        first, end = at[(lang, old.id)] + 1, at[(lang, new.id)] + 1
        noted = [version for i, version in self._spans(lang)[1] if first <= i < end]
        return {"old": old, "new": new, "doc": new.documents[page.lang],
                "summaries": self.summaries(lang, first, end),
                "earlier_href": relative(page.path, diff_path(lang, before.id, old.id))
                if before and self.plan.has_diff(lang, before.id, old.id) else "",
                "later_href": relative(page.path, diff_path(lang, new.id, after.id))
                if after and self.plan.has_diff(lang, new.id, after.id) else "",
                "earlier": before, "later": after,
                **redline_parts(self.site, page.lang, redline_, self.reuse,
                                self.labels[page.lang]),
                "rights_notes": rights_notes(noted, lang),
                "old_href": relative(page.path, statement_path(page.lang, old.id)),
                "new_href": relative(page.path, statement_path(page.lang, new.id))}


def rights_notes(versions: list[Version], lang: str) -> dict[str, list[tuple[str, str]]]:
    """The editors' line on each right, by article: (version, line) for each
    version a redline spans that says what changed in that right."""
    notes: dict[str, list[tuple[str, str]]] = {}
    for version in versions:
        for article, note in version.documents[lang].rights_notes.items():
            notes.setdefault(article, []).append((version.id, note))
    return notes


def redline_parts(site: Site, lang: str, redline_: Redline, reuse: Reuse = afresh,
                  labels: str | None = None) -> dict[str, Any]:
    """What ``_redline.html`` shows: the redline, and the HTML of its sections,
    made through ``reuse`` by what each section diff compares, whether it moved,
    and the name of the ``labels`` it is shown with (``i18n.labels_name``; most
    sections recur on many redline pages)."""
    t = i18n.Translator(site.strings[lang], lang)
    labels = labels if labels is not None else i18n.labels_name(t.strings)

    def section(diff: SectionDiff, after: str) -> tuple[str, str]:
        return reuse("section html", (labels, diff.source, diff.moved, after),
                     lambda: redline.section_html(diff, t, after))
    jump, sections = redline.sections_html(redline_.sections, section, t)
    added, removed = t("ins_label"), t("del_label")
    return {"redline": redline_, "jump": jump, "sections": sections, "rights_notes": {},
            "mark": lambda segments: redline.marked(segments, added, removed)}


def redline_fragment(site: Site, lang: str, redline_: Redline) -> str:
    """The HTML redline the site's diff pages show, on its own."""
    env = make_environment(site.theme)
    try:
        return env.get_template("_redline.html").render(
            t=i18n.Translator(site.strings[lang], lang), new_href="",
            **redline_parts(site, lang, redline_))
    except jinja2.TemplateError as err:
        raise template_error(err, site) from None
