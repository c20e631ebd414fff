"""The built example site in a real browser: navigation, anchors, redlines, accessibility, layout.

Every test loads pages from the served build (see conftest.py). Nothing here
measures speed; waits are generous deadlines for what a browser does on its own
(scrolling to a fragment after load).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import describe_violations, new_page, run_axe

PHONE = (390, 844)
DESKTOP = (1280, 900)

IN_VIEWPORT_JS = """(el) => {
  const r = el.getBoundingClientRect();
  return r.bottom > 0 && r.top >= 0 && r.top < window.innerHeight;
}"""


def path_of(url: str) -> str:
    """The URL's path with a trailing index.html dropped: /en/3.0/index.html -> /en/3.0/."""
    path = urlsplit(url).path
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def wait_in_viewport(page: Any, selector: str) -> dict[str, float]:
    """Wait until the element's top edge is inside the viewport; return its bounding box."""
    element = page.locator(selector)
    try:
        page.wait_for_function(f"() => ({IN_VIEWPORT_JS})(document.querySelector({selector!r}))",
                               timeout=5_000)
    except Exception:  # the assertion below explains what is wrong
        pass
    box = element.bounding_box()
    viewport = page.viewport_size
    assert box is not None, f"{selector} is not rendered on {page.url}"
    assert 0 <= box["y"] < viewport["height"] and box["y"] + box["height"] > 0, (
        f"{selector} is not in the viewport on {page.url}: box {box}, viewport {viewport}, "
        f"scrollY {page.evaluate('window.scrollY')}")
    return box


# --- navigation -----------------------------------------------------------------

@pytest.mark.parametrize(("start", "target"), [
    ("nl/3.0/", "/en/3.0/"),
    ("nl/", "/en/"),
])
def test_language_switch_keeps_the_version(page: Any, site_url: str, start: str,
                                           target: str) -> None:
    page.goto(site_url + start)
    languages = page.get_by_role("navigation", name="Taal")
    languages.get_by_role("link", name="English", exact=True).click()
    page.wait_for_load_state()
    assert path_of(page.url) == target, page.url
    assert page.locator("html").get_attribute("lang") == "en"
    if "3.0" in target:
        assert "Version 3.0" in page.locator(".version-line").inner_text()


def test_rights_list_scrolls_to_the_right(page: Any, site_url: str) -> None:
    page.goto(site_url + "nl/")
    heading = "#recht-op-inzage"
    assert not page.locator(heading).evaluate(IN_VIEWPORT_JS), "the heading starts in view"
    page.locator("nav.rights-nav").get_by_role("link", name="Recht op inzage",
                                               exact=True).click()
    page.wait_for_url(re.compile(r"#recht-op-inzage$"))
    assert page.url.endswith("#recht-op-inzage"), page.url
    wait_in_viewport(page, heading)
    assert page.locator(heading).evaluate("el => el.tagName") == "H3"


@pytest.mark.parametrize(("lang", "fragment", "heading"), [
    ("nl", "art-15", "Recht op inzage"),
    ("en", "art-15", "Right of access"),
    # 3.0 called the right to erasure #recht-op-verwijdering; 3.1 renamed it.
    ("nl", "recht-op-verwijdering", "Recht op vergetelheid"),
])
def test_anchor_lands_on_the_right(page: Any, site_url: str, lang: str, fragment: str,
                                   heading: str) -> None:
    page.goto(f"{site_url}{lang}/#{fragment}")
    wait_in_viewport(page, f"#{fragment}")
    owner = page.locator(f"#{fragment}").locator("xpath=ancestor::*[self::h2 or self::h3][1]")
    assert owner.count() == 1, f"#{fragment} is not inside a heading"
    text = owner.inner_text()
    assert text.startswith(heading), f"#{fragment} is inside {text!r}, not {heading!r}"
    wait_in_viewport(page, f"#{owner.get_attribute('id')}")


def test_old_version_shows_notice_with_link_to_current(page: Any, site_url: str) -> None:
    page.goto(site_url + "nl/3.0/")
    note = page.get_by_role("note")
    assert note.count() == 1 and note.is_visible()
    assert "3.0" in note.inner_text()
    current = note.get_by_role("link", name=re.compile("huidige versie"))
    assert current.count() == 1, note.inner_html()
    current.click()
    page.wait_for_load_state()
    assert path_of(page.url) == "/nl/", page.url
    assert "Versie 3.1" in page.locator(".version-line").inner_text()


# --- redlines -------------------------------------------------------------------

def test_diff_marks_changes_by_more_than_colour(page: Any, site_url: str) -> None:
    """An insertion is ruled below (a border, not a link's underline), a deletion
    struck through; a deletion holds no working link."""
    page.goto(site_url + "nl/diff/3.0-3.1/")
    marks = page.evaluate("""() => [...document.querySelectorAll('ins, del')].map(el => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return {tag: el.tagName.toLowerCase(), text: el.textContent.slice(0, 60),
                visible: el.checkVisibility() && r.width > 0 && r.height > 0,
                decoration: s.textDecorationLine, rule: s.borderBottomWidth,
                links: el.querySelectorAll('a').length};
    })""")
    tags = {mark["tag"] for mark in marks}
    assert tags == {"ins", "del"}, f"expected both <ins> and <del>, found {tags}"
    for mark in marks:
        assert mark["visible"], f"<{mark['tag']}> {mark['text']!r} is not visible"
        if mark["tag"] == "ins":
            assert mark["decoration"] == "none" and mark["rule"] == "2px", mark
        else:
            assert "line-through" in mark["decoration"].split() and not mark["links"], mark
    assert page.locator("ins").first.is_visible() and page.locator("del").first.is_visible()


# --- accessibility --------------------------------------------------------------

PAGES = {
    "entry": "",
    "current": "nl/",
    "current-en": "en/",
    "old": "nl/3.0/",
    "history": "nl/versions/",
    "diff": "nl/diff/3.0-3.1/",
    "not-found": "404.html",
}


@pytest.mark.parametrize("address", list(PAGES.values()), ids=list(PAGES))
def test_axe_finds_no_violations(page: Any, site_url: str, address: str) -> None:
    page.goto(site_url + address)
    violations = run_axe(page)
    assert not violations, (f"axe-core on /{address}:\n" + describe_violations(violations))


@pytest.mark.parametrize("address", ["nl/", "nl/diff/3.0-3.1/"], ids=["current", "diff"])
def test_axe_finds_no_violations_in_dark_mode(page: Any, site_url: str, address: str) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(site_url + address)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(22, 23, 26)", f"the dark theme is not applied: {background}"
    violations = run_axe(page)
    assert not violations, (f"axe-core on /{address} (dark):\n"
                            + describe_violations(violations))


# --- layout and screenshots -----------------------------------------------------

SHOTS = {"current": "nl/", "diff": "nl/diff/3.0-3.1/", "history": "nl/versions/",
         "old": "nl/3.0/", "entry": "", "not-found": "404.html"}


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", list(SHOTS))
def test_screenshot_and_no_horizontal_scroll(browser: Any, site_url: str, screenshot_dir: Path,
                                             name: str, size: tuple[int, int]) -> None:
    width, height = size
    page = new_page(browser, width, height)
    try:
        page.goto(site_url + SHOTS[name])
        kind = "phone" if size == PHONE else "desktop"
        shot = screenshot_dir / f"{name}-{kind}-{width}x{height}.png"
        shot.unlink(missing_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        assert shot.is_file() and shot.stat().st_size > 0, shot
        if size == PHONE:
            scroll_width, inner_width = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]")
            widest = page.evaluate("""() => {
                let worst = null;
                for (const el of document.body.querySelectorAll('*')) {
                  const r = el.getBoundingClientRect();
                  if (r.right > window.innerWidth + 0.5 && (!worst || r.right > worst.right))
                    worst = {right: r.right, tag: el.tagName.toLowerCase(),
                             cls: el.className, text: el.textContent.slice(0, 60)};
                }
                return worst;
            }""")
            assert scroll_width <= inner_width, (
                f"/{SHOTS[name]} scrolls sideways at {width}px: scrollWidth {scroll_width} > "
                f"innerWidth {inner_width}; widest element: {widest}")
    finally:
        page.context.close()
