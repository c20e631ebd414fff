"""Reading a statement's blocks for the redline: section by section reads as whole."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.redline.blocks import parse_sections, split_sections

LINES = st.sampled_from(["## Uw rechten", "   ### Inzage {#inzage}", "# Kop #", "#geen kop",
                         "    # code, geen kop", "```", "~~~", "  ```", "Tekst van een alinea.",
                         "- punt", "1. punt", "> citaat", "", "  ", "\t# tab", "=====",
                         "Nog een regel tekst"])


@given(st.lists(LINES, max_size=30).map("\n".join))
@settings(max_examples=500, deadline=None)
def test_sections_read_one_by_one_are_the_sections_of_the_whole(source: str) -> None:
    assert [s for part in split_sections(source) for s in parse_sections(part)] \
        == parse_sections(source)


def test_a_statement_is_cut_before_its_headings_and_not_in_code() -> None:
    source = "Intro.\n## Een\nTekst.\n```\n## geen kop\n```\n### Twee\n"
    assert split_sections(source) == ["Intro.", "## Een\nTekst.\n```\n## geen kop\n```",
                                      "### Twee\n"]
