"""The catalogue of bad input: every folder in ``cases/`` is a small site with one
mistake a user can make, and ``expected.txt`` holds what sitegen must say about it.

For each case, on a copy in a temporary folder, ``sitegen check`` and ``sitegen
build`` must both exit 1, print every expected line (substrings; a line starting
with ``!`` must NOT appear), print no traceback, and the build must write nothing.
"""
from __future__ import annotations

import shutil
import time
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sitegen.cli import main
from sitegen.content.load import MAX_FILE_BYTES

CASES = Path(__file__).parent / "cases"
TODAY = "2026-01-01"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def expected_lines(case: Path) -> tuple[list[str], list[str]]:
    lines = [line for line in (case / "expected.txt").read_text("utf-8").split("\n") if line]
    return ([line for line in lines if not line.startswith("!")],
            [line[1:] for line in lines if line.startswith("!")])


def shown(result: Result) -> str:
    """What the user saw, plus the traceback of any exception sitegen let escape
    (CliRunner catches it; a real run would print it)."""
    text = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text += "".join(traceback.format_exception(*result.exc_info))
    return text


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".out", "out")))


def assert_refused(result: Result, must: list[str], must_not: list[str], what: str) -> None:
    text = shown(result)
    assert "Traceback" not in text, f"{what} printed a traceback:\n{text}"
    assert result.exit_code == 1, f"{what} exited {result.exit_code}:\n{text}"
    missing = [line for line in must if line not in text]
    assert not missing, f"{what} did not say {missing}; it said:\n{text}"
    present = [line for line in must_not if line in text]
    assert not present, f"{what} said {present}, which it must not:\n{text}"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(site: Path, out: Path) -> tuple[Result, Result]:
    runner = CliRunner()
    check = runner.invoke(main, ["check", "--site", str(site), "--today", TODAY])
    build = runner.invoke(main, ["build", "--site", str(site), "--out", str(out),
                                 "--today", TODAY])
    return check, build


def test_the_catalogue_is_complete():
    assert len(NAMES) >= 20
    for name in NAMES:
        assert (CASES / name / "expected.txt").is_file(), f"{name} has no expected.txt"
        assert (CASES / name / "content").is_dir(), name
    # the non-UTF-8 case is committed as bytes (see README); make sure git kept them
    raw = (CASES / "not-utf8" / "versions" / "1.0" / "nl.md").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert (CASES / "empty-file" / "versions" / "1.0" / "nl.md").read_bytes() == b""


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(CASES / name, site, ignore=shutil.ignore_patterns("expected.txt"))
    must, must_not = expected_lines(CASES / name)
    out = tmp_path / "out"
    sources = files(site)
    check, build = run(site, out)
    assert files(site) == sources, "check or build changed the site's own files"
    assert_refused(check, must, must_not, "sitegen check")
    assert_refused(build, must, must_not, "sitegen build")
    assert not out.exists(), "the build wrote an output folder"
    assert leftovers(tmp_path) == [], "the build left a temporary folder"


def test_twenty_megabyte_file_is_refused_quickly(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(CASES / "misspelt-key", site, ignore=shutil.ignore_patterns("expected.txt"))
    big = site / "versions" / "1.0" / "nl.md"
    with big.open("wb") as handle:               # generated here, never committed
        handle.write(b"---\ntitle: Groot\ndate: 2018-05-25\n---\n\n")
        line = b"Dit is een heel lange privacyverklaring. " * 24 + b"\n"
        while handle.tell() < 20 * 1024 * 1024:
            handle.write(line)
    assert big.stat().st_size > MAX_FILE_BYTES
    started = time.perf_counter()
    check, build = run(site, tmp_path / "out")
    elapsed = time.perf_counter() - started
    must = ["versions/1.0/nl.md: error: the file is over the limit of 2 MB"]
    assert_refused(check, must, [], "sitegen check")
    assert_refused(build, must, [], "sitegen build")
    assert elapsed < 10, f"refusing a 20 MB file took {elapsed:.1f} s"
    assert not (tmp_path / "out").exists()
