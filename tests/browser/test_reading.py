"""What a visitor reads, checked in the browser: which version applies, in words
and colour; headings named once; where a link lands, visibly; no page scrolls
sideways at 320 px; the contents beside the text on a wide screen."""
from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import new_page

EVERY_KIND = {"entry": "", "current": "nl/", "old": "nl/3.0/", "history": "nl/versions/",
              "diff": "nl/diff/3.0-3.1/", "not-found": "404.html"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("address", list(EVERY_KIND.values()), ids=list(EVERY_KIND))
def test_no_page_scrolls_sideways_at_320_px(browser: Any, site_url: str, address: str,
                                            scheme: str) -> None:
    tab = new_page(browser, 320, 640)
    try:
        tab.emulate_media(color_scheme=scheme)
        tab.goto(site_url + address)
        width, inner = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"/{address} scrolls sideways at 320 px: {width} > {inner}"
    finally:
        tab.context.close()


def test_a_superseded_version_says_until_when_and_warns(page: Any, site_url: str) -> None:
    page.goto(site_url + "nl/3.0/")
    assert re.search(r"Versie 3\.0, van kracht van .+ tot 25 mei 2018",
                     page.locator(".version-line").inner_text())
    assert "tot 25 mei 2018" in page.title()
    banner = page.locator(".notice-old")
    colours = banner.evaluate("""el => { const s = getComputedStyle(el);
        return [s.backgroundColor, s.borderInlineStartColor,
                getComputedStyle(document.body).backgroundColor]; }""")
    assert colours[0] != colours[2], f"the warning has no colour of its own: {colours}"
    assert banner.get_by_role("link", name=re.compile("huidige versie")).count() == 1


def test_a_heading_is_named_once(page: Any, site_url: str) -> None:
    """The self-link does not repeat the heading in the heading's accessible name."""
    page.goto(site_url + "nl/")
    heading = page.get_by_role("heading", name="Recht op inzage", exact=False).first
    name = heading.evaluate("el => el.textContent")
    assert name.count("Recht op inzage") == 1
    label = heading.locator(".self-link").get_attribute("aria-label")
    assert label == "Link naar dit onderdeel"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_where_a_link_lands_is_visible(browser: Any, site_url: str, scheme: str) -> None:
    """The heading a link lands on (by its id or an old one) is tinted and ruled."""
    tab = new_page(browser)
    try:
        tab.emulate_media(color_scheme=scheme)
        for anchor in ("art-15", "recht-op-inzage"):
            tab.goto(site_url + f"nl/#{anchor}")
            looks = tab.evaluate("""() => {
                const h = document.getElementById('recht-op-inzage');
                const s = getComputedStyle(h);
                return [s.backgroundColor, s.boxShadow,
                        getComputedStyle(document.body).backgroundColor]; }""")
            assert looks[0] != looks[2] and looks[1] != "none", (anchor, looks)
    finally:
        tab.context.close()


def test_the_contents_stay_beside_the_text_on_a_wide_screen(browser: Any,
                                                           site_url: str) -> None:
    tab = new_page(browser, 1280, 900)
    try:
        tab.goto(site_url + "nl/")
        toc, text = tab.evaluate("""() => [
            document.querySelector('.toc').getBoundingClientRect().left,
            document.querySelector('.statement-body').getBoundingClientRect().right]""")
        assert toc > text, f"the contents are not beside the text: {toc} <= {text}"
        tab.mouse.wheel(0, 3000)
        tab.wait_for_timeout(200)
        top = tab.evaluate("document.querySelector('.toc').getBoundingClientRect().top")
        assert 0 <= top < 100, f"the contents scrolled away: top {top}"
        line = tab.evaluate("""() => { const p = document.querySelector('.statement-body p');
            const w = p.getBoundingClientRect().width;
            const s = getComputedStyle(p); const c = document.createElement('canvas')
                .getContext('2d'); c.font = s.font; return w / c.measureText('n').width; }""")
        assert 55 <= line <= 80, f"a line holds about {line:.0f} characters"
    finally:
        tab.context.close()


def test_the_rights_panel_says_what_changed_and_links_into_the_redline(page: Any,
                                                                       site_url: str) -> None:
    page.goto(site_url + "nl/diff/3.0-3.1/")
    panel = page.locator(".rights-changes")
    added = panel.locator("li.right-added")
    assert "U heeft het recht om de persoonsgegevens" in added.locator(".right-change").inner_text()
    added.get_by_role("link", name="Recht op dataportabiliteit").click()
    assert page.url.endswith("#s-added-recht-op-dataportabiliteit")
    assert page.locator("#s-added-recht-op-dataportabiliteit").is_visible()
    assert panel.locator(".rights-unchanged").inner_text().startswith("ongewijzigd:")


@pytest.mark.parametrize("address", list(EVERY_KIND.values()), ids=list(EVERY_KIND))
def test_screenshots_of_every_page_kind_in_the_dark_and_at_320_px(
        browser: Any, site_url: str, screenshot_dir: Any, address: str) -> None:
    """Kept by the workflow for reviewers (artifacts/screenshots)."""
    name = [k for k, v in EVERY_KIND.items() if v == address][0]
    for width, scheme in ((320, "light"), (1280, "dark")):
        tab = new_page(browser, width, 900)
        try:
            tab.emulate_media(color_scheme=scheme)
            tab.goto(site_url + address)
            shot = screenshot_dir / f"{name}-{scheme}-{width}.png"
            tab.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 0
        finally:
            tab.context.close()


def test_the_history_compares_two_versions_chosen_in_a_form(page: Any, site_url: str) -> None:
    page.goto(site_url + "nl/versions/")
    form = page.locator("form.compare")
    assert form.is_visible()
    assert form.get_by_label("Van versie").locator("option").all_inner_texts() == ["3.0"]
    assert form.get_by_label("tot versie").locator("option").all_inner_texts() == ["3.1"]
    form.get_by_role("button", name="Toon de wijzigingen").click()
    page.wait_for_url(re.compile(r"/nl/diff/3\.0-3\.1/(index\.html)?$"))
    assert page.get_by_role("heading", level=1).inner_text() == ("Wat er veranderde van "
                                                                 "versie 3.0 naar 3.1")


def test_without_a_script_the_history_compares_through_its_links(browser: Any,
                                                                 site_url: str) -> None:
    tab = new_page(browser, script=False)
    try:
        tab.goto(site_url + "nl/versions/")
        assert not tab.locator("form.compare").is_visible()
        assert tab.locator("table.history a[href*='diff/3.0-3.1']").count() >= 1
        tab.goto(site_url + "nl/")
        assert tab.locator(".toc details").evaluate("el => el.open")     # never folded away
    finally:
        tab.context.close()


@pytest.mark.parametrize("width,folded", [(390, True), (1280, False)])
def test_the_contents_fold_on_a_phone_and_stay_open_beside_the_text(
        browser: Any, site_url: str, width: int, folded: bool) -> None:
    tab = new_page(browser, width, 800)
    try:
        tab.goto(site_url + "nl/")
        tab.wait_for_load_state("load")
        assert tab.locator(".toc details").evaluate("el => el.open") is not folded
        if folded:
            tab.locator(".toc summary").click()
            assert tab.get_by_role("link", name="Inleiding").first.is_visible()
    finally:
        tab.context.close()


def test_a_printed_page_says_its_address_status_and_print_date(page: Any,
                                                               site_url: str) -> None:
    page.goto(site_url + "nl/3.0/")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    header = page.locator(".statement-header").inner_text()
    assert "https://privacy.connectis.nl/nl/3.0/" in header
    assert re.search(r"Afgedrukt op \d{1,2} \w+ \d{4}", header), header
    assert re.search(r"van kracht van .+ tot 25 mei 2018", header), header
    assert not page.locator(".toc").is_visible()
    assert not page.locator(".language-switch").is_visible()


@pytest.mark.parametrize("width", [320, 1280])
def test_the_contact_card_names_the_authority_with_its_link(browser: Any, site_url: str,
                                                            width: int) -> None:
    tab = new_page(browser, width, 900)
    try:
        tab.goto(site_url + "en/")
        card = tab.locator(".contact-card").first
        card.scroll_into_view_if_needed()
        assert card.is_visible()
        link = card.get_by_role("link", name=re.compile("Autoriteit Persoonsgegevens"))
        assert link.get_attribute("href") == "https://autoriteitpersoonsgegevens.nl/"
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    finally:
        tab.context.close()
