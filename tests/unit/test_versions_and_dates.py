"""Versions sort as numbers, the current one is the latest in force, dates read naturally."""
from __future__ import annotations

import datetime as dt

import pytest

from sitegen.i18n import long_date
from sitegen.content.load import load_site
from sitegen.content.model import Version, version_key
from sitegen.site.pages import current_version, plan_site
from tests.conftest import page


def version(version_id: str, date: dt.date, draft: bool = False) -> Version:
    return Version(id=version_id, date=date, documents={}, draft=draft)


def test_version_ids_sort_as_numbers() -> None:
    ids = ["10.0", "3.10", "3.9", "3.1", "3"]
    assert sorted(ids, key=version_key) == ["3", "3.1", "3.9", "3.10", "10.0"]


def test_leading_zero_is_the_same_version() -> None:
    assert version_key("03.1") == version_key("3.1")


@pytest.mark.parametrize("bad", ["latest", "a b", "3.", ".1", "v3.1", "3..1", ""])
def test_version_key_refuses_what_is_not_a_version(bad: str) -> None:
    with pytest.raises(ValueError):
        version_key(bad)


def test_loaded_versions_are_in_numeric_order(make_site) -> None:
    files = {}
    for vid, date in (("10.0", "2022-01-01"), ("3.10", "2021-01-01"), ("3.9", "2020-01-01")):
        files[f"versions/{vid}/nl.md"] = page("Privacy", date, "## A")
        files[f"versions/{vid}/en.md"] = page("Privacy", date, "## A")
    site = load_site(make_site(files))
    assert [v.id for v in site.versions] == ["3.9", "3.10", "10.0"]
    assert site.version("3.10").date == dt.date(2021, 1, 1)


def test_current_version_is_the_latest_whose_date_has_come() -> None:
    versions = (version("1.0", dt.date(2018, 5, 25)), version("2.0", dt.date(2020, 1, 1)),
                version("3.0", dt.date(2030, 1, 1)))
    assert current_version(versions, dt.date(2026, 11, 28)).id == "2.0"
    assert current_version(versions, dt.date(2019, 12, 31)).id == "1.0"


def test_a_version_is_current_on_its_own_date() -> None:
    versions = (version("1.0", dt.date(2018, 5, 25)), version("2.0", dt.date(2030, 1, 1)))
    assert current_version(versions, dt.date(2029, 12, 31)).id == "1.0"
    assert current_version(versions, dt.date(2030, 1, 1)).id == "2.0"


def test_a_draft_is_never_current() -> None:
    versions = (version("1.0", dt.date(2018, 5, 25)),
                version("2.0", dt.date(2019, 1, 1), draft=True))
    assert current_version(versions, dt.date(2026, 11, 28)).id == "1.0"


def test_plan_with_a_future_version_keeps_the_current_one(make_site) -> None:
    root = make_site({
        "versions/1.0/nl.md": page("Privacy", "2018-05-25", "## A"),
        "versions/2.0/nl.md": page("Privacy", "2030-01-01", "## A"),
    })
    site = load_site(root)
    assert plan_site(site, dt.date(2026, 11, 28)).current.id == "1.0"
    assert plan_site(site, dt.date(2030, 1, 1)).current.id == "2.0"


@pytest.mark.parametrize("locale, text", [
    ("nl", "25 mei 2018"),
    ("en_GB", "25 May 2018"),
    ("en", "May 25, 2018"),
])
def test_long_dates_follow_the_locale(locale: str, text: str) -> None:
    assert long_date(dt.date(2018, 5, 25), locale) == text


def test_long_date_accepts_a_language_code_with_region() -> None:
    assert long_date(dt.date(2018, 5, 25), "en-GB") == "25 May 2018"


def test_site_locale_setting_picks_the_date_style(make_site) -> None:
    site_yaml = ("organisation: X\nbase_url: https://p.example.org\nlanguages: [nl, en]\n"
                 "title: Privacy\nlocales:\n  en: en_GB\n")
    root = make_site({"versions/1.0/nl.md": page("Privacy", "2018-05-25", "## A")}, site_yaml)
    config = load_site(root).config
    assert long_date(dt.date(2018, 5, 25), config.locale("en")) == "25 May 2018"
    assert long_date(dt.date(2018, 5, 25), config.locale("nl")) == "25 mei 2018"
    assert config.base_url == "https://p.example.org/"
