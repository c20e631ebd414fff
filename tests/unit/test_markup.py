"""Converting a statement: it is converted section by section, yet reads as
Markdown reads the whole document."""
from __future__ import annotations

import re

import markdown
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from sitegen.markdown.chunks import ChunkConverter, convert_chunk
from sitegen.markdown.cuts import heading_lines, split_parts
from sitegen.markdown.markup import convert
from sitegen.engine.memo import Memo

LABELS = {"self_link": "Link to this section: {title}", "rights_nav": "Your rights"}
LINK = re.compile(r'<a href="([^"]*)"(?: title="([^"]*)")?>(.*?)</a>')
IMAGE = re.compile(r'<img alt="([^"]*)" src="([^"]*)"')


def links(html: str) -> list[tuple[str, str, str]]:
    """The links of the text (not the self-links sitegen gives headings)."""
    return LINK.findall(html)


def as_one_document(source: str) -> str:
    return markdown.markdown(source, extensions=["attr_list", "sane_lists", "fenced_code"])


def test_a_reference_defined_at_the_end_serves_every_section() -> None:
    source = ("## Inleiding\n\nLees [het beleid][beleid], [Partners][] en [partners].\n\n"
              "## Contact\n\nMail ons.\n\n"
              "[beleid]: https://example.org/beleid \"Ons beleid\"\n"
              "[partners]: <https://example.org/partners>\n")
    body = convert(source, "versions/1.0/nl.md", 6, LABELS)
    assert links(body.html) == [("https://example.org/beleid", "Ons beleid", "het beleid"),
                                ("https://example.org/partners", "", "Partners"),
                                ("https://example.org/partners", "", "partners")]
    assert links(body.html) == links(as_one_document(source))
    assert "[beleid]:" not in body.html and not body.problems


def test_a_reference_used_after_its_section_and_images_too() -> None:
    source = ("## Een\n\n[logo]: /logo.png\n[site]: https://example.org\n\nZie [site].\n\n"
              "## Twee\n\nOok [hier][site] en ![het logo][logo].\n")
    body = convert(source, "versions/1.0/nl.md", 1, LABELS)
    assert links(body.html) == [("https://example.org", "", "site"),
                                ("https://example.org", "", "hier")]
    assert IMAGE.findall(body.html) == [("het logo", "/logo.png")]
    assert IMAGE.findall(body.html) == IMAGE.findall(as_one_document(source))


def test_of_two_definitions_of_one_name_the_last_holds_everywhere() -> None:
    source = ("## Een\n\n[x]: https://first.example\n\nZie [x].\n\n"
              "## Twee\n\nOok [x].\n\n[x]: https://last.example\n")
    body = convert(source, "versions/1.0/nl.md", 1, LABELS)
    assert [href for href, _, _ in links(body.html)] == ["https://last.example"] * 2
    assert links(body.html) == links(as_one_document(source))


def test_a_definition_in_a_code_block_defines_nothing() -> None:
    source = ("## Een\n\nZie [x].\n\n## Twee\n\n```\n[x]: https://example.org\n```\n")
    body = convert(source, "versions/1.0/nl.md", 1, LABELS)
    assert links(body.html) == [] == links(as_one_document(source))
    assert "<p>Zie [x].</p>" in body.html
    assert "[x]: https://example.org" in body.html


def test_an_unsafe_address_in_a_far_definition_is_refused_on_the_line_of_use() -> None:
    source = ("## Een\n\nKlik [hier][x].\n\n## Twee\n\n[x]: javascript:alert(1)\n")
    body = convert(source, "versions/1.0/nl.md", 10, LABELS)
    assert links(body.html) == [("#", "", "hier")]
    assert [(p.line, p.severity) for p in body.problems] == [(12, "error")]
    assert "javascript:alert(1)" not in body.html


# A chunk converted part by part reads as the chunk converted whole ----------------

WORDS = st.sampled_from(["privacy", "Gegevens", "uw", "*recht*", "**inzage**", "`code`",
                         "[link](https://example.org)", "[ref]", "[tekst][ref]", "2018",
                         "a&b", "<b>", "é", "art. 15", "_x_", "\\*", "{: .note}"])
LINE = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
PARAGRAPH = st.lists(LINE, min_size=1, max_size=3).map("\n".join)
MARKER = st.sampled_from(["- ", "* ", "+ ", "1. ", "2) ", "10. "])
ITEM = st.tuples(st.sampled_from(["", "  ", "    "]), MARKER, LINE).map("".join)
LIST = st.lists(st.one_of(ITEM, LINE.map(lambda x: "    " + x)), min_size=1, max_size=4) \
    .flatmap(lambda items: st.sampled_from(["\n", "\n\n"]).map(lambda sep: sep.join(items)))
QUOTE = st.lists(LINE, min_size=1, max_size=2).map(lambda ls: "\n".join("> " + x for x in ls))
CODE = st.lists(LINE, min_size=1, max_size=2).map(lambda ls: "\n".join("    " + x for x in ls))
FENCED = st.lists(LINE, min_size=0, max_size=2).map(lambda ls: "```\n" + "\n\n".join(ls) + "\n```")
OTHER = st.sampled_from(["---", "***", "[ref]: https://example.org/ref", "Kop\n===",
                         "  ", "\u00a0", "1986. Een jaar.", "> ", "-", "Lijst:\n- a\n- b"])
BLOCK = st.one_of(PARAGRAPH, PARAGRAPH, LIST, LIST, QUOTE, CODE, FENCED, OTHER)
SEPARATOR = st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n", "\n  \n", "\n\t\n", "\n\u00a0\n"])


@st.composite
def chunks(draw) -> tuple[str, bool]:
    blocks = draw(st.lists(BLOCK, min_size=1, max_size=7))
    text = blocks[0]
    for block in blocks[1:]:
        text += draw(SEPARATOR) + block
    heading = draw(st.sampled_from(["", "## Uw rechten {art=15}", "### Kop"]))
    return (f"{heading}\n{draw(SEPARATOR)}{text}" if heading else text), bool(heading)


@given(chunks(), st.booleans())
@example(("Kop\n===\n- privacy\n\n- privacy\n\nprivacy", False), False)   # a list
@example(("Tekst\n# Kop\n- een\n\n- twee", False), False)    # after a heading joins the next
@settings(max_examples=400, deadline=None)
def test_a_chunk_converts_part_by_part_as_whole(chunk: tuple[str, bool], allow_html: bool) -> None:
    text, has_heading = chunk
    converter = ChunkConverter(allow_html)
    whole = converter(text, has_heading)
    converter("## Een andere kop {#ander}\n\n[x]: /x", True)   # leaves nothing behind
    parts = convert_chunk(text, has_heading, {}, converter, Memo().reuse)
    assert parts.rest == whole.rest
    assert (parts.level, parts.inner, parts.text, parts.given_id, parts.article) == \
        (whole.level, whole.inner, whole.text, whole.given_id, whole.article)
    assert dict(parts.references) == dict(whole.references)
    assert sorted(p[1:] for p in parts.problems) == sorted(p[1:] for p in whole.problems)


def test_a_chunk_is_cut_before_paragraphs_and_lists_after_paragraphs_only() -> None:
    text = ("## Kop\n\nEen.\n\n- a\n- b\n\n- c\n\nTwee\ntwee.\n\n> q\n\n> r\n\n    code\n\n"
            "Drie.")
    assert [start for start, _ in split_parts(text, False)] == [1, 3, 5, 10, 13, 19]
    assert split_parts(text, True) == [(1, text)]
    assert len(split_parts("Een.\n\n```\nx\n\ny\n```\n\nTwee.", False)) == 1


@given(st.lists(st.sampled_from(["Kop", "## Kop", "   # Kop", "====", "---", "  --- ", "```",
                                 "  ~~~", "~~~", "", "\t", " ", "tekst", "#x", "=",
                                 "\u00a0", "\u00a0Kop", "***", "# a\\"]), max_size=12).map("\n".join))
@example("  \nKop\n===\n\nprivacy")     # a first line of spaces is text, not blank
@example("tekst\n\u00a0\nKop\n===")      # so is a line of no-break spaces
@settings(max_examples=500, deadline=None)
def test_the_headings_of_a_statement_are_those_python_markdown_makes(source: str) -> None:
    """(Without lists, quotes or indented code, after which Markdown may make headings
    that stay inside their chunk.)"""
    assume(not source.startswith("\t"))           # a first line of a tab is code
    made = markdown.markdown(source, extensions=["fenced_code"])
    assert len(heading_lines(source)) == len(re.findall(r"<h[1-6]>", made))


# A statement converted chunk by chunk reads as Python-Markdown reading it whole ----

HEADING = st.sampled_from(["## Kop", "### Uw rechten {art=15}", "#x", "Kop\n===", "Kop\n---",
                           "- punt\n---", "   # geen kop", "# Kop #", "Kop\n  ===", "# a\\"])
STATEMENT_BLOCK = st.one_of(HEADING, HEADING, PARAGRAPH, LIST, QUOTE, CODE, FENCED,
                            st.sampled_from(["---", "***", "  ", "\u00a0", "```\n# in code\n````"]))
DRESSING = re.compile(r'<nav [^>]*>.*?</nav>\n|<span class="alias"[^>]*></span>'
                      r'|<a aria-label="[^"]*" class="self-link" href="[^"]*">#</a>', re.S)


def undressed(html: str) -> str:
    """HTML without what sitegen adds to headings: ids, self-links, the rights menu."""
    return re.sub(r"<h([1-6])[^>]*>", r"<h\1>", DRESSING.sub("", html))


@given(st.lists(st.tuples(STATEMENT_BLOCK, SEPARATOR), min_size=1, max_size=8))
@example([("tekst\n   # Kop\nmeer", "\n\n")])          # an indented # is text
@example([("  ", "\n"), ("Kop\n===", "\n\n")])             # a first line of spaces is text
@settings(max_examples=300, deadline=None)
def test_a_statement_converts_chunk_by_chunk_as_whole(blocks: list[tuple[str, str]]) -> None:
    source = "".join(block + separator for block, separator in blocks)
    source = source.replace("<b>", "b")                   # raw HTML: escaped by sitegen
    body = convert(source, "versions/1.0/nl.md", 1, LABELS)
    whole = markdown.markdown(source, extensions=["attr_list", "sane_lists", "fenced_code"],
                              output_format="html")
    assert undressed(body.html) == undressed(whole)
