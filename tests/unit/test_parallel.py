"""How pages and languages are shared out over processes (sitegen.parallel)."""
from __future__ import annotations

from sitegen.pages import Page
from sitegen.parallel import balance, whole_languages

LANGUAGES = ("nl", "en", "de", "fr")


def pages(counts: dict[str, int]) -> list[Page]:
    return [Page(f"{lang}/diff/{i}/index.html", "diff", lang) for lang, n in counts.items()
            for i in range(n)]


def test_languages_that_balance_stay_whole() -> None:
    groups = balance(pages({lang: 600 for lang in LANGUAGES}), LANGUAGES, 2)
    assert [len(g) for g, _ in groups] == [1200, 1200]
    assert sorted(sorted({p.lang for p in g}) for g, _ in groups) == [["de", "nl"], ["en", "fr"]]
    assert sorted(lang for _, feeds in groups for lang in feeds) == sorted(LANGUAGES)


def test_one_edited_language_is_split_in_runs() -> None:
    given = pages({"nl": 202, "en": 1})
    groups = balance(given, LANGUAGES, 2)
    assert sorted(len(g) for g, _ in groups) == [101, 102]
    assert sorted(p.path for g, _ in groups for p in g) == sorted(p.path for p in given)
    nl_runs = [[p for p in g if p.lang == "nl"] for g, _ in groups]
    for run in nl_runs:                          # consecutive: neighbours share their work
        indices = [given.index(p) for p in run]
        assert indices == list(range(indices[0], indices[0] + len(indices)))
    feeds = [lang for _, langs in groups for lang in langs]
    assert sorted(feeds) == sorted(LANGUAGES)    # every feed once


def test_the_first_group_is_the_largest() -> None:
    groups = balance(pages({"nl": 5, "en": 1}), LANGUAGES, 3)
    sizes = [len(g) for g, _ in groups]
    assert sizes == sorted(sizes, reverse=True) and sum(sizes) == 6


def test_no_process_is_started_for_nothing() -> None:
    groups = balance(pages({"nl": 3}), ("nl",), 64)
    assert [len(g) for g, _ in groups] == [1, 1, 1]
    assert [feeds for _, feeds in groups] == [["nl"], [], []]


def test_whole_languages_are_shared_out_by_their_work() -> None:
    """A build from scratch converts and renders each language in one process;
    this process, which has more to do when they are done, takes the lightest."""
    shared = whole_languages({"nl": 1881, "en": 1731, "de": 1916, "fr": 1989}, 2)
    assert shared == [["fr", "en"], ["de", "nl"]]            # 3720 and 3797: lightest first
    assert whole_languages({"nl": 10, "en": 3}, 3) == [["en"], ["nl"]]
    uneven = whole_languages({"nl": 100, "en": 10, "de": 10, "fr": 10}, 2)
    assert uneven == [["en", "de", "fr"], ["nl"]]
