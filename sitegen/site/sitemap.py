"""For search engines: ``sitemap.xml`` with hreflang alternates, and ``robots.txt``."""
from __future__ import annotations

from typing import Callable, NamedTuple

from ..content.model import Site
from .pages import Page

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


class Alternate(NamedTuple):
    """The same page in another language (``hreflang``)."""

    lang: str
    href: str


Alternates = Callable[[Page], list[Alternate]]


def sitemap(site: Site, pages: list[Page], alternates: Alternates) -> bytes:
    """Every indexable page; alternates only to languages where the page exists.

    Written as text (escaped as ElementTree escapes): thousands of entries, and an
    element tree of them cost a tenth of a second more."""
    lines, linked = [], False
    for page in pages:
        lines += ["  <url>", f"    <loc>{_text(site.config.base_url + page.address)}</loc>"]
        others = alternates(page)
        if len(others) > 1:
            lines += [f'    <xhtml:link rel="alternate" hreflang="{_attribute(a.lang)}" '
                      f'href="{_attribute(a.href)}" />' for a in others]
            linked = True
        lines.append("  </url>")
    namespaces = f'xmlns="{SITEMAP}"' + (f' xmlns:xhtml="{XHTML}"' if linked else "")
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f"<urlset {namespaces}>", *lines,
             "</urlset>"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return (_text(value).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {site.config.base_url}sitemap.xml\n".encode()

