"""Redlines of pipe tables: read as tables, compared row by row and cell by cell."""
from __future__ import annotations

from html.parser import HTMLParser

from sitegen.markdown.markup import convert
from sitegen.redline import forms
from sitegen.redline.blocks import Block, parse_blocks
from sitegen.redline.diff import Redline, compare
from sitegen.redline.tables import Row, rows, table_diff
from sitegen.redline.textdiff import BlockDiff, Segment, block_diff
from sitegen.words import words

LABELS = {"self_link": "Link: {title}", "rights_nav": "Rights"}
OLD = """\
| Cookie | Doel | Bewaartermijn |
|:-------|:----:|--------------:|
| _ga | Analyse van gebruik | 2 jaar |
| sessie | inloggen | sessie |
| voorkeur | taal \\| land | 1 jaar |
"""


def table(source: str) -> Block:
    (block,) = parse_blocks(source)
    assert block.kind == "table", block
    return block


def diff(old: str, new: str) -> tuple[BlockDiff, ...]:
    return table_diff(table(old).text, table(new).text)


def side(segments: tuple[Segment, ...], op: str) -> str:
    return "".join(s.text for s in segments if s.op in ("equal", op))


def cell_texts(row: Row, op: str) -> list[str]:
    return [side(cell, op) for cell in row.cells]


def changes(row: Row) -> list[Segment]:
    return [s for cell in row.cells for s in cell if s.op != "equal"]


# --- reading a table ---------------------------------------------------------------------------

def test_a_table_is_its_rows_of_cells_without_the_delimiter_row() -> None:
    assert table(OLD).text == ("Cookie\tDoel\tBewaartermijn\n_ga\tAnalyse van gebruik\t2 jaar\n"
                               "sessie\tinloggen\tsessie\nvoorkeur\ttaal | land\t1 jaar")


def test_pipes_at_the_ends_are_optional_and_spaces_around_cells_do_not_count() -> None:
    loose = "Cookie|Doel   |  Bewaartermijn\n---|---|---\n_ga |  Analyse   van gebruik|2 jaar"
    assert table(loose).text == "Cookie\tDoel\tBewaartermijn\n_ga\tAnalyse van gebruik\t2 jaar"


def test_an_escaped_pipe_is_in_its_cell_and_an_escaped_backslash_is_not_one() -> None:
    assert table("| a \\| b | c |\n|---|---|\n| d \\\\| e |").text == "a | b\tc\nd \\\\\te"


def test_rows_are_cut_or_padded_to_the_columns_of_the_header() -> None:
    assert table("| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |").text == "a\tb\n1\t\n1\t2"


def test_a_delimiter_row_that_reads_as_a_list_item_still_makes_a_table() -> None:
    assert table("a | b\n- | -\nc | d").text == "a\tb\nc\td"


def test_what_is_not_a_table_stays_a_paragraph() -> None:
    for source in ("a | b\n|---|---|---|",          # not as many delimiter cells
                   "a \\| b\n|---|",                # no pipe in the header
                   "Titel\n---",                    # no pipe in the delimiter row
                   "a | b\n| x | y |",              # no delimiter row
                   "Tekst\n| a | b |\n|---|---|"):  # a table starts a block
        assert [b.kind for b in parse_blocks(source)] == ["p"], source


def test_a_table_ends_where_another_block_starts() -> None:
    kinds = [b.kind for b in parse_blocks("| a |\n|---|\n| b |\n- punt\n\nTekst")]
    assert kinds == ["table", "ul", "p"]


def test_alignment_and_spelling_of_the_delimiter_row_are_no_change() -> None:
    respelled = OLD.replace("|:-------|:----:|--------------:|", "|---|:-:|--:|") \
        .replace("| _ga | Analyse van gebruik |", "|_ga|Analyse  van gebruik|")
    assert table(respelled) == table(OLD)
    assert redline("## Cookies\n\n" + OLD, "## Cookies\n\n" + respelled).unchanged


# --- comparing two tables ----------------------------------------------------------------------

def test_a_changed_cell_marks_only_its_words() -> None:
    (result,) = diff(OLD, OLD.replace("| 2 jaar |", "| 13 maanden |"))
    assert (result.kind, result.status) == ("table", "changed")
    found = rows(result)
    assert [row.status for row in found] == ["equal", "changed", "equal", "equal"]
    assert found[1].cells[:2] == ((Segment("equal", "_ga"),),
                                  (Segment("equal", "Analyse van gebruik"),))
    assert found[1].cells[2] == (Segment("delete", "2 jaar"), Segment("insert", "13 maanden"))


def test_one_word_of_a_cell_is_the_only_change() -> None:
    (result,) = diff(OLD, OLD.replace("Analyse van gebruik", "Analyse van het gebruik"))
    assert changes(rows(result)[1]) == [Segment("insert", "het ")]


def test_an_added_row_is_marked_whole() -> None:
    new = OLD + "| _gid | Analyse | 1 dag |\n"
    (result,) = diff(OLD, new)
    found = rows(result)
    assert [row.status for row in found] == ["equal"] * 4 + ["added"]
    assert found[-1].cells == ((Segment("insert", "_gid"),), (Segment("insert", "Analyse"),),
                               (Segment("insert", "1 dag"),))


def test_a_removed_row_is_marked_whole() -> None:
    (result,) = diff(OLD, OLD.replace("| sessie | inloggen | sessie |\n", ""))
    found = rows(result)
    assert [row.status for row in found] == ["equal", "equal", "removed", "equal"]
    assert cell_texts(found[2], "delete") == ["sessie", "inloggen", "sessie"]
    assert all(s.op == "delete" for s in changes(found[2]))


def test_a_row_edited_and_moved_rows_are_matched_in_order() -> None:
    new = OLD.replace("| sessie | inloggen | sessie |", "| sessie | inloggen op de site | sessie |")
    new += "| nieuw | iets | 1 dag |\n"
    found = rows(diff(OLD, new)[0])
    assert [row.status for row in found] == ["equal", "equal", "changed", "equal", "added"]


def test_other_columns_show_the_old_table_then_the_new() -> None:
    fewer = "| Cookie | Doel |\n|---|---|\n| _ga | Analyse van gebruik |\n"
    renamed = OLD.replace("| Cookie | Doel | Bewaartermijn |", "| Naam | Functie | Duur |")
    for new in (fewer, renamed):
        removed, added = diff(OLD, new)
        assert (removed.status, removed.segments) == ("removed",
                                                      (Segment("delete", table(OLD).text),))
        assert (added.status, added.segments) == ("added", (Segment("insert", table(new).text),))
        assert {row.status for row in rows(removed)} == {"removed"}
        assert {row.status for row in rows(added)} == {"added"}


def test_a_small_edit_of_the_header_keeps_the_table() -> None:
    new = OLD.replace("| Bewaartermijn |", "| Bewaartermijn (maximaal) |")
    (result,) = diff(OLD, new)
    header = rows(result)[0]
    assert (header.status, changes(header)) == ("changed", [Segment("insert", " (maximaal)")])


def test_an_escaped_pipe_is_compared_as_a_character_of_its_cell() -> None:
    (result,) = diff(OLD, OLD.replace("taal \\| land", "taal \\| regio"))
    found = rows(result)
    assert cell_texts(found[3], "delete")[1] == "taal | land"
    assert cell_texts(found[3], "insert")[1] == "taal | regio"


def test_both_sides_read_back_exactly() -> None:
    new = OLD.replace("| 2 jaar |", "| 13 maanden |").replace("| sessie | inloggen | sessie |\n",
                                                              "") + "| x | y \\| z | |\n"
    for old_text, new_text in ((OLD, new), (new, OLD), (OLD, "| a |\n|---|\n| b |")):
        old_block, new_block = table(old_text), table(new_text)
        blocks = block_diff([old_block], [new_block])
        assert "".join(side(b.segments, "delete") for b in blocks if b.status != "added") \
            == old_block.text
        assert "".join(side(b.segments, "insert") for b in blocks if b.status != "removed") \
            == new_block.text
        for op, source in (("delete", old_block), ("insert", new_block)):
            shown = [row for b in blocks for row in rows(b)
                     if row.status != ("added" if op == "delete" else "removed")]
            assert "\n".join("\t".join(cell_texts(row, op)) for row in shown) == source.text


def test_a_table_of_one_empty_column_keeps_both_sides() -> None:
    """``|`` over ``|-|`` is a table with an empty header: its text is empty."""
    for old, new in (("|\n|-|", "|\n|-|\n| x |"), ("| - |\n|-|", "|\n|-|")):
        assert_reads_back(redline(old, new), old, new)


# --- in a redline, and in its forms ------------------------------------------------------------

def redline(old: str, new: str) -> Redline:
    return compare(old, convert(old, "old.md", 1, LABELS), new, convert(new, "new.md", 1, LABELS))


def assert_reads_back(result: Redline, old: str, new: str) -> None:
    (section,) = result.sections
    assert section.side("delete") == table(old).text
    assert section.side("insert") == table(new).text


def sample() -> Redline:
    new = OLD.replace("| 2 jaar |", "| 13 maanden |").replace("| sessie | inloggen | sessie |\n",
                                                              "") + "| keuze | toestemming | 1 jaar |\n"
    return redline("## Cookies\n\n" + OLD, "## Cookies\n\n" + new)


def test_words_added_and_removed_count_the_words_of_cells_and_rows() -> None:
    result = sample()
    assert (result.words_added, result.words_removed) == (2 + 4, 2 + 3)
    counts = [len(words(s.side(op))) for s in result.sections for op in ("delete", "insert")]
    assert counts[0] - result.words_removed == counts[1] - result.words_added


class Cells(HTMLParser):
    """The rows of the tables of an HTML fragment: (class, [(cell tag, tags inside, text)])."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[tuple[str, list[tuple[str, set[str], str]]]] = []
        self.cell: tuple[str, set[str], list[str]] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append((dict(attrs).get("class") or "", []))
        elif tag in ("td", "th"):
            self.cell = (tag, set(), [])
        elif self.cell:
            self.cell[1].add(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell:
            self.rows[-1][1].append((self.cell[0], self.cell[1], "".join(self.cell[2])))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell:
            self.cell[2].append(data)


def test_the_html_is_a_table_with_marked_cells_and_classed_rows() -> None:
    _, html = forms.section_html(sample().sections[0], lambda key, **_: key)
    assert html.count('<div class="table-scroll" tabindex="0"><table') == 1
    found = Cells(html).rows
    assert [css for css, _ in found] == ["", "", "row-removed", "", "row-added"]
    assert [tag for tag, _, _ in found[0][1]] == ["th"] * 3
    tag, inside, text = found[1][1][2]
    assert (tag, inside) == ("td", {"del", "ins", "span"})
    assert text == "[del_label 2 jaar][ins_label 13 maanden]"
    assert found[1][1][0] == ("td", set(), "_ga")
    assert all(inside == {"del", "span"} for _, inside, _ in found[2][1])
    assert found[3][1][1] == ("td", set(), "taal | land")


def test_the_text_form_shows_rows_of_cells() -> None:
    assert forms.to_text(sample(), color=False) == (
        "## Cookies   [changed]\n"
        "  Cookie | Doel | Bewaartermijn\n"
        "    _ga | Analyse van gebruik | [-2 jaar-]{+13 maanden+}\n"
        "    [-sessie | inloggen | sessie-]\n"
        "    voorkeur | taal \\| land | 1 jaar\n"
        "    {+keuze | toestemming | 1 jaar+}\n")


def test_the_markdown_form_is_a_pipe_table_with_inert_cells() -> None:
    text = forms.to_markdown(sample(), "1.0", "2.0", "nl")
    assert ("| Cookie | Doel | Bewaartermijn |\n"
            "|---|---|---|\n"
            "| \\_ga | Analyse van gebruik | <del>2 jaar</del><ins>13 maanden</ins> |\n"
            "| <del>sessie</del> | <del>inloggen</del> | <del>sessie</del> |\n"
            "| voorkeur | taal \\| land | 1 jaar |\n"
            "| <ins>keuze</ins> | <ins>toestemming</ins> | <ins>1 jaar</ins> |\n") in text
    assert "6 words added, 5 removed." in text


def test_a_table_in_an_added_section_is_added_whole() -> None:
    result = redline("## Intro\n\nTekst.\n", "## Intro\n\nTekst.\n\n## Cookies\n\n" + OLD)
    (block,) = result.sections[1].blocks
    assert (block.kind, block.status) == ("table", "added")
    assert {row.status for row in rows(block)} == {"added"}
    assert "{+Cookie | Doel | Bewaartermijn\n    _ga |" in forms.to_text(result, color=False)
