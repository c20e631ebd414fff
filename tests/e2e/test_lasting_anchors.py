"""A link to a section keeps landing, with nothing declared: a reworded heading
answers its old id, a removed section's id lands on a notice that says so."""
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
NEWSLETTER = ("We send a monthly newsletter to those who ask for it, and you can stop it "
              "with the link at the bottom of every issue.")
V1 = f"""
## Who we are

Example Ltd, 1 High Street, London, is the controller of your personal data.

## Newsletter

{NEWSLETTER}

## Cookies we place

We place one cookie that remembers your language, and no cookie of any third party.

## Your rights

### Right of access {{art=15}}

You may ask which personal data we hold about you.
"""
# "Cookies we place" reworded, its text mostly the same; the newsletter removed
V2 = """
## Who we are

Example Ltd, 1 High Street, London, is the controller of your personal data.

## Cookies on this website

We place one cookie that remembers your language, and no cookie of any third party at all.

## Your rights

### Right of access {art=15}

You may ask which personal data we hold about you.
"""
# 3.0 changes nothing of these sections: the tombstone and the alias stay
V3 = V2 + "\n## Contact\n\nWrite to privacy@example.org.\n"


def ids(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', html)


def build(site: Path, out: Path) -> str:
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out", str(out),
                                       "--today", "2026-11-28"])
    assert result.exit_code == 0, result.output
    return result.output


def check(site: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--site", str(site), "--today", "2026-11-28"])
    return result.exit_code, result.output


def site_of(make_site, v2_extra: str = "", site_yaml: str = SITE_YAML) -> Path:
    return make_site({
        "versions/1.0/en.md": page("Privacy statement", "2020-01-01", V1),
        "versions/2.0/en.md": page("Privacy statement", "2021-01-01", V2, v2_extra),
        "versions/3.0/en.md": page("Privacy statement", "2022-01-01", V3),
    }, site_yaml)


def test_a_reworded_heading_answers_its_old_id_in_every_later_version(make_site,
                                                                      tmp_path: Path) -> None:
    site = site_of(make_site)
    code, output = check(site)
    assert code == 0, output
    assert ("versions/2.0/en.md:10: note: #cookies-we-place now answers "
            "#cookies-on-this-website") in output
    out = tmp_path / "public"
    build(site, out)
    for path in ("2.0/index.html", "3.0/index.html", "index.html"):
        html = (out / "en" / path).read_text("utf-8")
        heading = re.search(r'<h2 id="cookies-on-this-website">.*?</h2>', html).group(0)
        assert 'id="cookies-we-place"' in heading, path
    # the redline pairs the two sections: a changed section, not one removed and one added
    redline = (out / "en" / "diff" / "1.0-2.0" / "index.html").read_text("utf-8")
    assert "s-changed-cookies-on-this-website" in ids(redline)
    assert "s-removed-cookies-we-place" not in ids(redline)


def test_a_removed_section_leaves_a_notice_at_its_address(make_site, tmp_path: Path) -> None:
    site = site_of(make_site)
    code, output = check(site)
    assert code == 0
    assert ("versions/2.0/en.md:1: note: #newsletter (\u201cNewsletter\u201d, last in "
            "version 1.0) is not in this version") in output
    assert "3.0/en.md" not in output            # said once, where it happened
    out = tmp_path / "public"
    build(site, out)
    current = (out / "en" / "index.html").read_text("utf-8")
    stone = re.search(r'<section class="tombstone" id="newsletter".*?</section>', current,
                      re.S).group(0)
    assert "Removed: Newsletter" in stone
    assert "removed in version 2.0, in force from January 1, 2021" in stone
    assert 'href="1.0/index.html#newsletter"' in stone
    assert 'href="diff/1.0-2.0/index.html#s-removed-newsletter"' in stone
    # the links land: the old version has the heading, the redline the removed section
    assert 'id="newsletter"' in (out / "en" / "1.0" / "index.html").read_text("utf-8")
    assert "s-removed-newsletter" in ids(
        (out / "en" / "diff" / "1.0-2.0" / "index.html").read_text("utf-8"))
    # the text of the section is not on the current page: only the notice
    assert NEWSLETTER not in current


def test_removed_records_why(make_site, tmp_path: Path) -> None:
    site = site_of(make_site, "removed:\n  newsletter: We no longer send a newsletter.\n")
    code, output = check(site)
    assert code == 0 and "#newsletter" not in output        # declared: nothing to note
    out = tmp_path / "public"
    build(site, out)
    for path in ("2.0/index.html", "index.html"):
        html = (out / "en" / path).read_text("utf-8")
        assert "Why: We no longer send a newsletter." in html


def test_removed_that_names_no_earlier_section_is_an_error(make_site) -> None:
    site = site_of(make_site, "removed: [newsleter]\n")
    code, output = check(site)
    assert code == 1
    assert ("versions/2.0/en.md:4: error: #newsleter is declared removed, but no earlier "
            "version had it: did you mean #newsletter?") in output


def test_strict_anchors_make_every_undeclared_change_an_error(make_site) -> None:
    site = site_of(make_site, site_yaml=SITE_YAML + "anchors: strict\n")
    code, output = check(site)
    assert code == 1
    assert "versions/2.0/en.md:10: error: #cookies-we-place now answers" in output
    assert "declare it under `renames:` (`cookies-we-place: cookies-on-this-website`)" in output
    assert "versions/2.0/en.md:1: error: #newsletter" in output
    declared = site_of(make_site, "renames:\n  cookies-we-place: cookies-on-this-website\n"
                       "removed: [newsletter]\n", SITE_YAML + "anchors: strict\n")
    code, output = check(declared)
    assert code == 0, output


def test_an_unrelated_section_at_the_same_place_is_not_paired(make_site) -> None:
    """Removing one section and adding another where it was is not a rename."""
    v2 = V1.replace(f"## Newsletter\n\n{NEWSLETTER}",
                    "## Job applicants\n\nIf you apply for a job, we keep your letter and "
                    "curriculum vitae for four weeks after the vacancy is filled.")
    site = make_site({
        "versions/1.0/en.md": page("Privacy statement", "2020-01-01", V1),
        "versions/2.0/en.md": page("Privacy statement", "2021-01-01", v2),
    }, SITE_YAML)
    code, output = check(site)
    assert "now answers" not in output and "#newsletter (" in output


def test_check_strict_makes_warnings_errors(make_site) -> None:
    site = make_site({"versions/1.0/en.md": page(
        "Privacy statement", "2020-01-01", "## Data\n\nSee [below](#nowhere).\n")}, SITE_YAML)
    code, output = check(site)
    assert code == 0 and "warning: the link to #nowhere" in output
    result = CliRunner().invoke(main, ["check", "--site", str(site), "--strict"])
    assert result.exit_code == 1
    assert "versions/1.0/en.md:8: error: the link to #nowhere" in result.output
