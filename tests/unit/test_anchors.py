"""Anchor ids: derived from heading text, unique within a page, alive across versions."""
from __future__ import annotations

import re

import pytest

from sitegen.markdown.anchors import AnchorLedger, slugify, unique
from sitegen.markdown.markup import convert

LABELS = {"self_link": "Link to this section: {title}", "rights_nav": "Your rights"}


def ids(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', html)


@pytest.mark.parametrize("text, slug", [
    ("Recht op inzage", "recht-op-inzage"),
    ("Categorieën", "categorieen"),
    ("Café & crème brûlée", "cafe-creme-brulee"),
    ("Hello, World! (2)", "hello-world-2"),
    ("  E-mail  ", "e-mail"),
    ("What is GDPR?", "what-is-gdpr"),
    ("Artikel 15 -- inzage", "artikel-15-inzage"),
    # Latin letters that are no base letter and a mark are spelt out, not lost
    ("Straße und Größe", "strasse-und-grosse"),
    ("Ærø og Łódź", "aero-og-lodz"),
    ("Œuvre", "oeuvre"),
    ("Ĳsselmeer", "ijsselmeer"),
    ("Artikel ²", "artikel-2"),
    # every script keeps its letters (and the marks that are part of them)
    ("個人情報の取り扱い", "個人情報の取り扱い"),
    ("Обработка данных", "обработка-данных"),
    ("Ελληνικά Δικαιώματα", "ελληνικά-δικαιώματα"),
    ("हिन्दी में अधिकार", "हिन्दी-में-अधिकार"),
    ("حقوقك في البيانات", "حقوقك-في-البيانات"),
    ("개인정보 처리방침", "개인정보-처리방침"),
    ("Права (ст. 15)", "права-ст-15"),
])
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["", "   ", "???", "--", "★"])
def test_slugify_of_nothing_usable_is_its_own_not_by_position(text: str) -> None:
    """No letter or digit: an id from the text itself, the same in every version."""
    slug = slugify(text)
    assert re.fullmatch(r"h-[0-9a-f]{8}", slug) and slug == slugify(text)
    assert slugify("???") != slugify("!!!")


def test_unique_adds_numbered_suffixes() -> None:
    taken = {"a"}
    assert unique("a", taken) == "a-2"
    taken.add("a-2")
    assert unique("a", taken) == "a-3"
    assert unique("b", taken) == "b"


def test_repeated_headings_get_2_and_3() -> None:
    body = convert("## Doel\n\nA.\n\n## Doel\n\nB.\n\n## Doel\n\nC.\n", "nl.md", 6, LABELS)
    assert [h.id for h in body.headings] == ["doel", "doel-2", "doel-3"]
    assert not body.problems


def test_author_set_id_is_kept() -> None:
    body = convert("## Recht op inzage {#inzage}\n\nTekst.\n", "nl.md", 6, LABELS)
    assert [h.id for h in body.headings] == ["inzage"]
    assert 'id="inzage"' in body.html and 'id="recht-op-inzage"' not in body.html


def test_derived_id_does_not_take_an_author_set_id_further_down() -> None:
    body = convert("## Doel\n\nA.\n\n## Anders {#doel}\n\nB.\n", "nl.md", 6, LABELS)
    assert sorted(h.id for h in body.headings) == ["doel", "doel-2"]
    assert not body.problems


def test_article_gives_an_alias_inside_its_heading() -> None:
    body = convert("## Rechten\n\n### Recht op inzage {art=15}\n\nTekst.\n", "nl.md", 6, LABELS)
    assert body.aliases == {"art-15": "recht-op-inzage"}
    assert re.search(r'<h3 id="recht-op-inzage"><span class="alias" id="art-15">', body.html)


@pytest.mark.parametrize("source", [
    "## Rechten\n\n### Inzage {art=15}\n\nT.\n\n## Art. 15\n\nT.\n",
    "## Art. 15\n\nT.\n\n### Inzage {art=15}\n\nT.\n",
])
def test_ids_in_a_statement_are_unique_even_next_to_an_article_alias(source: str) -> None:
    """A heading whose text slugs to `art-15` must not share the id of the #art-15 alias."""
    body = convert(source, "nl.md", 6, LABELS)
    found = ids(body.html)
    assert len(found) == len(set(found)), found


# --- AnchorLedger ---------------------------------------------------------------------


def test_ledger_promises_every_anchor_of_a_published_version() -> None:
    ledger = AnchorLedger()
    ledger.record("1.0", {"inleiding", "recht-op-inzage"}, {})
    assert ledger.promised == {"inleiding": "1.0", "recht-op-inzage": "1.0"}
    ledger.record("2.0", {"inleiding", "nieuw"}, {})
    assert ledger.promised["inleiding"] == "1.0"   # first version that had it
    assert ledger.promised["nieuw"] == "2.0"


def test_ledger_kept_anchors_need_nothing() -> None:
    ledger = AnchorLedger()
    ledger.record("1.0", {"a", "b"}, {})
    resolution = ledger.resolve({"a", "b", "c"}, {})
    assert resolution.aliases == {} and resolution.missing == ()


def test_ledger_rename_gives_an_alias() -> None:
    ledger = AnchorLedger()
    ledger.record("1.0", {"recht-op-verwijdering"}, {})
    resolution = ledger.resolve({"recht-op-vergetelheid"},
                                {"recht-op-verwijdering": "recht-op-vergetelheid"})
    assert resolution.aliases == {"recht-op-verwijdering": "recht-op-vergetelheid"}
    assert resolution.missing == ()


def test_ledger_rename_is_remembered_in_a_later_version() -> None:
    ledger = AnchorLedger()
    ledger.record("1.0", {"old"}, {})
    renames = {"old": "new"}
    ledger.record("2.0", {"new"} | set(ledger.resolve({"new"}, renames).aliases), renames)
    resolution = ledger.resolve({"new"}, {})           # 3.0 does not re-declare it
    assert resolution.aliases == {"old": "new"} and resolution.missing == ()


def test_ledger_chained_renames_over_three_versions() -> None:
    """a (1.0) -> b (2.0) -> c (3.0): both a and b land on c in 3.0 and after."""
    ledger = AnchorLedger()
    ledger.record("1.0", {"a"}, {})
    r2 = ledger.resolve({"b"}, {"a": "b"})
    assert r2.aliases == {"a": "b"}
    ledger.record("2.0", {"b"} | set(r2.aliases), {"a": "b"})
    r3 = ledger.resolve({"c"}, {"b": "c"})
    assert r3.aliases == {"a": "c", "b": "c"} and r3.missing == ()
    ledger.record("3.0", {"c"} | set(r3.aliases), {"b": "c"})
    r4 = ledger.resolve({"c", "d"}, {})
    assert r4.aliases == {"a": "c", "b": "c"} and r4.missing == ()


def test_ledger_reports_an_anchor_that_went_missing() -> None:
    ledger = AnchorLedger()
    ledger.record("1.0", {"inleiding", "recht-op-verwijdering"}, {})
    resolution = ledger.resolve({"inleiding"}, {})
    assert resolution.missing == ("recht-op-verwijdering",)
    assert resolution.aliases == {}


def test_ledger_rename_to_a_heading_that_does_not_exist_is_missing() -> None:
    ledger = AnchorLedger()
    ledger.record("1.0", {"old"}, {})
    assert ledger.resolve({"other"}, {"old": "typo"}).missing == ("old",)


def test_ledger_rename_cycle_does_not_hang() -> None:
    ledger = AnchorLedger()
    ledger.record("1.0", {"a", "b"}, {})
    resolution = ledger.resolve({"c"}, {"a": "b", "b": "a"})
    assert set(resolution.missing) == {"a", "b"}


def test_convert_leaves_a_lost_anchor_to_the_caller() -> None:
    """What becomes of it (a pairing, a tombstone, an error) is ``convert.statement``'s."""
    ledger = AnchorLedger()
    ledger.record("1.0", {"weg"}, {})
    body = convert("## Nieuw\n\nT.\n", "versions/2.0/nl.md", 6, LABELS,
                   resolver=lambda own: ledger.resolve(own, {}))
    assert body.missing == ("weg",) and body.problems == ()


def test_the_key_of_an_inheritance_names_exactly_the_history() -> None:
    """Kept bodies are found by it: equal histories give equal keys, any other
    promise or rename another key."""
    ledger, other = AnchorLedger(), AnchorLedger()
    ledger.record("1.0", ["inleiding", "recht-op-inzage"], {})
    other.record("1.0", ["recht-op-inzage"], {})
    other.record("1.1", ["inleiding"], {})                     # same promises, other order
    assert ledger.key({}) == other.key({}) and ledger.history({}) == other.history({})
    before = ledger.key({})
    ledger.record("2.0", ["inleiding"], {})                     # adds no promise
    assert ledger.key({}) == before
    assert ledger.key({"inleiding": "intro"}) != before          # a rename of its own
    ledger.record("3.0", ["nieuw"], {})
    assert ledger.key({}) != before
    assert ledger.history({}).promised == ("inleiding", "nieuw", "recht-op-inzage")
    ledger.record("4.0", [], {"nieuw": "nieuwer"})
    assert ledger.key({}) != other.key({}) and ledger.key({}) == ledger.key({"nieuw": "nieuwer"})


def test_an_id_of_the_earlier_ascii_rule_still_lands() -> None:
    """Links made when ids were ASCII only (#strae-und-groe) keep landing."""
    body = convert("## Straße und Größe\n\nT.\n\n## Transferts hors de l’EEE\n\nT.\n\n"
                   "## Recht op inzage\n\nT.\n", "nl.md", 6, LABELS)
    found = ids(body.html)
    assert found[:2] == ["strasse-und-grosse", "strae-und-groe"]
    assert "transferts-hors-de-leee" in found and "transferts-hors-de-l-eee" in found
    assert found.count("recht-op-inzage") == 1          # the same under both rules
    assert "strae-und-groe" not in body.anchors          # not a promise of later versions


def test_a_link_to_an_id_the_page_lacks_is_a_warning_on_its_line() -> None:
    body = convert("## Inleiding\n\nZie [rechten](#uw-rechte), [inzage](#art-15) en "
                   "[boven](#main).\n\n## Uw rechten\n\n### Inzage {art=15}\n\nT.\n\n"
                   "Zie [x](#nergens).\n", "nl.md", 6, LABELS)
    assert [str(p) for p in body.problems] == [
        "nl.md:8: warning: the link to #uw-rechte leads to no part of this page: "
        "did you mean #uw-rechten?",
        "nl.md:16: warning: the link to #nergens leads to no part of this page: "
        "no heading has that id"]
