#!/usr/bin/env python
"""The cycle collector's share of a cold build, in-process on one core.

    python bench/gc_time.py SITE [--threshold 7000]

Builds SITE (e.g. /tmp/c200 from `python bench/corpus.py /tmp/c200 --versions 200
--languages 4`) into memory with the collector's first threshold set as given
(Python's default is 700; `sitegen` sets 7000; `sitegen build` turns the
collector off, which --threshold 0 does too), and prints the build's wall time,
the time the collector took (timed by gc.callbacks) with its runs per
generation, and the peak memory. The collector's own time is steadier than the
build's.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import time
from pathlib import Path

from sitegen.content.load import load_site
from sitegen.engine.build import build_site
from sitegen.engine.memo import Memo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--threshold", type=int, default=7000)
    args = parser.parse_args()
    spent, started, runs = [0.0], [0.0], [0, 0, 0]

    def timed(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]
            runs[info["generation"]] += 1

    gc.set_threshold(args.threshold, 10, 10)
    gc.callbacks.append(timed)
    start = time.perf_counter()
    build_site(load_site(args.site), dt.date(2026, 11, 28), memo=Memo(), jobs=1)
    total = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"threshold {args.threshold}: build {total:.2f} s, collector {spent[0]:.2f} s "
          f"(runs by generation {runs}), peak {peak} MB")


if __name__ == "__main__":
    main()
