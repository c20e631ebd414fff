"""Pairing a lost anchor's section with the section that carries it on."""
from __future__ import annotations

from sitegen.markdown.pairing import Section, paired


def section(anchor: str, text: str, title: str = "", level: int = 2) -> Section:
    return Section(anchor, level, title or anchor, tuple(text.lower().split()))


BODY = "we keep your invoices for seven years because the tax law says so"
OTHER = "applicants may send a letter and we keep it for four weeks only"


def test_a_reworded_section_at_its_place_is_paired() -> None:
    old = [section("intro", "hello"), section("bills", BODY), section("end", "bye")]
    new = [section("intro", "hello"), section("invoices", BODY + " and no longer"),
           section("end", "bye")]
    assert paired(old, new, {"bills"}) == {"bills": "invoices"}


def test_another_text_at_the_same_place_is_not_paired() -> None:
    old = [section("intro", "hello"), section("bills", BODY), section("end", "bye")]
    new = [section("intro", "hello"), section("jobs", OTHER), section("end", "bye")]
    assert paired(old, new, {"bills"}) == {}


def test_a_section_moved_and_renamed_is_paired_only_when_nearly_the_same() -> None:
    old = [section("bills", BODY), section("intro", "hello"), section("end", "bye")]
    moved = [section("intro", "hello"), section("end", "bye"), section("invoices", BODY)]
    assert paired(old, moved, {"bills"}) == {"bills": "invoices"}
    half = BODY.split()[:7] + OTHER.split()[:6]
    changed = [section("intro", "hello"), section("end", "bye"),
               section("invoices", " ".join(half))]
    assert paired(old, changed, {"bills"}) == {}


def test_of_two_sections_merged_the_one_whose_title_goes_on_is_paired() -> None:
    old = [section("a", BODY, "Invoices we keep"), section("b", OTHER, "Job applicants")]
    new = [section("c", BODY + " " + OTHER, "Invoices we keep and letters")]
    assert paired(old, new, {"a", "b"}) == {"a": "c"}


def test_levels_must_match_and_each_new_section_is_taken_once() -> None:
    old = [section("a", BODY), section("b", BODY)]
    new = [section("c", BODY, level=3), section("d", BODY)]
    assert paired(old, new, {"a", "b"}) == {"a": "d"}


def test_many_lost_sections_are_compared_with_their_neighbours_only() -> None:
    count = 3_000
    old = [section(f"old-{i}", f"sentence {i} about something") for i in range(count)]
    new = [section(f"new-{i}", f"sentence {i} about something") for i in range(count)]
    result = paired(old, new, {s.id for s in old})
    assert result == {f"old-{i}": f"new-{i}" for i in range(count)}
