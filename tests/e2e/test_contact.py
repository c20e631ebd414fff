"""The contact card: site.yaml's contact details, under the statement on every page."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sitegen.cli import main
from tests.conftest import SITE_YAML, page

CONTACT = """contact_email: privacy@example.org
contact:
  address: Postbus 1, 1000 AA Amsterdam
  dpo:
    nl: mr. A. de Vries (functionaris gegevensbescherming)
    en: Ms A. de Vries (data protection officer)
  authority: Autoriteit Persoonsgegevens
  authority_url: https://autoriteitpersoonsgegevens.nl/
"""


def site_with(make_site, extra: str) -> Path:
    return make_site({"versions/1.0/nl.md": page("Privacy", "2020-01-01", "## A\n\nT.\n"),
                      "versions/1.0/en.md": page("Privacy", "2020-01-01", "## A\n\nT.\n")},
                     SITE_YAML + extra)


def test_the_card_shows_every_detail_in_each_language(make_site, tmp_path: Path) -> None:
    site = site_with(make_site, CONTACT)
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out",
                                       str(tmp_path / "out"), "--today", "2026-01-01"])
    assert result.exit_code == 0, result.output
    for lang, dpo, said in (("nl", "mr. A. de Vries", "Postadres"),
                            ("en", "Ms A. de Vries", "Postal address")):
        html = (tmp_path / "out" / lang / "index.html").read_text("utf-8")
        card = html[html.index('<aside class="contact-card"'):html.index("</aside>")]
        assert f"{said}: Postbus 1, 1000 AA Amsterdam" in card and dpo in card
        assert 'href="mailto:privacy@example.org"' in card
        assert '<a href="https://autoriteitpersoonsgegevens.nl/">Autoriteit Persoonsgegevens' \
            in card


def test_a_wrong_contact_detail_is_an_error_at_its_line(make_site) -> None:
    site = site_with(make_site, CONTACT.replace("https://autoriteitpersoonsgegevens.nl/",
                                                "autoriteitpersoonsgegevens.nl"))
    result = CliRunner().invoke(main, ["check", "--site", str(site)])
    assert result.exit_code == 1
    assert ("content/site.yaml:8: error: `contact.authority_url` must be an http(s) address"
            in result.output)
    site = site_with(make_site, "contact:\n  phone: 020 123 4567\n")
    result = CliRunner().invoke(main, ["check", "--site", str(site)])
    assert "content/site.yaml:7: error: `contact` may give `address`" in result.output
