"""Hostile text in every field a user can fill in never becomes markup.

A script tag and an attribute break-out go into every front-matter text (title,
summary, corrections note), into site.yaml (organisation, titles, website, contact
e-mail) and into the Markdown body. The built site must show them as text: no
``<script>``, no ``<img src=x``, no ``on*=`` attribute, in any HTML page, the
feeds, the sitemap, versions.json or the 404 page. Raw HTML passes only with the
documented ``allow_html: true``; javascript:/data: links are refused with file:line.
"""
from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sitegen.cli import main

TODAY = "2026-01-01"
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = "\"'><img src=x onerror=alert(1)>"
PAYLOAD = SCRIPT + BREAKOUT
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")


def q(text: str) -> str:
    """A YAML scalar for any text (JSON strings are YAML)."""
    return json.dumps(text)


def site_yaml(allow_html: bool = False, website: str = "https://example.org/?q=" + PAYLOAD,
              email: str = "privacy@example.org") -> str:
    """Hostile text in every field; the website and e-mail must still be an address
    and an e-mail address (sitegen refuses anything else, tested below)."""
    return (f"organisation: {q('Org ' + PAYLOAD)}\nbase_url: https://privacy.example.org/\n"
            f"languages: [nl, en]\ntitle:\n  nl: {q('Titel ' + PAYLOAD)}\n"
            f"  en: {q('Title ' + PAYLOAD)}\nwebsite: {q(website)}\n"
            f"contact_email: {q(email)}\n"
            + ("allow_html: true\n" if allow_html else ""))


def body(version: int) -> str:
    return (f"## Rechten {PAYLOAD}\n\nTekst {PAYLOAD} versie {version}.\n\n"
            f"### Recht op inzage {{art=15}}\n\n- item {PAYLOAD}\n- [link {PAYLOAD}]"
            f"(https://example.org/ \"titel {BREAKOUT}\")\n\n"
            f"{SCRIPT}\n\n<img src=x onerror=alert(1)> inline <b onclick=alert(1)>vet</b>\n\n"
            f"<div onmouseover=\"alert(1)\">blok</div>\n")


def statement(version: int, date: str) -> str:
    return (f"---\ntitle: {q('Titel ' + PAYLOAD)}\ndate: {date}\n"
            f"summary: {q('Samenvatting ' + PAYLOAD)}\ncorrections:\n"
            f"  - date: {date}\n    note: {q('Noot ' + PAYLOAD)}\n---\n\n{body(version)}")


def write_site(root: Path, files: dict[str, str], yaml_text: str) -> Path:
    for rel, text in {"content/site.yaml": yaml_text, **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def build(site: Path, out: Path) -> Result:
    return CliRunner().invoke(main, ["build", "--site", str(site), "--out", str(out),
                                     "--today", TODAY])


class Tags(HTMLParser):
    """Every start tag with its (entity-decoded) attributes, and the visible text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def executable_url(value: str) -> bool:
    """True if a browser would run ``value`` as a script URL (WHATWG URL parsing:
    leading/trailing C0 controls and spaces go, tabs and newlines anywhere go)."""
    url = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21)))))
    return url.lower().startswith(UNSAFE_SCHEMES)


# The theme's own script, the one <script> a page may hold: no inline code.
THEME_SCRIPT = re.compile(r'<script src="[^"<>]*/?assets/site\.js" defer></script>')


def html_problems(shown: str, text: str) -> list[str]:
    problems = []
    for tag, attrs in Tags(THEME_SCRIPT.sub("", text, count=1)).tags:
        if tag == "script":
            problems.append(f"{shown}: a <script> element")
        if tag == "img" and attrs.get("src") == "x":
            problems.append(f"{shown}: <img src=x>")
        problems += [f"{shown}: <{tag} {name}=...>" for name in attrs if name.startswith("on")]
        problems += [f"{shown}: <{tag} {name}={value!r}>" for name, value in attrs.items()
                     if name in ("href", "src") and executable_url(value)]
    return problems


def test_payloads_in_every_field_stay_text(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {
        "versions/1.0/nl.md": statement(1, "2018-05-25"),
        "versions/1.0/en.md": statement(1, "2018-05-25"),
        "versions/2.0/nl.md": statement(2, "2020-01-01"),
        "versions/2.0/en.md": statement(2, "2020-01-01")}, site_yaml())
    out = tmp_path / "out"
    result = build(site, out)
    assert result.exit_code == 0, result.output
    files = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}
    assert {"404.html", "sitemap.xml", "versions.json", "nl/feed.xml", "en/feed.xml",
            "nl/1.0/index.html", "nl/versions/index.html", "nl/diff/1.0-2.0/index.html"} <= set(files)
    problems = []
    for rel, path in sorted(files.items()):
        data = path.read_bytes()
        if rel.endswith("source.md"):          # the verbatim source, published on purpose
            assert data == (site / "versions" / rel.split("/")[1] / f"{rel[:2]}.md").read_bytes()
            continue
        text = data.decode("utf-8")
        lowered = THEME_SCRIPT.sub("", text, count=1).lower()
        for needle in ("<script", "<img src=x"):
            if needle in lowered:
                problems.append(f"{rel}: unescaped {needle}")
        if rel.endswith(".html"):
            problems += html_problems(rel, text)
        elif rel.endswith(".xml"):
            ET.fromstring(data)                 # well-formed, or this raises
    assert problems == []

    page = Tags(files["nl/2.0/index.html"].read_text("utf-8"))
    shown = html.unescape("".join(page.text))
    for expected in ("Titel " + PAYLOAD, "Noot " + PAYLOAD, "Org " + PAYLOAD, "Tekst " + PAYLOAD):
        assert expected in shown, f"{expected!r} is not shown as text"
    assert f"{SCRIPT}" in shown and "<img src=x onerror=alert(1)> inline" in shown

    data = json.loads(files["versions.json"].read_text("utf-8"))
    nl = data["versions"][-1]["languages"]["nl"]
    assert nl["title"] == "Titel " + PAYLOAD and nl["summary"] == "Samenvatting " + PAYLOAD

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(files["nl/feed.xml"].read_bytes())
    assert feed.findtext(f"{atom}title") == "Titel " + PAYLOAD
    assert feed.findtext(f"{atom}author/{atom}name") == "Org " + PAYLOAD
    entry = feed.find(f"{atom}entry")
    assert entry.findtext(f"{atom}title").startswith("Titel " + PAYLOAD)
    assert ("Samenvatting " + PAYLOAD) in entry.findtext(f"{atom}summary")
    ET.fromstring(files["sitemap.xml"].read_bytes())
    assert Tags(files["404.html"].read_text("utf-8")).tags


def test_allow_html_passes_raw_html_through(tmp_path: Path) -> None:
    """The documented opt-in: with ``allow_html: true`` raw HTML is the author's markup."""
    text = ("---\ntitle: T\ndate: 2018-05-25\n---\n\n## Kop\n\n"
            "<div class=\"kept\"><b>vet</b></div>\n\nInline <em class=\"x\">nadruk</em>.\n")
    site = write_site(tmp_path / "site", {"versions/1.0/nl.md": text},
                      site_yaml(allow_html=True).replace("[nl, en]", "[nl]"))
    result = build(site, tmp_path / "out")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "nl" / "1.0" / "index.html").read_text("utf-8")
    assert '<div class="kept"><b>vet</b></div>' in page
    assert '<em class="x">nadruk</em>' in page


HOSTILE_HTML = """<div class="kept" onclick="steal()">kept <script>alert(1)</script></div>

<table><tr><td style="color:red">cel<br>regel</td></tr></table>

Inline <a href="javascript:alert(1)">klik</a>, <a href="https://example.org/">goed</a>,
<img src="x.png" onerror="alert(1)" alt="beeld"> en <a id="oud-anker"></a>.

<iframe src="https://evil.example/"></iframe>
<style>body{display:none}</style>
"""


def test_allow_html_goes_through_an_allow_list(tmp_path: Path) -> None:
    """With ``allow_html: true``: tables, line breaks, ids and safe links stay;
    scripts, event handlers, styles, frames and javascript: go, each a warning."""
    text = "---\ntitle: T\ndate: 2018-05-25\n---\n\n## Kop\n\n" + HOSTILE_HTML
    site = write_site(tmp_path / "site", {"versions/1.0/nl.md": text},
                      site_yaml(allow_html=True).replace("[nl, en]", "[nl]"))
    result = build(site, tmp_path / "out")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "nl" / "1.0" / "index.html").read_text("utf-8")
    # the statement's text (the contact card after it shows site.yaml's values,
    # escaped: the organisation of this site is hostile text, tested elsewhere)
    body = page[page.index("<h2"):page.index('<aside class="contact-card"')]
    for kept in ('<div class="kept">kept </div>', "<td>cel<br>regel</td>",
                 '<a href="https://example.org/">goed</a>', '<a id="oud-anker"></a>',
                 'alt="beeld"'):
        assert kept in body, body
    for gone in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<style",
                 "style=", "alert(1)"):
        assert gone not in body, (gone, body)
    for said in ("versions/1.0/nl.md:8: warning: the attribute `onclick` of <div>",
                 "versions/1.0/nl.md:8: warning: <script>",
                 "versions/1.0/nl.md:10: warning: the attribute `style` of <td>",
                 "versions/1.0/nl.md:12: warning: the address `javascript:alert(1)` of <a>",
                 "warning: the attribute `onerror` of <img>",
                 "versions/1.0/nl.md:15: warning: <iframe>", "warning: <style>"):
        assert said in result.output, result.output


LINKS = {        # name: (Markdown from line 8 on, the line that must be named)
    "plain": ("Zie [klik](javascript:alert(1)).", 8),
    "mixed-case": ("Zie [klik](JaVaScRiPt:alert(1)).", 8),
    "data": ("Zie [klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==).", 8),
    "vbscript": ("Zie [klik](vbscript:msgbox(1)).", 8),
    "reference": ("Zie [klik][r].\n\n[r]: javascript:alert(1)", 10),
    "image": ("![logo](javascript:alert(1))", 8),
    "attr-list-href": ("[klik](https://example.org/){href=\"javascript:alert(1)\"}", 8),
    "entity-encoded": ("Zie [klik](&#106;avascript:alert(1)).", 8),
    "entity-colon": ("Zie [klik](javascript&colon;alert(1)).", 8),
    "newline-inside": ("Zie [klik](<java\nscript:alert(1)>).", 8),
    "leading-control": ("Zie [klik](<\x01javascript:alert(1)>).", 8),
}


@pytest.mark.parametrize("name", sorted(LINKS))
def test_script_links_are_refused_with_file_and_line(name: str, tmp_path: Path) -> None:
    """Every spelling a browser runs as a script URL (entities decoded, leading control
    characters and inner newlines dropped) is refused, naming the file and line."""
    markdown, line = LINKS[name]
    text = f"---\ntitle: T\ndate: 2018-05-25\n---\n\n## Kop\n\n{markdown}\n"
    site = write_site(tmp_path / "site", {"versions/1.0/nl.md": text},
                      site_yaml().replace("[nl, en]", "[nl]"))
    out = tmp_path / "out"
    result = build(site, out)
    built = out.is_dir() and html_problems("nl/1.0/index.html",
                                           (out / "nl/1.0/index.html").read_text("utf-8"))
    assert result.exit_code == 1, f"built, with {built or 'no executable link'}:\n{result.output}"
    assert f"versions/1.0/nl.md:{line}: error:" in result.output, result.output
    assert "Traceback" not in result.output and not out.exists()


ATTRIBUTES = {
    "heading": "## Kop {onclick=alert(1)}",
    "paragraph": "Tekst.\n{: onmouseover=\"alert(1)\" }",
    "image": "![logo](https://example.org/logo.png){onerror=alert(1)}",
    "link": "[klik](https://example.org/){onclick=alert(1)}",
}


@pytest.mark.parametrize("name", sorted(ATTRIBUTES))
def test_attribute_lists_cannot_add_event_handlers(name: str, tmp_path: Path) -> None:
    """``{attr=...}`` after a heading, paragraph, link or image is Markdown, not raw
    HTML: with allow_html off it must not smuggle in script either."""
    text = f"---\ntitle: T\ndate: 2018-05-25\n---\n\n## Inleiding\n\n{ATTRIBUTES[name]}\n"
    site = write_site(tmp_path / "site", {"versions/1.0/nl.md": text},
                      site_yaml().replace("[nl, en]", "[nl]"))
    out = tmp_path / "out"
    result = build(site, out)
    assert "Traceback" not in result.output
    if result.exit_code == 1:                   # refusing is fine, with the attribute's line
        line = 8 + ATTRIBUTES[name].count("\n")
        assert f"versions/1.0/nl.md:{line}: error:" in result.output, result.output
        return
    assert result.exit_code == 0, result.output
    problems = html_problems("nl/1.0/index.html", (out / "nl/1.0/index.html").read_text("utf-8"))
    assert problems == []


def test_website_in_site_yaml_cannot_be_a_script_link(tmp_path: Path) -> None:
    """The footer links ``website``; a javascript: address there would run on every page."""
    site = write_site(tmp_path / "site", {"versions/1.0/nl.md":
                                          "---\ntitle: T\ndate: 2018-05-25\n---\n\n## Kop\n"},
                      site_yaml(website="javascript:alert(document.domain)")
                      .replace("[nl, en]", "[nl]"))
    out = tmp_path / "out"
    result = build(site, out)
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert "content/site.yaml:7: error:" in result.output, result.output
        return
    problems = [p for rel in ("index.html", "nl/1.0/index.html", "404.html")
                for p in html_problems(rel, (out / rel).read_text("utf-8"))]
    assert problems == []


def test_an_email_address_with_markup_is_refused(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"versions/1.0/nl.md":
                                          "---\ntitle: T\ndate: 2018-05-25\n---\n\n## Kop\n"},
                      site_yaml(email=PAYLOAD + "@example.org").replace("[nl, en]", "[nl]"))
    result = build(site, tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "content/site.yaml:8: error:" in result.output and "e-mail" in result.output
