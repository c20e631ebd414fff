"""``sitegen import document``'s conversion: a Word document, an HTML page and a
Markdown file become a draft whose words are the source's, word for word, with
its headings, lists, tables, emphasis and links; what cannot come along is
refused (tracked changes, comments) or named in a note (images, navigation)."""
from __future__ import annotations

import datetime as dt
import io
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import docx
import markdown
import pytest
from bs4 import BeautifulSoup
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from sitegen.errors import SitegenError
from sitegen.importer import target
from sitegen.importer.document import from_document

DATE = dt.date(2024, 5, 1)
SITEGEN = Path(sys.executable).with_name("sitegen")


# --- making sources, and reading their words back --------------------------

def png() -> bytes:
    """A one-pixel PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data)))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def add_hyperlink(paragraph, url: str, text: str) -> None:
    """python-docx has no API for a hyperlink: a ``w:hyperlink`` with a run."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link, run, label = OxmlElement("w:hyperlink"), OxmlElement("w:r"), OxmlElement("w:t")
    link.set(qn("r:id"), rel)
    label.text = text
    run.append(label)
    link.append(run)
    paragraph._p.append(link)


def statement() -> docx.Document:
    """A Word statement with every structure the import keeps, and an image."""
    doc = docx.Document()
    doc.add_paragraph("Privacy statement of Example B.V.", style="Title")
    doc.add_heading("Who we are", level=1)
    intro = doc.add_paragraph("We are ")
    intro.add_run("Example B.V.").bold = True
    intro.add_run(", and we care about ")
    intro.add_run("your privacy").italic = True
    intro.add_run(". Read ")
    add_hyperlink(intro, "https://example.org/contact", "how to reach us")
    intro.add_run(" (or write to us).")
    doc.add_heading("What we collect", level=1)
    for item in ("Your name;", "your e-mail address;", "the pages you visit."):
        doc.add_paragraph(item, style="List Bullet")
    doc.add_heading("Right of access", level=2)
    for step in ("Write to us.", "We answer within a month."):
        doc.add_paragraph(step, style="List Number")
    table = doc.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, [("Data", "Kept for"), ("Name", "2 years"),
                                       ("E-mail address", "1 year")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    picture = doc.add_picture(io.BytesIO(png()))
    picture._inline.docPr.set("descr", "Our office")
    doc.add_paragraph("That is all, 2024.")
    return doc


def docx_words(path: Path) -> list[str]:
    """The words of a Word document in order: paragraphs and table cells."""
    texts = []
    for block in docx.Document(str(path)).iter_inner_content():
        if isinstance(block, docx.table.Table):
            texts += [cell.text for row in block.rows for cell in row.cells]
        else:
            texts.append(block.text)
    return " ".join(texts).split()


BLOCKS = ["p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br", "tr"]


def html_words(html: str) -> list[str]:
    """The words of ``html``: blocks apart, inline markup (``<b>x</b>,``) not."""
    tree = BeautifulSoup(html, "html.parser")
    for block in tree.find_all(BLOCKS):
        block.append(" ")
    return tree.get_text().split()


def imported_words(text: target.Text) -> list[str]:
    """The title's words, then the words of the body as Markdown shows them."""
    return text.title.split() + html_words(markdown.markdown(text.body, extensions=["tables"]))


def one(path: Path, lang: str = "en") -> tuple[target.Text, list[str]]:
    imported = from_document(path, "1.0", DATE, lang)
    assert len(imported.texts) == 1
    return imported.texts[0], [n.message for n in imported.notes]


# --- Word -------------------------------------------------------------------

def test_a_word_document_keeps_every_word_and_its_structure(tmp_path: Path) -> None:
    path = tmp_path / "statement.docx"
    statement().save(str(path))
    text, notes = one(path)
    assert (text.version, text.lang, text.date, text.origin, text.draft) == (
        "1.0", "en", DATE, "statement.docx", True)
    assert text.title == "Privacy statement of Example B.V."
    assert imported_words(text) == docx_words(path)
    body = text.body
    assert "## Who we are\n" in body and "## What we collect\n" in body
    assert "### Right of access\n" in body and "\n# " not in body
    assert "**Example B.V.**" in body and "*your privacy*" in body
    assert "[how to reach us](https://example.org/contact)" in body
    assert "- Your name;\n- your e-mail address;\n- the pages you visit." in body
    assert "1. Write to us.\n2. We answer within a month." in body
    assert "| Data | Kept for |\n| --- | --- |\n| Name | 2 years |" in body
    assert "![" not in body and "data:" not in body
    assert any(n.startswith('an image (its text: "Our office") was left out') for n in notes)


def tracked(doc: docx.Document) -> None:
    """An insertion and a deletion, as Word writes them with Track Changes on."""
    paragraph = doc.add_paragraph("We keep your data ")
    for kind, words in (("w:ins", "two years"), ("w:del", "forever")):
        change, run = OxmlElement(kind), OxmlElement("w:r")
        change.set(qn("w:id"), "1" if kind == "w:ins" else "2")
        change.set(qn("w:author"), "Editor")
        change.set(qn("w:date"), "2024-01-01T00:00:00Z")
        text = OxmlElement("w:t" if kind == "w:ins" else "w:delText")
        text.text = words
        run.append(text)
        change.append(run)
        paragraph._p.append(change)


def commented(doc: docx.Document) -> None:
    run = doc.add_paragraph().add_run("We keep your data for two years.")
    doc.add_comment(run, text="Is this still true?", author="Editor")


@pytest.mark.parametrize("change, found, todo", [
    (tracked, "2 tracked changes", "Accept All Changes"),
    (commented, "1 comment", "Delete All Comments"),
])
def test_tracked_changes_and_comments_are_refused(tmp_path: Path, change, found: str,
                                                  todo: str) -> None:
    doc = statement()
    change(doc)
    path = tmp_path / "statement.docx"
    doc.save(str(path))
    with pytest.raises(SitegenError) as caught:
        from_document(path, "1.0", DATE, "en")
    problem = caught.value.problems[0]
    assert problem.path == str(path)
    assert found in problem.message and todo in problem.message
    assert "import it again" in problem.message


# --- HTML and Markdown ------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>Privacy | Example</title>
<script>var tracker = "hidden words";</script></head><body>
<header><a href="/">Example home</a></header>
<nav><ul><li><a href="/products">Products</a></li></ul></nav>
<main>
<h1>Privacy statement</h1>
<p>We are <strong>Example B.V.</strong>; see <a href="https://example.org/">our site</a>.</p>
<h2>What we collect</h2>
<ul><li>Your name</li><li>Your <em>e-mail</em> address</li></ul>
<table><thead><tr><th>Data</th><th>Kept for</th></tr></thead>
<tbody><tr><td>Name</td><td>2 years</td></tr></tbody></table>
<script>document.write("more hidden words")</script>
</main>
<footer>© 2024 Example B.V.</footer>
</body></html>"""


def test_an_html_page_is_its_main_text(tmp_path: Path) -> None:
    path = tmp_path / "privacy.html"
    path.write_text(PAGE, "utf-8")
    text, notes = one(path)
    main = BeautifulSoup(PAGE, "html.parser").main
    for script in main.find_all("script"):
        script.decompose()
    assert text.title == "Privacy statement"
    assert imported_words(text) == html_words(str(main))
    assert "## What we collect" in text.body and "| Data | Kept for |" in text.body
    assert "hidden" not in text.body and "Products" not in text.body
    assert any("navigation" in n and "footer" in n and "left out" in n for n in notes)


def test_an_html_page_without_main_loses_only_its_navigation_and_footer(
        tmp_path: Path) -> None:
    page = PAGE.replace("<main>", "").replace("</main>", "")
    path = tmp_path / "privacy.htm"
    path.write_bytes(page.encode("utf-8"))
    text, notes = one(path)
    assert "Example home" not in text.body and "© 2024" not in text.body
    assert "We are **Example B.V.**" in text.body
    assert any(n.startswith("the page's text is its <body>") for n in notes)


def test_an_html_page_may_declare_another_charset(tmp_path: Path) -> None:
    path = tmp_path / "old.html"
    path.write_bytes('<meta charset="windows-1252"><h1>Privacy</h1><p>Caf\xe9 \u2013 d\xe9j\xe0 '
                     'vu</p>'.encode("cp1252"))
    text, _ = one(path)
    assert (text.title, text.body) == ("Privacy", "Caf\xe9 \u2013 d\xe9j\xe0 vu\n")


def test_markdown_loses_its_front_matter_and_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "old.md"
    path.write_text("\ufeff---\ntitle: Old title\ndate: 2020-01-01\n---\n\n"
                    "# Privacy statement\n\nIntro.\n\nWho we are\n----------\n\nWe *are* us.\n",
                    "utf-8")
    text, notes = one(path)
    assert text.title == "Privacy statement"
    assert text.body == "Intro.\n\n## Who we are\n\nWe *are* us.\n"
    assert any("front matter was left out (title, date)" in n for n in notes)


def test_markdown_in_sitegens_form_keeps_its_sections(tmp_path: Path) -> None:
    path = tmp_path / "nl.md"
    body = "## Inleiding\n\nWij zijn Example.\n\n## Uw rechten\n\nU mag alles.\n"
    path.write_text(f"---\ntitle: Privacyverklaring\ndate: 2020-01-01\n---\n\n{body}", "utf-8")
    text, notes = one(path, "nl")
    assert (text.title, text.body) == ("Privacyverklaring", body)


# --- into a site --------------------------------------------------------------

@pytest.mark.parametrize("name", ["statement.docx", "privacy.html"])
def test_the_imported_draft_checks_and_builds(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    statement().save(str(path)) if name.endswith(".docx") else path.write_text(PAGE, "utf-8")
    site = tmp_path / "site"
    target.write(site, from_document(path, "1.0", DATE, "en").texts, ["en"])
    assert "draft: true" in (site / "versions/1.0/en.md").read_text("utf-8")
    for command in (["check"], ["build", "--drafts"]):
        run = subprocess.run([str(SITEGEN), *command, "--site", str(site)],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
        assert " error: " not in run.stdout + run.stderr
    assert (site / "public-drafts/en/1.0/index.html").is_file()


# --- what the user can get wrong ----------------------------------------------

@pytest.mark.parametrize("name, content, says", [
    ("missing.docx", None, "there is no file"),
    ("statement.pdf", b"%PDF-1.4", "give a Word document (.docx), an HTML page"),
    ("statement.doc", b"\xd0\xcf\x11\xe0", "cannot import a `.doc` file"),
    ("broken.docx", b"not a zip at all", "not a Word document (.docx), or it is damaged"),
    ("empty.md", b"---\ntitle: x\n---\n\n", "has no text to import"),
    ("latin.md", "# Titel\n\nCaf\xe9 d\xe9j\xe0 vu\n".encode("latin-1"),
     "the file is not UTF-8"),
    ("untitled.md", b"Just a paragraph.\n\nAnd another.\n", "the document has no title"),
    ("sections.html", b"<h2>One</h2><p>a</p><h2>Two</h2><p>b</p>",
     "start it with one heading above all the others"),
])
def test_what_the_user_can_get_wrong_is_said_with_the_file(
        tmp_path: Path, name: str, content: bytes | None, says: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SitegenError) as caught:
        from_document(path, "1.0", DATE, "en")
    problem = caught.value.problems[0]
    assert says in problem.message and problem.path == str(path)


def test_an_empty_word_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    with pytest.raises(SitegenError, match="has no text to import"):
        from_document(path, "1.0", DATE, "en")


def test_a_page_keeps_its_heading_ids_and_its_relative_links_become_whole(
        tmp_path: Path) -> None:
    """A link that the page's readers already use (#rights) still lands, and a
    link within the old site (/contact) points where it pointed there."""
    from click.testing import CliRunner
    from sitegen.cli import main
    page = tmp_path / "privacy.html"
    page.write_text('<main><h1>Privacy notice</h1><p>See <a href="/contact">contact</a> and '
                    '<a href="#rights">rights</a>.</p><h2 id="rights">Your rights</h2>'
                    "<p>You may ask.</p></main>", "utf-8")
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["import", "document", str(page), "--version", "1.0",
                                       "--date", "2026-01-01", "--lang", "en", "--site",
                                       str(site), "--links-from",
                                       "https://www.example.org/legal/privacy"])
    assert result.exit_code == 0, result.output
    assert "the relative link `/contact` made whole: https://www.example.org/contact" \
        in result.output
    text = (site / "versions" / "1.0" / "en.md").read_text("utf-8")
    assert "[contact](https://www.example.org/contact)" in text
    assert "## Your rights {#rights}" in text
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--drafts"])
    assert result.exit_code == 0, result.output
    html = (site / "public-drafts" / "en" / "index.html").read_text("utf-8")
    assert 'id="rights"' in html
