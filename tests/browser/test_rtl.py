"""An Arabic statement, current and redline, as a reader sees it: the page runs
right to left, its rules and marks sit on the right, nothing scrolls sideways,
and axe finds nothing. Screenshots go to artifacts/screenshots/rtl-*.png."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import build_one_language, describe_violations, new_page, run_axe

SITE_YAML = """\
organisation: شركة المثال
base_url: https://privacy.example.org/
languages: [ar]
title: سياسة الخصوصية
"""
FIRST = """
## من نحن

شركة المثال هي المسؤولة عن معالجة بياناتك الشخصية. عنواننا: 1 شارع الملك، الرياض.

## البيانات التي نعالجها

- الاسم وعنوان البريد الإلكتروني (example@example.org)
- رقم العميل في الإصدار 3.1

## حقوقك

### الحق في الوصول {art=15}

يحق لك معرفة البيانات الشخصية التي نحتفظ بها عنك.
"""
SECOND = FIRST.replace("1 شارع الملك", "12 شارع العليا").replace(
    "- رقم العميل في الإصدار 3.1", "- رقم العميل\n- عنوان IP لجهازك")


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_one_language(tmp_path_factory.mktemp("rtl"), SITE_YAML, "ar",
                              "سياسة الخصوصية", {"1.0": ("2020-01-01", FIRST),
                                                 "2.0": ("2021-01-01", SECOND)})


@pytest.mark.parametrize(("name", "path", "width"), [
    ("statement-390", "ar/index.html", 390), ("statement-1280", "ar/index.html", 1280),
    ("redline-390", "ar/diff/1.0-2.0/index.html", 390),
    ("redline-1280", "ar/diff/1.0-2.0/index.html", 1280)])
def test_an_arabic_page_reads_right_to_left(browser: Any, arabic_site: Path,
                                            screenshot_dir: Path, name: str, path: str,
                                            width: int) -> None:
    tab = new_page(browser, width, 900)
    try:
        tab.goto((arabic_site / path).as_uri())
        assert tab.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        page_width, inner = tab.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]")
        assert page_width <= inner, f"the page scrolls sideways: {page_width} > {inner}"
        # a heading starts at the right edge of the box it is in
        left, right, column = tab.evaluate("""() => {
            const h = document.querySelector('.statement-body h2, .diff-summary h2');
            const p = h.parentElement;
            const r = h.getBoundingClientRect(), c = p.getBoundingClientRect();
            const s = getComputedStyle(p);
            return [r.left, r.right,
                    c.right - parseFloat(s.paddingRight) - parseFloat(s.borderRightWidth)]; }""")
        assert abs(right - column) < 2, (left, right, column)
        if "redline" in name:
            # a changed section's rule is on its right, the reading start
            rule = tab.evaluate("""() => { const s = getComputedStyle(
                document.querySelector('.section-changed'));
                return [s.borderRightWidth, s.borderLeftWidth]; }""")
            assert rule[0] != "0px" and rule[1] == "0px", rule
            marked = tab.evaluate("""() => [...document.querySelectorAll('ins, del')]
                .map(e => e.textContent.replace(/\\s+/g, ' ').trim())""")
            assert "[محذوف: الملك]" in marked and "[مضاف: العليا]" in marked, marked
        violations = run_axe(tab)
        assert not violations, describe_violations(violations)
        tab.screenshot(path=str(screenshot_dir / f"rtl-{name}.png"), full_page=True)
    finally:
        tab.context.close()
