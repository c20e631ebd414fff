"""For search engines: ``sitemap.xml`` with hreflang alternates, and ``robots.txt``."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Callable

from .model import Site
from .pages import Page

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
Alternates = Callable[[Page], list[dict[str, str]]]


def sitemap(site: Site, pages: list[Page], alternates: Alternates) -> bytes:
    """Every indexable page; alternates only to languages where the page exists."""
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for page in pages:
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = site.config.base_url + page.address
        others = alternates(page)
        if len(others) > 1:
            for alternate in others:
                ET.SubElement(url, f"{{{XHTML}}}link", {"rel": "alternate",
                              "hreflang": alternate["lang"], "href": alternate["href"]})
    ET.indent(urlset)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(urlset, encoding="utf-8") \
        + b"\n"


def robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {site.config.base_url}sitemap.xml\n".encode()

