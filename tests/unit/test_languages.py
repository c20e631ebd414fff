"""Every language sitegen ships: its interface strings are complete and well
formed, and its starting statement has the sections and rights of the English one."""
from __future__ import annotations

import re
import string

import pytest
import yaml
from babel import Locale

from sitegen.content.model import Theme
from sitegen.content.theming import DEFAULT_THEME, load_strings
from sitegen.markdown.markup import convert
from sitegen.scaffold import SKELETONS

STRINGS = DEFAULT_THEME / "strings"
SHIPPED = sorted(p.stem for p in STRINGS.glob("*.yaml"))
# the languages a privacy statement is most often published in: the EU's 24 and more
PROMISED = ("bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv "
            "ar he fa hi bn ta id ms vi th ja ko zh-Hans zh-Hant ru uk tr sr-Latn sr-Cyrl "
            "pt-BR nb ca").split()
ENGLISH = yaml.safe_load((STRINGS / "en.yaml").read_text("utf-8"))


def placeholders(text: object) -> set[str]:
    texts = text.values() if isinstance(text, dict) else [text]
    return {name for t in texts for _, name, _, _ in string.Formatter().parse(t) if name}


def test_every_promised_language_is_shipped_with_a_starting_statement() -> None:
    skeletons = sorted(p.stem for p in SKELETONS.glob("*.md"))
    assert sorted(PROMISED) == SHIPPED == skeletons


@pytest.mark.parametrize("lang", SHIPPED)
def test_strings_load_without_a_problem(lang: str) -> None:
    problems: list = []
    strings = load_strings(Theme((DEFAULT_THEME,)), [lang], problems, DEFAULT_THEME)
    assert problems == []
    assert list(strings[lang]) == list(ENGLISH)       # every key, in the same order


@pytest.mark.parametrize("lang", SHIPPED)
def test_strings_have_the_placeholders_and_plural_forms_of_english(lang: str) -> None:
    strings = yaml.safe_load((STRINGS / f"{lang}.yaml").read_text("utf-8"))
    categories = set(Locale.parse(lang.replace("-", "_")).plural_form.tags) | {"other"}
    for key, english in ENGLISH.items():
        assert placeholders(strings[key]) == placeholders(english), key
        if isinstance(english, dict):
            assert set(strings[key]) == categories, key
            assert all("{count}" in text for text in strings[key].values()), key
        else:
            assert isinstance(strings[key], str) and strings[key].strip(), key


def outline(text: str) -> list[tuple[int, str]]:
    """The levels of the headings and the articles of the rights."""
    return [(len(m.group(1)), m.group(3) or "")
            for m in re.finditer(r"^(#{2,3}) (.*?)(?: \{art=(\d+)\})?$", text, re.M)]


@pytest.mark.parametrize("lang", SHIPPED)
def test_starting_statement_has_the_sections_and_rights_of_the_english_one(lang: str) -> None:
    english = (SKELETONS / "en.md").read_text("utf-8")
    text = (SKELETONS / f"{lang}.md").read_text("utf-8")
    assert outline(text) == outline(english)
    head, _, body = text[4:].partition("\n---\n")
    meta = yaml.safe_load(head.replace("{date}", "2026-01-01"))
    assert set(meta) == {"title", "date", "summary"} and meta["title"].strip()
    assert text.count("TODO:") >= english.count("TODO:") - 1   # nl names its authority
    rendered = convert(body, f"{lang}.md", 5, yaml.safe_load(
        (STRINGS / f"{lang}.yaml").read_text("utf-8")))
    assert rendered.problems == ()
    assert len(rendered.rights) == 7 and len(set(h.id for h in rendered.headings)) == 16
