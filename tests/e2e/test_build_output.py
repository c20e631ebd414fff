"""The output folder: reproducible, never half-written, never someone else's;
and the command line itself (--today, --version, --help, python build.py)."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen import __version__
from tests.conftest import REPO
from tests.e2e.helpers import FULL_SITE, build, parse, sitegen, tree


def test_two_builds_are_byte_identical(make_site, tmp_path: Path) -> None:
    site = make_site(FULL_SITE)
    build(site, tmp_path / "a")
    build(site, tmp_path / "b")
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []


def test_example_site_builds_are_byte_identical(tmp_path: Path) -> None:
    build(REPO, tmp_path / "a")
    build(REPO, tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_a_failed_build_leaves_the_previous_site_untouched(make_site, tmp_path: Path) -> None:
    site = make_site(FULL_SITE)
    out = tmp_path / "public"
    build(site, out)
    before = tree(out)
    bad = site / "versions" / "2.0" / "nl.md"
    bad.write_text(bad.read_text("utf-8").replace("2020-01-01", "2020-13-01"), "utf-8")
    result = sitegen("build", "--site", str(site), "--out", str(out), "--today", "2026-11-28")
    assert result.exit_code == 1
    assert "versions/2.0/nl.md:3:" in result.output
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".public")] == []


def test_rebuild_replaces_a_site_sitegen_wrote(make_site, tmp_path: Path) -> None:
    site = make_site(FULL_SITE)
    out = tmp_path / "public"
    build(site, out)
    (site / "versions" / "3.0" / "nl.md").unlink()
    (site / "versions" / "3.0" / "en.md").unlink()
    (site / "versions" / "3.0").rmdir()
    build(site, out)
    assert not (out / "nl" / "3.0").exists()
    assert (out / "nl" / "2.0" / "index.html").is_file()


def refused(site: Path, out: Path) -> str:
    result = sitegen("build", "--site", str(site), "--out", str(out), "--today", "2026-11-28")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "refusing" in result.output
    return result.output


def test_out_refused_for_the_site_root(make_site) -> None:
    site = make_site(FULL_SITE)
    before = tree(site)
    refused(site, site)
    assert tree(site) == before


@pytest.mark.parametrize("inside", ["content", "versions", "versions/1.0", "theme/static",
                                    ".sitegen-cache", ".sitegen-cache/out", ".git"])
def test_out_refused_inside_the_sources(make_site, inside: str) -> None:
    site = make_site(FULL_SITE)
    before = tree(site)
    refused(site, site / inside)
    assert tree(site) == before


def test_out_refused_for_the_home_folder(make_site, tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".profile").write_text("keep me", "utf-8")
    monkeypatch.setenv("HOME", str(home))
    site = make_site(FULL_SITE)
    refused(site, home)
    assert (home / ".profile").read_text("utf-8") == "keep me"
    assert sorted(p.name for p in home.iterdir()) == [".profile"]


def test_out_refused_for_a_folder_with_a_file_sitegen_did_not_write(make_site,
                                                                    tmp_path: Path) -> None:
    site = make_site(FULL_SITE)
    out = tmp_path / "public"
    build(site, out)
    (out / "notes.txt").write_text("mine", "utf-8")
    output = refused(site, out)
    assert "notes.txt" in output
    assert (out / "notes.txt").read_text("utf-8") == "mine"
    assert (out / "nl" / "index.html").is_file()


def test_out_refused_for_a_fresh_folder_holding_files(make_site, tmp_path: Path) -> None:
    out = tmp_path / "photos"
    (out / "2024").mkdir(parents=True)
    (out / "2024" / "beach.jpg").write_bytes(b"\xff\xd8")
    refused(make_site(FULL_SITE), out)
    assert (out / "2024" / "beach.jpg").read_bytes() == b"\xff\xd8"


def test_today_decides_the_current_version(make_site, tmp_path: Path) -> None:
    site = make_site(FULL_SITE)
    build(site, tmp_path / "now", today="2026-11-28")
    build(site, tmp_path / "later", today="2030-01-01")
    build(site, tmp_path / "early", today="2019-01-01")
    assert "Versie 2.0," in " ".join(parse(tmp_path / "now/nl/index.html").text)
    assert "Versie 3.0," in " ".join(parse(tmp_path / "later/nl/index.html").text)
    assert "Version 3.0," in " ".join(parse(tmp_path / "later/en/index.html").text)
    assert "Versie 1.0," in " ".join(parse(tmp_path / "early/index.html").text)
    assert "notice-old" in (tmp_path / "later/nl/2.0/index.html").read_text("utf-8")


def test_today_must_be_an_iso_date(make_site) -> None:
    result = sitegen("build", "--site", str(make_site(FULL_SITE)), "--today", "28-11-2026")
    assert result.exit_code == 2
    assert "--today" in result.output and "Traceback" not in result.output


def test_version_option() -> None:
    result = sitegen("--version")
    assert result.exit_code == 0
    assert "sitegen" in result.output and __version__ in result.output


@pytest.mark.parametrize("args, words", [
    (["--help"], ["build", "check"]),
    (["build", "--help"], ["--out", "--base-url", "--today", "--drafts"]),
    (["check", "--help"], ["--today", "--site"]),
])
def test_help(args: list[str], words: list[str]) -> None:
    result = sitegen(*args)
    assert result.exit_code == 0
    for word in words:
        assert word in result.output


def test_python_build_py_builds_the_example_site(tmp_path: Path) -> None:
    out = tmp_path / "public"
    proc = subprocess.run([sys.executable, "build.py", "--out", str(out), "--today", "2026-11-28"],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "built" in proc.stdout and str(out) in proc.stdout
    same = tmp_path / "cli"
    build(REPO, same)
    assert tree(out) == tree(same)


def test_a_build_turns_the_cycle_collector_off_only_while_it_builds(make_site, tmp_path: Path
                                                                     ) -> None:
    """``sitegen build`` runs without the cycle collector; a process that goes on
    (a test run, a script calling the command) gets it back as it was."""
    site = make_site(FULL_SITE)
    assert gc.isenabled()
    build(site, tmp_path / "out")
    assert gc.isenabled()
    gc.disable()
    try:
        build(site, tmp_path / "again")
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_on_a_terminal_shows_its_progress(make_site, tmp_path: Path, jobs: str) -> None:
    """On a terminal (a pseudo-terminal here) the bar advances as pages are
    rendered; the threshold is lowered so that a small site shows it."""
    site, out = make_site(FULL_SITE), tmp_path / "out"
    code = ("import sys, sitegen.cli as cli, sitegen.engine.rendering as render; cli.PROGRESS_FROM = 1; "
            "render.PARALLEL_FROM = 1; sys.exit(cli.main())")
    leader, follower = os.openpty()
    process = subprocess.run([sys.executable, "-c", code, "build", "--site", str(site), "--out",
                              str(out), "--today", "2026-11-28", "--jobs", jobs],
                             stdout=follower, stderr=subprocess.PIPE, timeout=120)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.returncode == 0, process.stderr.decode()
    assert b"rendering" in shown and b"built" in shown
    assert (out / "nl/index.html").is_file()


@pytest.mark.parametrize("broken", [False, True])
def test_the_console_script_exits_with_the_build_status_and_all_its_output(
        make_site, tmp_path: Path, broken: bool) -> None:
    """``sitegen`` (``cli.run``) exits without tearing the interpreter down: all it
    printed into a pipe must still arrive, with the build's exit status."""
    site, out = make_site(FULL_SITE), tmp_path / "out"
    if broken:
        (site / "versions/1.0/en.md").write_text("no front matter here\n", "utf-8")
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.run([sys.executable, "-c", "from sitegen.cli import run; run()", "build",
                           "--site", str(site), "--out", str(out), "--today", "2026-11-28"],
                          capture_output=True, text=True, timeout=120, env=buffered)
    if broken:
        assert proc.returncode == 1
        assert "versions/1.0/en.md:1: error: no front matter" in proc.stdout + proc.stderr
        assert not out.exists()
    else:
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("built ") and (out / "nl/index.html").is_file()


def test_the_console_script_prints_its_version_and_exits_0() -> None:
    proc = subprocess.run([sys.executable, "-c", "from sitegen.cli import run; run()",
                           "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and __version__ in proc.stdout
