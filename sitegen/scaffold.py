"""Creating content: a new site (``sitegen init``) and a new version (``sitegen new``).

These only ever create files; they refuse to touch anything that exists.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .errors import SitegenError
from .content.load import PUBLISHED_FILE, load_site
from .content.reading import read_text
from .content.theming import DEFAULT_THEME, SITE_FILE
from .content.model import VERSION_ID, version_key
from .content.values import canonical_tag
from .content.published import manifest

SKELETONS = Path(__file__).parent / "skeleton"
KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:")
SITE_TEMPLATE = """\
# The site as a whole: see the sitegen README, "Content layout".
organisation: {organisation}
base_url: https://privacy.example.org/
# The first language is the default.
languages: [{languages}]
title:
{titles}
"""
GITIGNORE = """\
# What sitegen makes: rebuilt from the sources, never committed.
/public/
/public-drafts/
/.public.*
/.public-drafts.*
/.sitegen-cache/
"""


def set_front_matter(text: str, updates: dict[str, str | None]) -> str:
    """Set (or, with ``None``, remove) top-level front-matter keys, keeping the rest."""
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    out, skipping, done = [], False, set()
    for line in lines[1:end]:
        key = KEY.match(line)
        if key:
            skipping = key.group(1) in updates
            if skipping:
                done.add(key.group(1))
                if updates[key.group(1)] is not None:
                    comment = re.search(r"\s+#.*$", line)
                    out.append(f"{key.group(1)}: {updates[key.group(1)]}"
                               + (comment.group(0) if comment else ""))
                continue
        elif skipping and (not line.strip() or line[:1] in (" ", "\t", "-")):
            continue
        else:
            skipping = False
        out.append(line)
    out += [f"{k}: {v}" for k, v in updates.items() if k not in done and v is not None]
    return "\n".join(["---", *out, *lines[end:]])


def new_version(root: Path, version_id: str, date: dt.date) -> list[Path]:
    """Start ``version_id`` as a draft copy of the latest version in every language."""
    site = load_site(root)
    if not VERSION_ID.match(version_id):
        raise SitegenError(f"`{version_id}` is not a version id: use dotted numbers such as 3.2",
                           "VERSION")
    latest = site.versions[-1]
    if version_key(version_id) <= latest.key:
        raise SitegenError(f"version {version_id} does not sort after the latest version, "
                           f"{latest.id}: choose a higher number, e.g. {latest.id}.1", "VERSION")
    if date < latest.date:
        raise SitegenError(f"the date {date} is before {latest.date}, the date of {latest.id}",
                           "--date")
    folder = site.root / "versions" / version_id
    if folder.exists():
        raise SitegenError(f"{folder} exists already; sitegen new never overwrites a version",
                           "VERSION")
    texts = {lang: set_front_matter(read_text(site.root / doc.path, doc.path),
                                    {"date": date.isoformat(), "draft": "true", "summary": None,
                                     "renames": None, "corrections": None})
             for lang, doc in latest.documents.items()}
    return [_create(folder / f"{lang}.md", text) for lang, text in texts.items()]


def init_site(target: Path, languages: list[str], today: dt.date) -> list[Path]:
    """A new site in ``target``: site.yaml and version 1.0 in every language."""
    languages = [canonical_tag(lang) or lang for lang in languages]    # pt-br: pt-BR
    known = sorted(p.stem for p in SKELETONS.glob("*.md"))
    themed = {p.stem for p in (DEFAULT_THEME / "strings").glob("*.yaml")}
    for lang in languages:
        if lang not in known or lang not in themed:
            raise SitegenError(f"sitegen init has no starting text for `{lang}` "
                               f"(available: {', '.join(known)})", "--languages")
    if not languages:
        raise SitegenError("no language given: e.g. --languages nl,en", "--languages")
    if len(set(languages)) != len(languages):
        raise SitegenError("a language is given twice", "--languages")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SitegenError(f"{target} is not empty; sitegen init only creates a new site",
                           "DIRECTORY")
    titles = {lang: read_text(SKELETONS / f"{lang}.md", lang).split("\n")[1][len("title: "):]
              for lang in languages}
    files = {SITE_FILE: SITE_TEMPLATE.format(
        organisation="TODO your organisation", languages=", ".join(languages),
        titles="\n".join(f"  {lang}: {title}" for lang, title in titles.items()))}
    for lang in languages:
        text = read_text(SKELETONS / f"{lang}.md", lang)
        files[f"versions/1.0/{lang}.md"] = text.replace("{date}", today.isoformat())
    files[".gitignore"] = GITIGNORE
    return [_create(target / rel, text) for rel, text in files.items()]


def _create(path: Path, text: str) -> Path:
    """Write a new file (never over one that exists), or say why it cannot be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as err:
        raise SitegenError(f"cannot create the file: {err.strerror or err}", str(path)) from None
    return path


def lock(root: Path) -> Path:
    """Record the hash of every published text in ``versions/published.yaml``."""
    site = load_site(root)
    target = site.root / PUBLISHED_FILE
    staged = target.with_name(f".{target.name}.new")
    try:
        staged.write_text(manifest(site), "utf-8")
        staged.replace(target)          # atomic: the old lock or the new, never half
    except OSError as err:
        raise SitegenError(f"cannot write the file: {err.strerror or err}",
                           PUBLISHED_FILE) from None
    return target
