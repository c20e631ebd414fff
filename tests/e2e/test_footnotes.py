"""Footnotes as statements use them: referenced in any section, defined once at
the end, numbered as in one document."""
from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from sitegen.cli import main
from tests.conftest import page

SITE_YAML = """\
organisation: Example Ltd
base_url: https://privacy.example.org/
languages: [en]
title: Example privacy statement
"""
BODY = """
We process personal data under the GDPR.[^gdpr]

## Retention

We keep invoices for seven years.[^tax] The GDPR[^gdpr] limits everything else.

## Your rights

### Right of access {art=15}

You may ask for a copy.

[^gdpr]: Regulation (EU) 2016/679, the [General Data Protection Regulation](https://eur-lex.europa.eu/eli/reg/2016/679/oj).
[^tax]: Article 52 of the *General Tax Act*.
"""


def build(site: Path, out: Path) -> str:
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out", str(out),
                                       "--today", "2026-11-28"])
    assert result.exit_code == 0, result.output
    return result.output


def test_footnotes_are_numbered_and_linked_across_sections(make_site, tmp_path: Path) -> None:
    site = make_site({"versions/1.0/en.md": page("Privacy statement", "2020-01-01", BODY)},
                     SITE_YAML)
    output = build(site, tmp_path / "out")
    assert "warning" not in output
    html = (tmp_path / "out" / "en" / "index.html").read_text("utf-8")
    refs = re.findall(r'<a class="footnote-ref" href="#fn:(\w+)">(\d+)</a>', html)
    assert refs == [("gdpr", "1"), ("tax", "2"), ("gdpr", "1")]
    notes = re.search(r'<div class="footnote">.*?</div>', html, re.S).group(0)
    assert '<li id="fn:gdpr" value="1">' in notes and '<li id="fn:tax" value="2">' in notes
    assert '<a href="https://eur-lex.europa.eu/eli/reg/2016/679/oj">' in notes
    assert "<em>General Tax Act</em>" in notes
    assert 'href="#fnref:tax"' in notes and 'title="Back to footnote 2 in the text"' in notes
    assert "[^" not in html                         # no reference is left as text


def test_an_undefined_footnote_is_a_warning_at_its_line(make_site) -> None:
    site = make_site({"versions/1.0/en.md": page(
        "Privacy statement", "2020-01-01", "## Data\n\nWe keep it.[^missing]\n")}, SITE_YAML)
    result = CliRunner().invoke(main, ["check", "--site", str(site), "--today", "2026-11-28"])
    assert ("versions/1.0/en.md:8: warning: the footnote [^missing] is not defined"
            in result.output)


def test_a_changed_footnote_shows_in_the_redline(make_site, tmp_path: Path) -> None:
    later = BODY.replace("seven years", "ten years").replace("Article 52", "Article 58")
    site = make_site({"versions/1.0/en.md": page("Privacy statement", "2020-01-01", BODY),
                      "versions/2.0/en.md": page("Privacy statement", "2021-01-01", later)},
                     SITE_YAML)
    result = CliRunner().invoke(main, ["diff", "1.0", "2.0", "--site", str(site),
                                       "--lang", "en", "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "[-seven-]{+ten+}" in result.output and "[-52-]{+58+}" in result.output
