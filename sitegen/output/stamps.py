"""When the times of a file or folder can be trusted to show its next change.

Like git and make, sitegen takes a file or folder whose times are as it noted
them to be unchanged: every change sets the change time (ctime) to the clock,
and no program can set it back. But that clock ticks, and a second change
within the tick of the first leaves the times as they were. So times are
trusted only once the clock has moved past their tick: for a few milliseconds
on the file systems of Linux, macOS and Windows, which stamp nanoseconds; for
seconds where the stamps are whole seconds (FAT keeps two).
"""
from __future__ import annotations

import os

TICK_NS = 50_000_000               # over any kernel's tick (1 to 10 ms)
WHOLE_SECONDS_NS = 3_000_000_000   # for stamps in whole seconds


def settled(status: os.stat_result, now_ns: int) -> bool:
    """Whether a change made after ``now_ns`` would show in these times."""
    changed, modified = status.st_ctime_ns, status.st_mtime_ns
    coarse = changed % 1_000_000_000 == 0 and modified % 1_000_000_000 == 0
    return max(changed, modified) < now_ns - (WHOLE_SECONDS_NS if coarse else TICK_NS)
