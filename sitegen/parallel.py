"""Rendering on more than one core: languages are independent, so each worker
process renders the pages and feed of its own languages.

Workers are forked, so they start with everything the parent has computed
(the converted statements, the memo) and send back only bytes. The output is
the same, byte for byte, whatever the number of processes.
"""
from __future__ import annotations

import multiprocessing
from typing import Callable, Iterable, Sequence

from .pages import Page

RenderGroup = Callable[[Sequence[Page], Sequence[str]], dict[str, bytes]]
_group: RenderGroup | None = None          # set just before forking; read by the child


def _work(pages: Sequence[Page], languages: Sequence[str]) -> dict[str, bytes]:
    assert _group is not None
    return _group(pages, languages)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def render_groups(pages: Sequence[Page], languages: Sequence[str], jobs: int,
                  render_group: RenderGroup,
                  track: Callable[[Sequence[Page]], Iterable[Page]]) -> dict[str, bytes]:
    """Split the languages over ``jobs`` processes; this process renders the first
    group (the default language and the pages shared by all) and shows progress."""
    global _group
    groups = [list(languages[i::jobs]) for i in range(jobs)]
    mine = [p for p in pages if p.lang in groups[0] or p.lang not in languages]
    _group = render_group
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(jobs - 1) as pool:
            pending = [pool.apply_async(_work, ([p for p in pages if p.lang in group], group))
                       for group in groups[1:]]
            output = render_group(list(track(mine)), groups[0])
            for result in pending:
                output.update(result.get())
    finally:
        _group = None
    return output
