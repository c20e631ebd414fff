"""Converting a statement: it is converted section by section, yet reads as
Markdown reads the whole document."""
from __future__ import annotations

import re

import markdown

from sitegen.markup import convert

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
