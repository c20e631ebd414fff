"""Any language a statement is published in: a new site in each shipped one,
language tags with script and region, right-to-left pages, and a language
sitegen has no interface strings for."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import main
from tests.conftest import page
from tests.unit.test_languages import SHIPPED


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def check_and_build(site: Path, out: Path) -> str:
    """``check`` then ``build`` on 1 January 2026, both succeeding; what check said."""
    code, said = run("check", "--site", str(site), "--today", "2026-01-01")
    assert code == 0, said
    code, output = run("build", "--site", str(site), "--out", str(out), "--today", "2026-01-01")
    assert code == 0, output
    return said


@pytest.mark.parametrize("first", SHIPPED)
def test_init_builds_a_site_in_every_shipped_language(first: str, tmp_path: Path) -> None:
    """Each language as the default, with English beside it: the new site checks
    with only the TODO warnings, and builds."""
    others = "en" if first != "en" else "nl"
    code, output = run("init", str(tmp_path / "site"), "--languages", f"{first},{others}")
    assert code == 0, output
    code, output = run("check", "--site", str(tmp_path / "site"))
    assert code == 0, output
    assert all("TODO" in line for line in output.splitlines()[:-1]), output
    code, output = run("build", "--site", str(tmp_path / "site"))
    assert code == 0, output
    html = (tmp_path / "site" / "public" / first / "index.html").read_text("utf-8")
    direction = "rtl" if first in ("ar", "he", "fa") else "ltr"
    assert f'<html lang="{first}" dir="{direction}">' in html
    assert "{art=" not in html                                      # the marks are taken off
    assert html.count('class="alias" id="art-') == 7               # the seven rights


def test_a_tag_in_another_case_is_taken_in_its_own_with_a_warning(make_site,
                                                                  tmp_path: Path) -> None:
    site = make_site({"versions/1.0/pt-br.md": page("Aviso", "2020-01-01", "## Dados\n\nTexto.\n"),
                      "versions/1.0/sr-latn.md": page("Politika", "2020-01-01",
                                                      "## Podaci\n\nTekst.\n")},
                     "organisation: X\nbase_url: https://x.example/\nlanguages: [pt-br, sr-latn]\n"
                     "title: X\n")
    output = check_and_build(site, tmp_path / "out")
    assert "content/site.yaml:3: warning: language `pt-br` is written `pt-BR`" in output
    html = (tmp_path / "out" / "sr-Latn" / "index.html").read_text("utf-8")
    assert '<html lang="sr-Latn" dir="ltr">' in html
    assert "1. januar 2020." in html                     # CLDR's Serbian, in Latin script
    assert 'hreflang="pt-BR"' in html


def test_a_language_without_strings_builds_in_the_default_ones(make_site,
                                                               tmp_path: Path) -> None:
    site = make_site({"versions/1.0/nl.md": page("Privacy", "2020-01-01", "## Over ons\n\nT.\n"),
                      "versions/1.0/is.md": page("Persónuvernd", "2020-01-01",
                                                 "## Um okkur\n\nT.\n")},
                     "organisation: X\nbase_url: https://x.example/\nlanguages: [nl, is]\n"
                     "title: X\n")
    output = check_and_build(site, tmp_path / "out")
    assert output.count("no interface strings for `is`") == 1
    assert "theme/strings/is.yaml" in output
    html = (tmp_path / "out" / "is" / "index.html").read_text("utf-8")
    assert '<span lang="nl" dir="ltr">Alle versies</span>' in html     # read as Dutch
    assert "1. janúar 2020" in html


class _Marks(HTMLParser):
    """Where a fallback string's mark would break a page: attributes and titles."""

    def __init__(self) -> None:
        super().__init__()
        self.broken: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.broken += [f"<{tag} {k}={v!r}>" for k, v in attrs if v and "<span" in v]
        self.in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self.in_title and "<" in data:
            self.broken.append(f"<title>{data}")

    def handle_endtag(self, tag: str) -> None:
        self.in_title = False


def test_fallback_strings_are_marked_in_text_and_plain_where_markup_cannot_go(
        make_site, tmp_path: Path) -> None:
    """Every kind of page of a language without strings: titles, attributes and
    the feed hold plain text, the text of the page marks the Dutch strings."""
    rights = "## Uw rechten\n\n### Recht op inzage {art=15}\n\nU mag inzien.\n\n"
    site = make_site({f"versions/{v}/{lang}.md": page("Privacy", date, body)
                      for v, date, body in (
                          ("1.0", "2020-01-01", rights + "## Nieuwsbrief\n\nWij mailen.\n"),
                          ("2.0", "2021-01-01", rights.replace("mag", "mag altijd")),
                          ("3.0", "2030-01-01", rights))
                      for lang in ("nl", "is")},
                     "organisation: X\nbase_url: https://x.example/\nlanguages: [nl, is]\n"
                     "title: X\n")
    check_and_build(site, tmp_path / "out")
    pages = sorted((tmp_path / "out" / "is").rglob("*.html"))
    assert len(pages) >= 6
    for path in pages:
        marks = _Marks()
        marks.feed(path.read_text("utf-8"))
        assert marks.broken == [], path
    assert any('<span lang="nl"' in p.read_text("utf-8") for p in pages)
    feed = (tmp_path / "out" / "is" / "feed.xml").read_text("utf-8")
    assert "span" not in feed and "Versie 1.0, van kracht van" in feed


def test_navigation_says_which_languages_a_version_exists_in(make_site, tmp_path: Path) -> None:
    """2.0 exists in Dutch only: its switcher marks English, and the English history
    lists 2.0 without a link, as not in English."""
    site = make_site({"versions/1.0/nl.md": page("Privacy", "2020-01-01", "## A\n\nT.\n"),
                      "versions/1.0/en.md": page("Privacy", "2020-01-01", "## A\n\nT.\n"),
                      "versions/2.0/nl.md": page("Privacy", "2021-01-01", "## A\n\nT2.\n")})
    code, output = run("build", "--site", str(site), "--out", str(tmp_path / "out"),
                       "--today", "2026-01-01")
    assert code == 0, output
    dutch = (tmp_path / "out" / "nl" / "2.0" / "index.html").read_text("utf-8")
    assert re.search(r'hreflang="en"[^>]*>English</a> <small class="lang-absent">\(niet '
                     r'beschikbaar in deze versie\)</small>', dutch)
    assert 'hreflang="nl" dir="auto" aria-current="page">Nederlands</a></li>' in dutch
    history = (tmp_path / "out" / "en" / "versions" / "index.html").read_text("utf-8")
    assert '<th scope="row">2.0 <span class="badge badge-absent">not in English</span>' in history
    assert '<a href="../1.0/index.html">1.0</a>' in history


def test_left_to_right_names_keep_their_direction_in_right_to_left_pages(tmp_path: Path) -> None:
    """The organisation's name, addresses and the page's own address are isolated,
    so their letters and the punctuation around them stay in place in Arabic."""
    code, output = run("init", str(tmp_path / "site"), "--languages", "ar,en")
    assert code == 0, output
    config = tmp_path / "site" / "content" / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("TODO your organisation", "Connectis B.V.")
                      + "website: https://www.connectis.nl/\n", "utf-8")
    check_and_build(tmp_path / "site", tmp_path / "out")
    html = (tmp_path / "out" / "ar" / "index.html").read_text("utf-8")
    assert "صادر عن <bdi>Connectis B.V.</bdi>" in html
    assert '<a href="https://www.connectis.nl/" dir="ltr">' in html
    assert '<p class="print-only" dir="ltr">https://privacy.example.org/ar/</p>' in html
