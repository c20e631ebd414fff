"""``/versions.json``: the history for machines, with a SHA-256 of every source text.

Each version's source is published beside its page (``/<lang>/<version>/source.md``),
so anyone can check that the text they were shown is the text that was published.
"""
from __future__ import annotations

import json
from typing import Any, Callable

from ..reuse import Reuse, afresh
from ..content.model import Document, Site, Version
from .pages import Plan, address, diff_path, statement_path


def source_path(lang: str, version: str) -> str:
    return f"{lang}/{version}/source.md"


def source_bytes(doc: Document) -> bytes:
    return doc.text.encode("utf-8")


def versions_json(site: Site, plan: Plan, state: Callable[[Version], str],
                  reuse: Reuse = afresh) -> bytes:
    """The file as ``json.dumps(..., indent=2)`` writes it. Each version's entry,
    and apart from it its list of diffs, is encoded on its own through ``reuse``
    (json's indenting encoder is pure Python: after an edit, only the entry of the
    version edited need be encoded again, and not the list of every diff to the
    current version)."""
    base = site.config.base_url

    def url(path: str) -> str:
        return base + address(path)

    diffs_of: dict[str, list[tuple[str, str, str]]] = {}
    for lang, old, new in sorted(plan.diffs):
        diffs_of.setdefault(old, []).append((lang, old, new))
        diffs_of.setdefault(new, []).append((lang, old, new))

    def entry(version: Version, status: str, languages: tuple) -> dict[str, Any]:
        return {"id": version.id, "date": version.date.isoformat(), "status": status,
                "languages": {lang: {"title": title, "summary": summary,
                                     "url": url(statement_path(lang, version.id)),
                                     "source": url(source_path(lang, version.id)),
                                     "sha256": digest}
                              for lang, title, summary, digest in languages}}

    def diff_list(diffs: tuple) -> str:
        listed = [{"lang": lang, "from": old, "to": new, "url": url(diff_path(lang, old, new))}
                  for lang, old, new in diffs]
        return _encode(listed, depth=3)

    statuses, entries = [], []
    for version in plan.versions:
        status = state(version)
        languages = tuple((lang, doc.title, doc.summary, doc.digest)
                          for lang, doc in version.documents.items())
        diffs = tuple(diffs_of.get(version.id, []))
        inputs = (base, version.id, version.date.isoformat(), status, languages)
        encoded = reuse("versions.json entry", inputs,
                        lambda: _encode(entry(version, status, languages), depth=2))
        listed = reuse("versions.json diffs", (base, diffs),
                       lambda: diff_list(diffs))   # the current version's: hundreds of diffs
        body, brace = encoded.rsplit("\n", 1)  # the entry's last line: its closing brace
        entries.append(f'{body},\n{" " * 6}"diffs": {listed}\n{brace}')
        statuses.append((version.id, status))
    head = _encode({"site": base, "languages": list(site.config.languages),
                    "current": plan.current.id,
                    "upcoming": [id_ for id_, status in statuses if status == "upcoming"]})
    listed = ",\n".join(" " * 4 + text for text in entries)
    text = (head[:-2] + ',\n  "versions": ' + (f"[\n{listed}\n  ]" if entries else "[]")
            + "\n}")
    return (text.replace("<", "\\u003c") + "\n").encode("utf-8")


def _encode(value: Any, depth: int = 0) -> str:
    """``value`` as json.dumps(indent=2) writes it ``depth`` levels deep (encoded
    strings hold no line breaks, so indenting every line is exact)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + " " * 2 * depth)
