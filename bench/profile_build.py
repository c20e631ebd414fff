#!/usr/bin/env python
"""Where a sitegen build spends its time, in-process.

    python bench/profile_build.py SITE [--out DIR] [--today 2026-11-28] [--top 15]
                                       [--no-phases] [--no-cprofile] [--save FILE]

To profile a frozen copy of the package rather than the working tree, put the
folder that holds the copy first: PYTHONPATH=/tmp/copy python bench/profile_build.py ...

1. Phases, timed without a profiler (wall and CPU): load_site, plan_site,
   convert_site (Markdown -> HTML), the redlines of every diff page
   (PageRenderer.redline, memoised as the build does), render_pages given those
   redlines (Jinja2 + page contexts + feeds, sitemap, versions.json), write_site.
   The phases are the steps of sitegen.engine.build.build_site and cli.build, called one
   by one; their sum is close to one `sitegen build`.
2. The same build once more under cProfile: the top --top functions by cumulative
   time (wrappers above build_site left out) and by own time. cProfile slows
   call-heavy code (Jinja2 macros, diff-match-patch) more than the rest, so read
   its shares against the phase times of 1.

Make a site first, e.g. `python bench/corpus.py /tmp/c200 --versions 200 --languages 4`.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import shutil
import tempfile
import time
from pathlib import Path

from sitegen.engine.build import build_site
from sitegen.engine.statements import convert_site
from sitegen.content.load import load_site
from sitegen.engine.memo import Memo
from sitegen.site.pages import plan_site
from sitegen.site.context import PageRenderer
from sitegen.engine.rendering import render_pages
from sitegen.output.write import write_site

WRAPPERS = ("click/", "{built-in method builtins.exec}", "/bin/sitegen", "profile_build.py")


class Clock:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []

    def __call__(self, name: str, func, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        value = func(*args, **kwargs)
        self.rows.append((name, time.perf_counter() - wall, time.process_time() - cpu))
        return value

    def report(self) -> None:
        total_wall = sum(r[1] for r in self.rows)
        total_cpu = sum(r[2] for r in self.rows)
        print(f"{'phase':<34} {'wall s':>8} {'CPU s':>8} {'CPU %':>6}")
        for name, wall, cpu in self.rows:
            print(f"{name:<34} {wall:8.2f} {cpu:8.2f} {100 * cpu / total_cpu:6.1f}")
        print(f"{'total':<34} {total_wall:8.2f} {total_cpu:8.2f}")


def phases(site_dir: Path, out: Path, today: dt.date) -> None:
    clock = Clock()
    site = clock("load_site", load_site, site_dir)
    plan = clock("plan_site", plan_site, site, today)
    memo = Memo()
    converted = clock(f"convert_site ({len(site.versions)} versions)", convert_site, site,
                      plan.versions, memo)
    renderer = PageRenderer(site, plan, converted, memo.reuse)

    def redlines() -> None:
        for lang, old, new in sorted(plan.diffs):
            renderer.redline(lang, old, new)

    clock(f"redlines ({len(plan.diffs)} diff pages)", redlines)
    files = clock(f"render_pages ({len(plan.pages)} pages)", render_pages, site, plan,
                  converted, memo)
    clock(f"write_site ({len(files)} files)", write_site, files, out, site.root)
    clock.report()


def profiled(site_dir: Path, out: Path, today: dt.date, top: int, save: Path | None) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    site = load_site(site_dir)
    result = build_site(site, today)
    write_site(result.files, out, site.root)
    profiler.disable()
    if save is not None:
        profiler.dump_stats(save)
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    for key, title in (("cumulative", "cumulative"), ("tottime", "own (tottime)")):
        rows = []
        for (file, line, func), (cc, nc, tt, ct, _callers) in stats.stats.items():
            where = f"{file}:{line}({func})"
            if any(w in where for w in WRAPPERS):
                continue
            rows.append((ct if key == "cumulative" else tt, tt, ct, nc, where))
        rows.sort(reverse=True)
        print(f"\ncProfile, top {top} by {title}; profiled total {total:.1f} s")
        print(f"{'cum s':>7} {'cum %':>6} {'own s':>7} {'calls':>9}  function")
        for _, tt, ct, nc, where in rows[:top]:
            where = where.replace(str(Path(__file__).resolve().parents[1]) + "/", "")
            where = where.split("site-packages/")[-1]
            print(f"{ct:7.2f} {100 * ct / total:6.1f} {tt:7.2f} {nc:9d}  {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: a temporary one, removed after)")
    parser.add_argument("--today", default="2026-11-28")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--no-phases", action="store_true", help="skip 1.")
    parser.add_argument("--no-cprofile", action="store_true", help="skip 2.")
    parser.add_argument("--save", type=Path, default=None,
                        help="also write the cProfile stats here (for pstats or snakeviz)")
    args = parser.parse_args()
    today = dt.date.fromisoformat(args.today)
    tmp = None
    if args.out is None:
        tmp = Path(tempfile.mkdtemp(prefix="sitegen-profile-"))
        args.out = tmp / "out"
    try:
        if not args.no_phases:
            phases(args.site, args.out, today)
        if not args.no_cprofile:
            profiled(args.site, args.out, today, args.top, args.save)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
