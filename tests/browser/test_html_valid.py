"""Every built page is valid HTML according to the Nu HTML Checker (vnu.jar):
the example site's, an Arabic site's and a Japanese site's; and axe finds
nothing on the Japanese pages (the Arabic ones: test_rtl.py)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (build_one_language, describe_violations, new_page, run_axe,
                                     unavailable)
from tests.browser.test_rtl import arabic_site  # noqa: F401 -- the Arabic site, built once
from tests.conftest import REPO

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAPANESE = """
## 当社について

株式会社サンプルは、お客様の個人データの管理者です。所在地：東京都千代田区1-1。

## 取り扱うデータ

| データ | 保存期間 |
|---|---|
| 氏名 | 契約終了後7年 |
| メールアドレス（example@example.org） | 2年 |

## お客様の権利

### アクセス権 {art=15}

お客様は、当社が保有する個人データを知る権利を有します。
"""


def nu_check(folder: Path, at_least: int) -> None:
    java = shutil.which("java")
    if java is None:
        unavailable("Java is not installed (needed for the Nu HTML Checker)")
    if not VNU_JAR.is_file():
        unavailable(f"the Nu HTML Checker is not installed ({VNU_JAR} missing; run `npm ci`)")
    pages = sorted(folder.rglob("*.html"))
    assert len(pages) >= at_least, pages
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", str(folder)],
        capture_output=True, text=True, timeout=300, check=False)
    output = (result.stdout + result.stderr).replace(str(folder), "<out>")
    assert result.returncode == 0, (
        f"the Nu HTML Checker found errors in {len(pages)} pages "
        f"(exit {result.returncode}):\n{output}")


@pytest.fixture(scope="module")
def japanese_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    second = JAPANESE.replace("2年", "3年").replace("知る権利を有します", "知る権利を有しません")
    return build_one_language(
        tmp_path_factory.mktemp("ja"), "organisation: 株式会社サンプル\nbase_url: "
        "https://privacy.example.org/\nlanguages: [ja]\ntitle: プライバシーポリシー\n", "ja",
        "プライバシーポリシー", {"1.0": ("2020-01-01", JAPANESE), "2.0": ("2021-01-01", second)})


def test_every_page_is_valid_html(built_site: Path) -> None:
    nu_check(built_site, 10)


def test_every_arabic_page_is_valid_html(arabic_site: Path) -> None:  # noqa: F811
    nu_check(arabic_site, 5)


def test_every_japanese_page_is_valid_html(japanese_site: Path) -> None:
    nu_check(japanese_site, 5)


@pytest.mark.parametrize("path", ["ja/index.html", "ja/diff/1.0-2.0/index.html",
                                  "ja/versions/index.html"])
def test_japanese_pages_have_no_axe_violations(browser: Any, japanese_site: Path,
                                               path: str) -> None:
    tab = new_page(browser, 390, 900)
    try:
        tab.goto((japanese_site / path).as_uri())
        if "diff" in path:        # a one-character edit marks that character, not the clause
            marked = tab.evaluate("[...document.querySelectorAll('ins, del')]"
                                  ".map(e => e.textContent.trim())")
            assert any("せん" in m and len(m) <= 12 for m in marked), marked
        violations = run_axe(tab)
        assert not violations, describe_violations(violations)
    finally:
        tab.context.close()
