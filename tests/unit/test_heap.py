"""A build keeps the memory it frees for its next pages (``engine/heap.py``)."""
from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from tests.conftest import REPO

GLIBC = platform.libc_ver()[0] == "glibc"

# Pages made and freed one after the other, as a build writes them: the page
# faults they cost, in a fresh process.
CHURN = """
import resource, sys
from sitegen.engine.heap import keep_freed_memory
kept = keep_freed_memory() if sys.argv[1] == "keep" else False
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for i in range(400):
    page = "\\u00e9" * (60_000 + (i % 9) * 15_000)
    data = page.encode("utf-8")
    del page, data
print(kept, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def churn(mode: str) -> tuple[bool, int]:
    done = subprocess.run([sys.executable, "-c", CHURN, mode], cwd=REPO, capture_output=True,
                          text=True, check=True)
    kept, faults = done.stdout.split()
    return kept == "True", int(faults)


@pytest.mark.skipif(not GLIBC, reason="mallopt is glibc's")
def test_freed_memory_is_kept_for_the_next_pages() -> None:
    kept, with_it = churn("keep")
    assert kept
    _, without = churn("plain")
    assert with_it * 3 < without, (with_it, without)
