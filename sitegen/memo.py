"""A memo for pure steps: the same inputs give the same result, so keep it.

Keys are tuples of the step's inputs (hashable values only). The build is
deterministic either way; the memo only saves work in a long-running
``sitegen serve`` and between versions that share their text.
"""
from __future__ import annotations

from typing import Any, Callable, Hashable, TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self._store: dict[Hashable, Any] = {}
        self._used: set[Hashable] = set()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        self._used.add(key)
        if key in self._store:
            self.hits += 1
            return self._store[key]
        self.misses += 1
        value = compute()
        self._store[key] = value
        return value

    def sweep(self) -> None:
        """Forget what the last build did not use, so memory stays bounded."""
        self._store = {k: v for k, v in self._store.items() if k in self._used}
        self._used = set()
