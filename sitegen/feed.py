"""The Atom feed of a language (RFC 4287): one entry per published version."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Callable

from . import i18n
from .diff import RightChange
from .model import Site
from .pages import Plan, address, diff_path, statement_path

ATOM = "http://www.w3.org/2005/Atom"
RightsOf = Callable[[str, str, str], tuple[RightChange, ...]]


def feed_path(lang: str) -> str:
    return f"{lang}/feed.xml"


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text:
        element.text = text
    return element


def atom_feed(site: Site, plan: Plan, lang: str, rights_of: RightsOf,
              formats: i18n.Formats | None = None) -> bytes:
    """Newest first; each entry links the version and the redline against the one before."""
    config, t = site.config, i18n.Translator(site.strings[lang])
    formats = formats if formats is not None else i18n.Formats()
    versions = [v for v in plan.in_language(lang) if not v.draft]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": lang})
    _sub(feed, "id", config.base_url + feed_path(lang))
    _sub(feed, "title", config.titles[lang])
    _sub(feed, "updated", _timestamp(max(v.date for v in versions)))
    _sub(feed, "link", rel="self", href=config.base_url + feed_path(lang))
    _sub(feed, "link", rel="alternate", type="text/html", href=config.base_url + f"{lang}/")
    _sub(_sub(feed, "author"), "name", config.organisation)
    previous = {b.id: a for a, b in zip(versions, versions[1:])}
    for version in reversed(versions):
        doc = version.documents[lang]
        date = formats.long_date(version.date, config.locale(lang))
        entry = _sub(feed, "entry")
        url = config.base_url + address(statement_path(lang, version.id))
        _sub(entry, "id", url)
        _sub(entry, "title", f"{doc.title}: {t('version_line', version=version.id, date=date)}")
        _sub(entry, "updated", _timestamp(version.date))
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        lines = [doc.summary] if doc.summary else []
        older = previous.get(version.id)
        if older is not None:
            diff_url = config.base_url + address(diff_path(lang, older.id, version.id))
            _sub(entry, "link", rel="related", type="text/html", href=diff_url,
                 title=t("diff_title", old=older.id, new=version.id))
            changed = [r for r in rights_of(lang, older.id, version.id)
                       if r.status != "unchanged"]
            if changed:
                lines.append(t("diff_rights") + ": " + "; ".join(
                    f"{r.title} ({t('status_' + r.status)})" for r in changed))
        _sub(entry, "summary", "\n".join(lines) or t("version_line", version=version.id, date=date))
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8",
                                                                     xml_declaration=False) + b"\n"
