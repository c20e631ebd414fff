"""Anchor ids: derived from heading text, kept unique, and kept alive.

A link to ``/nl/#recht-op-inzage`` must land today and after every later
version. ``AnchorLedger`` walks one language's versions in order and works out
which old anchors each version must still answer, and where they now point.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Mapping

ART_PREFIX = "art-"
# The GDPR articles of a data subject's rights: the articles `{art=N}` may name.
RIGHTS_ARTICLES = {"15": "access", "16": "rectification", "17": "erasure",
                   "18": "restriction of processing", "20": "data portability",
                   "21": "objection", "22": "no automated decision-making",
                   "77": "complaint to a supervisory authority"}


# Latin letters that are not a base letter and a mark, spelt as their languages
# spell them without it (Unicode's decomposition would drop them: "Straße" -> "strae").
EXPANSIONS = str.maketrans({"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o",
                            "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
                            "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ĳ": "ij",
                            "Ĳ": "ij", "ŋ": "ng", "Ŋ": "ng"})


@functools.lru_cache(maxsize=1 << 12)     # pure; versions repeat their headings
def slugify(text: str) -> str:
    """The id a heading's text gives, in any script: its letters and digits (lower
    case where the script has case, NFC), Latin diacritics folded ("Recht op
    inzage" -> "recht-op-inzage", "Straße und Größe" -> "strasse-und-grosse",
    "個人情報の取り扱い" -> "個人情報の取り扱い"), words joined by hyphens. A text
    without a letter or digit gets ``h-`` and a hash of the text: an id of its own,
    never one by position."""
    kept: list[str] = []
    latin = False                          # the last base letter was Latin
    for char in unicodedata.normalize("NFKD", text.translate(EXPANSIONS)):
        kind = unicodedata.category(char)
        if kind[0] == "M":                 # a mark: a Latin diacritic goes, others stay
            if not latin and kept and kept[-1] != "-":
                kept.append(char)
            continue
        if kind[0] in "LN":
            latin = "LATIN" in unicodedata.name(char, "")
            kept.append(char.lower())
        elif kept and kept[-1] != "-":
            kept.append("-")
    slug = unicodedata.normalize("NFC", "".join(kept)).strip("-")
    return slug or "h-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@functools.lru_cache(maxsize=1 << 12)
def earlier_slug(text: str) -> str:
    """The id sitegen's earlier rule gave (ASCII only: "Straße" -> "strae", and
    nothing for a text in another script), kept as an alias by ``markup``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def unique(slug: str, taken: set[str], suffixes: dict[str, int] | None = None) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... whichever is still free; ``suffixes``
    remembers where to go on for each slug (20,000 alike headings: linear)."""
    if slug not in taken:
        return slug
    n = (suffixes or {}).get(slug, 2)
    while f"{slug}-{n}" in taken:
        n += 1
    if suffixes is not None:
        suffixes[slug] = n + 1
    return f"{slug}-{n}"


def art_alias(article: str) -> str:
    return f"{ART_PREFIX}{article}"


@dataclass(frozen=True)
class Resolution:
    """What one version must add so that every earlier anchor still lands."""

    aliases: Mapping[str, str]          # old id -> id of a heading in this version
    missing: tuple[str, ...]            # old ids that land nowhere: an error


@dataclass(frozen=True)
class AnchorHistory:
    """What one version inherits: the anchors it must answer and the renames so far.

    Hashable, so a converted body can be cached by it; callable as a resolver.
    """

    promised: tuple[str, ...]                  # sorted: its repr is the same in every run
    renames: tuple[tuple[str, str], ...]

    def __call__(self, own: Iterable[str]) -> Resolution:
        """Where each promised anchor lands in a version with anchors ``own``."""
        own = set(own)
        chain = dict(self.renames)
        aliases, missing = {}, []
        for anchor in sorted(self.promised):
            if anchor in own:
                continue
            target, seen = anchor, {anchor}
            while target not in own and target in chain and chain[target] not in seen:
                target = chain[target]
                seen.add(target)
            if target in own:
                aliases[anchor] = target
            else:
                missing.append(anchor)
        return Resolution(aliases, tuple(missing))


@dataclass(frozen=True)
class Tombstone:
    """Where a removed section was: its anchor answers with a notice that it was
    removed in ``removed_in``, linking to ``last``, the last version that had it."""

    anchor: str
    title: str                  # the section's heading in ``last``
    heading: str                # and its id there (``anchor``, or where it was an alias)
    last: str
    removed_in: str
    reason: str = ""            # from ``removed:``, if the editor gave one


@dataclass
class AnchorLedger:
    """Per language: every anchor a published version had, declared (or paired)
    renames, and the tombstones of removed sections."""

    promised: dict[str, str] = field(default_factory=dict)   # anchor -> version that had it
    renames: dict[str, str] = field(default_factory=dict)
    gone: dict[str, Tombstone] = field(default_factory=dict)
    # the sorted promises and their SHA-256, made again only when a promise is added
    _sorted: tuple[tuple[str, ...], str] | None = field(default=None, repr=False,
                                                        compare=False)

    def history(self, renames: Mapping[str, str]) -> AnchorHistory:
        """The inheritance of a version that declares ``renames``."""
        chain = {**self.renames, **renames}
        return AnchorHistory(self._promises()[0], tuple(sorted(chain.items())))

    def key(self, renames: Mapping[str, str]) -> str:
        """A name of ``history(renames)`` and of the tombstones so far, for the keys
        of kept results: the same for the same inheritance, and made without
        sorting or hashing the promises again while versions add none (most)."""
        chain = sorted({**self.renames, **renames}.items())
        digest = hashlib.sha256(self._promises()[1].encode())
        for old, new in chain:
            digest.update(f"\0{old}\0{new}".encode())
        for _, stone in sorted(self.gone.items()):
            digest.update(repr(stone).encode())
        return digest.hexdigest()

    def _promises(self) -> tuple[tuple[str, ...], str]:
        if self._sorted is None:
            promised = tuple(sorted(self.promised))
            self._sorted = promised, hashlib.sha256("\0".join(promised).encode()).hexdigest()
        return self._sorted

    def resolve(self, own: Iterable[str], renames: Mapping[str, str]) -> Resolution:
        """Where each promised anchor lands in a version with anchors ``own``."""
        return self.history(renames)(own)

    def record(self, version: str, anchors: Iterable[str], renames: Mapping[str, str],
               tombstones: Iterable[Tombstone] = ()) -> None:
        """After a published version: its anchors become promises for all later
        ones, and the sections it removed keep their tombstones."""
        anchors = set(anchors)
        new = anchors.difference(self.promised)   # most versions promise nothing new
        if new:
            self.promised.update(dict.fromkeys(sorted(new), version))
            self._sorted = None
        self.renames.update(renames)
        for anchor in anchors.intersection(self.gone):     # a section that came back
            del self.gone[anchor]
        self.gone.update((stone.anchor, stone) for stone in tombstones)
