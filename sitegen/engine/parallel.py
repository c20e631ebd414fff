"""Work on more than one core. In a build from scratch each process takes whole
languages to convert and render in one go, one at a time, the next one left
when it is done (``run_tasks`` with ``Shares``, see ``build``); otherwise worker
processes convert their own languages (``map_forked``) or render their own
group of pages (``render_groups``), by language where the languages balance
(see ``balance``). The files for machines (versions.json, sitemap) are written
by one more process in a build from scratch, else by this one once its own
group is done.

Workers are forked, so they start with everything the parent has computed
(the converted statements, the memo), and send back what they made pickled,
through a pipe (``fork``, ``result``: a pool of processes would cost 15 ms
to import and start, and more to take results back, in a rebuild of 0.3 s).
Into an output folder being filled they write directly and send back only the
paths; otherwise they send back bytes. The output is the same, byte for byte,
whatever the number of processes.
"""
from __future__ import annotations

import ctypes
import functools
import os
import pickle
import select
import signal
import struct
import traceback
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from .memo import Memo
from ..site.pages import Page
from ..site.render import Sink

T = TypeVar("T")
PR_SET_PDEATHSIG = 1                              # prctl(2)
SHARE = struct.Struct("<H")                       # one of ``Shares``


RenderGroup = Callable[[Iterable[Page], Sequence[str], Sink], None]
Task = Callable[[Sink], Any]                   # fills a sink; may return a value
Worker = tuple[int, int]                       # a forked process: its pid, its pipe


class WorkerFailed(RuntimeError):
    """A worker process ended without sending back what it made."""


class _RemoteTraceback(Exception):
    """Where an exception was raised in a worker (shown as its cause)."""

    def __str__(self) -> str:
        return "\n" + self.args[0]


def can_fork() -> bool:
    return hasattr(os, "fork")


def fork(work: Callable[[], T]) -> Worker:
    """Start ``work`` in a forked process, which dies with this one (kill -9
    included) rather than write on into a staging folder that the next build
    clears; its value, or the exception it raised, comes back by ``result``."""
    read, write = os.pipe()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        raise
    if pid:
        os.close(write)
        return pid, read
    os.close(read)                                  # the worker: it never returns
    status = 1
    try:
        _die_with_parent(parent)
        try:
            outcome: tuple = (True, work(), "")
        except BaseException as err:                # noqa: B036 -- sent to the parent
            outcome = (False, err, traceback.format_exc())
        with open(write, "wb") as pipe:
            try:
                pipe.write(pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL))
            except (pickle.PicklingError, TypeError, AttributeError) as err:
                pipe.write(pickle.dumps((False, WorkerFailed(
                    f"a worker's result could not be sent back: {err}"), outcome[2])))
        status = 0
    finally:
        os._exit(status)


def result(worker: Worker) -> Any:
    """Wait for a worker; its value, or the exception it raised, raised here."""
    pid, read = worker
    with open(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        raise WorkerFailed(f"a worker process ended without a result "
                           f"(wait status {status}): killed, or out of memory?")
    try:
        ok, value, trace = pickle.loads(data)
    except (pickle.UnpicklingError, TypeError, AttributeError, EOFError) as err:
        raise WorkerFailed(f"a worker's result could not be read: {err}") from None
    if not ok:
        raise value from _RemoteTraceback(trace)
    return value


def stop(workers: Iterable[Worker]) -> None:
    """Kill and wait for workers whose result will not be read (a failed build;
    a worker whose result is being read is no longer among them)."""
    for pid, read in workers:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(read)
        except OSError:
            pass


def _die_with_parent(parent: int) -> None:
    try:                                          # Linux: a signal when the parent dies
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:                    # it died before that was set up
        os._exit(1)


def _task_in_worker(task: Task, sink: Sink, memory: Callable[[], Sink], memo: Memo,
                    keep_apart: bool, marked: bool) -> tuple[Any, Any, Any]:
    """In a worker: do one task, then send back paths (or bytes), the results to
    keep (or where it kept them: ``Memo.keep_apart``) and the task's value (in
    one pickle: what they share is sent once)."""
    into = sink if sink.shared else memory()
    paths: list[str] = []
    value = task(_Recording(into, paths))
    kept = memo.keep_apart(marked=marked) if keep_apart else None
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


class Shares:
    """The numbers 0 to ``count`` - 1, each handed to whichever process asks
    first: a pipe filled before the processes are forked, from which a read of
    two bytes takes one (reads of a pipe do not interleave, and all of it is
    there before anyone reads)."""

    LIMIT = select.PIPE_BUF // 2           # written at once, so never in part

    def __init__(self, count: int) -> None:
        if count > self.LIMIT:
            raise ValueError(f"at most {self.LIMIT} shares")
        read, write = os.pipe()
        try:
            os.write(write, b"".join(SHARE.pack(i) for i in range(count)))
        finally:
            os.close(write)
        self._read = read

    def __iter__(self) -> Iterator[int]:
        while data := os.read(self._read, SHARE.size):
            yield SHARE.unpack(data)[0]

    def close(self) -> None:
        os.close(self._read)


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
    memo.mark()
    last = len(others) - 1
    workers: list[Worker] = []
    try:
        for index, task in enumerate(others):
            workers.append(fork(functools.partial(_task_in_worker, task, sink, memory, memo,
                                                  apart, index == last)))
        values = [first(sink)]
        if apart:
            memo.keep_apart()                     # while the workers finish
        while workers:
            index = len(others) - len(workers)
            done, durable, value = result(workers.pop(0))     # closes its pipe, waits
            memo.absorb(durable, marked=apart and index == last)
            if isinstance(done, dict):
                for path, data in done.items():
                    sink.add(path, data)
            else:
                sink.record(done)
            values.append(value)
        return values
    finally:
        stop(workers)


def map_forked(tasks: Sequence[Callable[[], T]], jobs: int) -> list[T]:
    """Run ``tasks`` on up to ``jobs`` processes, this one included (each takes
    every ``jobs``-th task); results in the tasks' order."""
    jobs = max(1, min(jobs, len(tasks)))
    shares = [range(start, len(tasks), jobs) for start in range(jobs)]
    workers: list[Worker] = []
    try:
        for share in shares[1:]:
            workers.append(fork(lambda share=share: [tasks[i]() for i in share]))
        results: dict[int, T] = dict(zip(shares[0], [tasks[i]() for i in shares[0]]))
        while workers:
            share = shares[len(shares) - len(workers)]
            results.update(zip(share, result(workers.pop(0))))
        return [results[i] for i in range(len(tasks))]
    finally:
        stop(workers)
