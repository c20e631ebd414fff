"""Published text stays as it was published, or the change is on the record.

``sitegen lock`` records, for every published statement, in
``versions/published.yaml`` (committed with the content): the SHA-256 of its
file, as ``/<lang>/<version>/source.md`` publishes it and ``versions.json``
lists it (``Document.digest``: UTF-8, line ends as ``\\n``, no byte order
mark), and the date, title and summary a reader sees. A later change to any of
them is an error naming what changed, unless the version records it under
``corrections:``, which its page then shows: a typo fix to a text that was in
force is itself a fact readers are owed.
"""
from __future__ import annotations

import hashlib
import json

from ..errors import Problem
from .load import PUBLISHED_FILE
from .model import Document, Seal, Site

HEADER = """\
# Written by `sitegen lock`: for every published version and language, the SHA-256
# of its file (as /<lang>/<version>/source.md publishes it and versions.json lists
# it) and the date, title and summary readers see. `sitegen check` fails when one
# of them changes without a `corrections:` entry.
"""
FIELDS = ("date", "title", "summary")       # what a reader sees of the front matter


def shown_fields(doc: Document) -> dict[str, str]:
    return {"date": doc.date.isoformat(), "title": doc.title, "summary": doc.summary}


def verify(site: Site) -> list[Problem]:
    """Every published text whose lock no longer holds, or that has none."""
    problems, earlier = [], 0
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
            elif seal.sha256 != _sealed_digest(doc, seal):
                problems += _changes(doc, seal)
            elif not seal.fields:
                earlier += 1
    if earlier:
        problems.append(Problem(PUBLISHED_FILE, 0, f"{earlier} of the texts were locked by an "
                                "earlier sitegen, which locked their bodies alone: run `sitegen "
                                "lock` to lock their dates, titles and summaries too", "warning"))
    return problems


def _sealed_digest(doc: Document, seal: Seal) -> str:
    """The digest to compare with ``seal``: of the file, or of the body for a
    seal written before the lock covered the front matter."""
    if seal.fields:
        return doc.digest
    return hashlib.sha256(doc.body.encode("utf-8")).hexdigest()


def _changes(doc: Document, seal: Seal) -> list[Problem]:
    """What changed in a locked text: each field by name, else its text."""
    where = f"version {doc.version} ({doc.lang})"
    if len(doc.corrections) > seal.corrections:
        return [Problem(doc.path, doc.line_of("corrections"), f"the corrected text of {where} "
                        "is not locked yet: run `sitegen lock`", "warning")]
    advice = "Undo the change, or record it under `corrections:` (date and note) and run " \
             "`sitegen lock`"
    now = shown_fields(doc)
    changed = [name for name in FIELDS if name in seal.fields and seal.fields[name] != now[name]]
    if changed:
        return [Problem(doc.path, doc.line_of(name), f"`{name}` of the published {where} has "
                        f"changed since it was locked in {PUBLISHED_FILE} (it was "
                        f"{_quoted(seal.fields[name])}). {advice}")
                for name in changed]
    return [Problem(doc.path, doc.body_line, f"the published text of {where} has changed "
                    f"since it was locked in {PUBLISHED_FILE}. {advice}")]


def _quoted(value: str, most: int = 60) -> str:
    return json.dumps(value if len(value) <= most else value[:most] + "…", ensure_ascii=False)


def manifest(site: Site) -> str:
    """The text of ``versions/published.yaml`` for the site as it is now. Texts are
    written as JSON strings, which YAML reads as they are."""
    lines = [HEADER.rstrip("\n")]
    for version in site.versions:
        if version.draft:
            continue
        lines.append(f'"{version.id}":')
        for lang, doc in version.documents.items():
            lines += [f"  {lang}:", f"    sha256: {doc.digest}",
                      f"    corrections: {len(doc.corrections)}"]
            lines += [f"    {name}: {json.dumps(value, ensure_ascii=False)}"
                      for name, value in shown_fields(doc).items()]
    return "\n".join(lines) + "\n"
