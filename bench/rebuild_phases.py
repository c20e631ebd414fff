#!/usr/bin/env python
"""Where a one-file rebuild of `sitegen build` spends its time, step by step.

    python bench/rebuild_phases.py SITE [--version ID] [--lang nl] [--runs 3] [--between ID]

On a copy of SITE (e.g. `python bench/corpus.py /tmp/c200 --versions 200
--languages 4`): one full build, then --runs times: a sentence appended to one
version file (default: the middle version), and `build_folder` run with a timer
around each of its steps. Prints the median of each step in milliseconds, and
the imports measured once in a fresh interpreter. Not a test.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import append_sentence  # noqa: E402

TODAY = dt.date(2026, 11, 28)
STEPS = [("sitegen.engine.pipeline", "fingerprints"), ("sitegen.engine.pipeline", "read_table"), ("sitegen.content.load", "load_site"),
         ("sitegen.engine.memo", "Memo.load"), ("sitegen.output.write", "Staging.__init__"),
         ("sitegen.engine.build", "plan_site"), ("sitegen.engine.build", "convert_site"),
         ("sitegen.engine.build", "output_keys"), ("sitegen.engine.build", "render_pages"),
         ("sitegen.site.render", "versions_json"), ("sitegen.site.render", "atom_feed"),
         ("sitegen.output.write", "Staging.commit"), ("sitegen.engine.memo", "Memo.save")]


def timed(times: dict[str, list[float]], name: str, func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            times.setdefault(name, []).append(time.perf_counter() - start)
    return wrapper


def instrument(times: dict[str, list[float]]) -> None:
    for module_name, attribute in STEPS:
        module = importlib.import_module(module_name)
        owner, _, name = attribute.rpartition(".")
        target = getattr(module, owner) if owner else module
        setattr(target, name, timed(times, attribute, getattr(target, name)))


def import_time() -> float:
    code = ("import time; t = time.perf_counter(); import sitegen.cli, sitegen.engine.pipeline, "
            "sitegen.engine.build, sitegen.content.load, sitegen.engine.memo, sitegen.output.write, sitegen.engine.compiled; "
            "print(time.perf_counter() - t)")
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--version", help="the version to edit (default: the middle one)")
    parser.add_argument("--lang", default="nl")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--between", metavar="ID", help="before each timed rebuild, edit "
                        "version ID and rebuild untimed (bench/run.py edits the latest "
                        "version between two edits of the middle one)")
    args = parser.parse_args()
    from sitegen.engine.pipeline import build_folder
    with tempfile.TemporaryDirectory(prefix="sitegen-phases-") as tmp:
        site, out = Path(tmp) / "site", Path(tmp) / "out"
        for name in ("content", "versions", "theme"):
            if (args.site / name).is_dir():
                shutil.copytree(args.site / name, site / name)
        versions = sorted((p.name for p in (site / "versions").iterdir() if p.is_dir()),
                          key=lambda v: tuple(int(x) for x in v.split(".")))
        version = args.version or versions[len(versions) // 2]
        build_folder(site, out, TODAY, jobs=2)
        build_folder(site, out, TODAY, jobs=2)     # the folder kept aside exists from now on
        times: dict[str, list[float]] = {}
        instrument(times)
        totals = []
        for run in range(args.runs):
            if args.between:
                append_sentence(site / "versions" / args.between / f"{args.lang}.md", run)
                build_folder(site, out, TODAY, jobs=2)
                for name in times:
                    times[name].pop()
            append_sentence(site / "versions" / version / f"{args.lang}.md", run)
            start = time.perf_counter()
            build_folder(site, out, TODAY, jobs=2)
            totals.append(time.perf_counter() - start)
    print(f"one-file rebuild of {args.site} (versions/{version}/{args.lang}.md edited"
          f"{f', after one of {args.between}' if args.between else ''}), "
          f"medians of {args.runs}, ms")
    print(f"  {'imports (fresh interpreter)':<28} {1000 * import_time():7.1f}")
    for _, name in STEPS:
        if name in times:
            print(f"  {name:<28} {1000 * statistics.median(times[name]):7.1f}")
    print(f"  {'build_folder in all':<28} {1000 * statistics.median(totals):7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
