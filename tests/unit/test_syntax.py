"""A part is converted by a Markdown built for the syntax it may use
(``sitegen.markdown.syntax``): the HTML, and all that is found in it, is the
same as with every extension and pattern on."""
from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.markdown import chunks
from sitegen.markdown.chunks import Chunk, ChunkConverter
from sitegen.markdown.syntax import EVERYTHING, INLINE, syntax_of

from .test_markup import BLOCK, SEPARATOR

REFERENCES = {"ref": ("https://example.org/ref", None), "^n": ("A note.", None)}

# Every syntax of every pattern and extension, next to what only looks like it.
SAMPLES = [
    "Plain text, with no syntax at all.",
    "`code` and ``double `tick` code`` and \\`not code\\`",
    "Escapes: \\* \\_ \\[ \\\\ \\# and a lone \\",
    "[a link](https://example.org \"title\"), [ref], [text][ref], [Ref][] and [none]",
    "![an image](https://example.org/a.png) and ![by reference][ref]",
    "<https://example.org/auto> and <mail@example.org> and <not a link>",
    "A line with a break  \nand the next.",
    "A tab before the end\t\nof a line.",
    "Entities: &amp; &#169; &#xA9; &copy; and a bare & sign",
    "*em* **strong** ***both*** _em_ __strong__ snake_case_word 2 * 3 * 4",
    "## A heading {#given art=15}",
    "## A heading with a brace { in it",
    "A paragraph.\n{: .note }",
    "| Data | Purpose | Kept |\n|:---|:-:|--:|\n| e-mail | *contact* | 2 years |\n"
    "| `ip` | [log](https://example.org) | 1 day |",
    "Data | Kept\n--- | ---\na | b",
    "A pipe | in a sentence",
    "Term\n: Its definition\n\n   : Not a definition",
    "Time: 10:30, and : at the start of nothing",
    "```\nfenced | code {#x} *not em*\n```",
    "~~~\ntilde fenced\n~~~",
    "1. one\n2. two\n\n- a\n- b\n\n* c",
    "> a quote with *em* and a [link](https://example.org)",
    "    indented code with <b> & [x]",
    "Text with a note.[^n]\n\n[^n]: A note with *em*.",
    "<b>bold</b> and <span onclick=\"x\">html</span>\n\n<div>a block</div>",
    "[ref]: https://example.org/defined\n\nUses [ref].",
    "Héllo wörld 個人情報 приватность",
]


def converted(source: str, allow_html: bool, everything: bool) -> Chunk:
    converter = ChunkConverter(allow_html)
    if not everything:
        return converter(source, True, REFERENCES)
    with mock.patch.object(chunks, "syntax_of", lambda text: EVERYTHING):
        return converter(source, True, REFERENCES)


@pytest.mark.parametrize("allow_html", [False, True])
@pytest.mark.parametrize("source", SAMPLES)
def test_a_part_converts_as_with_every_extension_and_pattern(source: str,
                                                             allow_html: bool) -> None:
    assert converted(source, allow_html, False) == converted(source, allow_html, True)


@given(st.lists(st.one_of(BLOCK, st.sampled_from(SAMPLES)), min_size=1, max_size=5),
       SEPARATOR, st.booleans())
@settings(max_examples=300, deadline=None)
def test_any_chunk_converts_as_with_every_extension_and_pattern(blocks: list[str], separator: str,
                                                                allow_html: bool) -> None:
    source = separator.join(blocks)
    assert converted(source, allow_html, False) == converted(source, allow_html, True)


def test_a_plain_paragraph_is_converted_without_the_syntax_it_does_not_use() -> None:
    converter = ChunkConverter(False)
    plain = converter.markdown_for("Uw gegevens worden bewaard.")
    assert "table" not in plain.parser.blockprocessors
    assert "link" not in plain.inlinePatterns and "em_strong" not in plain.inlinePatterns
    table = converter.markdown_for("| a | b |\n|---|---|\n| [x](https://example.org) | y |")
    assert "table" in table.parser.blockprocessors and "link" in table.inlinePatterns
    assert converter.markdown_for("Andere gegevens.") is plain      # built once


def test_every_pattern_python_markdown_has_is_known_or_kept() -> None:
    """A pattern the table does not name is always kept; the names it has are
    Python-Markdown's own (a renamed one would be left in, never wrongly out)."""
    assert syntax_of("plain").unused_patterns <= INLINE.keys()
    everything = ChunkConverter(False)._markdown(False, EVERYTHING)
    assert {"backtick", "escape", "link", "entity", "em_strong"} <= \
        {item.name for item in everything.inlinePatterns._priority}
