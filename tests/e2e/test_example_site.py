"""The repository's own example site builds, checks clean, and keeps its promises."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sitegen.cli import main
from tests.conftest import REPO


def test_example_site_builds_every_address(tmp_path: Path) -> None:
    out = tmp_path / "public"
    result = CliRunner().invoke(main, ["build", "--site", str(REPO), "--out", str(out),
                                       "--today", "2026-11-28"])
    assert result.exit_code == 0, result.output
    for address in ["index.html", "nl/index.html", "en/index.html", "nl/3.1/index.html",
                    "nl/3.0/index.html", "en/3.0/index.html", "nl/versions/index.html"]:
        assert (out / address).is_file(), address
    current = (out / "nl" / "index.html").read_text("utf-8")
    assert "Versie 3.1, van kracht sinds 25 mei 2018" in current
    assert 'id="recht-op-inzage"' in current and 'id="art-15"' in current
    english = (out / "en" / "index.html").read_text("utf-8")
    assert "Version 3.1, effective 25 May 2018" in english


def test_example_site_checks_with_warnings_only() -> None:
    result = CliRunner().invoke(main, ["check", "--site", str(REPO), "--today", "2026-11-28"])
    assert result.exit_code == 0, result.output
    assert "versions/3.1/nl.md:" in result.output and "hier" in result.output
