"""The Markdown that statements use: pipe tables and definition lists."""
from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from sitegen.cli import main
from tests.conftest import page

TABLE_1 = """\
## Cookies

| Cookie | Doel | Bewaartermijn |
|:-------|:----:|--------------:|
| `_ga` | *Analyse* van [gebruik](https://example.org/) | 2 jaar |
| sessie | inloggen | sessie |

## Begrippen

Verwerker
:   Een partij die persoonsgegevens verwerkt in opdracht van ons.
"""
TABLE_2 = TABLE_1.replace("| 2 jaar |", "| 13 maanden |")
EN = "## Cookies\n\nText.\n"


def build(make_site, tmp_path: Path) -> tuple[Path, Path]:
    site = make_site({
        "versions/1.0/nl.md": page("Privacyverklaring", "2020-01-01", TABLE_1),
        "versions/2.0/nl.md": page("Privacyverklaring", "2021-01-01", TABLE_2),
        "versions/1.0/en.md": page("Privacy statement", "2020-01-01", EN),
    })
    out = tmp_path / "public"
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out", str(out),
                                       "--today", "2026-11-28"])
    assert result.exit_code == 0, result.output
    return site, out


def test_a_table_is_a_table_in_a_box_that_scrolls(make_site, tmp_path: Path) -> None:
    _, out = build(make_site, tmp_path)
    html = (out / "nl" / "1.0" / "index.html").read_text("utf-8")
    box = re.search(r'<div class="table-scroll" tabindex="0"><table>(.*?)</table></div>', html,
                    re.S)
    assert box, html
    table = box.group(1)
    assert '<th class="align-left">Cookie</th>' in table
    assert '<th class="align-center">Doel</th>' in table
    assert '<td class="align-right">2 jaar</td>' in table
    assert '<em>Analyse</em> van <a href="https://example.org/">gebruik</a>' in table
    assert "align=" not in html                       # obsolete in HTML
    assert "<dt>Verwerker</dt>" in html and "<dd>Een partij" in html
    css = (out / "assets" / "site.css").read_text("utf-8")
    assert ".table-scroll { overflow-x: auto;" in css


def test_a_changed_cell_is_in_the_redline(make_site, tmp_path: Path) -> None:
    site, out = build(make_site, tmp_path)
    redline = (out / "nl" / "diff" / "1.0-2.0" / "index.html").read_text("utf-8")
    assert "13 maanden" in redline and "2 jaar" in redline
    result = CliRunner().invoke(main, ["diff", "1.0", "2.0", "--site", str(site)])
    assert result.exit_code == 0, result.output
    assert "[-2 jaar-]" in result.output or "[-2-]" in result.output, result.output
    assert "13" in result.output
