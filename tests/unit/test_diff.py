"""The redline engine on small hand-written pairs: what a reader of the diff sees."""
from __future__ import annotations

import pickle
import re
from typing import Mapping

import pytest

from sitegen.markdown.anchors import AnchorLedger
from sitegen.redline.diff import Redline, RightChange, SectionDiff, compare
from sitegen.redline.textdiff import Segment, word_diff
from sitegen.markdown.markup import Body, convert
from sitegen.redline.forms import to_markdown, to_text

LABELS = {"self_link": "Link: {title}", "rights_nav": "Rights"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def body(source: str, renames: Mapping[str, str] | None = None) -> Body:
    """``source`` converted; with ``renames``, the old ids are promised and land as aliases."""
    if not renames:
        return convert(source, "x.md", 1, LABELS)
    ledger = AnchorLedger(promised={old: "1" for old in renames}, renames=dict(renames))
    return convert(source, "x.md", 1, LABELS, resolver=lambda own: ledger.resolve(own, {}))


def redline(old: str, new: str, renames: Mapping[str, str] | None = None) -> Redline:
    return compare(old, body(old), new, body(new, renames))


def section(result: Redline, id_: str) -> SectionDiff:
    found = [s for s in result.sections if s.id == id_]
    assert len(found) == 1, [(s.id, s.status) for s in result.sections]
    return found[0]


def ops(segments: tuple[Segment, ...]) -> list[str]:
    return [s.op for s in segments]


def changed_blocks(s: SectionDiff) -> list:
    return [b for b in s.blocks if b.status != "equal"]


INTRO = "Wij raden u aan deze verklaring zorgvuldig te lezen."
OTHER = "Deze verklaring is niet van toepassing op websites van derden."
THIRD = "Wij kunnen deze verklaring wijzigen als wij daar aanleiding toe zien."


# --- words inside a block ------------------------------------------------------------------

def test_edited_phrase_is_one_deletion_then_one_insertion() -> None:
    old = "Hierbij houden wij ons aan de Wet bescherming persoonsgegevens."
    new = "Hierbij houden wij ons aan de Algemene Verordening Gegevensbescherming."
    assert word_diff(old, new) == (
        Segment("equal", "Hierbij houden wij ons aan de "),
        Segment("delete", "Wet bescherming persoonsgegevens"),
        Segment("insert", "Algemene Verordening Gegevensbescherming"),
        Segment("equal", "."),
    )


def test_edited_phrase_with_abbreviation_has_no_character_soup() -> None:
    """The shared "s" of persoonsgegevens/Gegevensbescherming or the "V" of Wbp/AVG never
    shows as a kept letter: changes are whole words, each run one deletion then one insertion."""
    old = "de Wet bescherming persoonsgegevens (Wbp)"
    new = "de Algemene Verordening Gegevensbescherming (AVG)"
    segments = word_diff(old, new)
    assert segments == (
        Segment("equal", "de "),
        Segment("delete", "Wet bescherming persoonsgegevens"),
        Segment("insert", "Algemene Verordening Gegevensbescherming"),
        Segment("equal", " ("),
        Segment("delete", "Wbp"),
        Segment("insert", "AVG"),
        Segment("equal", ")"),
    )


def test_edited_phrase_in_a_section_is_one_changed_block() -> None:
    old = "## Inleiding\n\nWij houden ons aan de Wet bescherming persoonsgegevens.\n"
    new = "## Inleiding\n\nWij houden ons aan de Algemene Verordening Gegevensbescherming.\n"
    s = section(redline(old, new), "inleiding")
    assert s.status == "changed" and not s.moved and not s.renamed
    [block] = s.blocks
    assert block.status == "changed"
    assert ops(block.segments) == ["equal", "delete", "insert", "equal"]
    assert block.segments[1].text == "Wet bescherming persoonsgegevens"
    assert block.segments[2].text == "Algemene Verordening Gegevensbescherming"


# --- blocks inside a section -----------------------------------------------------------------

def test_inserted_paragraph_is_one_added_block() -> None:
    old = f"## Over\n\n{INTRO}\n\n{THIRD}\n"
    new = f"## Over\n\n{INTRO}\n\n{OTHER}\n\n{THIRD}\n"
    result = redline(old, new)
    s = section(result, "over")
    assert s.status == "changed"
    assert [b.status for b in s.blocks] == ["equal", "added", "equal"]
    assert s.blocks[1].kind == "p" and s.blocks[1].segments == (Segment("insert", OTHER),)
    assert (result.words_added, result.words_removed) == (10, 0)


def test_deleted_paragraph_is_one_removed_block() -> None:
    old = f"## Over\n\n{INTRO}\n\n{OTHER}\n\n{THIRD}\n"
    new = f"## Over\n\n{INTRO}\n\n{THIRD}\n"
    result = redline(old, new)
    s = section(result, "over")
    assert [b.status for b in s.blocks] == ["equal", "removed", "equal"]
    assert s.blocks[1].segments == (Segment("delete", OTHER),)
    assert (result.words_added, result.words_removed) == (0, 10)


def test_deleted_paragraph_next_to_an_edited_paragraph_is_shown_as_deleted() -> None:
    """From "Verwerking door derden": the first paragraph goes, the second gets one word
    changed. The reader must see the first deleted and the second edited, not the first
    rewritten into the second and the second deleted."""
    first = "Connectis maakt gebruik van onderaannemers om onze dienstverlening mogelijk te maken."
    second = "Connectis maakt gebruik van de volgende categorieën onderaannemers:"
    edited = "Connectis maakt gebruik van de volgende soorten onderaannemers:"
    old = f"## Verwerking door derden\n\n{first}\n\n{second}\n"
    new = f"## Verwerking door derden\n\n{edited}\n"
    s = section(redline(old, new), "verwerking-door-derden")
    assert [b.status for b in s.blocks] == ["removed", "changed"]
    assert s.blocks[0].segments == (Segment("delete", first),)
    assert [x for x in s.blocks[1].segments if x.op != "equal"] == [
        Segment("delete", "categorieën"), Segment("insert", "soorten")]


LIST_OLD = """\
## E-mail

Wij verzamelen de volgende gegevens:

- E-mailadres
- Naam
- De persoonsgegevens die u in uw e-mail zet
"""


def test_list_item_added_is_one_added_ul_block() -> None:
    new = LIST_OLD.replace("- Naam\n", "- Naam\n- Telefoonnummer\n")
    s = section(redline(LIST_OLD, new), "e-mail")
    changed = changed_blocks(s)
    assert len(changed) == 1
    assert (changed[0].kind, changed[0].status) == ("ul", "added")
    assert changed[0].segments == (Segment("insert", "Telefoonnummer"),)
    assert [b.kind for b in s.blocks] == ["p", "ul", "ul", "ul", "ul"]


def test_list_item_removed_is_one_removed_ul_block() -> None:
    new = LIST_OLD.replace("- Naam\n", "")
    s = section(redline(LIST_OLD, new), "e-mail")
    changed = changed_blocks(s)
    assert len(changed) == 1
    assert (changed[0].kind, changed[0].status) == ("ul", "removed")
    assert changed[0].segments == (Segment("delete", "Naam"),)


# --- whitespace and spelling are not changes -------------------------------------------------

REFLOW_OLD = """\
## Beveiliging

Wij maken gebruik van strikte veiligheidsprocedures, onder meer om te voorkomen
dat onbevoegden toegang krijgen tot persoonsgegevens. Wij zijn voortdurend bezig
om de beveiliging te verbeteren.

* Hostingprovider
* CRM-systeemprovider

1. Eerst
2. Dan
"""

REFLOW_NEW = """\
## Beveiliging

Wij maken gebruik van strikte
veiligheidsprocedures, onder meer om te voorkomen dat onbevoegden toegang krijgen tot
   persoonsgegevens.   Wij zijn voortdurend bezig om de
beveiliging te verbeteren.

- Hostingprovider
- CRM-systeemprovider

1) Eerst
2) Dan
"""


def test_reflowed_paragraph_and_other_bullets_are_no_change() -> None:
    result = redline(REFLOW_OLD, REFLOW_NEW.replace("persoonsgegevens.   Wij",
                                                    "persoonsgegevens.\nWij"))
    assert result.unchanged is True
    assert result.counts["changed"] == 0 and result.words_added == result.words_removed == 0
    assert to_text(result, color=False) == "No changes.\n"


def test_doubled_space_inside_a_line_is_no_change() -> None:
    """Two spaces after a full stop render exactly like one; blocks.py promises
    "single spaces", so the redline must not flag an invisible change."""
    result = redline(REFLOW_OLD, REFLOW_NEW)
    assert result.unchanged is True, to_text(result, color=False)


def test_star_and_dash_bullets_are_no_change() -> None:
    old = "## Lijst\n\n* een\n* twee\n+ drie\n"
    new = "## Lijst\n\n- een\n- twee\n- drie\n"
    assert redline(old, new).unchanged is True


def test_identical_texts_give_no_changes() -> None:
    result = redline(LIST_OLD, LIST_OLD)
    assert result.unchanged is True
    assert result.counts == {"changed": 0, "added": 0, "removed": 0, "moved": 0, "unchanged": 1}
    assert "No changes to the text." in to_markdown(result, "1.0", "1.0", "nl")


# --- sections --------------------------------------------------------------------------------

THREE = f"""\
## Inleiding

{INTRO}

## Websites van derden

{OTHER}

## Wijzigingen

{THIRD}
"""


def test_moved_section_is_unchanged_and_moved() -> None:
    parts = THREE.split("## ")
    new = "## " + "## ".join([parts[3], parts[1], parts[2]]).rstrip("\n") + "\n"
    result = redline(THREE, new)
    assert [s.id for s in result.sections] == ["wijzigingen", "inleiding", "websites-van-derden"]
    moved = section(result, "wijzigingen")
    assert moved.status == "unchanged" and moved.moved is True and moved.old_index == 2
    assert all(s.status == "unchanged" and not s.moved for s in result.sections[1:])
    assert result.unchanged is False
    assert result.counts["moved"] == 1 and result.counts["unchanged"] == 2
    assert "## Wijzigingen   [unchanged, moved]" in to_text(result, color=False)


def test_section_renamed_by_author_id_is_renamed_not_added_and_removed() -> None:
    old = f"## Cookies {{#cookies}}\n\n{INTRO}\n"
    new = f"## Cookies {{#cookies-en-tracking}}\n\n{INTRO}\n"
    new_body = body(new, {"cookies": "cookies-en-tracking"})
    assert new_body.aliases.get("cookies") == "cookies-en-tracking"
    result = compare(old, body(old), new, new_body)
    [s] = result.sections
    assert (s.id, s.old_id, s.status, s.renamed, s.moved) == (
        "cookies-en-tracking", "cookies", "unchanged", True, False)
    assert result.counts["added"] == result.counts["removed"] == 0
    assert result.unchanged is False
    assert "renamed from #cookies" in to_text(result, color=False)


def test_heading_text_changed_with_declared_rename_is_one_changed_section() -> None:
    old = f"## Cookies\n\n{INTRO}\n"
    new = f"## Cookies en tracking\n\n{INTRO}\n"
    result = redline(old, new, {"cookies": "cookies-en-tracking"})
    [s] = result.sections
    assert (s.status, s.renamed, s.old_id, s.id) == (
        "changed", True, "cookies", "cookies-en-tracking")
    assert s.title == (Segment("equal", "Cookies"), Segment("insert", " en tracking"))
    assert [b.status for b in s.blocks] == ["equal"]


def test_heading_text_changed_under_a_fixed_id_is_a_changed_title() -> None:
    old = f"## Cookies {{#cookies}}\n\n{INTRO}\n"
    new = f"## Cookies en andere technieken {{#cookies}}\n\n{INTRO}\n"
    [s] = redline(old, new).sections
    assert (s.status, s.renamed, s.moved) == ("changed", False, False)
    assert s.title == (Segment("equal", "Cookies"), Segment("insert", " en andere technieken"))
    assert all(b.status == "equal" for b in s.blocks)


def test_right_is_matched_by_article_when_its_heading_changed() -> None:
    text = "U heeft het recht om de persoonsgegevens die wij van u hebben te laten verwijderen."
    old = f"## Uw rechten\n\n### Recht op verwijdering {{art=17}}\n\n{text}\n"
    new = f"## Uw rechten\n\n### Recht op vergetelheid {{art=17}}\n\n{text}\n"
    result = redline(old, new)
    assert [s.status for s in result.sections] == ["unchanged", "changed"]
    right = result.sections[1]
    assert (right.id, right.old_id, right.article, right.renamed) == (
        "recht-op-vergetelheid", "recht-op-verwijdering", "17", True)
    assert [x for x in right.title if x.op != "equal"] == [
        Segment("delete", "verwijdering"), Segment("insert", "vergetelheid")]
    assert result.rights == (
        RightChange("17", "Recht op vergetelheid", "recht-op-vergetelheid", "changed",
                    "s-changed-recht-op-vergetelheid"),)


def test_added_section_is_whole() -> None:
    new = THREE.replace("## Wijzigingen", f"## Cookies\n\n{OTHER}\n\n- Analytisch\n\n## Wijzigingen")
    result = redline(THREE, new)
    assert [s.id for s in result.sections] == [
        "inleiding", "websites-van-derden", "cookies", "wijzigingen"]
    s = section(result, "cookies")
    assert (s.status, s.old_id, s.old_index, s.moved, s.renamed) == ("added", "", -1, False, False)
    assert s.title == (Segment("insert", "Cookies"),)
    assert [(b.kind, b.status) for b in s.blocks] == [("p", "added"), ("ul", "added")]
    assert all(x.op == "insert" for b in s.blocks for x in b.segments)
    assert s.side("insert") == f"Cookies\n{OTHER}\nAnalytisch"
    assert result.counts["added"] == 1 and result.counts["unchanged"] == 3


def test_removed_section_is_whole_and_stays_where_it_was() -> None:
    new = THREE.replace(f"## Websites van derden\n\n{OTHER}\n\n", "")
    result = redline(THREE, new)
    assert [(s.id, s.status) for s in result.sections] == [
        ("inleiding", "unchanged"), ("websites-van-derden", "removed"),
        ("wijzigingen", "unchanged")]
    s = result.sections[1]
    assert (s.old_index, s.moved) == (1, False)
    assert s.title == (Segment("delete", "Websites van derden"),)
    assert [x.op for b in s.blocks for x in b.segments] == ["delete"]
    assert s.side("delete") == f"Websites van derden\n{OTHER}"
    assert result.words_removed == 3 + 10 and result.words_added == 0


def test_added_preamble_does_not_swallow_an_unmatched_section() -> None:
    """A new version that starts with an introduction before the first heading, and
    renames a heading: the renamed heading's old section must show as removed (or
    renamed), never as the old side of the new preamble."""
    old = f"## Doel\n\n{INTRO}\n\n## Wijzigingen\n\n{THIRD}\n"
    new = f"{OTHER}\n\n## Doel van deze verklaring\n\n{INTRO}\n\n## Wijzigingen\n\n{THIRD}\n"
    result = redline(old, new)
    preamble = section(result, "")
    assert (preamble.level, preamble.status, preamble.old_index) == (0, "added", -1)
    assert preamble.blocks[0].segments == (Segment("insert", OTHER),)
    doel = [s for s in result.sections if s.old_id == "doel"]
    assert len(doel) == 1 and doel[0].level == 2
    assert doel[0].side("delete") == f"Doel\n{INTRO}"


# --- rights, counts ----------------------------------------------------------------------------

RIGHTS_OLD = """\
## Uw rechten

Op basis van de Wbp kunt u gebruik maken van de rechten hieronder.

### Recht op inzage {art=15}

U heeft recht op inzage.

### Recht op correctie {art=16}

U heeft het recht om onjuiste gegevens te laten corrigeren.

### Recht op verwijdering {art=17}

U heeft het recht om uw gegevens te laten verwijderen.

### Recht van bezwaar {art=21}

U heeft het recht bezwaar te maken.
"""

RIGHTS_NEW = """\
## Uw rechten

Op basis van de AVG kunt u gebruik maken van de rechten hieronder.

### Recht op dataportabiliteit {art=20}

U heeft het recht om uw gegevens door te geven aan een andere organisatie.

### Recht op inzage {art=15}

U heeft recht op inzage.

### Recht op correctie {art=16}

U heeft het recht om onjuiste of onvolledige gegevens te laten corrigeren.

### Recht van bezwaar {art=21}

U heeft het recht bezwaar te maken.
"""


def test_rights_report_added_removed_changed_unchanged() -> None:
    result = redline(RIGHTS_OLD, RIGHTS_NEW)
    assert [(r.article, r.title, r.id, r.status) for r in result.rights] == [
        ("15", "Recht op inzage", "recht-op-inzage", "unchanged"),
        ("16", "Recht op correctie", "recht-op-correctie", "changed"),
        ("17", "Recht op verwijdering", "recht-op-verwijdering", "removed"),
        ("20", "Recht op dataportabiliteit", "recht-op-dataportabiliteit", "added"),
        ("21", "Recht van bezwaar", "recht-van-bezwaar", "unchanged"),
    ]
    # each links to its section on the redline page, and carries its first change
    assert [r.target for r in result.rights] == [
        "s-unchanged-recht-op-inzage", "s-changed-recht-op-correctie",
        "s-removed-recht-op-verwijdering", "s-added-recht-op-dataportabiliteit",
        "s-unchanged-recht-van-bezwaar"]
    assert [bool(r.first_change) for r in result.rights] == [False, True, True, True, False]


def test_counts_and_word_counts() -> None:
    result = redline(RIGHTS_OLD, RIGHTS_NEW)
    assert result.counts == {"changed": 2, "added": 1, "removed": 1, "moved": 0, "unchanged": 2}
    # added: AVG; Recht op dataportabiliteit + the 14 words of its text; "of onvolledige"
    assert result.words_added == 1 + 3 + 14 + 2
    # removed: Wbp; Recht op verwijdering + the 10 words of its text
    assert result.words_removed == 1 + 3 + 10
    statuses = {s.id: s.status for s in result.sections}
    assert statuses == {"uw-rechten": "changed", "recht-op-dataportabiliteit": "added",
                        "recht-op-inzage": "unchanged", "recht-op-correctie": "changed",
                        "recht-op-verwijdering": "removed", "recht-van-bezwaar": "unchanged"}


def test_unchanged_sections_are_counted_but_not_listed_in_text() -> None:
    new = THREE.replace("zorgvuldig", "aandachtig")
    result = redline(THREE, new)
    assert result.counts["unchanged"] == 2 and result.counts["changed"] == 1
    text = to_text(result, color=False)
    assert "Inleiding" in text and "Websites van derden" not in text and "Wijzigingen" not in text


# --- text and Markdown forms -------------------------------------------------------------------

def test_text_form_without_colour_uses_wdiff_marks() -> None:
    result = redline(RIGHTS_OLD, RIGHTS_NEW)
    text = to_text(result, color=False)
    assert "\x1b[" not in text
    assert "Op basis van de [-Wbp-]{+AVG+} kunt u" in text
    assert "## Uw rechten   [changed]" in text
    assert "### {+Recht op dataportabiliteit+}   [added]" in text
    assert "### [-Recht op verwijdering-]   [removed]" in text
    assert "  [-U heeft het recht om uw gegevens te laten verwijderen.-]" in text
    assert "onjuiste {+of onvolledige +}gegevens" in text
    assert "Recht op inzage" not in text


def test_text_form_with_colour_marks_without_brackets() -> None:
    text = to_text(redline(RIGHTS_OLD, RIGHTS_NEW), color=True)
    assert "\x1b[" in text and "[-" not in text and "{+" not in text
    assert "Op basis van de WbpAVG kunt u" in ANSI.sub("", text)


def test_text_form_lists_items_with_bullets() -> None:
    text = to_text(redline(LIST_OLD, LIST_OLD.replace("- Naam\n", "")), color=False)
    assert "  - [-Naam-]" in text


def test_markdown_form_has_del_ins_and_rights_table() -> None:
    result = redline(RIGHTS_OLD, RIGHTS_NEW)
    md = to_markdown(result, "3.0", "3.1", "nl")
    assert md.startswith("### Redline `nl`: version 3.0 → 3.1\n")
    assert "2 sections changed, 1 added, 1 removed, 0 moved; 20 words added, 14 removed." in md
    assert "Op basis van de <del>Wbp</del><ins>AVG</ins> kunt u" in md
    assert "| Right (GDPR article) | Change |" in md
    for row in ["| Recht op inzage (art. 15) | unchanged |",
                "| Recht op correctie (art. 16) | changed |",
                "| Recht op verwijdering (art. 17) | removed |",
                "| Recht op dataportabiliteit (art. 20) | added |"]:
        assert row in md
    assert md.index("| Right (GDPR article)") < md.index("#### Uw rechten — changed")
    assert "#### <ins>Recht op dataportabiliteit</ins> — added" in md
    assert "No changes to the text." not in md


def test_markdown_form_escapes_angle_brackets() -> None:
    old = "## Contact\n\nMail ons.\n"
    new = "## Contact\n\nMail ons via <script>.\n"
    md = to_markdown(redline(old, new), "1", "2", "nl")
    assert "<script>" not in md and "&lt;script&gt;" in md


@pytest.mark.parametrize("first, second", [(RIGHTS_OLD, RIGHTS_NEW), (THREE, REFLOW_OLD)])
def test_compare_is_deterministic(first: str, second: str) -> None:
    assert redline(first, second) == redline(first, second)


def test_a_redline_made_again_from_kept_section_diffs_is_the_same() -> None:
    """Section diffs are kept between builds, pickled: read back, at another
    place of the old version, they show exactly what they showed."""
    old = "## Inzage\n\nU mag uw gegevens zien.\n\n- een\n- twee\n\n## Wissen\n\nU mag wissen.\n"
    new = ("## Wissen\n\nU mag alles wissen.\n\n"
           "## Inzage\n\nU mag uw gegevens altijd zien.\n\n- een\n")
    result = redline(old, new)
    for diff in result.sections:
        again = pickle.loads(pickle.dumps(diff))
        assert again == diff and hash(again) == hash(diff)
        assert (again.words, again.old_index, again.moved, again.heading, again.side("delete")) \
            == (diff.words, diff.old_index, diff.moved, diff.heading, diff.side("delete"))
        assert type(again.title[0]) is Segment
        assert again.blocks[0].segments == diff.blocks[0].segments
        moved = again.placed(5, moved=not again.moved)
        assert (moved.old_index, moved.moved, moved.words) == (5, not diff.moved, diff.words)
    assert "changed" in {s.status for s in result.sections}
    assert any(s.moved for s in result.sections)


def test_a_section_that_occurs_twice_word_for_word_is_compared_twice() -> None:
    """Two sections with the same source text are two sections: an edit of the
    second shows on the second, and neither is lost."""
    twice = f"## Contact\n\n{INTRO}\n\n## Contact\n\n{INTRO}\n"
    edited = f"## Contact\n\n{INTRO}\n\n## Contact\n\n{INTRO} {OTHER}\n"
    result = redline(twice, edited)
    assert [(s.id, s.status) for s in result.sections] == [
        ("contact", "unchanged"), ("contact-2", "changed")]
    assert result.sections[1].side("insert") == f"Contact\n{INTRO} {OTHER}"
    assert [s.side("delete") for s in redline(twice, twice).sections] == [f"Contact\n{INTRO}"] * 2


def test_each_section_is_found_again_from_where_its_part_lies_in_the_source() -> None:
    """A kept named section is parsed anew from its part of the source alone."""
    from sitegen.redline.blocks import parse_sections
    from sitegen.redline.diff import parsed_sections
    source = (f"{INTRO}\n\n## Contact\n\n{OTHER}\n\n```\n# not a heading\n```\n\n"
              f"## Contact\n\n{OTHER}\n\n### Recht op inzage {{art=15}}\n\n- een\n- twee\n")
    found = parsed_sections(source)
    assert len(found) == 4 and [s for s, _, _ in found.values()] == parse_sections(source)
    for name, (section, start, end) in found.items():
        index = int(name.rpartition(".")[2].rstrip("+"))
        assert parse_sections(source[start:end])[index] == section
