"""Redline pages of the example site, the links to them, and `sitegen diff`."""
from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result

from sitegen.cli import main
from tests.conftest import REPO, SITE_YAML, page

DIFF = "nl/diff/3.0-3.1/index.html"


def sitegen(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("public")
    result = sitegen("build", "--site", str(REPO), "--out", str(out), "--today", "2026-11-28")
    assert result.exit_code == 0, result.output
    return out


def read(public: Path, path: str) -> str:
    return (public / path).read_text("utf-8")


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"#]*)(?:#[^"]*)?"', html)


def links_to(public: Path, from_path: str, to_path: str) -> bool:
    """Whether the page at ``from_path`` has a relative link that lands on ``to_path``."""
    base = posixpath.dirname(from_path)
    return any(posixpath.normpath(posixpath.join(base, href)) == to_path
               for href in hrefs(read(public, from_path)) if href and "://" not in href)


def without_details(html: str) -> str:
    return re.sub(r'<details class="unchanged">.*?</details>', "", html, flags=re.S)


# --- the built pages ----------------------------------------------------------------------------

def test_diff_page_exists_with_insertions_and_deletions(public: Path) -> None:
    html = read(public, DIFF)
    assert "<ins>" in html and "<del>" in html
    assert re.search(r"<del>.*?Wbp.*?</del><ins>.*?AVG.*?</ins>", html)
    assert "Wat er veranderde van versie 3.0 naar 3.1" in html


def test_rights_changes_come_first_and_name_portability_as_added(public: Path) -> None:
    html = read(public, DIFF)
    rights = html.index('class="rights-changes"')
    first_change = re.search(r'class="diff-section section-(changed|added|removed)', html)
    assert first_change and rights < first_change.start()
    item = re.search(r'<li class="right-added">(.*?)</li>', html, flags=re.S)
    assert item, "no right is listed as added"
    # it links to its section on this page, and shows what was added
    assert 'href="#s-added-recht-op-dataportabiliteit"' in item.group(1)
    assert 'id="s-added-recht-op-dataportabiliteit"' in html
    assert "Recht op dataportabiliteit" in item.group(1) and "toegevoegd" in item.group(1)
    assert re.search(r'<p class="right-change"><ins>.*?U heeft het recht om de '
                     r'persoonsgegevens', item.group(1))
    assert html.count('class="right-added"') == 1
    assert re.search(r'<li class="right-changed">.*?Recht op vergetelheid', html)
    # the rights that did not change, on one line, each linked in the new version
    unchanged = re.search(r'<p class="rights-unchanged">(.*?)</p>', html).group(1)
    assert unchanged.startswith("ongewijzigd: ") and "#art-15" in unchanged


def test_a_redline_that_leaves_the_rights_alone_says_so_in_one_sentence(
        make_site, tmp_path: Path) -> None:
    body = "## Cookies\n\nWij gebruiken geen cookies.\n\n## Uw rechten\n\n" \
           "### Recht op inzage {art=15}\n\nU mag uw gegevens inzien.\n"
    site = make_site({"versions/1.0/nl.md": page("Privacy", "2020-01-01", body),
                      "versions/2.0/nl.md": page("Privacy", "2021-01-01",
                                                 body.replace("geen", "alleen nodige"))},
                     SITE_YAML.replace("[nl, en]", "[nl]"))
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out",
                                       str(tmp_path / "out"), "--today", "2026-01-01"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "nl" / "diff" / "1.0-2.0" / "index.html").read_text("utf-8")
    panel = re.search(r'<section class="rights-changes".*?</section>', html, re.S).group(0)
    assert "<p>Uw rechten zijn niet veranderd.</p>" in panel and "<li" not in panel


def test_english_diff_page_names_data_portability_as_added(public: Path) -> None:
    html = read(public, "en/diff/3.0-3.1/index.html")
    item = re.search(r'<li class="right-added">(.*?)</li>', html, flags=re.S)
    assert item and "Right to data portability" in item.group(1) and "added" in item.group(1)


def test_unchanged_sections_are_folded_in_details(public: Path) -> None:
    html = read(public, DIFF)
    folded = re.findall(r'<details class="unchanged">(.*?)</details>', html, flags=re.S)
    assert folded, "no folded unchanged sections"
    assert any(">E-mail</h" in part for part in folded)
    assert all('class="diff-section section-unchanged"' in part for part in folded)
    rest = without_details(html)
    assert "section-unchanged" not in rest
    assert ">E-mail</h" not in rest
    assert 'id="s-changed-inleiding"' in rest


def test_history_page_and_new_version_link_to_the_diff(public: Path) -> None:
    assert (public / DIFF).is_file()
    assert links_to(public, "nl/versions/index.html", DIFF)
    assert links_to(public, "nl/3.1/index.html", DIFF)
    assert links_to(public, "nl/index.html", DIFF)


def test_old_version_links_to_the_diff_against_the_current_one(public: Path) -> None:
    html = read(public, "nl/3.0/index.html")
    notice = re.search(r'<div class="notice notice-old".*?</div>', html, flags=re.S)
    assert notice, "the old version has no notice"
    assert "../diff/3.0-3.1/index.html" in notice.group(0)
    assert links_to(public, "nl/3.0/index.html", DIFF)


def test_diff_page_links_back_to_both_versions(public: Path) -> None:
    assert links_to(public, DIFF, "nl/3.0/index.html")
    assert links_to(public, DIFF, "nl/3.1/index.html")
    assert links_to(public, DIFF, "nl/versions/index.html")


# --- sitegen diff -----------------------------------------------------------------------------

def test_cli_text_redline_without_colour() -> None:
    result = sitegen("diff", "3.0", "3.1", "--site", str(REPO))
    assert result.exit_code == 0, result.output
    assert "[-Wbp-]{+AVG+}" in result.output
    assert "\x1b[" not in result.output
    assert "### {+Recht op dataportabiliteit+}   [added]" in result.output
    assert "renamed from #recht-op-verwijdering" in result.output


def test_cli_text_redline_in_english() -> None:
    result = sitegen("diff", "3.0", "3.1", "--site", str(REPO), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "[-Wbp-]{+GDPR+}" in result.output


def test_cli_markdown_redline() -> None:
    result = sitegen("diff", "3.0", "3.1", "--site", str(REPO), "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "<del>Wbp</del><ins>AVG</ins>" in result.output
    assert "| Recht op dataportabiliteit (art. 20) | added |" in result.output


def test_cli_html_redline() -> None:
    result = sitegen("diff", "3.0", "3.1", "--site", str(REPO), "--format", "html")
    assert result.exit_code == 0, result.output
    assert "<ins>" in result.output and "<del>" in result.output
    assert 'class="rights-changes"' in result.output


@pytest.mark.parametrize("unknown", ["2.9", "v3.1"])
def test_cli_unknown_version_names_the_known_ones(unknown: str) -> None:
    result = sitegen("diff", unknown, "3.1", "--site", str(REPO))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert unknown in result.output
    assert "3.0" in result.output and "3.1" in result.output
    assert "Traceback" not in result.output


def test_cli_unknown_language_is_an_error() -> None:
    result = sitegen("diff", "3.0", "3.1", "--site", str(REPO), "--lang", "fr")
    assert result.exit_code == 1
    assert "fr" in result.output and isinstance(result.exception, SystemExit)


def test_cli_diff_of_a_version_with_itself_says_no_changes() -> None:
    result = sitegen("diff", "3.1", "3.1", "--site", str(REPO))
    assert result.exit_code == 0, result.output
    assert result.output == "No changes.\n"


SAME_NL = """\
## Inleiding

Wij gaan zorgvuldig om met uw gegevens.

## Uw rechten

### Recht op inzage {art=15}

U heeft recht op inzage.
"""
SAME_EN = """\
## Introduction

We handle your data with care.

## Your rights

### Right of access {art=15}

You have the right of access.
"""


def test_identical_texts_say_no_changes(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({
        "versions/1.0/nl.md": page("Privacyverklaring", "2018-05-25", SAME_NL),
        "versions/1.0/en.md": page("Privacy statement", "2018-05-25", SAME_EN),
        "versions/2.0/nl.md": page("Privacyverklaring", "2020-01-01", SAME_NL),
        "versions/2.0/en.md": page("Privacy statement", "2020-01-01", SAME_EN),
    })
    text = sitegen("diff", "1.0", "2.0", "--site", str(site))
    assert text.exit_code == 0, text.output
    assert text.output == "No changes.\n"
    markdown = sitegen("diff", "1.0", "2.0", "--site", str(site), "--format", "markdown")
    assert markdown.exit_code == 0 and "No changes to the text." in markdown.output
    assert "<ins>" not in markdown.output and "<del>" not in markdown.output
    html = sitegen("diff", "1.0", "2.0", "--site", str(site), "--format", "html")
    assert html.exit_code == 0 and "De tekst is niet veranderd." in html.output
    assert "<ins>" not in html.output and "<del>" not in html.output

    out = tmp_path / "public"
    built = sitegen("build", "--site", str(site), "--out", str(out), "--today", "2026-11-28")
    assert built.exit_code == 0, built.output
    assert "De tekst is niet veranderd." in (out / "nl/diff/1.0-2.0/index.html").read_text("utf-8")
    assert "The text did not change." in (out / "en/diff/1.0-2.0/index.html").read_text("utf-8")


def test_a_moved_or_renamed_section_says_where_from_in_words(public: Path) -> None:
    html = read(public, DIFF)
    moved = re.findall(r'<span class="badge badge-moved">([^<]*)</span>', html)
    assert "verplaatst, stond na „Google Analytics”" in moved
    renamed = re.findall(r'<span class="badge badge-renamed">([^<]*)</span>', html)
    assert "hernoemd, was „Recht op verwijdering”" in renamed
    assert "#recht-op-verwijdering)" not in html            # no internal ids in words
