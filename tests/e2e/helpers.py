"""Helpers for the end-to-end tests: fixture sites, a CLI build, and an HTML link checker."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from click.testing import CliRunner, Result

from sitegen.cli import main
from tests.conftest import page

TODAY_ARG = "2026-11-28"
BASE_URL = "https://privacy.example.org/"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}

# The smallest statement worth a test: an introduction and one right.
SHORT_NL = """\
## Inleiding

Wij zijn Example B.V.

## Uw rechten

### Recht op inzage {art=15}

U mag uw gegevens inzien.
"""
SHORT_EN = """\
## Introduction

We are Example B.V.

## Your rights

### Right of access {art=15}

You may see your data.
"""

NL_1 = """\
## Inleiding

Tekst. Zie [uw rechten](#uw-rechten).

## Uw rechten

### Recht op inzage {art=15}

Tekst.

### Recht op verwijdering {art=17}

Tekst.
"""
EN_1 = """\
## Introduction

Text. See [your rights](#your-rights).

## Your rights

### Right of access {art=15}

Text.

### Right to erasure {art=17}

Text.
"""
NL_2 = NL_1.replace("Recht op verwijdering", "Recht op vergetelheid")
EN_2 = EN_1.replace("Right to erasure", "Right to be forgotten")

# 1.0 and 2.0 are in force on TODAY_ARG, 3.0 only from 2030. 2.0 renames a right,
# 3.0 keeps the new name without declaring the rename again.
FULL_SITE = {
    "versions/1.0/nl.md": page("Privacyverklaring", "2018-05-25", NL_1, "summary: Eerste.\n"),
    "versions/1.0/en.md": page("Privacy statement", "2018-05-25", EN_1, "summary: First.\n"),
    "versions/2.0/nl.md": page("Privacyverklaring", "2020-01-01", NL_2,
                               "summary: Tweede.\nrenames:\n"
                               "  recht-op-verwijdering: recht-op-vergetelheid\n"),
    "versions/2.0/en.md": page("Privacy statement", "2020-01-01", EN_2,
                               "summary: Second.\nrenames:\n"
                               "  right-to-erasure: right-to-be-forgotten\n"),
    "versions/3.0/nl.md": page("Privacyverklaring", "2030-01-01", NL_2, "summary: Derde.\n"),
    "versions/3.0/en.md": page("Privacy statement", "2030-01-01", EN_2, "summary: Third.\n"),
}

# 2.0 exists in Dutch only.
MISSING_SITE = {
    "versions/1.0/nl.md": FULL_SITE["versions/1.0/nl.md"],
    "versions/1.0/en.md": FULL_SITE["versions/1.0/en.md"],
    "versions/2.0/nl.md": FULL_SITE["versions/2.0/nl.md"],
}


def sitegen(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def build(site: Path, out: Path, *args: str, today: str = TODAY_ARG) -> Result:
    """`sitegen build` into ``out``; fails the test if it does not succeed."""
    result = sitegen("build", "--site", str(site), "--out", str(out), "--today", today, *args)
    assert result.exit_code == 0, result.output
    return result


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Page(HTMLParser):
    """What the tests need from one HTML file: ids, links, and where each id sits."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.ids: list[str] = []
        self.links: list[dict[str, str]] = []      # attributes of every <a>/<link> with href
        self.ancestors: dict[str, list[tuple[str, str]]] = {}   # id -> [(tag, id), ...]
        self.text: list[str] = []
        self._stack: list[tuple[str, str]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        if "id" in a:
            self.ids.append(a["id"])
            self.ancestors.setdefault(a["id"], list(self._stack))
        if tag in ("a", "link") and "href" in a:
            self.links.append({"tag": tag, **a})
        if tag not in VOID:
            self._stack.append((tag, a.get("id", "")))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def links_with(self, rel: str) -> list[dict[str, str]]:
        return [link for link in self.links if link.get("rel") == rel]

    @property
    def canonical(self) -> str | None:
        links = self.links_with("canonical")
        return links[0]["href"] if links else None

    @property
    def alternates(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.links_with("alternate")
                if "hreflang" in link}


def parse(path: Path) -> Page:
    return Page(path.read_text("utf-8"))


def address_to_file(out: Path, base_url: str, url: str) -> Path:
    """The built file for a public address under ``base_url``."""
    rel = url[len(base_url):]
    return out / rel / "index.html" if rel == "" or rel.endswith("/") else out / rel


def check_links(out: Path, base_url: str) -> tuple[list[str], int]:
    """Every relative href and every address under base_url leads to a built file, and
    every ``#fragment`` to an id of that page. Returns (problems, links checked)."""
    problems, checked = [], 0
    pages = {html: parse(html) for html in sorted(out.rglob("*.html"))}
    for html, page_ in pages.items():
        shown = html.relative_to(out).as_posix()
        duplicates = sorted({i for i in page_.ids if page_.ids.count(i) > 1})
        if duplicates:
            problems.append(f"{shown}: duplicate ids {duplicates}")
        for link in page_.links:
            href = link["href"]
            if href.startswith(base_url):
                target, fragment = address_to_file(out, base_url, urldefrag(href)[0]), ""
            elif urlsplit(href).scheme or href.startswith("//"):
                continue                               # external: not ours to check
            elif href.startswith("/") and shown == "404.html":
                # a host serves 404.html at any address, so its links start at the root
                target = out / urldefrag(href)[0].lstrip("/")
                fragment = urldefrag(href)[1]
            elif href.startswith("/"):
                problems.append(f"{shown}: root-relative link {href} breaks on file://")
                continue
            else:
                path, fragment = urldefrag(href)
                target = (html.parent / path).resolve() if path else html
            checked += 1
            if not target.is_file():
                problems.append(f"{shown}: {href} -> no file {target}")
            elif fragment and fragment not in pages[target].ids:
                problems.append(f"{shown}: {href} -> no id #{fragment} in that page")
    return problems, checked
