"""Published text stays as it was published, or the change is on the record.

``sitegen lock`` records the SHA-256 of every published statement's text in
``versions/published.yaml`` (committed with the content). A later change to
such a text is an error unless the version records it under ``corrections:``,
which its page then shows: a typo fix to a text that was in force is itself a
fact readers are owed.
"""
from __future__ import annotations

import hashlib

from ..errors import Problem
from .load import PUBLISHED_FILE
from .model import Document, Site

HEADER = """\
# Written by `sitegen lock`: the SHA-256 of the text of every published version.
# `sitegen check` fails when a locked text changes without a `corrections:` entry.
"""


def text_sha256(doc: Document) -> str:
    """The hash of the statement's text (its body; front matter may gain corrections)."""
    return hashlib.sha256(doc.body.encode("utf-8")).hexdigest()


def verify(site: Site) -> list[Problem]:
    problems = []
    for version in site.versions:
        if version.draft:
            continue
        for lang, doc in version.documents.items():
            seal = site.published.get((version.id, lang))
            if seal is None:
                if site.published:
                    problems.append(Problem(doc.path, 0, f"version {version.id} ({lang}) is "
                                            "published but not locked: run `sitegen lock`",
                                            "warning"))
            elif seal.sha256 != text_sha256(doc):
                if len(doc.corrections) > seal.corrections:
                    problems.append(Problem(doc.path, doc.line_of("corrections"), "the corrected "
                                            "text is not locked yet: run `sitegen lock`",
                                            "warning"))
                else:
                    problems.append(Problem(doc.path, doc.body_line, f"the published text of "
                                            f"version {version.id} ({lang}) has changed since it "
                                            f"was locked in {PUBLISHED_FILE}. Undo the change, "
                                            "or record it under `corrections:` (date and note) "
                                            "and run `sitegen lock`"))
    return problems


def manifest(site: Site) -> str:
    """The text of ``versions/published.yaml`` for the site as it is now."""
    lines = [HEADER.rstrip("\n")]
    for version in site.versions:
        if version.draft:
            continue
        lines.append(f'"{version.id}":')
        for lang, doc in version.documents.items():
            lines.append(f"  {lang}: {{sha256: {text_sha256(doc)}, "
                         f"corrections: {len(doc.corrections)}}}")
    return "\n".join(lines) + "\n"
