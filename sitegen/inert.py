"""Text that sitegen prints, made inert: what a terminal or a CI log would act on
is shown instead (content reaches every error line, redline and log line).
"""
from __future__ import annotations

import re

# What a terminal or a CI log would act on instead of showing it: C0 and C1 control
# characters and DEL (ANSI and OSC sequences: colours, concealed text, the window
# title, the clipboard), line and paragraph separators, the bidirectional overrides
# and isolates that reorder what is shown (Trojan Source) and lone surrogates (an
# undecodable file name). Tabs stay; newlines stay where a form asks for them.
_UNSHOWN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e"
                      "\u2066-\u2069\ud800-\udfff]")
_KEPT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e"
                         "\u2066-\u2069\ud800-\udfff]")
# GitHub Actions workflow commands: `::name::` at the start of a line (the runner
# strips leading white space first), and the legacy `##[name]` anywhere in a line;
# the runner's .NET StartsWith and IndexOf compare culture-sensitively, which can
# skip invisible characters (soft hyphen, zero-width space, word joiner, byte order
# mark, variation selectors): they count as white space here.
_IGNORED = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
            "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8")
_LEADING = f"((?:[^\\S\\n]|[{_IGNORED}])*):(?=[{_IGNORED}]*:)"
_FIRST_COMMAND = re.compile(_LEADING)                         # a text's first line
_LINE_COMMAND = re.compile("^" + _LEADING, re.MULTILINE)      # each line of a text
_LEGACY_COMMAND = re.compile(f"#(?=[{_IGNORED}]*#[{_IGNORED}]*\\[)")


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    if char == "\n" or char == "\r":
        return "\\n" if char == "\n" else "\\r"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _uncommanded(match: re.Match[str]) -> str:
    return match.group(1) + "\\x3a"


def shown(text: str, lines: bool = False) -> str:
    """``text`` (or content in it) made inert for a terminal or a CI log, but readable:
    each character of ``_UNSHOWN`` as its escape (ESC as the four characters
    ``\\x1b``, a newline as ``\\n`` unless ``lines`` keeps newlines), and no line
    that starts with ``::`` nor holds ``##[`` (a colon or hash shown as ``\\x3a``,
    ``\\x23``). Called for every problem: kept cheap for plain text."""
    unshown = _KEPT_LINES if lines else _UNSHOWN
    if not text.isprintable() and unshown.search(text) is not None:   # isprintable: in C
        text = unshown.sub(_visible, text)
    if lines and ":" in text:
        text = _LINE_COMMAND.sub(_uncommanded, text)
    elif not lines and not text[:1].isalnum() and \
            (first := _FIRST_COMMAND.match(text)) is not None:
        text = _uncommanded(first) + text[first.end():]
    if "#" in text:
        text = _LEGACY_COMMAND.sub("\\\\x23", text)
    return text
