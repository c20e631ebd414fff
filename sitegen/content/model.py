"""The validated content of a site: frozen dataclasses, no I/O.

``load`` builds these from files; everything after it reads them and never
changes them.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    from ..errors import Problem

VERSION_ID = re.compile(r"^[0-9]+(\.[0-9]+)*\Z")    # \Z: "3.0\n" is no version


@functools.lru_cache(maxsize=None)       # pure; a build sorts and compares ids often
def version_key(version_id: str) -> tuple[int, ...]:
    """Sort key of a dotted version id: "3.9" < "3.10", "3.1" == "03.1"."""
    if not VERSION_ID.match(version_id):
        raise ValueError(f"not a version id: {version_id!r}")
    return tuple(int(part) for part in version_id.split("."))


@dataclass(frozen=True)
class SiteConfig:
    """``content/site.yaml``: what the whole site shares."""

    languages: tuple[str, ...]
    base_url: str
    titles: Mapping[str, str]
    organisation: str
    website: str = ""
    contact_email: str = ""
    allow_html: bool = False
    locales: Mapping[str, str] = field(default_factory=dict)
    # every rename or removal of a published anchor must be declared
    strict_anchors: bool = False
    # contact details shown on every page: field (address, dpo, authority,
    # authority_url) -> language -> text
    contact: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def locale(self, lang: str) -> str:
        """The CLDR locale for dates in ``lang`` (``en`` may be set to ``en_GB``)."""
        return self.locales.get(lang, lang)


@dataclass(frozen=True)
class Correction:
    """A recorded change to the text of a version that was already published."""

    date: dt.date
    note: str


@dataclass(frozen=True)
class Seal:
    """What ``sitegen lock`` recorded of a published text: the SHA-256 of its
    file (``Document.digest``), how many corrections it had, and what a reader
    sees of its front matter (``date``, ``title``, ``summary``). A seal of an
    earlier sitegen has no ``fields`` and hashed the body alone."""

    sha256: str
    corrections: int
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    """One version of the statement in one language (``versions/3.1/nl.md``)."""

    path: str
    version: str
    lang: str
    title: str
    date: dt.date
    body: str
    body_line: int
    summary: str = ""
    draft: bool = False
    renames: Mapping[str, str] = field(default_factory=dict)
    removed: Mapping[str, str] = field(default_factory=dict)    # anchor id -> why ("" if unsaid)
    key_lines: Mapping[str, int] = field(default_factory=dict)
    text: str = ""               # the whole file as published, front matter included
    corrections: tuple[Correction, ...] = ()
    # what changed in a right in this version, by its article, in the editor's words
    rights_notes: Mapping[str, str] = field(default_factory=dict)
    # the SHA-256 of ``text`` as UTF-8: versions.json lists it, and the keys of
    # outputs that depend on this text are made from it
    digest: str = ""

    def line_of(self, key: str) -> int:
        """The source line of a front-matter key, or of the front matter."""
        return self.key_lines.get(key, 1)

    def __reduce__(self) -> tuple:
        """Pickled with ``body`` as its length where it is the end of ``text`` (as it
        is unless the file has a byte-order mark or carriage returns): the memo's
        file keeps every statement, which held each body twice (200 x 4: 18 MB,
        now 9)."""
        values = [getattr(self, name) for name in _DOCUMENT_FIELDS]
        if self.body and self.text.endswith(self.body):
            values[_BODY] = len(self.body)
        return (_document, tuple(values))


def _document(*values: object) -> Document:
    """A ``Document`` from what ``Document.__reduce__`` gives."""
    if isinstance(length := values[_BODY], int):
        text = values[_TEXT]
        values = (*values[:_BODY], text[len(text) - length:], *values[_BODY + 1:])
    return Document(*values)


_DOCUMENT_FIELDS = tuple(Document.__dataclass_fields__)
_BODY, _TEXT = _DOCUMENT_FIELDS.index("body"), _DOCUMENT_FIELDS.index("text")


@dataclass(frozen=True)
class Version:
    """A version id, its one effective date, and its documents per language."""

    id: str
    date: dt.date
    documents: Mapping[str, Document]
    draft: bool = False

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.id)


@dataclass(frozen=True)
class Theme:
    """Theme folders, most specific first: the site's own, then the default."""

    dirs: tuple[Path, ...]


@dataclass(frozen=True)
class Site:
    """Everything ``load`` read and validated; versions sorted oldest first."""

    root: Path
    config: SiteConfig
    versions: tuple[Version, ...]
    theme: Theme
    strings: Mapping[str, Mapping[str, str]]
    assets: Mapping[str, bytes] = field(default_factory=dict)
    media: Mapping[str, bytes] = field(default_factory=dict)    # content/assets/, by name
    published: Mapping[tuple[str, str], Seal] = field(default_factory=dict)   # (version, lang)
    warnings: tuple["Problem", ...] = ()          # what load noticed that is not an error

    def version(self, version_id: str) -> Version:
        """The version with this id ("3.1" also finds "03.1"); KeyError if none."""
        if not VERSION_ID.match(version_id):
            raise KeyError(version_id)
        wanted = version_key(version_id)
        for version in self.versions:
            if version.key == wanted:
                return version
        raise KeyError(version_id)
