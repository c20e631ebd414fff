"""Links into the site by its whole address (as a letter prints them) and #id
links copied from another language's text: `check` says where each leads."""
from __future__ import annotations

from click.testing import CliRunner

from sitegen.cli import main
from tests.conftest import page

BASE = "https://privacy.example.org/"
NL = """
## Inleiding

Zie {links}.

## Uw rechten

### Recht op inzage {{art=15}}

U mag inzien.

## Nieuwsbrief

Wij mailen.
"""
EN = """
## Introduction

See the text.

## Your rights

### Right of access {art=15}

You may see.

## Newsletter

We mail.
"""


def check(make_site, links: str) -> str:
    site = make_site({"versions/1.0/nl.md": page("Privacy", "2020-01-01", NL.format(links="x")),
                      "versions/1.0/en.md": page("Privacy", "2020-01-01", EN),
                      "versions/2.0/nl.md": page("Privacy", "2021-01-01",
                                                 NL.format(links=links).replace(
                                                     "## Nieuwsbrief\n\nWij mailen.\n", "")),
                      "versions/2.0/en.md": page("Privacy", "2021-01-01", EN)})
    result = CliRunner().invoke(main, ["check", "--site", str(site), "--today", "2026-01-01"])
    assert result.exit_code == 0, result.output
    return result.output


def test_links_to_the_sites_own_pages_land_on_a_page_and_a_part_of_it(make_site) -> None:
    good = [f"{BASE}nl/#recht-op-inzage", f"{BASE}nl/1.0/#nieuwsbrief",   # the old text has it
            f"{BASE}nl/#nieuwsbrief",                                  # a tombstone now
            f"{BASE}nl/#art-15", f"{BASE}nl/versions/", f"{BASE}nl/diff/1.0-2.0/",
            f"{BASE}nl/feed.xml", f"{BASE}en/2.0", "https://example.org/nl/9.9/"]
    output = check(make_site, ", ".join(f"[{n}]({url})" for n, url in enumerate(good)))
    assert "leads to no" not in output, output


def test_a_link_to_no_page_or_no_part_names_the_line_and_the_likely_one(make_site) -> None:
    output = check(make_site, f"[a]({BASE}nl/3.0/) en [b]({BASE}nl/2.0/#recht-op-inzag)")
    lines = [line for line in output.splitlines() if "versions/2.0/nl.md" in line]
    assert f"versions/2.0/nl.md:8: warning: the link to {BASE}nl/3.0/ leads to no page of " \
           "this site: did you mean /nl/2.0/?" in lines, output
    assert f"versions/2.0/nl.md:8: warning: the link to {BASE}nl/2.0/#recht-op-inzag leads " \
           "to no part of /nl/2.0/: did you mean #recht-op-inzage?" in lines, output


def test_an_id_copied_from_another_language_says_which_section_it_means(make_site) -> None:
    output = check(make_site, "[a](#right-of-access) en [b](#introduction)")
    assert "versions/2.0/nl.md:8: note: #right-of-access is a heading of the `en` text; here " \
           "that section is #recht-op-inzage (“Recht op inzage”)" in output, output
    # the texts have the same shape in version 1.0 only: in 2.0 the Dutch lost a section
    assert "#introduction is a heading" not in output
