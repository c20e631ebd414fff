"""`sitegen init` (a new site) and `sitegen new` (a new version), through the CLI,
and the front-matter editing they rely on."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from sitegen.cli import main
from sitegen.scaffold import set_front_matter
from tests.conftest import page

RIGHTS = ("art-15", "art-16", "art-17", "art-18", "art-20", "art-21", "art-77")


def sitegen(*args: str) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def refused(result: Result) -> str:
    """The command failed as a user error: exit 1, a message, no traceback."""
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, (AssertionError, TypeError, ValueError,
                                             KeyError, AttributeError, StopIteration)), \
        result.exception
    assert "Traceback" not in result.output
    assert result.output.strip(), "refused without saying why"
    return result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def split(text: str) -> tuple[dict, str]:
    """(front matter as parsed by PyYAML, body) of a statement file."""
    assert text.startswith("---\n"), text[:80]
    meta, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(meta) or {}, body


class Ids(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v for k, v in attrs if k == "id" and v]


def ids(path: Path) -> list[str]:
    return Ids(path.read_text("utf-8")).ids


# --------------------------------------------------------------------------- init

@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A site made by `sitegen init` with the default languages."""
    target = tmp_path / "mysite"
    result = sitegen("init", target)
    assert result.exit_code == 0, result.output
    return target


def test_init_creates_site_yaml_and_version_1_0(fresh: Path) -> None:
    assert sorted(snapshot(fresh)) == [".gitignore", "content/site.yaml", "versions/1.0/en.md",
                                       "versions/1.0/nl.md"]
    config = yaml.safe_load((fresh / "content" / "site.yaml").read_text("utf-8"))
    assert config["languages"] == ["nl", "en"]                  # nl first: the default
    assert set(config["title"]) == {"nl", "en"}
    for lang in ("nl", "en"):
        meta, body = split((fresh / "versions" / "1.0" / f"{lang}.md").read_text("utf-8"))
        assert str(meta["date"]) == dt.date.today().isoformat()
        assert "{date}" not in body and meta.get("draft") in (None, False)


def test_init_then_check_passes_with_placeholder_warnings(fresh: Path) -> None:
    result = sitegen("check", "--site", fresh)
    assert result.exit_code == 0, result.output
    warnings = re.findall(r"^(versions/1\.0/(nl|en)\.md):(\d+): warning: (.*TODO.*)$",
                          result.output, re.M)
    assert {lang for _, lang, _, _ in warnings} == {"nl", "en"}, result.output
    assert re.search(r"^0 errors, \d+ warnings$", result.output, re.M), result.output
    assert "error:" not in result.output
    # each warning points at a line that holds a TODO, and every TODO line is reported
    for lang in ("nl", "en"):
        lines = (fresh / "versions" / "1.0" / f"{lang}.md").read_text("utf-8").split("\n")
        reported = {int(n) for path, code, n, _ in warnings if code == lang}
        for number in reported:
            assert "TODO" in lines[number - 1], (lang, number, lines[number - 1])
        assert reported == {i for i, line in enumerate(lines, 1) if "TODO" in line}, lang


def test_check_still_warns_about_the_todo_in_site_yaml(fresh: Path) -> None:
    """init says "fill in the TODO lines, then sitegen check": once the statement is
    filled in, check must still point at the TODO left in content/site.yaml, or the
    site goes out as "Published by TODO your organisation"."""
    for md in (fresh / "versions").rglob("*.md"):
        md.write_text(md.read_text("utf-8").replace("TODO", "Filled in"), "utf-8")
    assert "TODO" in (fresh / "content" / "site.yaml").read_text("utf-8")
    result = sitegen("check", "--site", fresh)
    assert result.exit_code == 0, result.output
    assert re.search(r"^content/site\.yaml(:\d+)?: warning: .*TODO", result.output, re.M), \
        result.output


def test_init_then_build_has_every_rights_anchor(fresh: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    result = sitegen("build", "--site", fresh, "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file()
    for lang in ("nl", "en"):
        for address in ("", "1.0/"):
            found = ids(out / lang / address / "index.html")
            missing = [anchor for anchor in RIGHTS if anchor not in found]
            assert not missing, f"/{lang}/{address} lacks {missing}"
            assert len(found) == len(set(found)), f"/{lang}/{address} repeats an id"
    assert (out / "nl" / "versions" / "index.html").is_file()


def test_init_git_ignores_what_builds_make(fresh: Path) -> None:
    """`git add -A` after init and a build, a drafts build and a rebuild: only sources."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for args in (["--today", "2030-01-01"], ["--drafts", "--today", "2030-01-01"],
                 ["--today", "2030-01-02"]):
        assert sitegen("build", "--site", fresh, *args).exit_code == 0
    assert (fresh / "public").is_dir() and (fresh / "public-drafts").is_dir()
    assert (fresh / ".public.previous").is_dir() and (fresh / ".sitegen-cache").is_dir()
    subprocess.run(["git", "init", "-q", str(fresh)], check=True)
    subprocess.run(["git", "-C", str(fresh), "add", "-A"], check=True)
    staged = subprocess.run(["git", "-C", str(fresh), "diff", "--cached", "--name-only"],
                            check=True, capture_output=True, text=True).stdout.split()
    assert sorted(staged) == [".gitignore", "content/site.yaml", "versions/1.0/en.md",
                              "versions/1.0/nl.md"]


def test_init_with_one_language(tmp_path: Path) -> None:
    target = tmp_path / "en-only"
    result = sitegen("init", target, "--languages", "en")
    assert result.exit_code == 0, result.output
    assert sorted(snapshot(target)) == [".gitignore", "content/site.yaml", "versions/1.0/en.md"]
    assert yaml.safe_load((target / "content" / "site.yaml").read_text("utf-8"))[
        "languages"] == ["en"]
    out = tmp_path / "public"
    assert sitegen("build", "--site", target, "--out", out).exit_code == 0
    assert all(a in ids(out / "en" / "index.html") for a in RIGHTS)


def test_init_order_of_languages_sets_the_default(tmp_path: Path) -> None:
    target = tmp_path / "site"
    assert sitegen("init", target, "--languages", "en,nl").exit_code == 0
    out = tmp_path / "public"
    assert sitegen("build", "--site", target, "--out", out).exit_code == 0
    assert '<html lang="en"' in (out / "index.html").read_text("utf-8")


def test_init_into_an_existing_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    assert sitegen("init", target).exit_code == 0
    assert (target / "content" / "site.yaml").is_file()


def test_init_refuses_a_non_empty_folder_and_leaves_it_alone(tmp_path: Path) -> None:
    target = tmp_path / "busy"
    (target / "content").mkdir(parents=True)
    (target / "notes.txt").write_text("mine\n", "utf-8")
    (target / "content" / "site.yaml").write_text("organisation: Mine\n", "utf-8")
    before = snapshot(target)
    output = refused(sitegen("init", target))
    assert "not empty" in output
    assert snapshot(target) == before


def test_init_refuses_twice(fresh: Path) -> None:
    before = snapshot(fresh)
    refused(sitegen("init", fresh))
    assert snapshot(fresh) == before


@pytest.mark.parametrize("languages", ["nl,xx", "xx", "nl,en,zz", "nl,english"])
def test_init_refuses_an_unknown_language(tmp_path: Path, languages: str) -> None:
    target = tmp_path / "site"
    output = refused(sitegen("init", target, "--languages", languages))
    unknown = [c for c in languages.split(",") if c not in ("nl", "en")]
    assert f"`{unknown[0]}`" in output, output
    assert not target.exists() or not any(target.iterdir()), "files written for a refused init"


def test_init_takes_a_language_tag_in_its_own_case(tmp_path: Path) -> None:
    result = sitegen("init", tmp_path / "site", "--languages", "nl,PT-br")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "versions" / "1.0" / "pt-BR.md").is_file()
    assert "languages: [nl, pt-BR]" in (tmp_path / "site" / "content" / "site.yaml").read_text()


# --------------------------------------------------------------------------- new

EN_1 = """\
## Introduction

Text one.

## Your rights

### Right of access {art=15}

You may see your data.

### Right to erasure {art=17}

You may have it erased.
"""
NL_1 = """\
## Inleiding

Tekst een.

## Uw rechten

### Recht op inzage {art=15}

U mag uw gegevens inzien.

### Recht op verwijdering {art=17}

U mag ze laten wissen.
"""
EN_2 = EN_1.replace("Right to erasure", "Right to be forgotten")
NL_2 = NL_1.replace("Recht op verwijdering", "Recht op vergetelheid")

SITE = {
    "versions/1.0/nl.md": page("Privacyverklaring", "2018-05-25", NL_1, "summary: Eerste.\n"),
    "versions/1.0/en.md": page("Privacy statement", "2018-05-25", EN_1, "summary: First.\n"),
    "versions/2.0/nl.md": "---\n# Versie 2.0, Nederlands.\ntitle: Privacyverklaring\n"
                          "date: 2020-01-01\nsummary: >\n  Tweede versie,\n  over twee regels.\n"
                          "renames:\n  # hernoemd in 2.0\n"
                          "  recht-op-verwijdering: recht-op-vergetelheid\n---\n\n" + NL_2,
    "versions/2.0/en.md": page("Privacy statement", "2020-01-01", EN_2,
                               "summary: Second.\nrenames:\n"
                               "  right-to-erasure: right-to-be-forgotten\n"),
}


@pytest.fixture
def site(make_site) -> Path:
    return make_site(SITE)


def test_new_creates_a_draft_copy_in_every_language(site: Path) -> None:
    result = sitegen("new", "2.1", "--date", "2027-01-01", "--site", site)
    assert result.exit_code == 0, result.output
    created = sorted(p.name for p in (site / "versions" / "2.1").iterdir())
    assert created == ["en.md", "nl.md"]
    for lang in ("nl", "en"):
        assert f"2.1/{lang}.md" in result.output.replace("\\", "/")
        old_text = (site / "versions" / "2.0" / f"{lang}.md").read_text("utf-8")
        new_text = (site / "versions" / "2.1" / f"{lang}.md").read_text("utf-8")
        old_meta, old_body = split(old_text)
        meta, body = split(new_text)
        assert meta["draft"] is True
        assert str(meta["date"]) == "2027-01-01"
        assert meta["title"] == old_meta["title"]
        assert "summary" not in meta and "renames" not in meta, meta
        assert not re.search(r"^(summary|renames):", new_text, re.M)
        assert "recht-op-verwijdering" not in new_text.split("\n---\n")[0]
        assert "right-to-erasure" not in new_text.split("\n---\n")[0]
        assert body == old_body
    # the comment that starts the Dutch front matter is kept
    assert "# Versie 2.0, Nederlands." in (site / "versions" / "2.1" / "nl.md").read_text("utf-8")


def test_the_new_draft_passes_check_and_builds_with_drafts(site: Path, tmp_path: Path) -> None:
    assert sitegen("new", "2.1", "--date", "2027-01-01", "--site", site).exit_code == 0
    result = sitegen("check", "--site", site, "--today", "2026-11-28")
    assert result.exit_code == 0, result.output
    out = tmp_path / "public"
    result = sitegen("build", "--site", site, "--out", out, "--drafts", "--today", "2026-11-28")
    assert result.exit_code == 0, result.output
    html = (out / "en" / "2.1" / "index.html").read_text("utf-8")
    assert "DRAFT" in html
    # the renamed right keeps its alias anchor in the copy: links never break
    assert "right-to-erasure" in ids(out / "en" / "2.1" / "index.html")


def test_new_does_not_carry_the_corrections_of_the_latest_version(site: Path,
                                                                   tmp_path: Path) -> None:
    """`corrections:` records changes to the published text of *that* version; the new
    version's page must not claim them."""
    path = site / "versions" / "2.0" / "en.md"
    path.write_text(path.read_text("utf-8").replace(
        "date: 2020-01-01\n", "date: 2020-01-01\ncorrections:\n  - date: 2021-03-01\n"
        "    note: Typo corrected in the right of access.\n"), "utf-8")
    assert sitegen("check", "--site", site, "--today", "2026-11-28").exit_code == 0
    result = sitegen("new", "2.1", "--date", "2027-01-01", "--site", site)
    assert result.exit_code == 0, result.output
    text = (site / "versions" / "2.1" / "en.md").read_text("utf-8")
    meta, _ = split(text)
    assert "corrections" not in meta, meta
    assert "Typo corrected" not in text
    out = tmp_path / "public"
    assert sitegen("build", "--site", site, "--out", out, "--drafts",
                   "--today", "2026-11-28").exit_code == 0
    assert "Typo corrected" in (out / "en" / "2.0" / "index.html").read_text("utf-8")
    assert "Typo corrected" not in (out / "en" / "2.1" / "index.html").read_text("utf-8")


def test_new_on_a_site_from_init(fresh: Path) -> None:
    result = sitegen("new", "1.1", "--date", "2027-01-01", "--site", fresh)
    assert result.exit_code == 0, result.output
    for lang in ("nl", "en"):
        old_meta, old_body = split((fresh / "versions/1.0" / f"{lang}.md").read_text("utf-8"))
        meta, body = split((fresh / "versions/1.1" / f"{lang}.md").read_text("utf-8"))
        assert meta == {"title": old_meta["title"], "date": dt.date(2027, 1, 1), "draft": True}
        assert body == old_body
    assert sitegen("check", "--site", fresh).exit_code == 0


def test_new_date_defaults_to_today(site: Path) -> None:
    assert sitegen("new", "3.0", "--site", site).exit_code == 0
    meta, _ = split((site / "versions" / "3.0" / "en.md").read_text("utf-8"))
    assert str(meta["date"]) == dt.date.today().isoformat()


@pytest.mark.parametrize("version", ["2.0", "02.0", "2.00", "1.0", "01.0", "1.5", "0.9"])
def test_new_refuses_an_existing_or_older_version(site: Path, version: str) -> None:
    before = snapshot(site)
    output = refused(sitegen("new", version, "--date", "2027-01-01", "--site", site))
    assert "2.0" in output                     # names the latest version
    assert snapshot(site) == before
    assert not (site / "versions" / version).exists() or version in ("2.0", "1.0")


def test_new_refuses_an_equivalent_id_of_the_only_version(fresh: Path) -> None:
    before = snapshot(fresh)
    for version in ("1.0", "01.0", "1.00", "001.000"):
        output = refused(sitegen("new", version, "--date", "2027-01-01", "--site", fresh))
        assert "1.0" in output
    assert snapshot(fresh) == before


@pytest.mark.parametrize("version", ["v2.1", "2.x", "2..1", "2.1.", ".2", "2,1", "3 .0",
                                     "../3.0", "3.0/../../x", "３.0"])
def test_new_refuses_an_invalid_id(site: Path, version: str) -> None:
    before = snapshot(site)
    output = refused(sitegen("new", version, "--date", "2027-01-01", "--site", site))
    assert "version id" in output, output
    assert snapshot(site) == before
    assert sorted(p.name for p in (site / "versions").iterdir()) == ["1.0", "2.0"]


def test_new_refuses_a_date_before_the_latest(site: Path) -> None:
    before = snapshot(site)
    output = refused(sitegen("new", "2.1", "--date", "2019-12-31", "--site", site))
    assert "2020-01-01" in output
    assert snapshot(site) == before
    assert not (site / "versions" / "2.1").exists()


def test_new_never_overwrites(site: Path) -> None:
    # something is already where the new version would go
    (site / "versions" / "2.1").write_text("not a folder, but mine\n", "utf-8")
    before = snapshot(site)
    refused(sitegen("new", "2.1", "--date", "2027-01-01", "--site", site))
    assert snapshot(site) == before


def test_new_refuses_on_a_broken_site_without_writing(site: Path) -> None:
    path = site / "versions" / "2.0" / "en.md"
    path.write_text(path.read_text("utf-8").replace("2020-01-01", "2020-02-30"), "utf-8")
    before = snapshot(site)
    output = refused(sitegen("new", "2.1", "--date", "2027-01-01", "--site", site))
    assert "versions/2.0/en.md" in output
    assert snapshot(site) == before


def test_new_twice_refuses_the_second_time(site: Path) -> None:
    assert sitegen("new", "2.1", "--date", "2027-01-01", "--site", site).exit_code == 0
    draft = site / "versions" / "2.1" / "en.md"
    draft.write_text(draft.read_text("utf-8").replace("Text one.", "My edits."), "utf-8")
    before = snapshot(site)
    refused(sitegen("new", "2.1", "--date", "2027-01-01", "--site", site))
    assert snapshot(site) == before
    assert "My edits." in draft.read_text("utf-8")


# --------------------------------------------------------------------------- set_front_matter

FRONT = """\
---
# The English statement.
title: Privacy statement
date: 2020-01-01
summary: Second.
renames:
  # moved in 2.0
  right-to-erasure: right-to-be-forgotten
  old-id: new-id
# below: our own notes
custom: keep me
---

## Body

renames: not front matter
summary: nor this
"""


def test_set_front_matter_replaces_removes_and_keeps_the_rest() -> None:
    out = set_front_matter(FRONT, {"date": "2027-01-01", "draft": "true",
                                   "summary": None, "renames": None})
    meta, body = split(out)
    assert meta == {"title": "Privacy statement", "date": dt.date(2027, 1, 1),
                    "custom": "keep me", "draft": True}
    assert "# The English statement." in out
    assert "# below: our own notes" in out
    for gone in ("summary: Second.", "right-to-erasure", "old-id", "# moved in 2.0"):
        assert gone not in out, gone
    assert body == FRONT.split("\n---\n", 1)[1], "the body changed"
    # a key that is set keeps its place
    lines = out.split("\n")
    assert lines.index("title: Privacy statement") < lines.index("date: 2027-01-01") \
        < lines.index("custom: keep me")


def test_set_front_matter_removes_a_renames_block_at_the_end() -> None:
    text = ("---\ntitle: T\ndate: 2020-01-01\nrenames:\n  a-b: c-d\n  e-f: g-h\n"
            "---\n\n## Heading\n")
    out = set_front_matter(text, {"renames": None, "draft": "true"})
    meta, body = split(out)
    assert meta == {"title": "T", "date": dt.date(2020, 1, 1), "draft": True}
    assert "a-b" not in out and "e-f" not in out
    assert body == "\n## Heading\n"


def test_set_front_matter_removes_block_scalars_and_lists() -> None:
    text = ("---\ntitle: T\nsummary: >\n  Long text\n  on two lines.\n\nrenames:\n"
            "- not: valid\n- but: removed\ndate: 2020-01-01\n---\nBody\n")
    out = set_front_matter(text, {"summary": None, "renames": None})
    meta, body = split(out)
    assert set(meta) == {"title", "date"}
    assert "Long text" not in out and "valid" not in out and "removed" not in out
    assert body == "Body\n"


def test_set_front_matter_does_not_duplicate_a_key() -> None:
    text = "---\ntitle: T\ndraft: false\ndate: 2020-01-01\n---\nBody\n"
    out = set_front_matter(text, {"draft": "true"})
    assert out.count("draft:") == 1
    assert split(out)[0]["draft"] is True


def test_set_front_matter_leaves_indented_keys_of_other_blocks() -> None:
    text = "---\ntitle: T\nrenames:\n  date: x\n  summary: y\ndate: 2020-01-01\n---\nBody\n"
    out = set_front_matter(text, {"date": "2027-01-01"})
    meta, _ = split(out)
    assert meta["renames"] == {"date": "x", "summary": "y"}
    assert str(meta["date"]) == "2027-01-01"


def test_set_front_matter_without_changes_is_identity() -> None:
    assert set_front_matter(FRONT, {}) == FRONT
