"""A wide table on a phone: it scrolls in its own box, the page never sideways."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from sitegen.cli import main
from tests.browser.conftest import describe_violations, new_page, run_axe
from tests.conftest import SITE_YAML, page as statement

COLUMNS = ["Cookie", "Aanbieder", "Doel", "Grondslag", "Bewaartermijn", "Type", "Domein"]
ROWS = [["_ga_4TQ9KX7ZZ2", "Google Ireland Limited", "statistieken over het gebruik",
         "toestemming (art. 6 lid 1 sub a AVG)", "13 maanden", "HTTP-cookie",
         "privacy.connectis.example"]] * 6
TABLE = "\n".join(["| " + " | ".join(COLUMNS) + " |",
                   "|" + "|".join(["---"] * len(COLUMNS)) + "|",
                   *("| " + " | ".join(row) + " |" for row in ROWS)])
BODY = f"## Cookies\n\nWij gebruiken deze cookies.\n\n{TABLE}\n\n## Uw rechten\n\nTekst.\n"


def test_a_wide_table_scrolls_in_its_box_not_the_page(browser: Any, tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "public"
    (site / "content").mkdir(parents=True)
    (site / "content" / "site.yaml").write_text(SITE_YAML.replace("[nl, en]", "[nl]"), "utf-8")
    (site / "versions" / "1.0").mkdir(parents=True)
    (site / "versions" / "1.0" / "nl.md").write_text(
        statement("Privacyverklaring", "2020-01-01", BODY), "utf-8")
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out", str(out),
                                       "--today", "2026-11-28"])
    assert result.exit_code == 0, result.output
    tab = new_page(browser, 320, 640)
    try:
        tab.goto((out / "nl" / "index.html").as_uri())
        page_width, inner = tab.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]")
        assert page_width <= inner, f"the page scrolls sideways: {page_width} > {inner}"
        box = tab.evaluate("""() => { const b = document.querySelector('.table-scroll');
            return [b.scrollWidth, b.clientWidth, b.getBoundingClientRect().right]; }""")
        assert box[0] > box[1], f"the table fits, so this test shows nothing: {box}"
        assert box[2] <= inner + 0.5, f"the box sticks out of the page: {box}"
        tab.focus(".table-scroll")
        tab.keyboard.press("ArrowRight")                 # the keyboard scrolls it too
        tab.wait_for_function("document.querySelector('.table-scroll').scrollLeft > 0")
        violations = run_axe(tab)
        assert not violations, describe_violations(violations)
    finally:
        tab.context.close()
