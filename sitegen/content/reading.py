"""Reading a site's files safely: size limit, UTF-8, newlines, and key checks.

Shared by ``load`` (content) and ``theme`` (the theme's strings and assets).
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any, Callable, Mapping

from . import frontmatter
from ..errors import ContentError, ContentErrors, Problem
from .paths import MAX_FILE_BYTES, Unreadable, read_limited



def read_text(path: Path, shown: str, contents: Mapping[str, bytes] | None = None) -> str:
    """Read a UTF-8 text file within the size limit; newlines become ``\\n``.
    ``contents``: files already read, by path (the fingerprint reads them)."""
    data = contents.get(os.fspath(path)) if contents else None
    return decode_text(read_bytes(path, shown) if data is None else data, shown)


def read_bytes(path: Path, shown: str) -> bytes:
    """A regular file's bytes, within the size limit (checked on what is read)."""
    try:
        data = read_limited(path)
    except Unreadable as err:
        raise ContentError(shown, 0, str(err)) from None
    except OSError as err:
        raise ContentError(shown, 0, f"cannot read the file: {err.strerror}") from None
    _check_size(len(data), shown)
    return data


def decode_text(data: bytes, shown: str) -> str:
    """UTF-8 bytes as text (without a byte order mark, newlines as ``\\n``)."""
    _check_size(len(data), shown)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ContentError(shown, line, f"the file is not UTF-8 (byte 0x{data[err.start]:02x}); "
                           "save it with UTF-8 encoding") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _check_size(size: int, shown: str) -> None:
    if size > MAX_FILE_BYTES:
        raise ContentError(shown, 0, f"the file is over the limit of "
                           f"{MAX_FILE_BYTES // 2**20} MB for one file; is it the right file?")


def check_keys(parsed: frontmatter.Parsed, schema: dict[str, bool], path: str,
               first_line: int) -> list[Problem]:
    """Unknown keys (with a suggestion) and missing required keys."""
    problems = []
    for key, line in parsed.key_lines.items():
        if key not in schema:
            close = difflib.get_close_matches(key, list(schema), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else \
                f"known keys: {', '.join(sorted(schema))}"
            problems.append(Problem(path, line, f"unknown key `{key}`: {hint}"))
    for key, required in schema.items():
        if required and key not in parsed.data:
            problems.append(Problem(path, first_line, f"missing `{key}:`"))
    return problems


def collect(problems: list[Problem], func: Callable[..., Any], *args: Any) -> Any:
    """Call ``func``; record its content errors instead of stopping."""
    try:
        return func(*args)
    except ContentErrors as err:
        problems.extend(err.problems)
    except ContentError as err:
        problems.append(err.problem)
    return None
