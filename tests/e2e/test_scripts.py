"""Headings in every script keep ids of their own text, so links survive new versions."""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from sitegen.cli import main
from tests.conftest import page

SITE_YAML = """\
organisation: 例株式会社
base_url: https://privacy.example.org/
languages: [ja, ru]
title:
  ja: プライバシーポリシー
  ru: Политика конфиденциальности
"""
JA_1 = "## 個人情報の取り扱い\n\n本文。\n\n## 権利\n\n### 開示請求 {art=15}\n\n本文。\n"
JA_2 = "## はじめに\n\n新しい節。\n\n" + JA_1
RU_1 = "## Обработка данных\n\nТекст.\n\n## Права\n\n### Право на доступ {art=15}\n\nТекст.\n"
RU_2 = "## Введение\n\nНовый раздел.\n\n" + RU_1.replace("## Права", "## Ваши права")


# interface strings: the English ones will do for a test of ids, with their
# plural texts in the category every language has
ENGLISH = yaml.safe_load((Path(__file__).parents[2] / "sitegen" / "theme" / "strings" /
                          "en.yaml").read_text("utf-8"))
STRINGS = yaml.safe_dump({key: {"other": text["other"]} if isinstance(text, dict) else text
                          for key, text in ENGLISH.items()}, allow_unicode=True)


def ids(path: Path) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', path.read_text("utf-8"))


def test_ids_of_non_latin_headings_are_their_text_and_stay(make_site, tmp_path: Path) -> None:
    site = make_site({
        "versions/1.0/ja.md": page("プライバシーポリシー", "2020-01-01", JA_1),
        "versions/1.0/ru.md": page("Политика", "2020-01-01", RU_1),
        "versions/2.0/ja.md": page("プライバシーポリシー", "2021-01-01", JA_2),
        "versions/2.0/ru.md": page("Политика", "2021-01-01", RU_2,
                                   "renames:\n  права: ваши-права\n"),
        "theme/strings/ja.yaml": STRINGS, "theme/strings/ru.yaml": STRINGS,
    }, SITE_YAML)
    out = tmp_path / "public"
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out", str(out),
                                       "--today", "2026-11-28"])
    assert result.exit_code == 0, result.output
    for version in ("1.0", "2.0"):
        assert "個人情報の取り扱い" in ids(out / "ja" / version / "index.html")
        assert "обработка-данных" in ids(out / "ru" / version / "index.html")
    assert "はじめに" in ids(out / "ja" / "2.0" / "index.html")
    assert not any(i.startswith("section") for i in ids(out / "ja" / "2.0" / "index.html"))
    # the renamed Russian heading answers its old id (declared with Cyrillic ids)
    assert {"права", "ваши-права"} <= set(ids(out / "ru" / "2.0" / "index.html"))
    # the redline pairs the sections by id: the inserted one is added, the others unchanged
    redline = (out / "ja" / "diff" / "1.0-2.0" / "index.html").read_text("utf-8")
    assert "はじめに" in redline and "[-" not in redline
