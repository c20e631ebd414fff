"""``sitegen diff``: two versions on disk compared in one language, drafts included.

An editor compares a draft while writing it, so a draft that ``check`` would
refuse still compares: the problems of the two statements come back with the
redline, for the command to show as warnings first.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Site, Version
from ..errors import Problem, SitegenError
from ..redline.diff import Redline, compare
from .statements import convert_site


@dataclass(frozen=True)
class Comparison:
    """The redline from ``old`` to ``new`` (version ids, ``old`` the earlier)."""

    old: str
    new: str
    redline: Redline
    swapped: bool                    # the versions were named newer first
    problems: tuple[Problem, ...]    # errors in the two statements compared, as warnings


def find(site: Site, version_id: str, argument: str) -> Version:
    try:
        return site.version(version_id)
    except KeyError:
        known = ", ".join(v.id for v in site.versions)
        raise SitegenError(f"no version {version_id} in versions/ (versions: {known})",
                           argument) from None


def previous_version(site: Site, new_id: str, lang: str) -> str:
    """The id of the version before ``new_id`` that exists in ``lang``."""
    key = find(site, new_id, "NEW").key
    earlier = [v for v in site.versions if v.key < key and lang in v.documents]
    if not earlier:
        raise SitegenError(f"no version before {new_id} in `{lang}`",
                           "OLD")
    return earlier[-1].id


def compare_versions(site: Site, old_id: str, new_id: str, lang: str) -> Comparison:
    """Compare two versions in ``lang``, whichever order they are named in;
    ``old_id`` may be ``previous``: the version before ``new_id`` in ``lang``."""
    if lang not in site.config.languages:
        raise SitegenError(f"`{lang}` is not a language of the site (languages: "
                           f"{', '.join(site.config.languages)})", "--lang")
    if old_id == "previous":
        old_id = previous_version(site, new_id, lang)
    old, new = find(site, old_id, "OLD"), find(site, new_id, "NEW")
    for version, argument in ((old, "OLD"), (new, "NEW")):
        if lang not in version.documents:
            raise SitegenError(f"version {version.id} has no `{lang}` text; it exists in "
                               f"{', '.join(version.documents)}: choose one with --lang",
                               argument)
    swapped = old.key > new.key
    if swapped:
        old, new = new, old
    converted = convert_site(site, tuple(v for v in site.versions if v.key <= new.key),
                             languages=(lang,))
    paths = {old.documents[lang].path, new.documents[lang].path}
    problems = tuple(Problem(p.path, p.line, p.message, "warning")
                     for p in converted.errors if p.path in paths)
    redline = compare(old.documents[lang].body, converted.bodies[(old.id, lang)],
                      new.documents[lang].body, converted.bodies[(new.id, lang)])
    return Comparison(old.id, new.id, redline, swapped, problems)
