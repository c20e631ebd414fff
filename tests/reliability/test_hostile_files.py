"""Hostile files and folders in a site: only regular files inside it are read.

Each case is a committed mistake or a planted file; the build (a process of its
own, with a time limit, so that a hang fails the test instead of the suite)
must refuse it naming the path, publish nothing of it, and leave the output as
it was.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from tests.conftest import REPO

TODAY = "2026-06-01"
LIMIT_S = 30
posix_only = pytest.mark.skipif(os.name != "posix", reason="links, pipes and devices")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for folder in ("content", "versions", "theme"):
        shutil.copytree(REPO / folder, root / folder)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("SECRET-OUTSIDE\n", "utf-8")
    return root


def sitegen(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from sitegen.cli import run; run()", *args,
                           "--site", str(site)], capture_output=True, text=True,
                          timeout=LIMIT_S, env={**os.environ, "PYTHONPATH": str(REPO)})


def plant_link_to_outside_asset(site: Path) -> str:
    (site / "theme" / "static").mkdir(parents=True, exist_ok=True)
    os.symlink(site.parent / "outside" / "secret.txt", site / "theme" / "static" / "s.txt")
    return "theme/static/s.txt: error: is a link to"


def plant_link_to_environ(site: Path) -> str:
    (site / "theme" / "static").mkdir(parents=True, exist_ok=True)
    os.symlink("/proc/self/environ", site / "theme" / "static" / "env.txt")
    return "theme/static/env.txt: error: is a link to /proc/"


def plant_version_folder_outside(site: Path) -> str:
    shutil.copytree(site / "versions" / "3.0", site.parent / "outside" / "2.0")
    os.symlink(site.parent / "outside" / "2.0", site / "versions" / "2.0")
    return "versions/2.0: error: is a link to a folder"


def plant_dev_zero(site: Path) -> str:
    os.symlink("/dev/zero", site / "versions" / "3.0" / "de.md")
    return "versions/3.0/de.md: error: is a link to /dev/zero, outside the site"


def plant_fifo(site: Path) -> str:
    os.mkfifo(site / "versions" / "3.1" / "fr.md")
    return "versions/3.1/fr.md: error: is not a regular file"


def plant_template_link(site: Path) -> str:
    (site / "theme" / "templates").mkdir(parents=True, exist_ok=True)
    os.symlink(site.parent / "outside" / "secret.txt",
               site / "theme" / "templates" / "statement.html")
    return "theme/templates/statement.html: error: is a link to"


def plant_version_named_with_newline(site: Path) -> str:
    shutil.copytree(site / "versions" / "3.1", site / "versions" / "3.2\n")
    return "is not a version id"


PLANTS: dict[str, Callable[[Path], str]] = {
    "link-to-outside-asset": plant_link_to_outside_asset,
    "link-to-environ": plant_link_to_environ,
    "version-folder-outside": plant_version_folder_outside,
    "dev-zero": plant_dev_zero,
    "fifo": plant_fifo,
    "template-link": plant_template_link,
    "version-named-with-newline": plant_version_named_with_newline,
}


@posix_only
@pytest.mark.parametrize("name", list(PLANTS))
def test_a_hostile_entry_is_refused_and_nothing_of_it_published(site: Path, name: str) -> None:
    assert sitegen(site, "build", "--today", TODAY).returncode == 0
    before = {p.relative_to(site / "public"): p.read_bytes()
              for p in (site / "public").rglob("*") if p.is_file()}
    said = PLANTS[name](site)
    for command in (["check", "--today", TODAY], ["build", "--today", TODAY]):
        done = sitegen(site, *command)
        output = done.stdout + done.stderr
        assert done.returncode == 1, output
        assert said in output and "Traceback" not in output, output
        assert "SECRET-OUTSIDE" not in output
    after = {p.relative_to(site / "public"): p.read_bytes()
             for p in (site / "public").rglob("*") if p.is_file()}
    assert after == before


@posix_only
def test_a_link_inside_the_site_is_followed(site: Path) -> None:
    """A statement may be a link to another file of the site (e.g. shared text)."""
    (site / "shared").mkdir()
    shutil.move(site / "versions" / "3.1" / "en.md", site / "shared" / "en.md")
    os.symlink(site / "shared" / "en.md", site / "versions" / "3.1" / "en.md")
    done = sitegen(site, "build", "--today", TODAY)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (site / "public" / "en" / "3.1" / "index.html").is_file()
