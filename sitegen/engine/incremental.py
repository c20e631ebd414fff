"""What a change touches: a key for every output file, from exactly what it shows.

A key hashes the inputs of one output: the site-wide inputs (theme, settings,
sitegen itself, the date, every version's title, date and summary) and, for a
statement or a redline, the source and converted HTML of the texts it shows
(the HTML carries the anchors inherited from earlier versions). An output whose
key is the same as in the last build is the same, byte for byte, so it is taken
over instead of being rendered again.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Mapping

from ..site.feed import feed_path
from ..content.model import Site
from ..site.pages import Plan
from ..site.versions_json import source_path


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _metadata(plan: Plan) -> Iterable[str]:
    yield plan.current.id
    for version in plan.versions:
        yield f"{version.id}|{version.date}|{version.draft}"
        for lang, doc in version.documents.items():
            yield f"{lang}|{doc.title}|{doc.summary}|{doc.corrections}"


def output_keys(site: Site, plan: Plan, digests: Mapping[tuple[str, str], str], base: str
                ) -> dict[str, str]:
    """``{output path: key}``; ``digests``: of each converted body's HTML, by
    (version, language) (``Converted.digests``); ``base`` fingerprints the inputs
    outside versions/."""
    shared = _hash(base, *_metadata(plan))
    texts: dict[tuple[str, str], str] = {}
    chains: dict[tuple[str, str], str] = {}
    for lang in site.config.languages:
        chain = ""
        for version in plan.in_language(lang):
            doc = version.documents[lang]
            texts[(lang, version.id)] = _hash(doc.digest, digests[(version.id, lang)])
            chain = _hash(chain, texts[(lang, version.id)])
            chains[(lang, version.id)] = chain
    keys: dict[str, str] = {}
    for page in plan.pages:
        shown = texts.get((page.lang, page.version), "-")
        if page.kind == "diff":
            shown = _hash(texts[(page.lang, page.old)], shown)
        keys[page.path] = _hash(shared, page.kind, shown if page.version else "")
    for lang in site.config.languages:
        if plan.has_feed(lang):
            last = plan.in_language(lang)[-1].id
            keys[feed_path(lang)] = _hash(shared, "feed", chains[(lang, last)])
    keys["versions.json"] = _hash(shared, *sorted(chains.values()))   # has every source's hash
    keys["sitemap.xml"] = _hash(shared, "sitemap")        # addresses and languages only
    keys["robots.txt"] = _hash(shared, "robots")
    for version in plan.versions:
        for lang, doc in version.documents.items():
            keys[source_path(lang, version.id)] = _hash(base, doc.digest)   # sitegen's code too
    return keys
