"""The one thing the stages know of what the engine keeps: ``reuse``.

A pure step that would do the same work again (a part of Markdown that many
versions share, a section that many redlines compare) asks
``reuse(kind, inputs, compute)`` for the result of ``compute``, which depends
on ``inputs`` alone. ``kind`` says what the result is ("section diff"); whether
it is kept, for this build or between builds, is the engine's decision
(``sitegen.engine.policy``), never the step's. ``afresh`` keeps nothing:
a step called on its own computes everything.
"""
from __future__ import annotations

from typing import Callable, Hashable, Protocol, TypeVar

T = TypeVar("T")


class Reuse(Protocol):
    def __call__(self, kind: str, inputs: Hashable, compute: Callable[[], T]) -> T: ...


def afresh(kind: str, inputs: Hashable, compute: Callable[[], T]) -> T:
    """Keeps nothing: ``compute()``."""
    return compute()
