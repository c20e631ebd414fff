"""Work on more than one core: languages are independent, so each worker process
converts (``map_forked``) or renders (``render_groups``) its own languages.

Workers are forked, so they start with everything the parent has computed
(the converted statements, the memo). Into an output folder being filled they
write directly and send back only the paths; otherwise they send back bytes.
The output is the same, byte for byte, whatever the number of processes.
"""
from __future__ import annotations

import os
from typing import Callable, Iterable, Protocol, Sequence, TypeVar

from .memo import Memo
from .pages import Page

T = TypeVar("T")


class Sink(Protocol):
    """Where rendered outputs go: an output folder being filled, or memory."""

    shared: bool            # True if what a forked worker adds is there for the parent

    def add(self, path: str, data: bytes) -> None: ...

    def record(self, paths: Iterable[str]) -> None: ...


RenderGroup = Callable[[Sequence[Page], Sequence[str], Sink], None]
_job: tuple[RenderGroup, Sink, Callable[[], Sink], Memo] | None = None   # set before forking


def _work(pages: Sequence[Page], languages: Sequence[str]
          ) -> tuple[list[str] | dict[str, bytes], dict]:
    """In a worker: render, then send back paths (or bytes) and the results to keep."""
    assert _job is not None
    render_group, sink, memory, memo = _job
    into = sink if sink.shared else memory()
    paths: list[str] = []
    into_recording = _Recording(into, paths)
    render_group(pages, languages, into_recording)
    return (paths if sink.shared else getattr(into, "files")), memo.new_durable()


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


def render_groups(pages: Sequence[Page], languages: Sequence[str], jobs: int,
                  render_group: RenderGroup, track: Callable[[Sequence[Page]], Iterable[Page]],
                  sink: Sink, memory: Callable[[], Sink], memo: Memo) -> None:
    """Split the languages over ``jobs`` processes; this process renders the first
    group (the default language and the pages shared by all) and shows progress."""
    global _job
    groups = [list(languages[i::jobs]) for i in range(jobs)]
    mine = [p for p in pages if p.lang in groups[0] or p.lang not in languages]
    memo.mark()
    _job = (render_group, sink, memory, memo)
    import multiprocessing                        # only when forking: 10 ms of imports
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(jobs - 1) as pool:
            pending = [pool.apply_async(_work, ([p for p in pages if p.lang in group], group))
                       for group in groups[1:]]
            render_group(list(track(mine)), groups[0], sink)
            for result in pending:
                done, durable = result.get()
                memo.absorb(durable)
                if isinstance(done, dict):
                    for path, data in done.items():
                        sink.add(path, data)
                else:
                    sink.record(done)
    finally:
        _job = None


_tasks: Sequence[Callable[[], object]] = ()     # set before forking; read by the children


def _run_task(index: int) -> object:
    return _tasks[index]()


def map_forked(tasks: Sequence[Callable[[], T]], jobs: int) -> list[T]:
    """Run ``tasks`` in up to ``jobs`` forked processes; results in the tasks' order."""
    import multiprocessing
    global _tasks
    _tasks = tasks
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
            return pool.map(_run_task, range(len(tasks)), chunksize=1)
    finally:
        _tasks = ()
