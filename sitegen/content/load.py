"""Files -> validated ``Site``. The only module that reads the site's files.

Every problem a user can cause becomes a ``Problem`` with file and line; all of
them are collected and raised together as ``ContentErrors``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from typing import Any, Callable, Mapping

from . import frontmatter
from ..errors import ContentError, ContentErrors, Problem, SitegenError, brief
from ..reuse import Reuse, afresh
from .model import VERSION_ID, Correction, Document, Seal, Site, SiteConfig, Version, version_key
from .paths import refusals
from .contact import contact_details
from .media import load_media
from .values import anchor_id, canonical_tag, one_line_problem, url_problem
from .reading import MAX_FILE_BYTES, check_keys, collect, decode_text, read_bytes, read_text
from .theming import SITE_FILE, load_strings, load_theme

__all__ = ["MAX_FILE_BYTES", "PUBLISHED_FILE", "SITE_FILE", "load_site"]

SITE_KEYS = {"languages": True, "base_url": True, "title": True, "organisation": True,
             "website": False, "contact_email": False, "allow_html": False,
             "locales": False, "anchors": False, "contact": False}
DOC_KEYS = {"title": True, "date": True, "summary": False, "draft": False, "renames": False,
            "removed": False, "corrections": False, "rights_notes": False}
PUBLISHED_FILE = "versions/published.yaml"
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")    # \Z, not $: no line break after


def _language_problem(code: Any) -> str | None:
    if not isinstance(code, str) or canonical_tag(code) != code:
        return (f"`{brief(code)}` is not a language tag such as nl, en, pt-BR, zh-Hant or "
                "sr-Latn (language, then script and region if needed)")
    from babel import Locale, UnknownLocaleError   # not needed when the answer is kept
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return f"`{code}` is not a language known to CLDR"
    return None


def read_config(root: Path) -> str:
    path = root / SITE_FILE
    if not path.is_file():
        raise ContentError(SITE_FILE, 0, f"no {SITE_FILE} in {root}: is this a sitegen "
                           "site? Run the command in the site's folder or give --site DIR")
    return read_text(path, SITE_FILE)


def load_config(text: str, base_url: str | None = None, reuse: Reuse = afresh,
                warnings: list[Problem] | None = None) -> SiteConfig:
    """``content/site.yaml``, already read, validated key by key; a language tag
    spelt in another case is taken in its own, with a warning in ``warnings``."""
    parsed = frontmatter.parse_mapping(text, SITE_FILE, reuse=reuse)
    problems = check_keys(parsed, SITE_KEYS, SITE_FILE, 1)
    if problems:
        raise ContentErrors(problems)
    data, line = parsed.data, parsed.key_lines.get

    def fail(key: str, message: str) -> ContentError:
        return ContentError(SITE_FILE, line(key, 1), message)

    def language_problem(code: Any) -> str | None:           # CLDR's answers are kept
        return reuse("language problem", code, lambda: _language_problem(code)) \
            if isinstance(code, str) else _language_problem(code)

    languages = data["languages"]
    if not isinstance(languages, list) or not languages:
        raise fail("languages", "`languages` must be a list such as [nl, en]")
    spelt = [canonical_tag(code) or code if isinstance(code, str) else code
             for code in languages]
    for code, tag in zip(languages, spelt):
        if tag != code and warnings is not None:
            warnings.append(Problem(SITE_FILE, line("languages", 1), f"language `{code}` is "
                                    f"written `{tag}` (BCP 47); taken as `{tag}`", "warning"))
    languages = spelt
    for code in languages:
        if (problem := language_problem(code)) is not None:
            raise fail("languages", problem)
    if len(set(languages)) != len(languages):
        raise fail("languages", "a language is listed twice in `languages`")
    url = base_url if base_url is not None else data["base_url"]
    if (problem := url_problem(url)) is not None:
        if base_url is not None:                 # the option's value, not the file's
            raise SitegenError(problem, "--base-url")
        raise fail("base_url", problem)
    titles = data["title"]
    if isinstance(titles, str):
        titles = {code: titles for code in languages}
    if not isinstance(titles, dict) or any(not isinstance(titles.get(c), str) for c in languages):
        raise fail("title", "`title` needs a text for every language, e.g. `nl: ...` and `en: ...`")
    if not isinstance(data.get("allow_html", False), bool):
        raise fail("allow_html", "`allow_html` must be true or false")
    locales = data.get("locales") or {}
    if not isinstance(locales, dict) or any(
            c not in languages or language_problem(str(v).replace("_", "-"))
            for c, v in locales.items()):
        raise fail("locales", "`locales` maps a declared language to a CLDR locale, "
                   "e.g. `en: en_GB`")
    for key in ("organisation", "website", "contact_email"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            raise fail(key, f"`{key}` needs a text; remove the line if there is none")
        if (problem := one_line_problem(key, data.get(key))) is not None:
            raise fail(key, problem)
    for code in languages:
        if (problem := one_line_problem("title", titles[code])) is not None:
            raise fail("title", problem)
    if "website" in data and not re.match(r"^https?://[^\s/]+", data["website"]):
        raise fail("website", f"website `{brief(data['website'])}` must be an http(s) address")
    if "contact_email" in data and not re.match(r"^[^@\s<>\"':]+@[^@\s<>\"']+\.[^@\s<>\"']+$",
                                                data["contact_email"]):
        raise fail("contact_email", f"`{brief(data['contact_email'])}` is not an e-mail "
                   "address")
    if data.get("anchors", "lenient") not in ("strict", "lenient"):
        raise fail("anchors", "`anchors` is `strict` (every rename or removal of a published "
                   "section must be declared) or `lenient` (the default)")
    contact = contact_details(data.get("contact"), languages, fail)
    text = {k: str(data.get(k) or "").strip() for k in ("organisation", "website", "contact_email")}
    return SiteConfig(languages=tuple(languages), base_url=url.rstrip("/") + "/",
                      titles={c: titles[c] for c in languages},
                      allow_html=bool(data.get("allow_html", False)),
                      locales={c: str(v) for c, v in locales.items()},
                      strict_anchors=data.get("anchors") == "strict", contact=contact, **text)


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def parse_document(text: str, path: str, version: str, lang: str,
                   reuse: Reuse = afresh, digest: str = "") -> Document:
    """One ``versions/<version>/<lang>.md`` file, already read; its front matter
    parsed through ``reuse`` (YAML is most of the cost of loading a site).
    ``digest``: the SHA-256 of ``text``, if known."""
    parts = frontmatter.split(text, path)
    parsed = frontmatter.parse_mapping(parts.meta, path, parts.meta_line, reuse)
    problems = check_keys(parsed, DOC_KEYS, path, 1)
    data, line = parsed.data, parsed.key_lines.get
    title = data.get("title")
    if "title" in data and (not isinstance(title, str) or not title.strip()):
        problems.append(Problem(path, line("title", 1), "`title` must be a text"))
    for key in ("title", "summary"):
        if (problem := one_line_problem(key, data.get(key))) is not None:
            problems.append(Problem(path, line(key, 1), problem))
    date = parse_date(data.get("date"))
    if "date" in data and data["date"] is None:
        problems.append(Problem(path, line("date", 1), "the date is empty: write the effective "
                                "date as YYYY-MM-DD, e.g. 2018-05-25"))
    elif "date" in data and date is None:
        problems.append(Problem(path, line("date", 1), f"date `{brief(data['date'])}` is not a valid "
                                "ISO date: write YYYY-MM-DD, e.g. 2018-05-25"))
    summary = data.get("summary") or ""
    if not isinstance(summary, str):
        problems.append(Problem(path, line("summary", 1), "`summary` must be a text"))
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        problems.append(Problem(path, line("draft", 1), "`draft` must be true or false"))
    renames = data.get("renames") or {}
    if not isinstance(renames, dict) or not all(
            anchor_id(k) and anchor_id(v) for k, v in renames.items()):
        problems.append(Problem(path, line("renames", 1), "`renames` maps old anchor ids to new "
                                "ones, one `old-id: new-id` per line"))
    removed = _removed(data.get("removed"), path, line("removed", 1), problems)
    corrections = _corrections(data.get("corrections"), path, line("corrections", 1), problems)
    notes = _rights_notes(data.get("rights_notes"), path, line("rights_notes", 1), problems)
    if problems:
        raise ContentErrors(problems)
    return Document(path=path, version=version, lang=lang, title=title.strip(), date=date,
                    body=parts.body, body_line=parts.body_line, summary=summary.strip(),
                    draft=draft, renames=dict(renames), removed=removed,
                    key_lines=dict(parsed.key_lines),
                    text=text, corrections=corrections, rights_notes=notes,
                    digest=digest or hashlib.sha256(text.encode("utf-8")).hexdigest())


def _removed(value: Any, path: str, line: int, problems: list[Problem]) -> dict[str, str]:
    """``removed:``: the anchors of sections this version removes, as a list or
    as a mapping to the reason shown where the section was."""
    return _lines_by_key(
        "removed", dict.fromkeys(value, "") if isinstance(value, list) else value,
        lambda k, v: bool(anchor_id(k)) and (v is None or isinstance(v, str)), path, line,
        problems, "lists the anchor ids of removed sections (`removed: [newsletter]`), or "
        "maps each to the reason shown in its place (`newsletter: We no longer send one.`)")


def _rights_notes(value: Any, path: str, line: int,
                  problems: list[Problem]) -> dict[str, str]:
    """``rights_notes:``: a line per right that changed, by its article number
    (``17: You may now ask us to erase your data without giving a reason.``)."""
    return _lines_by_key(
        "rights_notes", value,
        lambda k, v: str(k).isdigit() and isinstance(v, str) and bool(v.strip()), path, line,
        problems, "maps the article number of a right to one line on what changed in it "
        "(`17: You may now ask us to erase your data.`)")


def _lines_by_key(key: str, value: Any, valid: Callable[[Any, Any], bool], path: str,
                  line: int, problems: list[Problem], usage: str) -> dict[str, str]:
    """A front-matter mapping of one line of text each (``None``: none), where
    ``valid`` accepts each key and value; else a problem at ``line`` saying what
    ``key`` holds (``usage``)."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(valid(k, v) for k, v in value.items()):
        problems.append(Problem(path, line, f"`{key}` {usage}"))
        return {}
    for text in value.values():
        if (problem := one_line_problem(key, text)) is not None:
            problems.append(Problem(path, line, problem))
    return {str(k): (v or "").strip() for k, v in value.items()}


def _corrections(value: Any, path: str, line: int,
                 problems: list[Problem]) -> tuple[Correction, ...]:
    """``corrections:`` — a list of ``- date: YYYY-MM-DD`` / ``note: ...`` entries."""
    if value is None:
        return ()
    entries = value if isinstance(value, list) else [None]
    result = []
    for entry in entries:
        date = parse_date(entry.get("date")) if isinstance(entry, dict) else None
        note = entry.get("note") if isinstance(entry, dict) else None
        if date is None or not isinstance(note, str) or not note.strip() or len(entry) != 2:
            problems.append(Problem(path, line, "`corrections` is a list of entries, each with "
                                    "`date: YYYY-MM-DD` and `note: what was corrected`"))
            return ()
        if (problem := one_line_problem("note", note)) is not None:
            problems.append(Problem(path, line, problem))
            return ()
        result.append(Correction(date, note.strip()))
    return tuple(result)


def load_published(root: Path, problems: list[Problem], reuse: Reuse = afresh
                   ) -> dict[tuple[str, str], Seal]:
    """``versions/published.yaml``, written by ``sitegen lock``."""
    path = root / PUBLISHED_FILE
    if not path.is_file():
        return {}
    parsed = collect(problems, lambda: frontmatter.parse_mapping(
        read_text(path, PUBLISHED_FILE), PUBLISHED_FILE, reuse=reuse))
    if parsed is None:
        return {}
    seals = {}
    for version, languages in parsed.data.items():
        entries = languages.items() if isinstance(languages, dict) else [(None, None)]
        for lang, entry in entries:
            seal = _seal(entry)
            if seal is None:
                problems.append(Problem(PUBLISHED_FILE, parsed.key_lines.get(version, 1),
                                        f"entry `{version}` is not as `sitegen lock` writes it; "
                                        "run `sitegen lock` again"))
                break
            seals[(str(version), str(lang))] = seal
    return seals


def _seal(entry: Any) -> Seal | None:
    """One entry of ``published.yaml``; ``None`` if it is not as ``lock`` writes it
    (with ``date``, ``title`` and ``summary``, or, from an earlier sitegen, none)."""
    if not (isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get("corrections", 0), int)):
        return None
    fields = {name: entry[name] for name in ("date", "title", "summary") if name in entry}
    if fields and (len(fields) != 3 or not all(isinstance(v, str) for v in fields.values())):
        return None
    return Seal(entry["sha256"], entry.get("corrections", 0), fields)


def load_version(folder: str, shown_dir: str, config: SiteConfig, problems: list[Problem],
                 reuse: Reuse = afresh, contents: Mapping[str, bytes] | None = None,
                 digests: Mapping[str, str] | None = None) -> Version | None:
    """The folder ``folder`` (shown as ``shown_dir``): a path as a string, as
    the paths of ``contents`` and ``digests`` are (a Path per file costs as
    much as the rest of a kept statement's loading)."""
    documents: dict[str, Document] = {}
    for name in sorted(os.listdir(folder)):
        shown = f"{shown_dir}/{name}"
        lang, suffix = os.path.splitext(name)
        if name.startswith(".") or suffix != ".md":
            continue
        lang = canonical_tag(lang) or lang          # pt-br.md is the statement in pt-BR
        if lang not in config.languages:
            problems.append(Problem(shown, 0, f"language `{lang}` is not declared in {SITE_FILE} "
                                    f"(languages: {', '.join(config.languages)}); add it "
                                    "there or rename the file"))
            continue
        doc = collect(problems, load_document, os.path.join(folder, name), shown, lang, reuse,
                      contents, digests)
        if doc is not None:
            documents[lang] = doc
    if not documents:
        if not any(p.path.startswith(shown_dir + "/") for p in problems):
            problems.append(Problem(shown_dir, 0, "the version folder has no statement: add "
                                    "<lang>.md files such as nl.md"))
        return None
    ordered = [documents[c] for c in config.languages if c in documents]
    first = ordered[0]
    for doc in ordered[1:]:
        for attr, key in (("date", "date"), ("draft", "draft")):
            if getattr(doc, attr) != getattr(first, attr):
                problems.append(Problem(doc.path, doc.line_of(key), f"{key} "
                    f"`{getattr(doc, attr)}` differs from {first.path}:{first.line_of(key)} "
                    f"(`{getattr(first, attr)}`); a version has one {key} in all its languages"))
    return Version(id=os.path.basename(folder), date=first.date, draft=first.draft,
                   documents={d.lang: d for d in ordered})


def load_document(path: str | Path, shown: str, lang: str, reuse: Reuse = afresh,
                  contents: Mapping[str, bytes] | None = None,
                  digests: Mapping[str, str] | None = None) -> Document:
    """One statement file. Its bytes are taken from ``contents`` if they were read
    already; with the file's SHA-256 in ``digests``, the statement is made
    through ``reuse`` (a statement loaded in an earlier build need not be read)."""
    path = os.fspath(path)
    digest = digests.get(path, "") if digests else ""
    if not digest:
        return _read_document(path, shown, lang, reuse, contents, digest)
    return reuse("statement", (shown, lang, digest), lambda: _read_document(
        path, shown, lang, reuse, contents, digest))


def _read_document(path: str, shown: str, lang: str, reuse: Reuse,
                   contents: Mapping[str, bytes] | None, digest: str) -> Document:
    data = contents.get(path) if contents else None
    if data is None:                      # not read by the fingerprint: unchanged since
        data = read_bytes(Path(path), shown)
        if digest and hashlib.sha256(data).hexdigest() != digest:
            raise ContentError(shown, 0, "the file changed while the site was being "
                               "built: build again")
    text = decode_text(data, shown)
    plain = not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data   # the text is the bytes
    version = os.path.basename(os.path.dirname(path))
    return parse_document(text, shown, version, lang, reuse, digest if plain else "")


def load_versions(root: Path, config: SiteConfig, problems: list[Problem],
                  reuse: Reuse = afresh, contents: Mapping[str, bytes] | None = None,
                  digests: Mapping[str, str] | None = None) -> list[Version]:
    base = root / "versions"
    if not base.is_dir():
        problems.append(Problem("versions", 0, "no versions/ folder: add versions/<id>/<lang>.md, "
                                "e.g. versions/1.0/nl.md"))
        return []
    seen: dict[tuple[int, ...], str] = {}
    versions = []
    with os.scandir(base) as entries:
        folders = sorted((entry.name, entry.path) for entry in entries
                         if not entry.name.startswith(".") and entry.is_dir())
    for name, folder in folders:
        shown = f"versions/{name}"
        if not VERSION_ID.match(name):
            problems.append(Problem(shown, 0, f"`{name}` is not a version id: name version "
                                    "folders with dotted numbers such as 3.1 or 3.10"))
            continue
        key = version_key(name)
        if key in seen:
            problems.append(Problem(shown, 0, f"names the same version as {seen[key]}; "
                                    "keep one of the two folders"))
            continue
        seen[key] = shown
        version = load_version(folder, shown, config, problems, reuse, contents, digests)
        if version is not None:
            versions.append(version)
    versions.sort(key=lambda v: v.key)
    if not versions and not problems:
        problems.append(Problem("versions", 0, "there is no version yet: add "
                                "versions/<id>/<lang>.md, e.g. versions/1.0/nl.md"))
    return versions


def load_site(root: Path, base_url: str | None = None, reuse: Reuse = afresh,
              contents: Mapping[str, bytes] | None = None,
              digests: Mapping[str, str] | None = None) -> Site:
    """Read and validate the whole site at ``root``; raise every problem at once.
    Parsed YAML, CLDR's answers and statements are made through ``reuse``; the statements
    are taken from ``contents`` (bytes by path) where they were read already, with
    their SHA-256 from ``digests``."""
    root = root.resolve()
    refused = [Problem(path, 0, why) for folder in ("content", "versions", "theme")
               for path, why in refusals(root / folder, root)]
    if refused:
        raise ContentErrors(refused)
    site_text = read_config(root)
    noticed: list[Problem] = []
    config = load_config(site_text, base_url, reuse, noticed)
    problems: list[Problem] = []
    theme, assets = load_theme(root, problems)
    media = load_media(root, problems)
    strings = load_strings(theme, config.languages, problems, root, reuse, noticed)
    versions = load_versions(root, config, problems, reuse, contents, digests)
    published = load_published(root, problems, reuse)
    if problems:
        raise ContentErrors(problems)
    warnings = tuple(noticed) + tuple(
        Problem(SITE_FILE, number, "placeholder text (TODO) to fill in", "warning")
        for number, line in enumerate(site_text.split("\n"), 1) if "TODO" in line)
    return Site(root=root, config=config, versions=tuple(versions), theme=theme,
                strings=strings, assets=assets, media=media, published=published,
                warnings=warnings)
