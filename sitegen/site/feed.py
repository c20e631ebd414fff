"""The Atom feed of a language (RFC 4287): one entry per published version."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Callable

from .. import i18n
from ..redline.diff import RightChange
from ..reuse import Reuse, afresh
from ..content.model import Site, Version
from .pages import Plan, address, diff_path, statement_path, version_line

ATOM = "http://www.w3.org/2005/Atom"
RightsOf = Callable[[str, str, str], tuple[RightChange, ...]]


def feed_path(lang: str) -> str:
    return f"{lang}/feed.xml"


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text:
        element.text = text
    return element


def _xml(element: ET.Element) -> str:
    """One child of the feed as ET writes it, indented one level, without the
    white space that follows it."""
    ET.indent(element, level=1)
    return ET.tostring(element, encoding="unicode")


def atom_feed(site: Site, plan: Plan, lang: str, rights_of: RightsOf,
              formats: i18n.Formats | None = None, reuse: Reuse = afresh) -> bytes:
    """Newest first; each entry links the version and the redline against the one
    before. Each entry is written to XML through ``reuse``: after an edit, only
    the entries whose text changed need be written again."""
    config, t = site.config, i18n.Translator(site.strings[lang], lang)
    formats = formats if formats is not None else i18n.Formats()
    versions = [v for v in plan.in_language(lang) if not v.draft]
    head = ET.Element("feed")
    _sub(head, "id", config.base_url + feed_path(lang))
    _sub(head, "title", config.titles[lang])
    _sub(head, "updated", _timestamp(max(v.date for v in versions)))
    _sub(head, "link", rel="self", href=config.base_url + feed_path(lang))
    _sub(head, "link", rel="alternate", type="text/html", href=config.base_url + f"{lang}/")
    _sub(_sub(head, "author"), "name", config.organisation)
    children = [_xml(child) for child in head]
    previous = {b.id: a for a, b in zip(versions, versions[1:])}
    for version in reversed(versions):
        line = version_line(plan, version, t,
                            lambda date: formats.long_date(date, config.locale(lang)))
        fields = _entry_fields(config.base_url, lang, version, previous.get(version.id),
                               t, line, rights_of)
        children.append(reuse("feed entry", fields, lambda f=fields: _entry(*f)))
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="{ATOM}" '
            f'xml:lang="{lang}">\n  ' + "\n  ".join(children) + "\n</feed>\n").encode("utf-8")


def _entry_fields(base_url: str, lang: str, version: Version, older: Version | None,
                  t: i18n.Translator, line: str, rights_of: RightsOf) -> tuple:
    """What the entry of ``version`` shows: its address, title (with ``line``, when
    it is or was in force), date, summary and the link to its redline, if any
    (the key it is kept by)."""
    doc = version.documents[lang]
    url = base_url + address(statement_path(lang, version.id))
    title = f"{doc.title}: {line}"
    lines = [doc.summary] if doc.summary else []
    related = None
    if older is not None:
        related = (base_url + address(diff_path(lang, older.id, version.id)),
                   t("diff_title", old=older.id, new=version.id))
        changed = [r for r in rights_of(lang, older.id, version.id) if r.status != "unchanged"]
        if changed:
            lines.append(t("diff_rights") + ": " + "; ".join(
                f"{r.title} ({t('status_' + r.status)})" for r in changed))
    summary = "\n".join(lines) or line
    return url, title, _timestamp(version.date), related, summary


def _entry(url: str, title: str, updated: str, related: tuple[str, str] | None,
           summary: str) -> str:
    entry = ET.Element("entry")
    _sub(entry, "id", url)
    _sub(entry, "title", title)
    _sub(entry, "updated", updated)
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    if related is not None:
        _sub(entry, "link", rel="related", type="text/html", href=related[0], title=related[1])
    _sub(entry, "summary", summary)
    return _xml(entry)
