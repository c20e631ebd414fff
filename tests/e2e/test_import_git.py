"""``from_git`` on a small repository made here: six commits to the English file,
both files moved to another folder midway, a Dutch translation that lags, a
fix with the same effective date, two commits on one day; by commit and by
effective date, numbered both ways; written into a site that checks and builds;
the same from a bare clone; and the errors a user can cause."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from sitegen.importer import target
from sitegen.importer.gitlog import from_git

SITEGEN = str(Path(sys.executable).parent / "sitegen")

EN_1 = """\
---
layout: page
title: Privacy statement
---

Effective January 10, 2024

## Introduction

We are Example B.V. in Utrecht.

## Your rights

You may see your data.
"""
EN_2 = """\
# Privacy statement

Effective March 5, 2024

## Introduction

We are Example B.V. in Utrecht. We keep your data safe.

<div class="note">
<p>Ask us <b>anything</b>.</p>
</div>

<a name="contact"></a>
## Contact

Write to privacy@example.org.
"""
EN_3 = """\
# Privacy statement

*Effective date: September 15, 2024*

## Introduction

We are Example B.V. in Amsterdam.

## Your rights
{: #rights}

You may see, correct and erase your data.
"""
EN_3_FIX = EN_3.replace("correct and erase", "correct, and erase")
EN_4 = """\
# Privacy statement

Last updated: February 1, 2025

## Introduction

We are Example B.V. in Amsterdam.

## Your rights

You may see, correct and erase your data, and object.
"""
EN_5 = EN_4.replace("and object.", "and object to it.")
NL_1 = """\
# Privacyverklaring

Datum: 10 januari 2024

## Inleiding

Wij zijn Example B.V. in Utrecht.
"""
NL_2 = """\
# Privacyverklaring

Datum: 5 maart 2024

## Inleiding

Wij zijn Example B.V. in Utrecht. Wij bewaren uw gegevens veilig.
"""
NL_4 = """\
# Privacyverklaring

Datum: 1 februari 2025

## Inleiding

Wij zijn Example B.V. in Amsterdam.
"""
OLD, NEW = "Policies", "legal"


def git(repo: Path, *args: str, date: str = "2024-01-01T12:00:00+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", "-C", str(repo),
                           *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(repo: Path, date: str, files: dict[str, str], message: str) -> str:
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "--short=7", "HEAD")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The repository, and each commit's short hash by name."""
    root = tmp_path_factory.mktemp("history") / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    en, nl = f"{OLD}/privacy.md", f"{OLD}/privacy.nl.md"
    shas = {"c1": commit(root, "2024-01-10T09:00:00+01:00", {en: EN_1, nl: NL_1}, "first"),
            # late in the evening in New York: already 6 March in UTC
            "c2": commit(root, "2024-03-05T23:30:00-05:00", {en: EN_2}, "second")}
    shas["c3"] = commit(root, "2024-03-06T10:00:00+01:00", {nl: NL_2}, "translated")
    git(root, "mv", OLD, NEW, date="2024-06-01T10:00:00+02:00")
    git(root, "commit", "-q", "-m", "move", date="2024-06-01T10:00:00+02:00")
    shas["c4"] = git(root, "rev-parse", "--short=7", "HEAD")
    en, nl = f"{NEW}/privacy.md", f"{NEW}/privacy.nl.md"
    shas["c5"] = commit(root, "2024-09-15T10:00:00+02:00", {en: EN_3}, "third")
    shas["c6"] = commit(root, "2024-09-20T10:00:00+02:00", {en: EN_3_FIX}, "comma")
    shas["c7"] = commit(root, "2025-02-01T09:00:00+01:00", {en: EN_4, nl: NL_4}, "fourth")
    shas["c8"] = commit(root, "2025-02-01T16:00:00+01:00", {en: EN_5}, "to it")
    return root, shas


FILES = {"en": f"{NEW}/privacy.md", "nl": f"{NEW}/privacy.nl.md"}


def table(imported: target.Imported) -> list[tuple[str, str, str, str]]:
    return [(t.version, t.lang, t.date.isoformat(), t.origin.split(":")[0])
            for t in imported.texts]


def body(text: str, *gone: str) -> str:
    """``text`` without the lines ``gone``, and without the blank line after each."""
    for line in gone:
        text = text.replace(line + "\n\n", "", 1)
    return text.strip("\n")


def notes(imported: target.Imported) -> list[str]:
    return [str(note) for note in imported.notes]


def test_every_commit_of_the_primary_file_is_a_version(repo) -> None:
    root, c = repo
    imported = from_git(root, FILES)
    assert table(imported) == [
        ("1.0", "en", "2024-01-10", c["c1"]), ("2.0", "en", "2024-03-05", c["c2"]),
        ("3.0", "en", "2024-09-15", c["c5"]), ("4.0", "en", "2024-09-20", c["c6"]),
        ("5.0", "en", "2025-02-01", c["c7"]), ("6.0", "en", "2025-02-01", c["c8"]),
        ("1.0", "nl", "2024-01-10", c["c1"]), ("2.0", "nl", "2024-03-05", c["c3"]),
        ("5.0", "nl", "2025-02-01", c["c7"])]
    texts = {(t.version, t.lang): t for t in imported.texts}
    assert texts["1.0", "en"].title == "Privacy statement"           # from the front matter
    assert texts["1.0", "en"].body == body(EN_1.split("---\n", 2)[2])
    assert texts["4.0", "en"].body == body(EN_3_FIX, "# Privacy statement").replace(
        "## Your rights\n{: #rights}", "## Your rights {#rights}")
    assert texts["6.0", "en"].body == body(EN_5, "# Privacy statement")
    assert texts["2.0", "nl"].body == body(NL_2, "# Privacyverklaring")
    assert texts["2.0", "nl"].origin == f"{c['c3']}:{OLD}/privacy.nl.md"
    assert {t.title for t in imported.texts if t.lang == "nl"} == {"Privacyverklaring"}


def test_a_lagging_translation_is_left_out_with_a_note(repo) -> None:
    root, c = repo
    said = "\n".join(notes(from_git(root, FILES)))
    for version, primary in (("3.0", c["c5"]), ("4.0", c["c6"])):
        assert (f"{c['c3']}:{OLD}/privacy.nl.md: note: `nl` left out of version {version}: its "
                f"text is still that of version 2.0, last changed in {c['c3']}, and did not "
                f"follow the change of the primary text in {primary}") in said
    assert (f"{c['c7']}:{NEW}/privacy.nl.md: note: `nl` left out of version 6.0: its text is "
            f"still that of version 5.0, last changed in {c['c7']}, and did not follow the "
            f"change of the primary text in {c['c8']}; add versions/6.0/nl.md when it is "
            "translated") in said
    assert f"{c['c4']}:{NEW}/privacy.md: note: moved from {OLD}/privacy.md without" in said


def test_conversions_are_made_and_named(repo) -> None:
    root, c = repo
    imported = from_git(root, FILES)
    second = next(t for t in imported.texts if t.version == "2.0" and t.lang == "en")
    assert "Ask us **anything**." in second.body and "<div" not in second.body
    assert "## Contact {#contact}" in second.body and "<a name" not in second.body
    said = "\n".join(notes(imported))
    where = f"{c['c2']}:{OLD}/privacy.md"
    assert f"{where}:9: note: HTML (lines 9-11) converted to Markdown" in said
    assert f"{where}:14: note: `<a name=\"contact\">` made the heading's id" in said
    assert f"{c['c6']}:{NEW}/privacy.md:10: note: kramdown's `{{: #rights}}` moved" in said
    assert (f"{c['c1']}:{OLD}/privacy.md:1: note: front matter (lines 1-4, with layout, title) "
            "left out; the title taken from it") in said


def test_by_effective_date_a_fix_joins_its_version(repo) -> None:
    root, c = repo
    imported = from_git(root, FILES, by_effective_date=True)
    assert table(imported) == [
        ("1.0", "en", "2024-01-10", c["c1"]), ("2.0", "en", "2024-03-05", c["c2"]),
        ("3.0", "en", "2024-09-15", c["c6"]), ("4.0", "en", "2025-02-01", c["c8"]),
        ("1.0", "nl", "2024-01-10", c["c1"]), ("2.0", "nl", "2024-03-05", c["c3"]),
        ("4.0", "nl", "2025-02-01", c["c7"])]
    texts = {(t.version, t.lang): t for t in imported.texts}
    assert texts["1.0", "en"].body == body(EN_1.split("---\n", 2)[2],
                                           "Effective January 10, 2024")
    assert texts["3.0", "en"].body.startswith("## Introduction\n\nWe are Example B.V. in Amsterdam")
    assert texts["4.0", "en"].body == body(EN_5, "# Privacy statement",
                                           "Last updated: February 1, 2025")
    assert texts["4.0", "nl"].body == body(NL_4, "# Privacyverklaring", "Datum: 1 februari 2025")
    said = "\n".join(notes(imported))
    assert (f"{c['c6']}:{NEW}/privacy.md:3: note: the line `*Effective date: September 15, "
            "2024*` left out") in said
    assert "`nl` left out of version 3.0" in said
    assert "`nl` left out of version 4.0" not in said


def test_numbered_by_date(repo) -> None:
    root, _ = repo
    by_commit = {t.version for t in from_git(root, FILES, numbering="date").texts}
    assert by_commit == {"2024.1.10", "2024.3.5", "2024.9.15", "2024.9.20", "2025.2.1.1",
                         "2025.2.1.2"}
    by_effect = {t.version for t in
                 from_git(root, FILES, by_effective_date=True, numbering="date").texts}
    assert by_effect == {"2024.1.10", "2024.3.5", "2024.9.15", "2025.2.1"}


@pytest.mark.parametrize("effective", [False, True])
def test_the_imported_site_checks_and_builds(repo, tmp_path: Path, effective: bool) -> None:
    root, _ = repo
    imported = from_git(root, FILES, by_effective_date=effective, numbering="date")
    site = tmp_path / "site"
    target.write(site, imported.texts, list(FILES))
    for command in (["check"], ["build", "--out", str(tmp_path / "public")]):
        done = subprocess.run([SITEGEN, *command, "--site", str(site)], capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "public" / "nl" / "2024.1.10" / "index.html").is_file()


def test_a_bare_repository_gives_the_same(repo, tmp_path: Path) -> None:
    root, _ = repo
    subprocess.run(["git", "clone", "-q", "--bare", str(root), str(tmp_path / "bare.git")],
                   check=True)
    assert from_git(tmp_path / "bare.git", FILES, "main") == from_git(root, FILES)


def test_an_earlier_ref_ends_the_history_there(repo) -> None:
    root, c = repo
    imported = from_git(root, {"en": f"{OLD}/privacy.md", "nl": f"{OLD}/privacy.nl.md"},
                        ref=c["c3"])
    assert [(t.version, t.lang) for t in imported.texts] == [
        ("1.0", "en"), ("2.0", "en"), ("1.0", "nl"), ("2.0", "nl")]


def test_a_merge_gives_the_merged_text(tmp_path: Path) -> None:
    root = tmp_path / "merged"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(root, "2024-01-01T10:00:00+00:00", {"p.md": "# P\n\nOne.\n\nTwo.\n"}, "first")
    git(root, "checkout", "-q", "-b", "side")
    commit(root, "2024-02-01T10:00:00+00:00", {"p.md": "# P\n\nOne!\n\nTwo.\n"}, "side")
    git(root, "checkout", "-q", "main")
    commit(root, "2024-03-01T10:00:00+00:00", {"p.md": "# P\n\nOne.\n\nTwo!\n"}, "main")
    git(root, "merge", "-q", "--no-edit", "side", date="2024-04-01T10:00:00+00:00")
    imported = from_git(root, {"en": "p.md"})
    assert [(t.version, t.date.isoformat(), t.body) for t in imported.texts][-1] == (
        "4.0", "2024-04-01", "One!\n\nTwo!")


@pytest.mark.parametrize(("files", "ref", "said"), [
    ({"en": f"{OLD}/privacy.md"}, "HEAD",
     f"{OLD}/privacy.md does not exist at HEAD: did you mean `{NEW}/privacy.md`"),
    ({"en": f"{NEW}/privacy.mdx"}, "HEAD", f"did you mean `{NEW}/privacy.md`"),
    ({"en": FILES["en"]}, "v9", "`v9` names no commit"),
    ({"en": FILES["en"], "EN": FILES["nl"]}, "HEAD", "the language `EN` is given twice"),
    ({"en": FILES["en"], "nl": FILES["en"]}, "HEAD", f"the file `{FILES['en']}` is given twice"),
])
def test_errors_say_what_to_do(repo, files: dict[str, str], ref: str, said: str) -> None:
    root, _ = repo
    with pytest.raises(SitegenError) as caught:
        from_git(root, files, ref)
    assert said in str(caught.value)


def test_a_folder_that_is_no_repository(tmp_path: Path) -> None:
    with pytest.raises(SitegenError, match="is not a git repository"):
        from_git(tmp_path, FILES)


def test_git_missing(repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(SitegenError, match="git is not installed"):
        from_git(repo[0], FILES)
