"""Imported texts -> version files in a site: the only writer of ``sitegen import``.

Everything is written into a staging folder inside the site first; only when
every file is written are the version folders moved into ``versions/`` (a
rename on the same file system), then ``site.yaml`` created if the site had
none. A failure on the way removes what this import made and nothing else.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..content.load import load_config, read_config
from ..content.model import VERSION_ID, version_key
from ..content.theming import SITE_FILE
from ..errors import Problem, SitegenError
from ..scaffold import GITIGNORE, SITE_TEMPLATE

PLACEHOLDER_URL = "https://privacy.example.org/"


@dataclass(frozen=True)
class Text:
    """One language's text of one imported version, and where it came from."""

    version: str
    lang: str
    title: str
    date: dt.date
    body: str                 # Markdown; the source's words, minus its title and date lines
    origin: str               # shown in reports: "abc1234:privacy/nl.md", "statement.docx"
    draft: bool = False


@dataclass(frozen=True)
class Imported:
    """What an import read: the texts to write and what the user should know
    about them (a line converted, a translation left out), each with its origin."""

    texts: tuple[Text, ...]
    notes: tuple[Problem, ...] = ()


def version_file(text: Text) -> str:
    """The file ``versions/<version>/<lang>.md`` for ``text``."""
    head = ["---", f"title: {_scalar(text.title)}", f"date: {text.date.isoformat()}"]
    if text.draft:
        head.append("draft: true")
    body = text.body.strip("\n")
    return "\n".join([*head, "---", "", body, ""]) if body else "\n".join([*head, "---", ""])


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain where YAML reads it back unchanged."""
    import yaml
    plain = value.strip() == value and not any(c in value for c in ":#'\"{}[],&*!|>%@`")
    if plain:
        try:
            plain = yaml.safe_load(value) == value
        except yaml.YAMLError:
            plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)   # JSON is YAML


def site_languages(root: Path) -> list[str] | None:
    """The languages of the site in ``root``, or None when there is no site yet."""
    if not (root / SITE_FILE).is_file():
        return None
    return list(load_config(read_config(root)).languages)


def write(root: Path, texts: Sequence[Text], languages: Sequence[str]) -> list[Path]:
    """Write ``texts`` as new versions of the site in ``root`` (made, with
    ``languages`` in this order, if it has no ``site.yaml``); all or nothing."""
    existing = site_languages(root)
    _refuse_clashes(root, texts, existing)
    files = {f"versions/{t.version}/{t.lang}.md": version_file(t) for t in texts}
    new_site = existing is None
    if new_site:
        files[SITE_FILE] = _site_yaml(texts, languages)
        files[".gitignore"] = GITIGNORE
    return _commit(root, files)


def _refuse_clashes(root: Path, texts: Sequence[Text], languages: list[str] | None) -> None:
    for text in texts:
        if not VERSION_ID.match(text.version):
            raise SitegenError(f"`{text.version}` is not a version id: use dotted numbers "
                               "such as 3.1", "--numbering")
        if languages is not None and text.lang not in languages:
            raise SitegenError(f"the site's languages are {', '.join(languages)}; add "
                               f"`{text.lang}` to `languages:` before importing it", SITE_FILE)
        folder = root / "versions" / text.version
        if folder.exists():
            raise SitegenError(f"version {text.version} exists already: an import never "
                               "overwrites a version (import under other version numbers, "
                               "into a new site, or move this folder aside)", str(folder))


def _site_yaml(texts: Sequence[Text], languages: Sequence[str]) -> str:
    latest = {t.lang: t.title for t in sorted(texts, key=lambda t: version_key(t.version))}
    titles = "\n".join(f"  {lang}: {_scalar(latest[lang])}" for lang in languages
                       if lang in latest)
    return SITE_TEMPLATE.format(organisation="TODO your organisation",
                                languages=", ".join(languages), titles=titles)


def _commit(root: Path, files: dict[str, str]) -> list[Path]:
    """Stage every file, then move them in; undo this import's own files on failure."""
    placed: list[Path] = []
    try:
        root.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".sitegen-import-", dir=root))
    except OSError as err:
        raise SitegenError(f"cannot write in the site's folder: {err.strerror or err}",
                           str(root)) from None
    try:
        for rel, content in files.items():
            path = stage / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, "utf-8")
        (root / "versions").mkdir(exist_ok=True)
        for folder in sorted((stage / "versions").iterdir()):
            target = root / "versions" / folder.name
            os.rename(folder, target)           # fails if a folder appeared meanwhile
            placed.append(target)
        for rel in (SITE_FILE, ".gitignore"):
            if (stage / rel).exists():
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                os.link(stage / rel, root / rel)    # fails, never replaces, if one exists
                placed.append(root / rel)
    except OSError as err:
        for path in reversed(placed):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        raise SitegenError(f"cannot write the imported versions: {err.strerror or err} "
                           f"({getattr(err, 'filename', '') or root}); the site is as it was",
                           str(root)) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return sorted(root / rel for rel in files)
