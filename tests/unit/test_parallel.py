"""How pages and languages are shared out over processes, and how the worker
processes run and fail (sitegen.engine.parallel)."""
from __future__ import annotations

import os
import time

import pytest

from sitegen.engine import parallel
from sitegen.engine.memo import Memo
from sitegen.site.pages import Page
from sitegen.engine.parallel import balance, whole_languages
from sitegen.site.render import MemorySink

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


def _fail() -> None:
    raise ValueError("bad input in a worker")


def test_forked_tasks_come_back_in_order_on_any_number_of_processes() -> None:
    tasks = [lambda i=i: (i, os.getpid()) for i in range(7)]
    for jobs in (1, 2, 3, 9):
        results = parallel.map_forked(tasks, jobs)
        assert [i for i, _ in results] == list(range(7))
        assert len({pid for _, pid in results}) == min(jobs, 7)   # this process is one


def test_an_error_in_a_worker_is_raised_here_with_where_it_happened() -> None:
    with pytest.raises(ValueError, match="bad input in a worker") as raised:
        parallel.map_forked([lambda: 1, _fail], 2)
    assert "_fail" in str(raised.value.__cause__)                # the worker's traceback


def test_a_worker_that_dies_without_a_result_is_an_error_not_a_hang() -> None:
    with pytest.raises(parallel.WorkerFailed, match="without a result"):
        parallel.map_forked([lambda: 1, lambda: os._exit(3)], 2)


def test_workers_are_stopped_when_this_process_fails_first(
        monkeypatch: pytest.MonkeyPatch) -> None:
    forked: list[parallel.Worker] = []
    real = parallel.fork
    monkeypatch.setattr(parallel, "fork", lambda work: forked.append(real(work)) or forked[-1])

    def first(into: MemorySink) -> None:
        raise RuntimeError("the first task failed")

    with pytest.raises(RuntimeError, match="first task failed"):
        parallel.run_tasks(first, [lambda into: time.sleep(30)], MemorySink(), MemorySink,
                           Memo())
    [(pid, _)] = forked
    with pytest.raises(ChildProcessError):                   # killed, and waited for
        os.waitpid(pid, os.WNOHANG)


def test_shares_go_once_each_to_whichever_process_asks_first() -> None:
    shares = parallel.Shares(200)
    try:
        def take() -> list[int]:
            taken = []
            for index in shares:
                taken.append(index)
                time.sleep(0.0005)             # as a language takes a while
            return taken
        workers = [parallel.fork(take) for _ in range(2)]
        mine = take()
        theirs = [parallel.result(worker) for worker in workers]
    finally:
        shares.close()
    everyone = mine + [index for taken in theirs for index in taken]
    assert sorted(everyone) == list(range(200))
    assert all(taken == sorted(taken) for taken in [mine, *theirs])   # in order
    with pytest.raises(ValueError):
        parallel.Shares(parallel.Shares.LIMIT + 1)


def test_a_language_written_without_spaces_weighs_its_words_too() -> None:
    """Japanese takes a third fewer characters than Dutch to say the same, but
    each is a word the redline compares: it is shared out as the heavier."""
    from types import SimpleNamespace as NS

    from sitegen.engine.build import _work
    nl = "Wij bewaren uw persoonsgegevens niet langer dan nodig is. " * 40
    ja = "当社は、お客様の個人情報を必要な期間を超えて保存しません。" * 40
    plan = NS(versions=[NS(documents={"nl": NS(body=nl), "ja": NS(body=ja)})])
    assert len(ja) < len(nl) and _work(plan, "ja") > _work(plan, "nl")
