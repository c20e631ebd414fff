"""The redline of a table, on the site and from `sitegen diff`: a table of marked cells."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import main
from tests.conftest import SITE_YAML, page

TABLE_1 = """\
## Cookies

Wij gebruiken deze cookies.

| Cookie | Doel | Bewaartermijn |
|:-------|:----:|--------------:|
| _ga | Analyse van [gebruik](https://example.org/) | 2 jaar |
| sessie | inloggen | sessie |
| taal | voorkeur \\| land | 1 jaar |

## Contact

Mail ons.
"""
TABLE_2 = TABLE_1.replace("| 2 jaar |", "| 13 maanden |") \
    .replace("| sessie | inloggen | sessie |\n", "") \
    .replace("|:-------|:----:|--------------:|", "|---|:-:|--:|") \
    .replace("| 1 jaar |", "| 1 jaar |\n| keuze | toestemming | 6 maanden |")
EN = "## Cookies\n\nText.\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("tables")
    site = root / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "site.yaml").write_text(SITE_YAML, "utf-8")
    for rel, text in {"versions/1.0/nl.md": page("Privacyverklaring", "2020-01-01", TABLE_1),
                      "versions/2.0/nl.md": page("Privacyverklaring", "2021-01-01", TABLE_2),
                      "versions/1.0/en.md": page("Privacy statement", "2020-01-01", EN)}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, "utf-8")
    out = root / "public"
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out", str(out),
                                       "--today", "2026-11-28"])
    assert result.exit_code == 0, result.output
    return site, out


class Tables(HTMLParser):
    """The tables of a page: their boxes' attributes, and each row's class and cells,
    a cell as (tag, the tags inside it, its text)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.boxes: list[dict[str, str | None]] = []
        self.rows: list[tuple[str, list[tuple[str, list[str], str]]]] = []
        self.cell: tuple[str, list[str], list[str]] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div" and "table-scroll" in (dict(attrs).get("class") or "").split():
            self.boxes.append(dict(attrs))
        elif tag == "tr":
            self.rows.append((dict(attrs).get("class") or "", []))
        elif tag in ("td", "th"):
            self.cell = (tag, [], [])
        elif self.cell is not None:
            self.cell[1].append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1][1].append((self.cell[0], self.cell[1], "".join(self.cell[2])))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell[2].append(data)


def sitegen_diff(site: Path, fmt: str) -> str:
    result = CliRunner().invoke(main, ["diff", "1.0", "2.0", "--site", str(site), "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_redline_page_shows_a_table_of_marked_cells(built: tuple[Path, Path]) -> None:
    _, out = built
    html = (out / "nl" / "diff" / "1.0-2.0" / "index.html").read_text("utf-8")
    tables = Tables(html)
    assert tables.boxes == [{"class": "table-scroll", "tabindex": "0"}]
    classes = [css for css, _ in tables.rows]
    assert classes == ["", "", "row-removed", "", "row-added"], classes
    header, ga, removed, taal, added = (cells for _, cells in tables.rows)
    assert [cell[0] for cell in header] == ["th"] * 3
    tag, inside, text = ga[2]
    assert tag == "td" and "del" in inside and "ins" in inside
    assert "2 jaar" in text and "13 maanden" in text
    assert ga[1] == ("td", ["a"], "Analyse van gebruik")     # the link, unchanged
    assert all(cell[0] == "td" and "del" in cell[1] for cell in removed)
    assert [cell[2] for cell in removed] == ["[verwijderd: sessie]", "[verwijderd: inloggen]",
                                             "[verwijderd: sessie]"]
    assert taal[1] == ("td", [], "voorkeur | land")
    assert all("ins" in cell[1] for cell in added)
    assert "row-removed" in (out / "assets" / "site.css").read_text("utf-8")


def test_the_table_is_marked_in_the_text_redline(built: tuple[Path, Path]) -> None:
    site, _ = built
    text = sitegen_diff(site, "text")
    assert ("  Cookie | Doel | Bewaartermijn\n"
            "    _ga | Analyse van [gebruik](https://example.org/) | [-2 jaar-]{+13 maanden+}\n"
            "    [-sessie | inloggen | sessie-]\n"
            "    taal | voorkeur \\| land | 1 jaar\n"
            "    {+keuze | toestemming | 6 maanden+}\n") in text, text
    assert "Wij gebruiken" not in text and "Contact" not in text     # unchanged


def test_the_table_is_a_pipe_table_in_the_markdown_redline(built: tuple[Path, Path]) -> None:
    site, _ = built
    markdown = sitegen_diff(site, "markdown")
    assert ("| Cookie | Doel | Bewaartermijn |\n"
            "|---|---|---|\n"
            "| \\_ga | Analyse van \\[gebruik\\](https://example.org/) "
            "| <del>2 jaar</del><ins>13 maanden</ins> |\n"
            "| <del>sessie</del> | <del>inloggen</del> | <del>sessie</del> |\n"
            "| taal | voorkeur \\| land | 1 jaar |\n"
            "| <ins>keuze</ins> | <ins>toestemming</ins> | <ins>6 maanden</ins> |\n") in markdown, \
        markdown
    assert "6 words added, 5 removed." in markdown


def test_the_html_redline_of_sitegen_diff_holds_the_same_table(built: tuple[Path, Path]) -> None:
    site, _ = built
    tables = Tables(sitegen_diff(site, "html"))
    assert [css for css, _ in tables.rows] == ["", "", "row-removed", "", "row-added"]
