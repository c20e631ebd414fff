"""Properties of the redline on random edits of the real statements.

Whatever the edit, the old side of a redline must read back as the old text and
the new side as the new text (as ``sitegen.redline.blocks`` normalises them), and the
word diff must be lossless, shaped as "one deletion then one insertion" per
run of changes, and deterministic.
"""
from __future__ import annotations

import difflib
import re
import textwrap
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.redline.blocks import CELL, ROW, Block, parse_sections
from sitegen.redline.diff import Redline, compare
from diff_match_patch import diff_match_patch

from markupsafe import Markup, escape

from sitegen.redline import forms as present
from sitegen.redline import textdiff
from sitegen.redline.tables import rows
from sitegen.redline.textdiff import word_diff
from sitegen.words import words as words_of
from sitegen.markdown.markup import convert
from tests.conftest import REPO

LABELS = {"self_link": "Link: {title}", "rights_nav": "Rights"}
HEADING = re.compile(r"^(#{1,6}) (.*?)((?: \{[^{}]*\})?)$")
BULLET = re.compile(r"^([-*+] |[0-9]+[.)] )(.*)$")
SETTINGS = settings(max_examples=60, deadline=None)


def statement_body(path: str) -> str:
    """The Markdown after the front matter (the body starts after the second ``---``)."""
    lines = (REPO / path).read_text("utf-8").split("\n")
    second = [i for i, line in enumerate(lines) if line == "---"][1]
    return "\n".join(lines[second + 1:])


BODIES = {lang: statement_body(f"versions/3.1/{lang}.md") for lang in ("nl", "en")}
TRICKY = ["*nadruk*", "`code`", "<https://example.org/>", "[link](https://example.org/a)",
          "&", "<b>", "(AVG)", "é", "—", "art.", "100%", "e-mail", "don't", "x_y"]
VOCAB = sorted({w for text in BODIES.values() for w in text.split()
                if not w.startswith(("#", "{", "-", "*", "+", ">", "`", "=")) and
                not re.match(r"^[0-9]+[.)]$", w)}) + TRICKY


# --- a statement as editable sections ----------------------------------------------------------

@dataclass
class Sec:
    heading: str | None             # the Markdown heading line; None for a preamble
    blocks: list[list[str]]         # a paragraph is one line list; a list is its item lines


def split(text: str) -> list[Sec]:
    sections: list[Sec] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = chunk.split("\n")
        if HEADING.match(lines[0]):
            sections.append(Sec(lines[0], []))
            lines = lines[1:]
        if lines:
            if not sections:
                sections.append(Sec(None, []))
            sections[-1].blocks.append(lines)
    return sections


def join(sections: list[Sec]) -> str:
    parts = []
    for sec in sections:
        if sec.heading is not None:
            parts.append(sec.heading)
        parts.extend("\n".join(block) for block in sec.blocks)
    return "\n\n".join(parts) + "\n"


def pick(items: list, n: int):
    return items[n % len(items)] if items else None


def edit_words(words: list[str], op: str, at: int, word: str) -> list[str]:
    words = list(words)
    i = at % (len(words) + (op == "insert"))
    if op == "insert":
        words.insert(i, word)
    elif op == "replace":
        words[i] = word
    elif len(words) > 1:
        del words[i]
    return words


def edit_line(line: str, op: str, at: int, word: str) -> str:
    bullet = BULLET.match(line)
    prefix, rest = (bullet.group(1), bullet.group(2)) if bullet else ("", line)
    return prefix + " ".join(edit_words(rest.split(), op, at, word))


def apply(sections: list[Sec], edit: tuple) -> None:
    """One random edit, in place. Indices are taken modulo what exists."""
    kind, a, b, c, word = edit
    sec = pick(sections, a)
    if kind in ("delete", "insert", "replace"):
        lines = [(block, i) for block in sec.blocks for i in range(len(block))]
        if lines:
            block, i = pick(lines, b)
            block[i] = edit_line(block[i], kind, c, word)
    elif kind == "heading":
        if sec.heading is not None:
            hashes, title, attrs = HEADING.match(sec.heading).groups()
            op = ("insert", "replace", "delete")[c % 3]
            sec.heading = f"{hashes} {' '.join(edit_words(title.split(), op, b, word))}{attrs}"
    elif kind in ("drop block", "duplicate block", "swap blocks") and sec.blocks:
        i, j = b % len(sec.blocks), c % len(sec.blocks)
        if kind == "drop block":
            del sec.blocks[i]
        elif kind == "duplicate block":
            sec.blocks.insert(j, list(sec.blocks[i]))
        else:
            sec.blocks[i], sec.blocks[j] = sec.blocks[j], sec.blocks[i]
    elif kind in ("drop item", "duplicate item", "swap items"):
        lists = [block for block in sec.blocks if BULLET.match(block[0])]
        items = pick(lists, b)
        if items:
            i, j = b % len(items), c % len(items)
            if kind == "drop item" and len(items) > 1:
                del items[i]
            elif kind == "duplicate item":
                items.insert(j, items[i])
            elif kind == "swap items":
                items[i], items[j] = items[j], items[i]
    elif kind == "insert paragraph":
        words = [pick(VOCAB, b * 7 + k * 13) for k in range(1 + c % 12)]
        sec.blocks.insert(b % (len(sec.blocks) + 1), [" ".join(words)])
    elif kind == "move section":
        moved = sections.pop(a % len(sections))
        sections.insert(b % (len(sections) + 1), moved)


KINDS = ["delete", "insert", "replace", "heading", "drop block", "duplicate block",
         "swap blocks", "drop item", "duplicate item", "swap items", "insert paragraph",
         "move section"]
index = st.integers(min_value=0, max_value=10_000)
edits = st.tuples(st.sampled_from(KINDS), index, index, index, st.sampled_from(VOCAB))


def edited(lang: str, changes: list[tuple], preamble: str = "") -> str:
    sections = split(BODIES[lang])
    for change in changes:
        apply(sections, change)
    text = join(sections)
    return f"{preamble}\n\n{text}" if preamble else text


# --- reading a redline back --------------------------------------------------------------------

def normalised(text: str) -> list[str]:
    """Each section as ``sitegen.redline.blocks`` reads it: title line (not for a preamble), blocks."""
    return ["\n".join(([s.title] if s.level else []) + [b.text for b in s.blocks])
            for s in parse_sections(text)]


def redline(old: str, new: str) -> Redline:
    return compare(old, convert(old, "old.md", 1, LABELS), new, convert(new, "new.md", 1, LABELS))


def assert_reads_back(old: str, new: str) -> None:
    result = redline(old, new)
    kept = [s for s in result.sections if s.status != "added"]
    assert sorted(s.old_index for s in kept) == list(range(len(kept)))
    assert all(s.old_index == -1 and s.side("delete") == "" for s in result.sections
               if s.status == "added")
    assert all(s.side("insert") == "" for s in result.sections if s.status == "removed")
    for s in result.sections:
        segments = s.title + tuple(x for b in s.blocks for x in b.segments)
        if s.status in ("added", "removed"):        # whole: every segment one op
            assert {x.op for x in segments} <= {"insert" if s.status == "added" else "delete"}
        elif s.status == "unchanged":
            assert {x.op for x in segments} <= {"equal"}
    old_side = [s.side("delete") for s in sorted(kept, key=lambda s: s.old_index)]
    assert old_side == normalised(old)
    new_side = [s.side("insert") for s in result.sections if s.status != "removed"]
    assert new_side == normalised(new)


def test_the_real_pair_reads_back() -> None:
    for lang in ("nl", "en"):
        assert_reads_back(statement_body(f"versions/3.0/{lang}.md"), BODIES[lang])


@SETTINGS
@given(lang=st.sampled_from(["nl", "en"]), before=st.lists(edits, max_size=3),
       after=st.lists(edits, min_size=1, max_size=6))
def test_old_and_new_sides_read_back_after_random_edits(lang: str, before: list[tuple],
                                                        after: list[tuple]) -> None:
    assert_reads_back(edited(lang, before), edited(lang, before + after))


@SETTINGS
@given(lang=st.sampled_from(["nl", "en"]), source=index, target=index)
def test_moving_one_section_flags_it_and_nothing_else(lang: str, source: int,
                                                      target: int) -> None:
    sections = split(BODIES[lang])
    i, j = source % len(sections), target % len(sections)
    moved = sections.pop(i)
    sections.insert(j, moved)
    result = redline(BODIES[lang], join(sections))
    assert all(s.status == "unchanged" for s in result.sections)
    flagged = [s.old_index for s in result.sections if s.moved]
    if i == j:
        assert flagged == [] and result.unchanged
    elif abs(i - j) == 1:
        assert flagged in ([i], [j])          # two neighbours swapped: either one moved
    else:
        assert flagged == [i]
    assert result.counts["moved"] == len(flagged)


@SETTINGS
@given(lang=st.sampled_from(["nl", "en"]), changes=st.lists(edits, max_size=6),
       words=st.lists(st.sampled_from(VOCAB), min_size=1, max_size=12))
def test_sides_read_back_when_the_new_version_gains_a_preamble(
        lang: str, changes: list[tuple], words: list[str]) -> None:
    assert_reads_back(BODIES[lang], edited(lang, changes, preamble=" ".join(words)))


@SETTINGS
@given(lang=st.sampled_from(["nl", "en"]), changes=st.lists(edits, max_size=4),
       width=st.integers(min_value=20, max_value=120),
       marker=st.sampled_from(["- ", "* ", "+ "]))
def test_reflowing_paragraphs_and_changing_bullets_is_no_change(
        lang: str, changes: list[tuple], width: int, marker: str) -> None:
    text = edited(lang, changes)
    sections = split(text)
    for sec in sections:
        sec.blocks = [[marker + BULLET.match(line).group(2) if BULLET.match(line) else line
                       for line in block] if BULLET.match(block[0])
                      else textwrap.wrap(" ".join(block), width, break_long_words=False,
                                         break_on_hyphens=False)
                      for block in sec.blocks]
    result = redline(text, join(sections))
    assert result.unchanged, [s.id for s in result.sections if s.changed]


# --- tables -------------------------------------------------------------------------------------

CELL_TEXT = st.lists(st.sampled_from(VOCAB + ["\\|", "a \\| b", "\\\\", ":--"]),
                     max_size=3).map(" ".join)
ALIGNS = st.sampled_from(["---", ":-", ":------:", "--:", " - "])
TABLE_EDITS = ["cell", "add row", "drop row", "swap rows", "add column", "drop column", "header"]
table_edits = st.tuples(st.sampled_from(TABLE_EDITS), index, index, st.sampled_from(VOCAB))


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    """A table as its rows of cells (Markdown), the header first."""
    columns = draw(st.integers(min_value=1, max_value=4))
    row = st.lists(CELL_TEXT, min_size=columns, max_size=columns)
    return [draw(row)] + draw(st.lists(row, max_size=6))


def edit_table(table: list[list[str]], edit: tuple) -> list[list[str]]:
    """One random edit of a copy of ``table``; indices are taken modulo what exists."""
    kind, a, b, word = edit
    table = [list(row) for row in table]
    columns, body = len(table[0]), len(table) - 1
    if kind in ("cell", "header"):
        row = table[0 if kind == "header" else a % len(table)]
        words = row[b % columns].split()
        row[b % columns] = " ".join(edit_words(words, ("insert", "replace", "delete")[a % 3]
                                               if words else "insert", b, word))
    elif kind == "add row":
        table.insert(1 + a % (body + 1), [word] * columns)
    elif kind == "drop row" and body:
        del table[1 + a % body]
    elif kind == "swap rows" and body:
        i, j = 1 + a % body, 1 + b % body
        table[i], table[j] = table[j], table[i]
    elif kind == "add column":
        for row in table:
            row.insert(a % (columns + 1), word)
    elif kind == "drop column" and columns > 1:
        for row in table:
            del row[a % columns]
    return table


def with_table(table: list[list[str]], align: str) -> str:
    """A short statement with ``table`` in its first section, ``align`` its delimiters."""
    lines = ["| " + " | ".join(row) + " |" for row in table]
    lines.insert(1, "|" + "|".join([align] * len(table[0])) + "|")
    text = "\n".join(lines)
    return f"## Cookies\n\nVoor de tabel.\n\n{text}\n\nNa de tabel.\n\n## Contact\n\nMail ons.\n"


def assert_table_rows_read_back(result: Redline) -> None:
    """The rows of each table's diff, read side by side, are that side of the table."""
    for block in (b for s in result.sections for b in s.blocks if b.kind == "table"):
        found = rows(block)
        for op, other in (("delete", "added"), ("insert", "removed")):
            side = "".join(s.text for s in block.segments if s.op in ("equal", op))
            if block.status == other:
                assert {row.status for row in found} == {other}
                continue
            assert any(s.op in ("equal", op) for s in block.segments)   # read by SectionDiff.side
            cells = [[("".join(s.text for s in cell if s.op in ("equal", op))) for cell in row.cells]
                     for row in found if row.status != other]
            assert ROW.join(CELL.join(row) for row in cells) == side
        for row in found:
            ops = {s.op for cell in row.cells for s in cell}
            allowed = {"equal": {"equal"}, "added": {"insert"}, "removed": {"delete"},
                       "changed": {"equal", "delete", "insert"}}[row.status]
            assert ops <= allowed and (row.status != "changed" or ops - {"equal"})


@SETTINGS
@given(tables(), st.lists(table_edits, min_size=1, max_size=4), ALIGNS, ALIGNS)
def test_tables_read_back_after_random_edits(table: list[list[str]], changes: list[tuple],
                                             old_align: str, new_align: str) -> None:
    old = with_table(table, old_align)
    for change in changes:
        table = edit_table(table, change)
    new = with_table(table, new_align)
    assert_reads_back(old, new)
    result = redline(old, new)
    assert_table_rows_read_back(result)
    words = [sum(len(words_of(text)) for text in normalised(side)) for side in (old, new)]
    assert words[0] - result.words_removed == words[1] - result.words_added


@SETTINGS
@given(tables(), ALIGNS, ALIGNS)
def test_respelling_a_table_is_no_change(table: list[list[str]], old: str, new: str) -> None:
    respelled = [["  " + cell.replace(" ", "   ") for cell in row] for row in table]
    assert redline(with_table(table, old), with_table(respelled, new)).unchanged


# --- the word diff ------------------------------------------------------------------------------

def assert_word_diff(a: str, b: str) -> None:
    segments = word_diff(a, b)
    assert "".join(s.text for s in segments if s.op in ("equal", "delete")) == a
    assert "".join(s.text for s in segments if s.op in ("equal", "insert")) == b
    assert all(s.text for s in segments)
    for first, second in zip(segments, segments[1:]):
        assert first.op != second.op, segments
        assert (first.op, second.op) != ("insert", "delete"), segments


@SETTINGS
@given(st.text(), st.text())
def test_word_diff_sides_read_back_for_any_text(a: str, b: str) -> None:
    assert_word_diff(a, b)


sentences = st.lists(st.sampled_from(VOCAB + [",", ".", "(", ")"]), max_size=40).map(" ".join)


@SETTINGS
@given(sentences, sentences)
def test_word_diff_sides_read_back_for_statement_words(a: str, b: str) -> None:
    assert_word_diff(a, b)


def word_edits(most: int) -> st.SearchStrategy[list[tuple]]:
    return st.lists(st.tuples(st.sampled_from(["delete", "insert", "replace"]), index,
                              st.sampled_from(VOCAB)), min_size=1, max_size=most)


def edited_words(text: str, changes: list[tuple]) -> str:
    words = text.split()
    for op, at, word in changes:
        words = edit_words(words, op, at, word) if words or op == "insert" else words
    return " ".join(words)


@SETTINGS
@given(sentences, word_edits(5))
def test_word_diff_of_a_light_edit_reads_back(a: str, changes: list[tuple]) -> None:
    assert_word_diff(a, edited_words(a, changes))


def reference_word_diff(old: str, new: str) -> tuple[textdiff.Segment, ...]:
    """``word_diff`` done with the original Python diff-match-patch."""
    if old == new:
        return word_diff(old, new)
    table: dict[str, str] = {}
    a, b = textdiff._encode(textdiff.tokens(old), table), textdiff._encode(textdiff.tokens(new), table)
    decode = {char: token for token, char in table.items()}
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    ops = {0: "equal", -1: "delete", 1: "insert"}
    return textdiff._merge_runs([(ops[op], "".join(decode[c] for c in chars))
                                 for op, chars in diffs])


@SETTINGS
@given(sentences, word_edits(8))
def test_word_diff_equals_the_python_reference_on_edits(a: str, changes: list[tuple]) -> None:
    """The C++ port of diff-match-patch gives what the Python original gives."""
    b = edited_words(a, changes)
    assert word_diff(a, b) == reference_word_diff(a, b)


@SETTINGS
@given(st.text(), st.text())
def test_word_diff_equals_the_python_reference_on_any_text(a: str, b: str) -> None:
    assert word_diff(a, b) == reference_word_diff(a, b)


BLOCKS = st.lists(st.builds(Block, st.sampled_from(["p", "ul"]), sentences), max_size=12)


@SETTINGS
@given(BLOCKS, BLOCKS)
def test_block_diff_equals_the_python_reference(old: list[Block], new: list[Block]) -> None:
    """CyDifflib (C++) pairs blocks and rates their likeness as difflib does."""
    fast = textdiff.block_diff(old, new)
    textdiff.clear_caches()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textdiff, "SequenceMatcher", difflib.SequenceMatcher)
        assert textdiff.block_diff(old, new) == fast
    textdiff.clear_caches()


def test_word_diff_equals_the_python_reference_on_the_real_statements() -> None:
    for old, new in [(BODIES["nl"], BODIES["en"]), (BODIES["nl"], BODIES["nl"][::-1]),
                     (BODIES["en"][:3000], BODIES["en"][1500:])]:
        assert word_diff(old, new) == reference_word_diff(old, new)


@SETTINGS
@given(st.text(), st.text())
def test_word_diff_is_deterministic(a: str, b: str) -> None:
    assert word_diff(a, b) == word_diff(a, b)


@SETTINGS
@given(st.text())
def test_word_diff_of_equal_texts_is_all_equal(a: str) -> None:
    assert all(s.op == "equal" for s in word_diff(a, a))


@SETTINGS
@given(lang=st.sampled_from(["nl", "en"]), changes=st.lists(edits, min_size=1, max_size=5))
def test_compare_is_deterministic(lang: str, changes: list[tuple]) -> None:
    new = edited(lang, changes)
    assert redline(BODIES[lang], new) == redline(BODIES[lang], new)


# --- the HTML of runs of words ---------------------------------------------------------------

def reference_inline_html(text: str, links: bool = True) -> Markup:
    """``present.inline_html`` as written with ``Markup.format`` (the slow, obvious way)."""
    out, last = [], 0
    for match in present.LINK.finditer(text):
        out.append(escape(text[last:match.start()]))
        label, href, auto = match.groups()
        href, label = (auto, auto) if auto else (href, label)
        out.append(Markup('<a href="{}">{}</a>').format(href, label)
                   if links and present.SAFE_HREF.match(href) else escape(label))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


html_text = st.lists(st.sampled_from(["<b>", "&amp;", '"', "'", "x", " ", "[", "]", "(", ")",
                                      "[a](https://e.org/?q=1&r=\"2\")", "<https://e.org/>",
                                      "[j](javascript:alert(1))", "<mailto:a@b.nl>", "é"]),
                     max_size=12).map("".join)


@SETTINGS
@given(html_text)
def test_inline_html_escapes_as_markup_format_does(text: str) -> None:
    assert present.inline_html(text) == reference_inline_html(text)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["equal", "insert", "delete"]), html_text), max_size=6),
       st.sampled_from(["added:", "<toegevoegd>", "a & b"]))
def test_marked_runs_escape_everything_but_their_own_tags(runs: list[tuple[str, str]],
                                                          label: str) -> None:
    segments = tuple(textdiff.Segment(op, text) for op, text in runs)
    expected = Markup("").join(
        reference_inline_html(s.text) if s.op == "equal" else
        Markup('<{0}><span class="visually-hidden">[{1} </span>{2}'
               '<span class="visually-hidden">]</span></{0}>').format(
            Markup("ins" if s.op == "insert" else "del"),
            label if s.op == "insert" else "removed:",
            reference_inline_html(s.text, links=s.op != "delete"))
        for s in segments)
    assert present.marked(segments, label, "removed:") == expected
