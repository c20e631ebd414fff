"""Work on more than one core. A build from scratch gives each process whole
languages to convert and render in one go (``run_tasks`` with
``whole_languages``, see ``build``); otherwise worker processes convert their own
languages (``map_forked``) or render their own group of pages
(``render_groups``), by language where the languages balance (see ``balance``).
The files for machines (versions.json, sitemap, sources) are written by one more
process in a build from scratch, else by this one once its own group is done.

Workers are forked, so they start with everything the parent has computed
(the converted statements, the memo). Into an output folder being filled they
write directly and send back only the paths; otherwise they send back bytes.
The output is the same, byte for byte, whatever the number of processes.
"""
from __future__ import annotations

import ctypes
import functools
import os
import signal
from typing import Any, Callable, Iterable, Mapping, Protocol, Sequence, TypeVar

from .memo import Memo
from .pages import Page

T = TypeVar("T")
PR_SET_PDEATHSIG = 1                              # prctl(2)


class Sink(Protocol):
    """Where rendered outputs go: an output folder being filled, or memory."""

    shared: bool            # True if what a forked worker adds is there for the parent

    def add(self, path: str, data: bytes) -> None: ...

    def record(self, paths: Iterable[str]) -> None: ...


RenderGroup = Callable[[Iterable[Page], Sequence[str], Sink], None]
Task = Callable[[Sink], Any]                   # fills a sink; may return a value
_job: tuple[Sequence[Task], Sink, Callable[[], Sink], Memo, bool] | None = None   # before forking


def _work(index: int) -> tuple[list[str] | dict[str, bytes], dict, Any]:
    """In a worker: do one task, then send back paths (or bytes), the results to
    keep (or where it kept them: ``Memo.keep_apart``) and the task's value (in
    one pickle: what they share is sent once)."""
    assert _job is not None
    tasks, sink, memory, memo, apart = _job
    into = sink if sink.shared else memory()
    paths: list[str] = []
    value = tasks[index](_Recording(into, paths))
    kept = memo.keep_apart(marked=index == len(tasks) - 1) if apart else None
    return (paths if sink.shared else getattr(into, "files")), kept or memo.new_durable(), value


class _Recording:
    """A sink that also notes the paths it was given (to tell the parent)."""

    def __init__(self, sink: Sink, paths: list[str]) -> None:
        self.sink, self.paths, self.shared = sink, paths, sink.shared

    def add(self, path: str, data: bytes) -> None:
        self.sink.add(path, data)
        self.paths.append(path)

    def record(self, paths: Iterable[str]) -> None:
        self.sink.record(paths)


def can_fork() -> bool:
    return hasattr(os, "fork")


def _pool(processes: int):
    """Forked workers that stop when this process dies (kill -9 included), rather
    than write on into a staging folder that the next build clears."""
    import multiprocessing                        # only when forking: 10 ms of imports
    return multiprocessing.get_context("fork").Pool(processes, _die_with_parent, (os.getpid(),))


def _die_with_parent(parent: int) -> None:
    try:                                          # Linux: a signal when the parent dies
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:                    # it died before that was set up
        os._exit(1)


Group = tuple[list[Page], list[str]]        # pages, and the languages whose feed it renders


def balance(pages: Sequence[Page], languages: Sequence[str], jobs: int) -> list[Group]:
    """The pages in ``jobs`` groups of about the same size: whole languages where
    they fit (the pages of one language share most of their work), else a
    language's pages in consecutive runs (a rebuild after an edit of one language).
    A language's feed goes with its first run; the first group is the largest;
    groups with nothing to do are left out."""
    by_language: dict[str, list[Page]] = {lang: [] for lang in languages}
    for page in pages:
        by_language.setdefault(page.lang, []).append(page)
    target = -(-len(pages) // jobs)
    groups: list[Group] = [([], []) for _ in range(jobs)]
    for lang in sorted(by_language, key=lambda lang: -len(by_language[lang])):
        rest, first = by_language[lang], True
        while rest or first:
            group = min(groups, key=lambda g: len(g[0]))
            room = target - len(group[0])
            take = len(rest) if len(rest) <= room or room <= 0 else room
            group[0].extend(rest[:take])
            if first and lang in languages:
                group[1].append(lang)
            rest, first = rest[take:], False
    return [g for g in sorted(groups, key=lambda g: -len(g[0])) if g[0] or g[1]]


def whole_languages(work: Mapping[str, int], jobs: int) -> list[list[str]]:
    """The languages in up to ``jobs`` lists with about as much ``work`` each, no
    language split: the heaviest first, each into the lightest list. The lightest
    list comes first: it is this process's, which has the output to commit and
    the memo to save when its languages are done."""
    sizes, members = [0] * jobs, [[] for _ in range(jobs)]
    for lang in sorted(work, key=lambda lang: -work[lang]):
        lightest = sizes.index(min(sizes))
        sizes[lightest] += work[lang]
        members[lightest].append(lang)
    return [members[i] for i in sorted(range(jobs), key=lambda i: sizes[i]) if members[i]]


def render_groups(groups: Sequence[Group], render_group: RenderGroup,
                  track: Callable[[Sequence[Page]], Iterable[Page]],
                  sink: Sink, memory: Callable[[], Sink], memo: Memo,
                  extra: Task | None = None) -> None:
    """Render each group in its own process; this process renders the first group
    and shows progress, then does ``extra`` (work that belongs to no group) while
    the others finish theirs."""
    def first(into: Sink) -> None:
        render_group(track(groups[0][0]), groups[0][1], into)
        if extra is not None:
            extra(into)

    run_tasks(first, [functools.partial(render_group, pages, languages)
                      for pages, languages in groups[1:]], sink, memory, memo)


def run_tasks(first: Task, others: Sequence[Task], sink: Sink, memory: Callable[[], Sink],
              memo: Memo, apart: bool = False) -> list[Any]:
    """``first`` in this process, each of ``others`` in a forked process of its own,
    all filling ``sink``; the tasks' values, in order. Results a worker computed
    for the memo to keep come back with its outputs. ``apart``: each process
    keeps its own in a part of the memo's file when its task is done, the last
    worker (in a build from scratch, the short one: the files for machines)
    also those this process had made before (``Memo.keep_apart``)."""
    global _job
    memo.mark()
    _job = (others, sink, memory, memo, apart)
    try:
        with _pool(len(others)) as pool:
            pending = [pool.apply_async(_work, (index,)) for index in range(len(others))]
            values = [first(sink)]
            if apart:
                memo.keep_apart()                 # while the workers finish
            for index, result in enumerate(pending):
                done, durable, value = result.get()
                memo.absorb(durable, marked=apart and index == len(others) - 1)
                if isinstance(done, dict):
                    for path, data in done.items():
                        sink.add(path, data)
                else:
                    sink.record(done)
                values.append(value)
            return values
    finally:
        _job = None


_tasks: Sequence[Callable[[], object]] = ()     # set before forking; read by the children


def _run_task(index: int) -> object:
    return _tasks[index]()


def map_forked(tasks: Sequence[Callable[[], T]], jobs: int) -> list[T]:
    """Run ``tasks`` in up to ``jobs`` forked processes; results in the tasks' order."""
    global _tasks
    _tasks = tasks
    try:
        with _pool(min(jobs, len(tasks))) as pool:
            return pool.map(_run_task, range(len(tasks)), chunksize=1)
    finally:
        _tasks = ()
