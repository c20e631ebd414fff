"""Builds of small fixture sites (and the example site) through the CLI: addresses,
language links, notices, anchors, and a link checker over every built page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO, SITE_YAML
from tests.e2e.helpers import (BASE_URL, FULL_SITE, MISSING_SITE, address_to_file, build,
                               check_links, parse, sitegen)

LANGS = ("nl", "en")


@pytest.fixture
def full(make_site, tmp_path: Path) -> Path:
    """FULL_SITE built with today = 2026-11-28 (2.0 current, 3.0 still to come)."""
    out = tmp_path / "public"
    build(make_site(FULL_SITE), out)
    return out


@pytest.fixture
def missing(make_site, tmp_path: Path) -> Path:
    """MISSING_SITE built: version 2.0 has no English text."""
    out = tmp_path / "public"
    build(make_site(MISSING_SITE), out)
    return out


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_address_exists(full: Path) -> None:
    assert (full / "index.html").is_file()
    for lang in LANGS:
        for address in ("", "1.0/", "2.0/", "3.0/", "versions/"):
            assert (full / lang / address / "index.html").is_file(), f"/{lang}/{address}"


def test_html_lang_is_the_page_language(full: Path) -> None:
    assert parse(full / "index.html").lang == "nl"          # the default language
    for lang in LANGS:
        for file in (full / lang).rglob("*.html"):
            assert parse(file).lang == lang, file


def test_canonical_is_the_address_under_base_url(full: Path) -> None:
    assert parse(full / "404.html").canonical is None     # served at any address: none
    for file in html_files(full):
        if file.name == "404.html":
            continue
        address = file.parent.relative_to(full).as_posix()
        expected = BASE_URL if address == "." else f"{BASE_URL}{address}/"
        assert parse(file).canonical == expected, file


def test_every_link_of_the_404_page_starts_at_the_root(full: Path) -> None:
    """A host serves 404.html at any address: a relative link would lead elsewhere
    from /nl/3.0/missing than from /missing."""
    html = (full / "404.html").read_text("utf-8")
    links = re.findall(r'(?:href|src)="([^"#][^"]*)"', html)
    assert links and all(link.startswith(("/", "https://")) for link in links), links


def test_base_url_option_overrides_site_yaml(make_site, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(make_site(FULL_SITE), out, "--base-url", "https://other.example.net/privacy")
    page = parse(out / "nl" / "1.0" / "index.html")
    assert page.canonical == "https://other.example.net/privacy/nl/1.0/"
    assert page.alternates["en"] == "https://other.example.net/privacy/en/1.0/"


@pytest.mark.parametrize("site", [FULL_SITE, MISSING_SITE], ids=["full", "missing"])
def test_hreflang_alternates_point_back(make_site, tmp_path: Path, site) -> None:
    """If page A names B as its translation, B names A (or A is B's x-default)."""
    out = tmp_path / "public"
    build(make_site(site), out)
    problems = []
    for file in html_files(out):
        page = parse(file)
        for lang, href in page.alternates.items():
            if lang == "x-default" or href == page.canonical:
                continue
            back = parse(address_to_file(out, BASE_URL, href))
            if page.canonical not in back.alternates.values():
                problems.append(f"{page.canonical} -> {lang} {href}, not back")
    assert not problems, "\n".join(problems)


def test_x_default_belongs_to_the_same_set_of_translations(full: Path) -> None:
    """The x-default of a page is one of the pages that list that page as alternate."""
    problems = []
    for file in html_files(full):
        page = parse(file)
        target = page.alternates.get("x-default")
        if target and target != page.canonical:
            back = parse(address_to_file(full, BASE_URL, target))
            if page.canonical not in back.alternates.values():
                problems.append(f"{page.canonical}: x-default {target} does not list it")
    assert not problems, "\n".join(problems)


def test_no_hreflang_to_a_missing_translation(missing: Path) -> None:
    assert set(parse(missing / "nl" / "1.0" / "index.html").alternates) >= {"nl", "en"}
    assert "en" not in parse(missing / "nl" / "2.0" / "index.html").alternates
    assert "en" not in parse(missing / "nl" / "index.html").alternates


def switcher_target(file: Path, lang: str) -> Path:
    page = parse(file)
    hrefs = [link["href"] for link in page.links
             if link.get("hreflang") == lang and link["tag"] == "a"]
    assert hrefs, f"no link to {lang} on {file}"
    return (file.parent / hrefs[0]).resolve()


@pytest.mark.parametrize("here, there", [
    ("nl/1.0", "en/1.0"), ("en/2.0", "nl/2.0"), ("nl/3.0", "en/3.0"), ("nl", "en"),
    ("en/versions", "nl/versions"),
])
def test_language_switcher_leads_to_the_same_version(full: Path, here: str, there: str) -> None:
    target = switcher_target(full / here / "index.html", there.split("/")[0])
    assert target == (full / there / "index.html").resolve()


def test_version_line_has_the_localized_date(full: Path, tmp_path: Path) -> None:
    """A superseded version says from when to when it was in force; the current
    one since when."""
    nl = " ".join(parse(full / "nl" / "1.0" / "index.html").text)
    en = " ".join(parse(full / "en" / "1.0" / "index.html").text)
    assert "Versie 1.0, van kracht van 25 mei 2018 tot 1 januari 2020" in nl
    assert "Version 1.0, in force from May 25, 2018 to January 1, 2020" in en
    example = tmp_path / "example"
    build(REPO, example)
    assert "Version 3.1, effective 25 May 2018" in (example / "en/3.1/index.html").read_text()


def test_table_of_contents_lists_the_headings(full: Path) -> None:
    """The rights are listed once: by the list that opens their section, not the
    contents as well."""
    html = (full / "nl" / "2.0" / "index.html").read_text("utf-8")
    assert '<nav class="toc"' in html
    toc = html.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    for anchor in ("inleiding", "uw-rechten"):
        assert f'href="#{anchor}"' in toc
    rights = html.split('<nav aria-label="Uw rechten in het kort" class="rights-nav">', 1)[1]
    for anchor in ("recht-op-inzage", "recht-op-vergetelheid"):
        assert f'href="#{anchor}"' not in toc and f'href="#{anchor}"' in rights


def test_old_version_says_so_and_links_to_the_current(full: Path) -> None:
    old = full / "nl" / "1.0" / "index.html"
    html = old.read_text("utf-8")
    assert "notice-old" in html and "niet meer van kracht" in html
    notice = html.split("notice-old", 1)[1].split("</div>", 1)[0]
    href = notice.split('href="', 1)[1].split('"', 1)[0]
    assert (old.parent / href).resolve() == (full / "nl" / "index.html").resolve()
    for current in ("nl/index.html", "nl/2.0/index.html", "index.html"):
        assert "notice-old" not in (full / current).read_text("utf-8"), current


def test_a_version_still_to_come_is_not_called_no_longer_in_force(full: Path) -> None:
    """3.0 takes effect in 2030: it is not current, but it is not out of force either."""
    assert "niet meer van kracht" not in (full / "nl/3.0/index.html").read_text("utf-8")
    assert "no longer in force" not in (full / "en/3.0/index.html").read_text("utf-8")


def test_missing_translation_gives_a_notice_page(missing: Path) -> None:
    notice = missing / "en" / "2.0" / "index.html"
    html = notice.read_text("utf-8")
    assert "notice-missing" in html and "not available in English" in html
    page = parse(notice)
    targets = {(notice.parent / link["href"]).resolve() for link in page.links
               if link["tag"] == "a" and link.get("hreflang") == "nl"}
    assert (missing / "nl" / "2.0" / "index.html").resolve() in targets


def test_check_warns_about_a_missing_translation(make_site) -> None:
    result = sitegen("check", "--site", str(make_site(MISSING_SITE)), "--today", "2026-11-28")
    assert result.exit_code == 0, result.output
    assert "versions/2.0" in result.output and "warning" in result.output
    assert "`en`" in result.output
    assert "0 errors, 1 warning" in result.output


def test_link_checker_on_the_example_site(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(REPO, out)
    problems, checked = check_links(out, "https://privacy.connectis.nl/")
    assert checked > 200
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("site", [FULL_SITE, MISSING_SITE], ids=["full", "missing"])
def test_link_checker_on_a_fixture_site(make_site, tmp_path: Path, site) -> None:
    out = tmp_path / "public"
    build(make_site(site), out)
    problems, checked = check_links(out, BASE_URL)
    assert checked > 50
    assert not problems, "\n".join(problems)


def heading_around(out: Path, address: str, anchor: str) -> tuple[str, str]:
    """The heading element (tag, id) that holds the element with id ``anchor``."""
    page = parse(out / address / "index.html")
    assert anchor in page.ids, f"no #{anchor} on /{address}/"
    headings = [a for a in page.ancestors[anchor] if a[0] in ("h2", "h3", "h4")]
    assert headings, f"#{anchor} is not inside a heading on /{address}/"
    return headings[-1]


def test_art_15_lands_on_the_right_of_access_in_the_example_site(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(REPO, out)
    assert heading_around(out, "nl", "art-15") == ("h3", "recht-op-inzage")
    assert heading_around(out, "en", "art-15") == ("h3", "right-of-access")
    assert heading_around(out, "nl/3.0", "art-17") == ("h3", "recht-op-verwijdering")


def test_rename_keeps_the_old_anchor_in_that_version_and_later(full: Path) -> None:
    for version in ("2.0", "3.0"):
        assert heading_around(full, f"nl/{version}", "recht-op-verwijdering") == \
            ("h3", "recht-op-vergetelheid")
        assert heading_around(full, f"en/{version}", "right-to-erasure") == \
            ("h3", "right-to-be-forgotten")
    assert heading_around(full, "nl", "recht-op-verwijdering") == ("h3", "recht-op-vergetelheid")


def test_a_rename_nobody_declared_is_paired_and_noted(make_site) -> None:
    """Without `renames:`, the reworded right is paired with its old section (a
    note); a site with strict anchors must declare it (an error)."""
    site = dict(FULL_SITE)
    site["versions/2.0/nl.md"] = site["versions/2.0/nl.md"].replace(
        "renames:\n  recht-op-verwijdering: recht-op-vergetelheid\n", "")
    result = sitegen("check", "--site", str(make_site(site)), "--today", "2026-11-28")
    assert result.exit_code == 0, result.output
    assert "note: #recht-op-verwijdering now answers #recht-op-vergetelheid" in result.output
    strict = sitegen("check", "--site", str(make_site(site, SITE_YAML + "anchors: strict\n")),
                     "--today", "2026-11-28")
    assert strict.exit_code == 1, strict.output
    assert "versions/2.0/nl.md:" in strict.output
    assert "error: #recht-op-verwijdering now answers" in strict.output
    assert "versions/2.0/en.md" not in strict.output
