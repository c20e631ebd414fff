"""The pure core of ``sitegen import git``, without git: effective dates read in
their language, what a version is, how versions are numbered, what becomes of
a text (title, front matter, date line, HTML and kramdown), and translations
that lag or do not exist yet."""
from __future__ import annotations

import datetime as dt

import pytest

from sitegen.errors import SitegenError
from sitegen.importer.effective import find_date_line, line_date, parse_date
from sitegen.importer.history import Change, Dated, group, number, versions
from sitegen.importer.shaping import shape

D = dt.date


@pytest.mark.parametrize(("lang", "line", "date"), [
    ("en", "Effective May 4, 2026", D(2026, 5, 4)),
    ("en", "*Effective date: April 2, 2024*", D(2024, 4, 2)),
    ("en", "Last updated: 3 Jan. 2020", D(2020, 1, 3)),
    ("en", "**Last updated:** September 1st, 2021", D(2021, 9, 1)),
    ("en", "Last updated 5/4/2026", D(2026, 5, 4)),                 # month first in en
    ("en", "Effective as of 2018-05-25.", D(2018, 5, 25)),
    ("en", 'Updated <time datetime="2018-05-25">25 May</time>', D(2018, 5, 25)),
    ("nl", "Datum: 25 mei 2018", D(2018, 5, 25)),
    ("nl", "_Laatst bijgewerkt op 3 mrt. 2021_", D(2021, 3, 3)),
    ("nl", "Geldig vanaf 1 januari 2020", D(2020, 1, 1)),
    ("de", "Gültig ab 1. März 2020", D(2020, 3, 1)),
    ("de", "Stand: 25.05.2018", D(2018, 5, 25)),
    ("de", "Zuletzt aktualisiert am 12. Dez. 2022", D(2022, 12, 12)),
    ("fr", "Date d'effet : 1er mars 2020", D(2020, 3, 1)),
    ("fr", "Dernière mise à jour : 12 sept. 2021", D(2021, 9, 12)),
    ("fr", "En vigueur le 04/05/2026", D(2026, 5, 4)),               # day first in fr
    ("es", "Fecha de vigencia: 4 de mayo de 2026", D(2026, 5, 4)),
])
def test_a_date_line_is_read_in_its_language(lang: str, line: str, date: D) -> None:
    assert line_date(line, lang) == date


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "We keep your data for 2 years."),               # no date
    ("en", "Effective immediately."),                       # a label, no date
    ("en", "We were founded on May 4, 2001 in Utrecht."),   # a date, no label
    ("nl", "Datum: 25 May 2018"),                           # an English month in Dutch
    ("en", "Updated " + "very " * 40 + "on May 4, 2026"),   # a paragraph, not a line
    ("en", "Effective February 30, 2024"),                  # no such day
])
def test_other_lines_are_no_date_lines(lang: str, line: str) -> None:
    assert line_date(line, lang) is None


def test_the_first_date_line_counts_and_an_unknown_language_reads_english() -> None:
    found = find_date_line(["# T", "", "Effective May 4, 2026", "Updated June 1, 2026"], "en")
    assert (found.index, found.date) == (2, D(2026, 5, 4))
    assert parse_date("May 4, 2026", "xx-unknown") == D(2026, 5, 4)


def change(sha: str, position: int, date: D, text: str | None, path: str = "p.md") -> Change:
    return Change(sha * 7, position, date, path, text)


def dated(sha: str, position: int, date: D) -> Dated:
    item = change(sha, position, date, "x")
    return Dated(item, shape("x", "en", item.origin, False), date)


def test_by_effective_date_a_change_that_states_no_later_date_fixes_its_version() -> None:
    items = [dated("a", 0, D(2024, 1, 1)), dated("b", 1, D(2024, 1, 1)),
             dated("c", 2, D(2024, 3, 1)), dated("d", 3, D(2023, 12, 1))]
    notes: list = []
    groups = group(items, True, notes)
    assert [[i.change.sha[0] for i in g] for g in groups] == [["a", "b"], ["c", "d"]]
    assert [n.message[:45] for n in notes] == ["states 2023-12-01, not after 2024-03-01 of th"]
    assert [len(g) for g in group(items, False, [])] == [1, 1, 1, 1]


def test_numbering() -> None:
    dates = [D(2024, 1, 1), D(2026, 5, 4), D(2026, 5, 4), D(2026, 12, 31)]
    assert number(dates, "major") == ["1.0", "2.0", "3.0", "4.0"]
    assert number(dates, "date") == ["2024.1.1", "2026.5.4.1", "2026.5.4.2", "2026.12.31"]
    with pytest.raises(SitegenError, match="`minor` is no numbering"):
        number(dates, "minor")


def test_the_title_heading_and_the_date_line_are_taken_out() -> None:
    text = "# Privacy\n\nEffective May 4, 2026\n\n## Intro\n\nWe are Example.\n"
    kept = shape(text, "en", "abc1234:p.md", use_date=True)
    assert (kept.title, kept.body, kept.date_line.date) == (
        "Privacy", "## Intro\n\nWe are Example.", D(2026, 5, 4))
    assert [str(n) for n in kept.notes] == [
        "abc1234:p.md:3: note: the line `Effective May 4, 2026` left out: sitegen shows the date"]
    verbatim = shape(text, "en", "abc1234:p.md", use_date=False)
    assert verbatim.body == "Effective May 4, 2026\n\n## Intro\n\nWe are Example."
    assert verbatim.notes == ()


def test_a_setext_title_and_front_matter() -> None:
    setext = shape("Privacy {#top}\n=======\n\nText.\n", "en", "o", False)
    assert (setext.title, setext.body) == ("Privacy", "Text.")
    front = shape("---\nlayout: page\ntitle: 'Privacy | Acme'\n---\n\n## Intro\n\nText.\n",
                  "en", "o", False)
    assert (front.title, front.body) == ("Privacy | Acme", "## Intro\n\nText.")
    assert [n.message for n in front.notes] == [
        "front matter (lines 1-4, with layout, title) left out; the title taken from it"]
    heading_wins = shape("---\ntitle: Old\n---\n# New\n\nText.\n", "en", "o", False)
    assert heading_wins.title == "New"


def test_an_effective_date_in_front_matter_counts_where_the_text_states_none() -> None:
    """Jekyll and Hugo keep the date in front matter (last_updated, lastmod, date);
    a date line in the text says more, and wins."""
    front = "---\ntitle: Privacy\nlast_updated: 2024-02-01T09:00:00Z\n---\n\n## Intro\n"
    shaped = shape(front, "en", "o", True)
    assert shaped.date_line is not None and shaped.date_line.date == D(2024, 2, 1)
    assert shaped.body == "## Intro"
    assert "the effective date taken from the front matter (`last_updated: " \
        "2024-02-01T09:00:00Z`): the text states none" in [n.message for n in shaped.notes]
    stated = shape(front + "\nEffective date: March 3, 2025\n", "en", "o", True)
    assert stated.date_line.date == D(2025, 3, 3)
    assert shape(front, "en", "o", False).date_line is None          # only by effective date
    assert shape("---\ndate: soon\n---\n\nText.\n", "en", "o", True).date_line is None


def test_a_first_heading_below_level_one_is_no_title() -> None:
    kept = shape("## Intro\n\nText.\n", "en", "o", False)
    assert (kept.title, kept.body) == (None, "## Intro\n\nText.")
    assert "no title" in kept.notes[0].message


def test_code_is_left_verbatim() -> None:
    text = "# T\n\n```html\n# not a title\n<div>kept</div>\n```\n\nUse `<b>x</b>` here.\n"
    kept = shape(text, "en", "o", False)
    assert kept.body == text.split("\n\n", 1)[1].strip("\n") and kept.notes == ()


def test_html_and_kramdown_are_converted_with_a_note_each() -> None:
    text = """\
# T

<a name="intro"></a>
## Intro
{: .lead}

Some <b>bold</b> and <em>more</em>.<br>
Next line.

<div class="box">
<p>A <a href="https://example.org">link</a>.</p>

<p>Second.</p>
</div>

<!-- an editor's remark -->

* TOC
{:toc}

## Rights
{: #rights}

Text.
"""
    kept = shape(text, "en", "abc1234:p.md", False)
    assert kept.body == """\
## Intro {#intro .lead}

Some **bold** and *more*.  
Next line.

A [link](https://example.org).

Second.

## Rights {#rights}

Text."""
    assert [(n.line, n.message) for n in kept.notes] == [
        (4, "`<a name=\"intro\">` made the heading's id"),
        (5, "kramdown's `{: .lead}` moved onto the heading before it"),
        (7, "inline HTML converted to Markdown"),
        (10, "HTML (lines 10-14) converted to Markdown"),
        (16, "HTML comment (line 16) left out"),
        (19, "kramdown's `{:toc}` list left out: sitegen makes the contents list itself"),
        (22, "kramdown's `{: #rights}` moved onto the heading before it")]


def test_what_has_no_markdown_form_is_left_with_a_note() -> None:
    text = ("A <span class='x'>span</span>.\n{% include x.html %}\n"
            "[Contact](/contact/) [ok](https://e.org) [also](#intro) [file](assets/a.pdf)\n"
            "- ## Heading in a list\n")
    kept = shape(text, "en", "o", False)
    assert kept.body == text.strip("\n")
    assert [(n.line, n.message.split(" left as is")[0]) for n in kept.notes][1:] == [
        (1, "HTML `<span class='x'>`"), (2, "template code `{% include x.html %}`"),
        (3, "the relative link `/contact/`"), (4, "a heading in a list or quote")]


EN = {1: "# P\n\nEffective January 1, 2024\n\nOne.\n",
      2: "# P\n\nEffective March 1, 2024\n\nTwo.\n",
      3: "# P\n\nEffective May 1, 2024\n\nThree.\n"}
NL = {1: "# V\n\nDatum: 1 januari 2024\n\nEen.\n", 3: "# V\n\nDatum: 2 mei 2024\n\nDrie.\n"}


def history(nl: list[Change]) -> dict[str, list[Change]]:
    return {"en": [change("1", 0, D(2024, 1, 2), EN[1]), change("2", 2, D(2024, 3, 2), EN[2]),
                   change("3", 5, D(2024, 5, 2), EN[3])], "nl": nl}


def test_a_translation_that_did_not_change_with_the_primary_text_is_left_out() -> None:
    imported = versions(history([change("a", 0, D(2024, 1, 2), NL[1], "nl.md"),
                                 change("b", 3, D(2024, 3, 9), NL[1], "moved/nl.md"),
                                 change("c", 6, D(2024, 5, 9), NL[3], "moved/nl.md")]))
    assert [(t.version, t.lang, t.body.split()[-1]) for t in imported.texts] == [
        ("1.0", "en", "One."), ("2.0", "en", "Two."), ("3.0", "en", "Three."),
        ("1.0", "nl", "Een."), ("3.0", "nl", "Drie.")]
    assert [str(n) for n in imported.notes] == [(
        "aaaaaaa:nl.md: note: `nl` left out of version 2.0: its text is still that of version "
        "1.0, last changed in aaaaaaa, and did not follow the change of the primary text in "
        "2222222; add versions/2.0/nl.md when it is translated")]


def test_by_effective_date_the_dates_come_from_the_texts() -> None:
    imported = versions(history([change("a", 1, D(2024, 1, 2), NL[1]),
                                 change("c", 4, D(2024, 3, 9), NL[3])]), True)
    assert [(t.version, t.lang, t.date) for t in imported.texts] == [
        ("1.0", "en", D(2024, 1, 1)), ("2.0", "en", D(2024, 3, 1)), ("3.0", "en", D(2024, 5, 1)),
        ("1.0", "nl", D(2024, 1, 1)), ("2.0", "nl", D(2024, 3, 1))]
    said = [n.message for n in imported.notes]
    assert "states the effective date 2024-05-02, where its version is dated 2024-03-01: the " \
        "version's date is used" in said
    assert "`nl` left out of version 3.0" in " ".join(said)


def test_a_text_with_no_date_falls_back_to_its_commit_date() -> None:
    imported = versions({"en": [change("1", 0, D(2024, 1, 2), "# P\n\nOne.\n")]}, True)
    assert imported.texts[0].date == D(2024, 1, 2)
    assert imported.notes[0].message == ("the text states no effective date: dated by its "
                                         "commit date, 2024-01-02")


def test_a_translation_that_did_not_exist_yet_is_absent_with_one_note() -> None:
    imported = versions(history([change("c", 6, D(2024, 5, 9), NL[3], "nl.md")]))
    assert [(t.version, t.lang) for t in imported.texts if t.lang == "nl"] == [("3.0", "nl")]
    assert [str(n) for n in imported.notes] == [
        "nl.md: note: `nl` has no text in versions 1.0, 2.0: its file did not exist then"]


def test_a_move_alone_and_a_deletion_are_no_versions() -> None:
    imported = versions({"en": [change("1", 0, D(2024, 1, 2), EN[1]),
                                change("2", 1, D(2024, 2, 2), EN[1], "new/p.md"),
                                change("3", 2, D(2024, 3, 2), None, "new/p.md"),
                                change("4", 3, D(2024, 4, 2), EN[2], "new/p.md")]})
    assert [(t.version, t.origin) for t in imported.texts] == [
        ("1.0", "1111111:p.md"), ("2.0", "4444444:new/p.md")]
    assert [n.message for n in imported.notes] == [
        "moved from p.md without a change to its text: not a version"]
