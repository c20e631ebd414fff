"""The cyclic garbage collector and the objects a build keeps to its end.

A build makes hundreds of thousands of objects that live until it ends: the
kept results, the converted statements. The collector's full passes would
scan them again and again for nothing; frozen, they are left out of its scans
(and forked workers do not copy them by touching their headers).
"""
from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No collection in the block: for one that makes a great many objects and no
    garbage (unpickling), where the collector, set off again and again as they are
    made, would scan them for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """Everything made so far lives until the block ends: freeze it meanwhile."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
