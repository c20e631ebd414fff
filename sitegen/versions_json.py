"""``/versions.json``: the history for machines, with a SHA-256 of every source text.

Each version's source is published beside its page (``/<lang>/<version>/source.md``),
so anyone can check that the text they were shown is the text that was published.
"""
from __future__ import annotations

import hashlib
import json
from typing import Callable

from .model import Document, Site, Version
from .pages import Plan, address, diff_path, statement_path


def source_path(lang: str, version: str) -> str:
    return f"{lang}/{version}/source.md"


def source_bytes(doc: Document) -> bytes:
    return doc.text.encode("utf-8")


def sha256(doc: Document) -> str:
    return hashlib.sha256(source_bytes(doc)).hexdigest()


def versions_json(site: Site, plan: Plan, state: Callable[[Version], str]) -> bytes:
    base = site.config.base_url

    def url(path: str) -> str:
        return base + address(path)

    diffs_of: dict[str, list[dict[str, str]]] = {}
    for lang, old, new in sorted(plan.diffs):
        entry = {"lang": lang, "from": old, "to": new, "url": url(diff_path(lang, old, new))}
        diffs_of.setdefault(old, []).append(entry)
        diffs_of.setdefault(new, []).append(entry)
    versions = []
    for version in plan.versions:
        languages = {lang: {"title": doc.title, "summary": doc.summary,
                            "url": url(statement_path(lang, version.id)),
                            "source": url(source_path(lang, version.id)),
                            "sha256": sha256(doc)}
                     for lang, doc in version.documents.items()}
        diffs = diffs_of.get(version.id, [])
        versions.append({"id": version.id, "date": version.date.isoformat(),
                         "status": state(version), "languages": languages, "diffs": diffs})
    data = {"site": base, "languages": list(site.config.languages),
            "current": plan.current.id,
            "upcoming": [v["id"] for v in versions if v["status"] == "upcoming"],
            "versions": versions}
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return (text.replace("<", "\\u003c") + "\n").encode("utf-8")
