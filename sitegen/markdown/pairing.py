"""Which reworded heading a lost anchor now answers to.

When a version no longer has a heading of the version before it, and nobody
declared where it went, its section is looked for among the sections that are
new in this version: one at the same place (between the same two headings that
both versions have) that carries on most of its text, or one anywhere that
carries on nearly all of it (a section moved and renamed). Its old id then becomes an alias
of the new one, as if it had been declared under ``renames:``.
"""
from __future__ import annotations

import difflib
from typing import Collection, Iterator, NamedTuple, Sequence

from .markup import Heading
from ..words import words

SIMILAR = 0.5      # the share of its words a section must keep to pair at the same place
SAME = 0.8         # ... and anywhere in the statement
MOST_COMPARED = 2_500   # pairs compared anywhere; past it, only near the same place


class Section(NamedTuple):
    """A heading's section as far as pairing needs it: the words under the heading,
    up to the next heading of any level."""

    id: str
    level: int
    title: str
    words: tuple[str, ...]


def sections(source: str, headings: Sequence[Heading]) -> list[Section]:
    """The sections of a statement's body ``source``, whose ``headings`` are numbered
    by their line in it."""
    lines = source.split("\n")
    found = []
    for heading, after in zip(headings, [*headings[1:], None]):
        text = " ".join(lines[heading.line:after.line - 1 if after else len(lines)])
        found.append(Section(heading.id, heading.level, heading.text,
                             tuple(words(text.lower()))))
    return found


def _similarity(old: Section, new: Section) -> float:
    """The share of the old section's words that the new one carries on, in order,
    and a tenth of the likeness of their titles: of two sections merged under a
    reworded heading, the one whose title it continues is its own."""
    if not old.words:
        return SIMILAR if not new.words else 0.0   # two empty sections: their place decides
    matcher = difflib.SequenceMatcher(None, old.words, new.words, autojunk=False)
    size = (len(old.words) + len(new.words)) / 2 / len(old.words)   # ratio -> share of old
    if matcher.real_quick_ratio() * size < SIMILAR or matcher.quick_ratio() * size < SIMILAR:
        return 0.0
    titles = difflib.SequenceMatcher(None, words(old.title.lower()),
                                     words(new.title.lower()), autojunk=False)
    return matcher.ratio() * size + titles.ratio() / 10


def _places(found: Sequence[Section], landmarks: Collection[str]) -> list[tuple[str, str]]:
    """For each section, the landmarks (ids both versions have) before and after it."""
    before, last = [], ""
    for section in found:
        before.append(last)
        last = section.id if section.id in landmarks else last
    after, last = [], ""
    for section in reversed(found):
        after.append(last)
        last = section.id if section.id in landmarks else last
    return list(zip(before, reversed(after)))


def paired(old: Sequence[Section], new: Sequence[Section],
           lost: Collection[str]) -> dict[str, str]:
    """``old id -> new id`` for the sections of ``old`` whose ids are ``lost``
    and whose text a section new in ``new`` carries on (see the module's doc)."""
    old_ids = {s.id for s in old}
    landmarks = old_ids & {s.id for s in new}
    losing = [i for i, s in enumerate(old) if s.id in lost]
    fresh = [j for j, s in enumerate(new) if s.id not in old_ids]
    candidates = []
    for i, j, same_place in _compared(losing, fresh, _places(old, landmarks),
                                      _places(new, landmarks)):
        if old[i].level == new[j].level:
            score = _similarity(old[i], new[j])
            if score >= SAME or (same_place and score >= SIMILAR):
                candidates.append((-score, not same_place, i, j))
    pairs: dict[str, str] = {}
    taken: set[int] = set()
    for _, _, i, j in sorted(candidates):          # the closest pairs first
        if old[i].id not in pairs and j not in taken:
            pairs[old[i].id] = new[j].id
            taken.add(j)
    return pairs


def _compared(losing: list[int], fresh: list[int], old_places: list[tuple[str, str]],
              new_places: list[tuple[str, str]]) -> Iterator[tuple[int, int, bool]]:
    """The pairs worth comparing, and whether they are at the same place: every
    pair while there are few; else those at the same place and about the same
    rank in it (a statement whose every heading changed stays linear)."""
    if len(losing) * len(fresh) <= MOST_COMPARED:
        for i in losing:
            for j in fresh:
                yield i, j, old_places[i] == new_places[j]
        return
    at: dict[tuple[str, str], list[int]] = {}
    for j in fresh:
        at.setdefault(new_places[j], []).append(j)
    rank: dict[tuple[str, str], int] = {}
    for i in losing:
        place = old_places[i]
        r = rank[place] = rank.get(place, -1) + 1
        for j in at.get(place, [])[max(r - 2, 0):r + 3]:
            yield i, j, True
