"""`sitegen lock`: what a reader saw of a published version cannot change unseen.

The lock records the SHA-256 of each published file (the bytes served at
``source.md`` and listed in ``versions.json``) and its date, title and summary;
a change to any of them is an error naming it, unless recorded as a correction.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from sitegen.cli import main
from tests.conftest import page
from tests.e2e.helpers import SHORT_EN, SHORT_NL

TODAY = "2026-11-28"
FILES = {
    "versions/1.0/nl.md": page("Privacyverklaring", "2020-01-01", SHORT_NL,
                               "summary: Eerste versie.\n"),
    "versions/1.0/en.md": page("Privacy statement", "2020-01-01", SHORT_EN,
                               "summary: First version.\n"),
}


def sitegen(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def locked(make_site) -> Path:
    site = make_site(FILES)
    result = sitegen("lock", "--site", site)
    assert result.exit_code == 0, result.output
    return site


def edit(site: Path, old: str, new: str, lang: str = "nl") -> None:
    path = site / "versions" / "1.0" / f"{lang}.md"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def check(site: Path) -> Result:
    return sitegen("check", "--site", site, "--today", TODAY)


def test_one_sha256_in_published_yaml_versions_json_and_source_md(locked: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert sitegen("build", "--site", locked, "--out", out, "--today", TODAY).exit_code == 0
    recorded = yaml.safe_load((locked / "versions" / "published.yaml").read_text("utf-8"))
    listed = json.loads((out / "versions.json").read_text("utf-8"))["versions"][0]
    for lang in ("nl", "en"):
        served = hashlib.sha256((out / lang / "1.0" / "source.md").read_bytes()).hexdigest()
        on_disk = hashlib.sha256((locked / "versions" / "1.0" / f"{lang}.md").read_bytes())
        assert recorded["1.0"][lang]["sha256"] == served == on_disk.hexdigest()
        assert listed["languages"][lang]["sha256"] == served
    assert recorded["1.0"]["nl"]["title"] == "Privacyverklaring"
    assert recorded["1.0"]["nl"]["date"] == "2020-01-01"
    assert recorded["1.0"]["nl"]["summary"] == "Eerste versie."


@pytest.mark.parametrize(("old", "new", "field", "line"), [
    ("date: 2020-01-01", "date: 2020-01-02", "date", 3),
    ("title: Privacyverklaring", "title: Onze privacyverklaring", "title", 2),
    ("summary: Eerste versie.", "summary: De eerste versie.", "summary", 4),
])
def test_a_changed_field_is_an_error_naming_it(locked: Path, old: str, new: str, field: str,
                                               line: int) -> None:
    edit(locked, old, new)
    if field == "date":                            # one date in every language
        edit(locked, old, new, "en")
    result = check(locked)
    assert result.exit_code == 1, result.output
    assert f"versions/1.0/nl.md:{line}: error: `{field}` of the published version 1.0 (nl) " \
           "has changed since it was locked" in result.output
    assert "1 error" in result.output or field == "date"       # date: nl and en


def test_a_changed_body_is_an_error(locked: Path) -> None:
    edit(locked, "Wij zijn Example B.V.", "Wij zijn Voorbeeld B.V.")
    result = check(locked)
    assert result.exit_code == 1
    assert "versions/1.0/nl.md:6: error: the published text of version 1.0 (nl) has " \
           "changed since it was locked" in result.output


def test_a_recorded_correction_is_locked_again(locked: Path) -> None:
    edit(locked, "title: Privacyverklaring\n", "title: Privacyverklaring Example\n"
         "corrections:\n  - date: 2026-11-01\n    note: Naam toegevoegd aan de titel.\n")
    result = check(locked)
    assert result.exit_code == 0, result.output
    assert "the corrected text of version 1.0 (nl) is not locked yet" in result.output
    assert sitegen("lock", "--site", locked).exit_code == 0
    result = check(locked)
    assert "0 errors, 0 warnings" in result.output, result.output


def test_a_lock_of_an_earlier_sitegen_still_holds(make_site) -> None:
    """published.yaml as sitegen wrote it before: the SHA-256 of each body alone."""
    site = make_site(FILES)
    lines = ['"1.0":']
    for lang in ("nl", "en"):
        text = (site / "versions" / "1.0" / f"{lang}.md").read_text("utf-8")
        body = text.split("---\n", 2)[2]
        lines.append(f"  {lang}: {{sha256: {hashlib.sha256(body.encode()).hexdigest()}, "
                     "corrections: 0}")
    (site / "versions" / "published.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    result = check(site)
    assert result.exit_code == 0, result.output
    assert "versions/published.yaml: warning: 2 of the texts were locked by an earlier " \
           "sitegen" in result.output
    edit(site, "Wij zijn Example B.V.", "Wij zijn Voorbeeld B.V.")
    assert check(site).exit_code == 1
