"""The redline's budgets: coarser past them, never unfaithful, and never reached
by ordinary text.

With the budgets shrunk to a few units every path past them is taken on small
random edits of the real statements, and the redline must still read back as
the old and the new text (``test_diff_properties``' checks). With the budgets
as they are, ordinary edits never reach them, and texts far larger than any
statement are compared in bounded time.
"""
from __future__ import annotations

import contextlib
import difflib
import random
import time
from typing import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.redline import textdiff
from sitegen.redline.blocks import Block
from sitegen.redline.textdiff import word_diff
from tests.unit.test_diff_properties import (BODIES, VOCAB, assert_reads_back, assert_word_diff,
                                             edited, edited_words, edits, sentences,
                                             word_edits)

SETTINGS = settings(max_examples=60, deadline=None)

# every budget shrunk, each to one of a few sizes (units, tokens, characters)
TIGHT = st.fixed_dictionaries({
    "WORD_LIMIT": st.sampled_from([0, 3, 12, 40]),
    "COARSE_BASE": st.sampled_from([0, 2_000, 20_000]),
    "COARSE_PER_TOKEN": st.sampled_from([0, 50, 500]),
    "CHUNK_MAX": st.sampled_from([1, 2, 5]),
    "CHUNK": st.sampled_from([1, 2, 8]),
    "FAST_CUBE": st.sampled_from([0, 8]),
    "RATE_BASE": st.sampled_from([0, 2_000, 10_000]),
    "RATE_PER_WORD": st.sampled_from([0, 100]),
    "ALIGN_BASE": st.sampled_from([0, 5_000]),
    "ALIGN_PER_WORD": st.sampled_from([0, 100]),
    "BLOCKS_BASE": st.sampled_from([0, 3_000, 10_000]),
    "BLOCKS_PER_BLOCK": st.sampled_from([0, 500]),
    "TITLE_CHARS": st.sampled_from([0, 10, 2_000]),
})


@contextlib.contextmanager
def budgets(**values: int) -> Iterator[None]:
    """``textdiff``'s budgets set to ``values``; its caches empty before and after
    (what they keep was made under other budgets)."""
    textdiff.clear_caches()
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in values.items():
                assert hasattr(textdiff, name), name
                patch.setattr(textdiff, name, value)
            yield
    finally:
        textdiff.clear_caches()


# --- past the budgets: coarser, still faithful -----------------------------------------------

@SETTINGS
@given(TIGHT, st.text(), st.text())
def test_a_word_diff_past_its_budget_reads_back_for_any_text(tight: dict, a: str, b: str) -> None:
    with budgets(**tight):
        assert_word_diff(a, b)


@SETTINGS
@given(TIGHT, sentences, word_edits(8))
def test_a_word_diff_past_its_budget_reads_back_after_edits(tight: dict, a: str,
                                                            changes: list[tuple]) -> None:
    with budgets(**tight):
        assert_word_diff(a, edited_words(a, changes))


@SETTINGS
@given(TIGHT, st.sampled_from(["nl", "en"]), st.lists(edits, max_size=3),
       st.lists(edits, min_size=1, max_size=6))
def test_a_redline_past_its_budgets_reads_back(tight: dict, lang: str, before: list[tuple],
                                               after: list[tuple]) -> None:
    with budgets(**tight):
        assert_reads_back(edited(lang, before), edited(lang, before + after))


@SETTINGS
@given(TIGHT, st.sampled_from(["nl", "en"]), st.lists(edits, min_size=1, max_size=6))
def test_a_redline_past_its_budgets_is_deterministic(tight: dict, lang: str,
                                                     changes: list[tuple]) -> None:
    """Budgets count work, not time: the same texts give the same redline, whatever
    the caches hold."""
    from tests.unit.test_diff_properties import redline
    new = edited(lang, changes)
    with budgets(**tight):
        first = redline(BODIES[lang], new)
        assert redline(BODIES[lang], new) == first           # from the caches
        textdiff.clear_caches()
        assert redline(BODIES[lang], new) == first           # made again


BLOCKS = st.lists(st.builds(Block, st.sampled_from(["p", "ul"]), sentences), max_size=12)


@SETTINGS
@given(TIGHT, BLOCKS, BLOCKS)
def test_blocks_past_their_budget_read_back(tight: dict, old: list[Block], new: list[Block]
                                            ) -> None:
    with budgets(**tight):
        result = textdiff.block_diff(old, new)
    for op, blocks in (("delete", old), ("insert", new)):
        side = [b for b in result if any(s.op in ("equal", op) for s in b.segments)]
        assert [(b.kind, "".join(s.text for s in b.segments if s.op in ("equal", op)))
                for b in side] == [(b.kind, b.text) for b in blocks]


@SETTINGS
@given(TIGHT, sentences, sentences)
def test_a_rating_past_its_budget_is_never_more_than_the_words_in_common(
        tight: dict, a: str, b: str) -> None:
    """Past its budget a rating counts only words proven alike: a common
    subsequence, so at most the longest one."""
    words_a, words_b = textdiff._words(a), textdiff._words(b)
    with budgets(**tight):
        ratio, spent = textdiff._text_similarity(a, b)
    assert spent >= 0
    total = len(words_a) + len(words_b)
    if total and ratio >= textdiff.SIMILAR:
        assert ratio <= 2.0 * _longest_common(words_a, words_b) / total + 1e-12


def _longest_common(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        previous, row = row, [0]
        for j, y in enumerate(b):
            row.append(previous[j] + 1 if x == y else max(previous[j + 1], row[j]))
    return row[-1]


# --- within the budgets: exactly as before ---------------------------------------------------

@contextlib.contextmanager
def never_past_a_budget() -> Iterator[None]:
    """Fails if any comparison is made coarser."""
    original = textdiff._matching

    def matching(a, b, budget, matcher=None):
        found = original(a, b, budget, matcher)
        assert found[1], f"matching of {len(a)} and {len(b)} items passed its budget"
        return found

    def refused(*args):
        raise AssertionError("a budget was reached")

    textdiff.clear_caches()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(textdiff, "_matching", matching)
            patch.setattr(textdiff, "_coarse", refused)
            patch.setattr(textdiff, "_ratings", lambda *args: original_ratings(*args) or
                          refused())
            yield
    finally:
        textdiff.clear_caches()


original_ratings = textdiff._ratings


@SETTINGS
@given(st.sampled_from(["nl", "en"]), st.lists(edits, max_size=3),
       st.lists(edits, min_size=1, max_size=12))
def test_ordinary_edits_never_reach_a_budget(lang: str, before: list[tuple],
                                             after: list[tuple]) -> None:
    with never_past_a_budget():
        assert_reads_back(edited(lang, before), edited(lang, before + after))


def rewritten(text: str) -> str:
    """Every line of text with its words in the opposite order; headings kept."""
    lines = []
    for line in text.split("\n"):
        if not line.strip() or line.startswith(("#", "```")):
            lines.append(line)
            continue
        marker, _, rest = line.partition(" ") if line[:2] in ("- ", "* ") else ("", "", line)
        lines.append((marker + " " if marker else "") + " ".join(reversed(rest.split())))
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_rewrite_of_the_real_statements_never_reaches_a_budget(lang: str) -> None:
    """Every block of every section changed, or the other language's text."""
    from tests.unit.test_diff_properties import redline
    with never_past_a_budget():
        assert_reads_back(BODIES[lang], rewritten(BODIES[lang]))
        redline(BODIES["nl"], BODIES["en"])


@SETTINGS
@given(sentences, word_edits(8))
def test_within_its_budget_a_rating_decides_as_difflib_does(a: str, changes: list[tuple]
                                                            ) -> None:
    """Below SIMILAR only that it is below matters; at or above, it is difflib's ratio."""
    b = edited_words(a, changes)
    for x, y in ((a, b), (a, " ".join(reversed(b.split())))):
        words_x, words_y = textdiff._words(x), textdiff._words(y)
        exact = difflib.SequenceMatcher(None, words_x, words_y, autojunk=False).ratio()
        ratio, _ = textdiff._text_similarity(x, y)
        assert (ratio >= textdiff.SIMILAR) == (exact >= textdiff.SIMILAR)
        if exact >= textdiff.SIMILAR:
            assert ratio == exact


# --- far past them: bounded -----------------------------------------------------------------

def alternating(count: int, same: bool = False) -> tuple[str, str]:
    old = ["de" if same else f"punt{i}" for i in range(count)]
    new = [w if i % 2 == 0 else ("het" if same else f"ander{i}") for i, w in enumerate(old)]
    return " ".join(old), " ".join(new)


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    textdiff.clear_caches()
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    textdiff.clear_caches()
    assert elapsed < seconds, f"{elapsed:.1f} s"


@pytest.mark.parametrize("count, same", [(20_000, False), (40_000, False), (20_000, True)])
def test_a_paragraph_with_every_other_word_changed_is_compared_in_bounded_time(
        count: int, same: bool) -> None:
    """Once 104 s for 20,000 different words, and far longer for one word repeated."""
    old, new = alternating(count, same)
    with within(3.0):
        segments = word_diff(old, new)
        ratio, _ = textdiff._text_similarity(old, new)
        pairs = textdiff.block_diff([Block("p", old)], [Block("p", new)])
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new
    assert 0.0 <= ratio <= 1.0 and pairs


def test_a_long_paragraph_with_one_word_changed_still_shows_that_word() -> None:
    rng = random.Random(1)
    words = [rng.choice(VOCAB) for _ in range(300_000)]          # some 2 MB
    old = " ".join(words)
    new = " ".join(words[:150_000] + ["nieuw"] + words[150_001:])
    with within(5.0):
        blocks = textdiff.block_diff([Block("p", old)], [Block("p", new)])
    assert [b.status for b in blocks] == ["changed"]
    changes = [s for s in blocks[0].segments if s.op != "equal"]
    assert [s.op for s in changes] == ["delete", "insert"]
    assert changes[1].text.strip() == "nieuw"


@pytest.mark.parametrize("count", [50_000])
def test_a_long_list_with_every_other_item_changed_is_compared_in_bounded_time(count: int
                                                                               ) -> None:
    old = [Block("ul", f"punt {i}") for i in range(count)]
    new = [b if i % 2 == 0 else Block("ul", f"ander {i}") for i, b in enumerate(old)]
    with within(6.0):
        result = textdiff.block_diff(old, new)
    assert [b for b in result if b.status != "added"
            and any(s.op != "insert" for s in b.segments)] and len(result) >= count


def test_a_long_list_of_the_same_item_with_one_changed_shows_that_item() -> None:
    old = [Block("ul", "een punt")] * 300_000
    new = old[:150_000] + [Block("ul", "een ander punt")] + old[150_001:]
    with within(5.0):
        result = textdiff.block_diff(old, new)
    assert [b for b in result if b.status != "equal"] == \
        [textdiff.BlockDiff("ul", "changed", (textdiff.Segment("equal", "een "),
                                              textdiff.Segment("insert", "ander "),
                                              textdiff.Segment("equal", "punt")))]
