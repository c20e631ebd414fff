"""A real statement's history, imported as a new user would: GitHub's Privacy
Statement (tests/fixtures/histories/, see its README: real paths, moves and
effective dates; each text the statement's opening) through the command line,
then checked and built with no hand edit."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import main

BUNDLE = Path(__file__).resolve().parents[1] / "fixtures" / "histories" / \
    "github-privacy-statement.bundle"
HEAD_PATH = "Policies/privacy-policies/github-general-privacy-statement.md"
DATES = ["2019-07-02", "2020-04-02", "2020-11-16", "2020-12-19", "2022-05-31",
         "2022-09-01", "2024-02-01", "2026-04-24"]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    clone = tmp_path / "site-policy"
    subprocess.run(["git", "clone", "-q", str(BUNDLE), str(clone)], check=True)
    return clone


def test_a_real_history_imports_checks_and_builds_with_no_hand_edit(repository: Path,
                                                                   tmp_path: Path) -> None:
    site = tmp_path / "site"
    code, output = run("import", "git", str(repository), "--file", f"en={HEAD_PATH}",
                       "--by-effective-date", "--links-from",
                       "https://docs.github.com/en/site-policy/privacy-policies/",
                       "--site", str(site))
    assert code == 0, output
    assert f"imported {len(DATES)} versions (1.0 to {len(DATES)}.0)" in output
    # the file moved twice: every version is found through both moves
    dates = [(site / "versions" / f"{n}.0" / "en.md").read_text("utf-8").split("\n")[2]
             for n in range(1, len(DATES) + 1)]
    assert dates == [f"date: {d}" for d in DATES]
    # a later commit with the same effective date is a fix of that version
    fix = subprocess.run(["git", "-C", str(repository), "log", "--format=%h", "--follow",
                          "--", HEAD_PATH], capture_output=True, text=True, check=True)
    assert len(fix.stdout.split()) == len(DATES) + 2          # + the fix, + a rename alone
    code, output = run("check", "--site", str(site), "--today", "2026-12-07")
    assert code == 0 and "0 errors" in output, output
    code, output = run("build", "--site", str(site), "--today", "2026-12-07")
    assert code == 0, output
    current = (site / "public" / "en" / "index.html").read_text("utf-8")
    assert "GitHub" in current and "April 24, 2026" in current


def test_its_words_are_those_of_the_file_at_each_version(repository: Path,
                                                         tmp_path: Path) -> None:
    """Every word of the text at each version's last commit is in the version file,
    in order, but for the title and the effective-date line."""
    site = tmp_path / "site"
    code, output = run("import", "git", str(repository), "--file", f"en={HEAD_PATH}",
                       "--by-effective-date", "--site", str(site))
    assert code == 0, output
    latest = (repository / HEAD_PATH).read_text("utf-8")
    body = latest.split("---", 2)[2]                    # the source's front matter: the title
    kept = [line for line in body.split("\n")          # the date line sitegen prints itself,
            if not line.startswith(("Effective date", "<!--"))]   # and a comment, are out
    imported = (site / "versions" / f"{len(DATES)}.0" / "en.md").read_text("utf-8")
    assert imported.split("---", 2)[2].split() == " ".join(kept).split()
    assert "title: GitHub General Privacy Statement" in imported
