"""What a word is, in every script, for redlines and the pairing of sections.

Scripts that put spaces between words give runs of letters and digits. Chinese,
Japanese and Thai do not: there, ``\\w+`` would make a whole clause one word, so
that a one-character edit (ません -> ます, a negation gone) marked the clause.
Each Han, Hiragana, Katakana and Thai character is a word of its own instead (a
Thai one with its vowel and tone marks): an edit marks the characters it
touched, and counts of words count characters in those scripts.
"""
from __future__ import annotations

import re

# Han (with its extensions and compatibility forms), Hiragana, Katakana (and its
# half-width forms), and Thai letters with the marks that sit on them.
CHARACTER_WORD = (r"[\u3005\u3007\u3021-\u3029\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
                  r"\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
                  r"|[\u0e01-\u0e30\u0e32\u0e33\u0e40-\u0e46\u0e4f-\u0e5b]"
                  r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*")
# Letters and digits of every other script (``\w`` less the characters above).
RUN_WORD = (r"[^\W\u3005\u3007\u3021-\u3029\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
            r"\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f\u0e01-\u0e5b]+")
WORD = re.compile(f"{RUN_WORD}|{CHARACTER_WORD}")
SPACED = re.compile(r"\w+")     # the same, for a text with no character of those scripts
FIRST_UNSPACED = "\u0e01"       # below it (Latin, Greek, Cyrillic, Arabic, Hebrew...) none is


def spaced(text: str) -> bool:
    r"""Whether every script of ``text`` puts spaces between words (most texts: the
    plain ``\w+`` is then the same, and twice as fast)."""
    return text.isascii() or max(text) < FIRST_UNSPACED


def words(text: str) -> list[str]:
    """The words of ``text``: ``"Wij bewaren 個人情報"`` -> Wij, bewaren, 個, 人, 情, 報."""
    return SPACED.findall(text) if spaced(text) else WORD.findall(text)
