"""An editor's line on what changed in a right (`rights_notes:` in front matter)
is what the redline's rights panel shows for it, in place of the first changed
passage; a line for a right the text does not have is an error at its line."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sitegen.cli import main
from tests.conftest import page

SITE = "organisation: X\nbase_url: https://x.example/\nlanguages: [nl]\ntitle: X\n"
BODY = """
## Uw rechten

### Recht op inzage {{art=15}}

U mag uw gegevens inzien.

### Recht op vergetelheid {{art=17}}

{erasure}
"""


def build(make_site, tmp_path: Path, third_notes: str = "") -> tuple[int, str, Path]:
    site = make_site({
        "versions/1.0/nl.md": page("Privacy", "2020-01-01",
                                   BODY.format(erasure="U mag vragen uw gegevens te wissen.")),
        "versions/2.0/nl.md": page("Privacy", "2021-01-01",
                                   BODY.format(erasure="U mag vragen uw gegevens te wissen, "
                                                       "zonder opgaaf van reden."),
                                   "rights_notes:\n  17: Wissen kan nu zonder opgaaf van reden.\n"),
        "versions/3.0/nl.md": page("Privacy", "2022-01-01",
                                   BODY.format(erasure="U mag ons altijd vragen uw gegevens te "
                                                       "wissen, zonder opgaaf van reden."),
                                   third_notes)}, SITE)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out", str(out),
                                       "--today", "2026-01-01"])
    return result.exit_code, result.output, out


def test_the_rights_panel_shows_the_editors_line(make_site, tmp_path: Path) -> None:
    code, output, out = build(make_site, tmp_path, "rights_notes:\n  17: Altijd.\n")
    assert code == 0, output
    one = (out / "nl" / "diff" / "1.0-2.0" / "index.html").read_text("utf-8")
    assert '<p class="right-change right-note">Wissen kan nu zonder opgaaf van reden.</p>' in one
    assert "<ins" not in one.split('class="rights-changes"')[1].split("</section>")[0]
    # over two versions: each version's line, named by its version
    both = (out / "nl" / "diff" / "1.0-3.0" / "index.html").read_text("utf-8")
    assert ('<p class="right-change right-note"><b>2.0</b> Wissen kan nu zonder opgaaf van '
            'reden.</p>') in both
    assert '<p class="right-change right-note"><b>3.0</b> Altijd.</p>' in both


def test_without_a_line_the_first_changed_passage_is_shown(make_site, tmp_path: Path) -> None:
    code, output, out = build(make_site, tmp_path)
    assert code == 0, output
    last = (out / "nl" / "diff" / "2.0-3.0" / "index.html").read_text("utf-8")
    panel = last.split('class="rights-changes"')[1].split("</section>")[0]
    assert "right-note" not in panel and "<ins" in panel


def test_a_line_for_a_right_the_text_lacks_is_an_error_at_its_line(make_site,
                                                                  tmp_path: Path) -> None:
    code, output, _ = build(make_site, tmp_path, "rights_notes:\n  19: Nieuw.\n")
    assert code == 1
    assert ("versions/3.0/nl.md:4: error: `rights_notes` has a line for article 19, which is "
            "no right of this text (its rights: 15 Recht op inzage, 17 Recht op vergetelheid)"
            ) in output, output
    code, output, _ = build(make_site, tmp_path, "rights_notes: [17]\n")
    assert code == 1 and "versions/3.0/nl.md:4: error: `rights_notes` maps the article " \
        "number of a right to one line" in output, output


def test_the_pull_request_redline_shows_the_editors_line_beside_each_right(
        make_site, tmp_path: Path) -> None:
    build(make_site, tmp_path)
    result = CliRunner().invoke(main, ["diff", "1.0", "2.0", "--site", str(tmp_path / "site"),
                                       "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "| Right (GDPR article) | Change | Editors' note |" in result.output
    assert "| Recht op vergetelheid (art. 17) | changed | Wissen kan nu zonder opgaaf van " \
           "reden. |" in result.output
    assert "| Recht op inzage (art. 15) | unchanged | |" in result.output
